"""What a counselor does to conversations: claim, release, close, read; with who-may checks."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.console.schemas import ColleaguePublic, ConversationPublic, MessagePublic, WrapUp
from app.console.wrapup import apply_wrap_up
from app.conversations import lifecycle
from app.conversations.messages import message_events
from app.conversations.recorder import record_presence_change
from app.core.db import queue_event
from app.core.errors import NotHolder
from app.models import Conversation, Counselor, Presence, utcnow
from app.privacy.audit import record
from app.realtime.events import presence_event, queue_changed_event
from app.realtime.hub import QUEUE_CHANNEL, STAFF_CHANNEL, counselor_channel


async def held_conversation(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> Conversation:
    """The conversation if this staff member holds it (supervisors may act on any)."""
    conversation = await lifecycle.get_conversation(session, conversation_id)
    if conversation.counselor_id != staff.id and not staff.is_supervisor:
        raise NotHolder()
    return conversation


async def announced(
    session: AsyncSession, conversation: Conversation, *, holders: set[int | None]
) -> ConversationPublic:
    """Tell everyone concerned what changed (lifecycle.announce); the answer is the conversation as staff see it."""
    return ConversationPublic.model_validate(await lifecycle.announce(session, conversation, holders=holders))


async def claim(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> ConversationPublic:
    conversation = await lifecycle.claim(session, conversation_id, staff.counselor)
    await record(session, "claim", actor_id=staff.id, conversation_id=conversation_id)
    return await announced(session, conversation, holders=set())


async def release(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> ConversationPublic:
    conversation = await held_conversation(session, conversation_id, staff)
    holder = await lifecycle.release(session, conversation)
    await record(
        session, "release", actor_id=staff.id, conversation_id=conversation_id, target=str(holder) if holder else None
    )
    return await announced(session, conversation, holders={holder})


async def close(
    session: AsyncSession, conversation_id: uuid.UUID, staff: Staff, wrap_up: WrapUp | None = None
) -> ConversationPublic:
    conversation = await held_conversation(session, conversation_id, staff)
    if wrap_up is not None:
        await apply_wrap_up(session, conversation, wrap_up.tags, wrap_up.age_band, wrap_up.topic)
    await lifecycle.finish(session, conversation)
    await record(session, "close", actor_id=staff.id, conversation_id=conversation_id, detail=conversation.state)
    return await announced(session, conversation, holders=set())


async def transcript(
    session: AsyncSession, conversation_id: uuid.UUID, staff: Staff, after_seq: int
) -> list[MessagePublic]:
    await held_conversation(session, conversation_id, staff)
    return [MessagePublic.model_validate(event) for event in await message_events(session, conversation_id, after_seq)]


async def my_conversations(session: AsyncSession, staff: Staff) -> list[ConversationPublic]:
    held = await lifecycle.held_by(session, staff.id)
    return [ConversationPublic.model_validate(await lifecycle.summary(session, c)) for c in held]


async def set_presence(session: AsyncSession, counselor: Counselor, status: Presence) -> None:
    assert counselor.id is not None
    await record_presence_change(session, counselor.id, counselor.presence, status, utcnow())
    if counselor.presence != status:
        counselor.presence = status
        counselor.presence_changed_at = utcnow()
    counselor.seen_at = utcnow()
    session.add(counselor)
    assert counselor.id is not None
    event = presence_event(counselor.id, status)
    queue_event(session, counselor_channel(counselor.id), event)
    queue_event(session, STAFF_CHANNEL, event)
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())


async def available_colleagues(session: AsyncSession, me: int) -> list[ColleaguePublic]:
    result = await session.exec(
        select(Counselor)
        .where(Counselor.presence == Presence.available, col(Counselor.is_active).is_(True), Counselor.id != me)
        .order_by(col(Counselor.alias))
    )
    return [ColleaguePublic.model_validate(c) for c in result.all()]
