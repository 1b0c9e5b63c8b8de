"""Queue order, who is on duty, and the wait a visitor can expect."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import AgeBand, Conversation, ConversationState, Counselor, Link, Message, Presence, Topic, iso, utcnow
from app.realtime.records import QueueItem

QUEUE_ORDER = (
    col(Conversation.urgent).desc(),
    col(Conversation.priority).desc(),
    col(Conversation.queued_at),
    col(Conversation.created_at),
)
RECENT_WAITS = 50
RECENT_WINDOW = timedelta(hours=24)
PREVIEW_CHARS = 120  # of the first line of what a waiting visitor wrote first


@dataclass(frozen=True)
class QueueSnapshot:
    items: list[QueueItem]
    available: int
    typical_wait_s: float

    def position_of(self, conversation_id: str) -> int | None:
        for item in self.items:
            if item["conversation_id"] == conversation_id:
                return int(item["position"])
        return None

    def estimated_wait_s(self, position: int) -> int:
        """Waits ahead are shared between the counselors on duty; nobody on duty: the typical wait."""
        return math.ceil(self.typical_wait_s * position / max(self.available, 1))


async def available_counselors(session: AsyncSession) -> int:
    result = await session.exec(
        select(func.count())
        .select_from(Counselor)
        .where(Counselor.presence == Presence.available, col(Counselor.is_active).is_(True))
    )
    return int(result.one())


async def typical_wait_s(session: AsyncSession, default_s: float, now: datetime | None = None) -> float:
    """Median of recent real waits (queued until claimed), or the configured default with no history."""
    since = (now or utcnow()) - RECENT_WINDOW
    result = await session.exec(
        select(Conversation.queued_at, Conversation.claimed_at)
        .where(col(Conversation.claimed_at).is_not(None), col(Conversation.claimed_at) >= since)
        .order_by(col(Conversation.claimed_at).desc())
        .limit(RECENT_WAITS)
    )
    waits = [(claimed - queued).total_seconds() for queued, claimed in result.all() if claimed is not None]
    return statistics.median(waits) if waits else float(default_s)


def preview_of(body: str) -> str:
    """The first non-empty line, cut at PREVIEW_CHARS with an ellipsis."""
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return line if len(line) <= PREVIEW_CHARS else line[: PREVIEW_CHARS - 1].rstrip() + "…"


async def first_visitor_lines(session: AsyncSession, conversation_ids: list[Any]) -> dict[str, str]:
    """What each waiting visitor wrote first (the waiting room promises it will be read), in one query."""
    if not conversation_ids:
        return {}
    first = (
        select(col(Message.conversation_id).label("conversation_id"), func.min(Message.seq).label("seq"))
        .where(col(Message.conversation_id).in_(conversation_ids), Message.author == "visitor")
        .group_by(col(Message.conversation_id))
        .subquery()
    )
    result = await session.exec(
        select(Message.conversation_id, Message.body).join(
            first, (col(Message.conversation_id) == first.c.conversation_id) & (col(Message.seq) == first.c.seq)
        )
    )
    return {str(conversation_id): preview_of(body) for conversation_id, body in result.all()}


async def snapshot(session: AsyncSession, default_wait_s: float) -> QueueSnapshot:
    now = utcnow()
    result = await session.exec(
        select(Conversation, Link.label)
        .join(Link, col(Link.id) == Conversation.link_id, isouter=True)
        .where(Conversation.state == ConversationState.waiting)
        .order_by(*QUEUE_ORDER)
    )
    rows = result.all()
    previews = await first_visitor_lines(session, [conversation.id for conversation, _ in rows])
    items: list[QueueItem] = [
        {
            "conversation_id": str(conversation.id),
            "position": position,
            "waiting_since": iso(conversation.queued_at),
            "wait_s": max(0, int((now - conversation.queued_at).total_seconds())),
            "language": conversation.language,
            "age_band": cast("AgeBand | None", conversation.age_band),  # the columns hold what the start form took
            "topic": cast("Topic | None", conversation.topic),
            "link_label": label,
            "urgent": conversation.urgent,
            "returning": conversation.priority > 0,
            "last_seq": conversation.last_seq,
            "preview": previews.get(str(conversation.id)),
        }
        for position, (conversation, label) in enumerate(rows, start=1)
    ]
    return QueueSnapshot(
        items=items,
        available=await available_counselors(session),
        typical_wait_s=await typical_wait_s(session, default_wait_s, now),
    )
