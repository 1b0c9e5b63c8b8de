"""State changes of a conversation (waiting → active → closed, abandoned) and who is told."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations.errors import AlreadyClaimed, AtCapacity, NotActive
from app.conversations.recorder import record_conversation
from app.core.db import after_commit, queue_event
from app.core.errors import ConversationClosed, NotFound
from app.core.metrics import WAIT_SECONDS
from app.models import AgeBand, Conversation, ConversationState, Counselor, Link, Topic, iso, utcnow
from app.realtime.events import conversation_event, queue_changed_event, state_event
from app.realtime.hub import QUEUE_CHANNEL, conversation_channel, counselor_channel
from app.realtime.records import ConversationSummary


def _iso(at: datetime | None) -> str | None:
    return iso(at) if at is not None else None


async def summary(session: AsyncSession, conversation: Conversation) -> ConversationSummary:
    """What staff see of a conversation (never anything that identifies the visitor)."""
    link_label = None
    if conversation.link_id is not None:
        link = await session.get(Link, conversation.link_id)
        link_label = link.label if link else None
    alias = None
    if conversation.counselor_id is not None:
        counselor = await session.get(Counselor, conversation.counselor_id)
        alias = counselor.alias if counselor else None
    return {
        "conversation_id": str(conversation.id),
        "state": ConversationState(conversation.state),
        "counselor_id": conversation.counselor_id,
        "counselor_alias": alias,
        "language": conversation.language,
        "age_band": cast("AgeBand | None", conversation.age_band),  # the columns hold what the start form took
        "topic": cast("Topic | None", conversation.topic),
        "link_label": link_label,
        "urgent": conversation.urgent,
        "created_at": iso(conversation.created_at),
        "queued_at": iso(conversation.queued_at),
        "claimed_at": _iso(conversation.claimed_at),
        "closed_at": _iso(conversation.closed_at),
        "last_seq": conversation.last_seq,
        "visitor_read_seq": conversation.visitor_read_seq,
        "accept_by": _iso(conversation.accept_by),
        "transfer_from_id": conversation.transfer_from_id,
    }


async def visitor_alias(session: AsyncSession, data: ConversationSummary) -> str | None:
    """The alias the visitor sees: during a transfer not yet accepted, still the one who was answering."""
    if data["accept_by"] is not None and data["transfer_from_id"] is not None:
        sender = await session.get(Counselor, data["transfer_from_id"])
        return sender.alias if sender else None
    return data["counselor_alias"]


async def get_conversation(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation:
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("conversation")
    return conversation


async def announce(
    session: AsyncSession, conversation: Conversation, *, holders: set[int | None]
) -> ConversationSummary:
    """Queue the events that tell the visitor, the holders' consoles and the queue what changed; the answer is the
    conversation as staff now see it."""
    await session.flush()  # refresh below must read what this transaction changed, not undo it
    await session.refresh(conversation)
    data = await summary(session, conversation)
    channel = conversation_channel(conversation.id)
    queue_event(session, channel, state_event(conversation.id, data["state"], await visitor_alias(session, data)))
    staff_event = conversation_event(data)
    queue_event(session, channel, staff_event)  # for supervisors monitoring it (visitor sockets drop it)
    for counselor_id in holders | {conversation.counselor_id}:
        if counselor_id is not None:
            queue_event(session, counselor_channel(counselor_id), staff_event)
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())
    return data


async def active_count(session: AsyncSession, counselor_id: int, *, lock: bool = False) -> int:
    """How many chats a counselor holds; with lock, the counselor's row is locked (PostgreSQL) first,
    so that concurrent claims and assignments for one counselor are counted one after the other."""
    if lock and session.get_bind().dialect.name == "postgresql":
        await session.exec(select(Counselor.id).where(Counselor.id == counselor_id).with_for_update())
    result = await session.exec(
        select(func.count())
        .select_from(Conversation)
        .where(Conversation.counselor_id == counselor_id, Conversation.state == ConversationState.active)
    )
    return int(result.one())


async def claim(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    counselor: Counselor,
    *,
    accept_by: datetime | None = None,
    enforce_capacity: bool = True,
) -> Conversation:
    """Atomic: of any number of concurrent claims, exactly one changes the row; capacity is kept."""
    assert counselor.id is not None
    if enforce_capacity and await active_count(session, counselor.id, lock=True) >= counselor.capacity:
        raise AtCapacity(f"you already have {counselor.capacity} conversations")
    now = utcnow()
    result = await session.exec(
        update(Conversation)
        .where(col(Conversation.id) == conversation_id, col(Conversation.state) == ConversationState.waiting)
        .values(
            state=ConversationState.active,
            counselor_id=counselor.id,
            claimed_at=now,
            last_activity_at=now,
            accept_by=accept_by,
            transfer_from_id=None,
        )
    )
    if result.rowcount != 1:
        conversation = await get_conversation(session, conversation_id)
        raise AlreadyClaimed(
            None if conversation.state == ConversationState.active else f"the conversation is {conversation.state}"
        )
    claimed = await get_conversation(session, conversation_id)
    waited = (now - claimed.queued_at).total_seconds()
    after_commit(session, lambda: WAIT_SECONDS.observe(max(0.0, waited)))
    return claimed


async def release(session: AsyncSession, conversation: Conversation, *, priority: int = 1) -> int | None:
    """Back to the queue ahead of newcomers (keeping its original time); returns who held it."""
    if conversation.state != ConversationState.active:
        raise NotActive(f"the conversation is {conversation.state}")
    holder = conversation.counselor_id
    conversation.state = ConversationState.waiting
    conversation.previous_counselor_id = holder or conversation.previous_counselor_id
    conversation.counselor_id = None
    conversation.claimed_at = None
    conversation.accept_by = None
    conversation.transfer_from_id = None
    conversation.priority = max(conversation.priority, priority)
    session.add(conversation)
    await session.flush()
    return holder


async def finish(session: AsyncSession, conversation: Conversation) -> None:
    """Close an answered conversation; one that nobody answered yet is abandoned."""
    if conversation.state not in (ConversationState.waiting, ConversationState.active):
        raise ConversationClosed(f"the conversation is already {conversation.state}")
    conversation.state = (
        ConversationState.closed if conversation.state == ConversationState.active else ConversationState.abandoned
    )
    conversation.closed_at = utcnow()
    conversation.accept_by = None
    session.add(conversation)
    await session.flush()
    await record_conversation(session, conversation)


async def held_by(session: AsyncSession, counselor_id: int) -> list[Conversation]:
    result = await session.exec(
        select(Conversation)
        .where(Conversation.counselor_id == counselor_id, Conversation.state == ConversationState.active)
        .order_by(col(Conversation.claimed_at))
    )
    return list(result.all())
