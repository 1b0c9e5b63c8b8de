"""Automatic assignment: the head of the queue goes to the available counselor with free capacity and
the fewest chats, ties to the one who waited longest since their last assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations import lifecycle
from app.core.errors import AppError
from app.models import Conversation, ConversationState, Counselor, Presence, utcnow
from app.routing.queue import QUEUE_ORDER


@dataclass(frozen=True)
class Assignment:
    conversation_id: str
    counselor_id: int


async def pick_counselor(session: AsyncSession) -> Counselor | None:
    active = (
        select(Conversation.counselor_id, func.count().label("held"))
        .where(Conversation.state == ConversationState.active)
        .group_by(col(Conversation.counselor_id))
        .subquery()
    )
    held = func.coalesce(active.c.held, 0)
    idle_since = func.coalesce(col(Counselor.last_assigned_at), col(Counselor.presence_changed_at))
    result = await session.exec(
        select(Counselor)
        .join(active, active.c.counselor_id == Counselor.id, isouter=True)
        .where(
            Counselor.presence == Presence.available,
            col(Counselor.is_active).is_(True),
            held < Counselor.capacity,
        )
        .order_by(held, idle_since, col(Counselor.id))
        .limit(1)
    )
    return result.first()


async def next_waiting(session: AsyncSession) -> Conversation | None:
    query = select(Conversation).where(Conversation.state == ConversationState.waiting).order_by(*QUEUE_ORDER)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return (await session.exec(query.limit(1))).first()


async def assign_one(session: AsyncSession, accept_timeout_s: int) -> Assignment | None:
    """Assign the head of the queue, or nothing when nobody has room or nobody waits."""
    counselor = await pick_counselor(session)
    if counselor is None or counselor.id is None:
        return None
    conversation = await next_waiting(session)
    if conversation is None:
        return None
    now = utcnow()
    try:
        claimed = await lifecycle.claim(
            session, conversation.id, counselor, accept_by=now + timedelta(seconds=accept_timeout_s)
        )
    except AppError:  # taken meanwhile, or the counselor filled up: the next round decides again
        return None
    counselor.last_assigned_at = now
    session.add(counselor)
    await lifecycle.announce(session, claimed, holders=set())
    return Assignment(str(claimed.id), counselor.id)
