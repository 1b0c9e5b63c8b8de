"""Anonymous aggregates written when a conversation ends (they outlive its transcript), and duty time."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.days import service_day
from app.models import (
    Conversation,
    ConversationStat,
    ConversationStatTag,
    ConversationTag,
    DutyInterval,
    Link,
    Presence,
)


class Outcome(StrEnum):
    answered = "answered"  # a counselor wrote to the visitor
    abandoned = "abandoned"  # it ended before any counselor wrote
    blocked = "blocked"  # a counselor ended and blocked it


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, round((end - start).total_seconds()))


async def record_conversation(session: AsyncSession, conversation: Conversation) -> None:
    """Write the ended conversation's anonymous row: no id, no time of day, nothing that points back to it.

    Called by finish() after its flush; the row is read back first, since a counselor's first answer is
    set by an UPDATE the object in hand may not have seen.
    """
    await session.refresh(conversation)  # what this transaction holds, the first answer's UPDATE included
    link_id = conversation.link_id
    claimed_at = conversation.claimed_at
    space_id = None
    if link_id is not None:
        space_id = (await session.exec(select(Link.space_id).where(Link.id == link_id))).first()
    if conversation.blocked:
        outcome = Outcome.blocked
    elif conversation.first_answer_at is not None:
        outcome = Outcome.answered
    else:
        outcome = Outcome.abandoned
    stat = ConversationStat(
        day=service_day(session, conversation.created_at),
        link_id=link_id,
        space_id=space_id,
        language=conversation.language,
        age_band=conversation.age_band,
        topic=conversation.topic,
        outcome=outcome,
        wait_s=_seconds(conversation.queued_at, claimed_at),
        duration_s=_seconds(claimed_at, conversation.closed_at),
        feedback_key=None if conversation.blocked else conversation.feedback_key,  # app/feedback: the key moves
    )
    conversation.feedback_key = None
    session.add(conversation)
    session.add(stat)
    await session.flush()
    assert stat.id is not None
    tags = await session.exec(select(ConversationTag.tag_id).where(ConversationTag.conversation_id == conversation.id))
    for tag_id in sorted(set(tags.all())):
        session.add(ConversationStatTag(stat_id=stat.id, tag_id=tag_id))
    await session.flush()


async def record_presence_change(
    session: AsyncSession, counselor_id: int, old: str | Presence, new: str | Presence, at: datetime
) -> None:
    """Keep duty intervals: entering `available` opens one, leaving it closes the open one at `at`.

    Call it wherever a counselor's presence changes (the console, the grace sweeper), in the same
    transaction; changes that do not enter or leave `available` are ignored, and so are repeats.
    """
    was, now = old == Presence.available, new == Presence.available
    if was == now:
        return
    open_ones = col(DutyInterval.ended_at).is_(None)
    if now:
        already = await session.exec(
            select(DutyInterval.id).where(DutyInterval.counselor_id == counselor_id, open_ones).limit(1)
        )
        if already.first() is None:
            session.add(DutyInterval(counselor_id=counselor_id, started_at=at))
    else:
        await session.exec(
            update(DutyInterval).where(col(DutyInterval.counselor_id) == counselor_id, open_ones).values(ended_at=at)
        )
    await session.flush()
