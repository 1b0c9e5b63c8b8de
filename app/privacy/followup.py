"""The follow-up code: a visitor comes back to an ended conversation within the retention window.

The conversation goes back to `waiting` with priority 1 (ahead of newcomers) and is offered first to the
counselor who last held it, when that counselor is available and has room: assigned with `accept_by`,
as an auto-assignment is; not accepted in time, it goes to the head of the queue (the duty sweeper).
The visitor gets a new token and a new code; the old ones stop working and open sockets are closed.

Every attempt that reaches the database takes at least FLOOR_S, whatever its outcome, and no database
connection is held while waiting. Only failures are limited, and only per source key: a source that used
up `follow_up_attempts_per_hour` wrong codes is refused (429) before the database is asked, counted in the
shared state (app/core/shared.py), so across every node. There is no limit over all sources together: a
12-character code (about 59 bits) is not guessable at any rate the per-source limit leaves, and such a
limit would let anyone stop every visitor from resuming. A visitor with a valid code is never refused
because of what other sources did.
A failed attempt is audited with no actor, no conversation and nothing about the source.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from app.conversations import lifecycle
from app.conversations.messages import append_message
from app.core.config import Settings
from app.core.errors import AppError, Closed, NotAvailable
from app.core.security import follow_up_hash, new_follow_up_code, new_token, token_hash
from app.feedback.service import feedback_key
from app.limits import limits_of, refuse_if_waiting, source_key
from app.models import Author, Conversation, ConversationState, ConversationTag, Counselor, Presence, iso, utcnow
from app.privacy.audit import record
from app.privacy.sockets import queue_revocation
from app.routing import service_settings
from app.routing.opening import service_status
from app.runtime import Runtime
from app.visitor.schemas import StartedPublic

ENDED = (ConversationState.closed, ConversationState.abandoned)
FLOOR_S = 0.25
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")  # whitespace, hyphens and dashes, _ and .
REOPENED = {
    "sv": "Samtalet har öppnats igen med uppföljningskoden.",
    "en": "The conversation was reopened with the follow-up code.",
}


class UnknownFollowUpCode(AppError):
    """Unknown, expired, blocked or already used: the same answer (after the same time)."""

    status_code = 404
    code = "unknown_code"
    detail = "no conversation can be continued with that code"


def normalize(code: str) -> str:
    """Case-insensitive; spaces, dashes and dots as people copy them are ignored."""
    return _SEPARATORS.sub("", code).upper()


async def check_attempt(runtime: Runtime, conn: HTTPConnection) -> None:
    """429 when this source has used up its wrong codes (on any node); nothing is taken here."""
    limiter = limits_of(conn).follow_up
    if limiter is not None:
        wait = await runtime.shared.take(limiter.name, source_key(conn), limiter.burst, limiter.per_second, cost=0)
        refuse_if_waiting(wait, "wrong follow-up codes")


async def count_failure(runtime: Runtime, conn: HTTPConnection) -> None:
    limiter = limits_of(conn).follow_up
    if limiter is not None:
        await runtime.shared.take(limiter.name, source_key(conn), limiter.burst, limiter.per_second)


async def follow_up(runtime: Runtime, conn: HTTPConnection, code: str, keys: list[str]) -> StartedPublic:
    await check_attempt(runtime, conn)
    if await runtime.blocks.is_blocked(keys):
        raise NotAvailable()
    started_at = time.monotonic()
    async with runtime.transaction() as session:
        status = await service_status(session, runtime.settings)
        if not status.open:
            next_opening = iso(status.next_opening) if status.next_opening else None
            raise Closed(next_opening=next_opening)
        started = await reopen(session, code, runtime.settings)
        if started is None:
            await record(session, "follow_up", detail="unknown or expired code", success=False)
    await asyncio.sleep(max(0.0, FLOOR_S - (time.monotonic() - started_at)))
    if started is None:
        await count_failure(runtime, conn)
        raise UnknownFollowUpCode()
    await runtime.blocks.remember(started.conversation_id, keys)
    return started


async def reopen(session: AsyncSession, code: str, settings: Settings) -> StartedPublic | None:
    """Reopen the ended conversation with this code inside the window; None when there is none."""
    digest = follow_up_hash(normalize(code), settings)
    now = utcnow()
    found = (
        await session.exec(
            select(Conversation).where(
                Conversation.follow_up_hash == digest,
                col(Conversation.state).in_(ENDED),
                col(Conversation.blocked).is_(False),
                col(Conversation.closed_at) > now - timedelta(hours=settings.retention_hours),
            )
        )
    ).first()
    if found is None or settings.retention_hours == 0:
        return None
    token, new_code = new_token(), new_follow_up_code()
    last_holder = found.counselor_id or found.previous_counselor_id
    changed = await session.exec(
        update(Conversation)
        .where(
            col(Conversation.id) == found.id,
            col(Conversation.state).in_(ENDED),
            col(Conversation.follow_up_hash) == digest,  # of two at once with one code, one wins
        )
        .values(
            state=ConversationState.waiting,
            visitor_token_hash=token_hash(token),
            feedback_key=feedback_key(token),  # the follow-up gets its own statistics row, and its own feedback
            follow_up_hash=follow_up_hash(new_code, settings),
            priority=1,
            urgent=False,
            counselor_id=None,
            previous_counselor_id=last_holder,
            transfer_from_id=None,
            accept_by=None,
            claimed_at=None,
            first_answer_at=None,  # the next statistics row describes the follow-up
            closed_at=None,
            queued_at=now,
            last_activity_at=now,
            visitor_seen_at=now,
        )
    )
    if changed.rowcount != 1:
        return None
    await session.exec(delete(ConversationTag).where(col(ConversationTag.conversation_id) == found.id))
    await session.refresh(found)
    queue_revocation(session, found.id, "replaced")  # before the state events below reach old sockets
    text = REOPENED.get(found.language or "sv", REOPENED["sv"])
    await append_message(session, found.id, author=Author.system, body=text)
    offered = await offer_to(session, found, last_holder)
    await lifecycle.announce(session, found, holders=set())
    detail = f"reopened; offered to counselor {last_holder}" if offered else "reopened; at the head of the queue"
    await record(
        session, "follow_up", conversation_id=found.id, target=str(last_holder) if offered else None, detail=detail
    )
    return StartedPublic(conversation_id=str(found.id), token=token, follow_up_code=new_code)


async def offer_to(session: AsyncSession, conversation: Conversation, counselor_id: int | None) -> bool:
    """Assign to the last holder with a time to accept, when available and not full; else stay queued."""
    if counselor_id is None:
        return False
    counselor = await session.get(Counselor, counselor_id)
    if counselor is None or not counselor.is_active or counselor.presence != Presence.available:
        return False
    rules = await service_settings.load(session)
    accept_by = utcnow() + timedelta(seconds=rules.accept_timeout_s)
    try:
        await lifecycle.claim(session, conversation.id, counselor, accept_by=accept_by)
    except AppError:  # at capacity
        return False
    return True
