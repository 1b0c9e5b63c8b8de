"""Starting a conversation and what the visitor's socket may do to it."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations import lifecycle
from app.core.config import Settings, get_settings
from app.core.db import queue_event
from app.core.errors import Closed
from app.core.security import follow_up_hash, new_follow_up_code, new_token, token_hash
from app.feedback.service import feedback_key
from app.models import Conversation, ConversationState, Link, iso
from app.realtime.events import queue_changed_event
from app.realtime.hub import QUEUE_CHANNEL
from app.routing.opening import service_status
from app.visitor.schemas import StartConversation, StartedPublic


async def active_link(session: AsyncSession, code: str | None) -> Link | None:
    if not code:
        return None
    result = await session.exec(select(Link).where(Link.code == code, col(Link.active).is_(True)))
    return result.first()


async def is_open(session: AsyncSession, settings: Settings | None = None) -> bool:
    """Open while the schedule says so and at least one counselor is available."""
    return (await service_status(session, settings or get_settings())).open


async def start(session: AsyncSession, body: StartConversation, settings: Settings) -> StartedPublic:
    status = await service_status(session, settings)
    if not status.open:
        next_opening = iso(status.next_opening) if status.next_opening else None
        raise Closed(next_opening=next_opening)
    language = body.language if body.language in settings.languages else settings.languages[0]
    link = await active_link(session, body.link_code)  # unknown or retired: no attribution
    token = new_token()
    code = new_follow_up_code()
    conversation = Conversation(
        visitor_token_hash=token_hash(token),
        follow_up_hash=follow_up_hash(code, settings),
        link_id=link.id if link else None,
        language=language,
        age_band=body.age_band,
        topic=body.topic,
        feedback_key=feedback_key(token),
    )
    session.add(conversation)
    await session.flush()
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())
    return StartedPublic(conversation_id=str(conversation.id), token=token, follow_up_code=code)


async def by_token(session: AsyncSession, token: str) -> Conversation | None:
    result = await session.exec(select(Conversation).where(Conversation.visitor_token_hash == token_hash(token)))
    return result.first()


class Ended(NamedTuple):
    """What the visitor who ended the chat is told: its state now, and who had answered."""

    state: ConversationState
    counselor_alias: str | None


async def end(session: AsyncSession, conversation_id: uuid.UUID) -> Ended:
    conversation = await lifecycle.get_conversation(session, conversation_id)
    holder = conversation.counselor_id
    await lifecycle.finish(session, conversation)
    data = await lifecycle.announce(session, conversation, holders={holder})
    return Ended(data["state"], data["counselor_alias"])


async def mark_read(session: AsyncSession, conversation_id: uuid.UUID, seq: int) -> int:
    conversation = await lifecycle.get_conversation(session, conversation_id)
    seq = min(seq, conversation.last_seq)
    if seq > conversation.visitor_read_seq:
        conversation.visitor_read_seq = seq
        session.add(conversation)
    return seq
