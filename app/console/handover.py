"""Passing a conversation on: transfer (to a colleague or the queue), accept, take-over, urgent, block."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.console.errors import ColleagueUnavailable, NotOffered, UnknownColleague
from app.console.schemas import ConversationPublic
from app.console.service import announced, held_conversation
from app.console.tools import announce_note, public_note
from app.conversations import lifecycle
from app.conversations.errors import NotActive, NotWaiting
from app.conversations.messages import append_message
from app.conversations.notices import notice
from app.core.db import queue_event
from app.core.errors import ConversationClosed
from app.models import Author, ConversationState, Counselor, Note, NoteKind, Presence, utcnow
from app.privacy.audit import record
from app.privacy.blocks import Blocklist
from app.realtime.events import queue_changed_event
from app.realtime.hub import QUEUE_CHANNEL
from app.routing import service_settings


async def transfer(
    session: AsyncSession, conversation_id: uuid.UUID, staff: Staff, to: int | None, note: str | None
) -> ConversationPublic:
    """To a named colleague, who must accept in time (else it comes back), or to the queue."""
    conversation = await held_conversation(session, conversation_id, staff)
    if conversation.state != ConversationState.active:
        raise NotActive(f"the conversation is {conversation.state}")
    if note:
        written = Note(conversation_id=conversation.id, counselor_id=staff.id, kind=NoteKind.transfer, body=note)
        session.add(written)
        await session.flush()
        # the colleague's console starts following the conversation only once it is offered: tell it directly
        announce_note(session, public_note(written, staff.counselor.alias), also_to=to)
    holder = conversation.counselor_id
    if to is None:
        await record(session, "transfer", actor_id=staff.id, conversation_id=conversation_id, detail="to the queue")
        await lifecycle.release(session, conversation, priority=1)
        await append_message(
            session, conversation.id, author=Author.system, body=notice("returned_to_queue", conversation.language)
        )
        return await announced(session, conversation, holders={holder})
    colleague = await session.get(Counselor, to)
    if colleague is None or not colleague.is_active or colleague.id == holder:
        raise UnknownColleague()
    if colleague.presence != Presence.available:
        raise ColleagueUnavailable(f"{colleague.alias} is not available")
    rules = await service_settings.load(session)
    conversation.counselor_id = colleague.id
    conversation.transfer_from_id = holder
    conversation.accept_by = utcnow() + timedelta(seconds=rules.accept_timeout_s)
    session.add(conversation)
    await session.flush()
    await record(
        session,
        "transfer",
        actor_id=staff.id,
        conversation_id=conversation_id,
        target=str(to) if to else None,
        detail="to a colleague",
    )
    return await announced(session, conversation, holders={holder})


async def accept(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> ConversationPublic:
    conversation = await lifecycle.get_conversation(session, conversation_id)
    if conversation.counselor_id != staff.id or conversation.state != ConversationState.active:
        raise NotOffered()
    sender = conversation.transfer_from_id
    conversation.accept_by = None
    conversation.transfer_from_id = None
    session.add(conversation)
    await session.flush()
    await record(
        session, "accept", actor_id=staff.id, conversation_id=conversation_id, target=str(sender) if sender else None
    )
    return await announced(session, conversation, holders=set())


async def take_over(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> ConversationPublic:
    """A supervisor takes a waiting or active conversation, whoever holds it."""
    conversation = await lifecycle.get_conversation(session, conversation_id)
    if conversation.state not in (ConversationState.waiting, ConversationState.active):
        raise ConversationClosed(f"the conversation is {conversation.state}")
    holder = conversation.counselor_id
    now = utcnow()
    conversation.state = ConversationState.active
    conversation.counselor_id = staff.id
    conversation.claimed_at = conversation.claimed_at or now
    conversation.accept_by = None
    conversation.transfer_from_id = None
    session.add(conversation)
    await session.flush()
    await record(
        session, "take_over", actor_id=staff.id, conversation_id=conversation_id, target=str(holder) if holder else None
    )
    return await announced(session, conversation, holders={holder})


async def set_urgent(
    session: AsyncSession, conversation_id: uuid.UUID, urgent: bool, staff: Staff | None = None
) -> ConversationPublic:
    conversation = await lifecycle.get_conversation(session, conversation_id)
    if conversation.state != ConversationState.waiting:
        raise NotWaiting()
    conversation.urgent = urgent
    session.add(conversation)
    await session.flush()
    actor = staff.id if staff is not None else None
    await record(session, "urgent", actor_id=actor, conversation_id=conversation_id, detail="on" if urgent else "off")
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())
    return ConversationPublic.model_validate(await lifecycle.summary(session, conversation))


async def block(
    session: AsyncSession, conversation_id: uuid.UUID, staff: Staff, blocks: Blocklist, hours: int | None
) -> ConversationPublic:
    """End a threatening or sexualised chat and keep its source out for a while."""
    conversation = await held_conversation(session, conversation_id, staff)
    rules = await service_settings.load(session)
    holder = conversation.counselor_id
    conversation.blocked = True  # before finish(), so the statistics count it as blocked
    session.add(conversation)
    if conversation.state in (ConversationState.waiting, ConversationState.active):
        await append_message(
            session, conversation.id, author=Author.system, body=notice("ended_by_counselor", conversation.language)
        )
        await lifecycle.finish(session, conversation)
    await session.flush()
    hours = hours or rules.block_hours
    await record(session, "block", actor_id=staff.id, conversation_id=conversation_id, detail=f"{hours} h")
    await blocks.block_conversation(str(conversation.id), hours)
    return await announced(session, conversation, holders={holder})
