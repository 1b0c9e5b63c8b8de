"""The mailbox's rules: a letter makes a thread known only by its code's hash; when a thread has had its time;
what the visitor sees; and the events that tell staff.

A thread is kept while a letter waits for an answer (at most `mailbox_days` from the oldest unanswered
letter), then `retention_hours` after the visitor read the latest answer, or `mailbox_days` after it was
answered if it is never read; a thread closed without an answer goes `retention_hours` after closing.
`expired()` states this once, for the look-up (an expired code finds nothing, as a wrong one) and for
retention (app/mailbox/retention.py deletes what it matches).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.days import service_day
from app.core.db import queue_event
from app.core.security import follow_up_hash, new_follow_up_code
from app.mailbox.errors import MailboxOff, ThreadClosed, TooManyLetters
from app.mailbox.schemas import EntryPublic, LetterIn, LetterSentPublic, MailboxOfferPublic, ThreadPublic
from app.models import MailboxEntry, MailboxStat, MailboxState, MailboxThread, utcnow
from app.privacy.followup import normalize
from app.realtime.events import MailboxChange, mailbox_event
from app.realtime.hub import STAFF_CHANNEL
from app.routing import service_settings
from app.routing.opening import schedule_state, service_status
from app.routing.queue import snapshot
from app.visitor.service import active_link

VISITOR, COUNSELOR = "visitor", "counselor"
UNANSWERED = (MailboxState.waiting, MailboxState.claimed)
ANSWERED = (MailboxState.answered, MailboxState.closed)
MAX_ENTRIES = 40  # a thread is a few letters, not a chat: after this, the visitor is asked to use the chat
MAX_UNANSWERED = 5  # letters in a row before an answer


def code_digest(code: str, settings: Settings) -> str:
    """The code's keyed hash, as the follow-up code's (case, spaces and dashes ignored)."""
    return follow_up_hash(normalize(code), settings)


def expired(now: datetime, settings: Settings) -> ColumnElement[bool]:
    """Threads that have had their time (see the module's docstring)."""
    days_ago = now - timedelta(days=settings.mailbox_days)
    window_ago = now - timedelta(hours=settings.retention_hours)
    state, read_at, answered_at = (
        col(MailboxThread.state),
        col(MailboxThread.answer_read_at),
        col(MailboxThread.answered_at),
    )
    return or_(
        and_(state.in_(UNANSWERED), col(MailboxThread.waiting_since) <= days_ago),
        and_(state.in_(ANSWERED), read_at.is_not(None), read_at <= window_ago),
        and_(state.in_(ANSWERED), read_at.is_(None), answered_at.is_not(None), answered_at <= days_ago),
        and_(state == MailboxState.closed, answered_at.is_(None), col(MailboxThread.closed_at) <= window_ago),
    )


def tell_staff(session: AsyncSession, change: MailboxChange, thread: MailboxThread, *, notify: bool = False) -> None:
    """After commit, every console hears that the mailbox changed (no text; `notify`: a letter came in hours)."""
    event = mailbox_event(change, thread.id, MailboxState(thread.state), notify)
    queue_event(session, STAFF_CHANNEL, event)


async def in_opening_hours(session: AsyncSession, settings: Settings) -> bool:
    return (await schedule_state(session, settings)).scheduled_open


async def bump_stat(session: AsyncSession, thread: MailboxThread, **values: Any) -> None:
    """Change the thread's anonymous statistics row (it has one from its first letter)."""
    if thread.stat_id is not None:
        await session.exec(update(MailboxStat).where(col(MailboxStat.id) == thread.stat_id).values(**values))


async def write_letter(
    session: AsyncSession, letter: LetterIn, settings: Settings, now: datetime | None = None
) -> LetterSentPublic:
    """A new thread with its first letter (written `now`, by default the present); the visitor gets its code,
    which is stored only as a hash. Its statistics row counts on the service's day (app/core/days.py)."""
    rules = await service_settings.load(session)
    if not rules.mailbox_enabled:
        raise MailboxOff()
    language = letter.language if letter.language in settings.languages else settings.languages[0]
    link = await active_link(session, letter.link_code)  # unknown or retired: no attribution
    code, now = new_follow_up_code(), now or utcnow()
    stat = MailboxStat(
        day=service_day(session, now),
        link_id=link.id if link else None,
        space_id=link.space_id if link else None,
        language=language,
        age_band=letter.age_band,
        topic=letter.topic,
    )
    session.add(stat)
    await session.flush()
    thread = MailboxThread(
        code_hash=code_digest(code, settings),
        link_id=link.id if link else None,
        language=language,
        age_band=letter.age_band,
        topic=letter.topic,
        stat_id=stat.id,
        created_at=now,
        waiting_since=now,
    )
    session.add(thread)
    await session.flush()
    session.add(MailboxEntry(thread_id=thread.id, author=VISITOR, body=letter.body, created_at=now))
    await session.flush()
    tell_staff(session, "letter", thread, notify=await in_opening_hours(session, settings))
    return LetterSentPublic(code=code, answer_weekdays=rules.mailbox_answer_weekdays, keep_days=settings.mailbox_days)


async def find(session: AsyncSession, code: str, settings: Settings) -> MailboxThread | None:
    """The thread with this code that has not had its time; locked until commit on PostgreSQL."""
    query = select(MailboxThread).where(
        MailboxThread.code_hash == code_digest(code, settings), not_(expired(utcnow(), settings))
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def entries_of(session: AsyncSession, thread_id: uuid.UUID) -> list[MailboxEntry]:
    result = await session.exec(
        select(MailboxEntry).where(MailboxEntry.thread_id == thread_id).order_by(col(MailboxEntry.id))
    )
    return list(result.all())


def may_add_letter(thread: MailboxThread, entries: list[MailboxEntry]) -> bool:
    if thread.state == MailboxState.closed or len(entries) >= MAX_ENTRIES:
        return False
    run = 0
    for entry in reversed(entries):
        if entry.author != VISITOR:
            break
        run += 1
    return run < MAX_UNANSWERED


async def mark_read(session: AsyncSession, thread: MailboxThread) -> None:
    """The visitor has seen the latest answer: its retention window starts now (once per answer)."""
    if thread.answered_at is None or thread.answer_read_at is not None:
        return
    now = utcnow()
    await session.exec(
        update(MailboxThread)
        .where(col(MailboxThread.id) == thread.id, col(MailboxThread.answer_read_at).is_(None))
        .values(answer_read_at=now)
    )
    thread.answer_read_at = now
    await bump_stat(session, thread, read=True)


async def visitor_view(session: AsyncSession, thread: MailboxThread, settings: Settings) -> ThreadPublic:
    entries = await entries_of(session, thread.id)
    rules = await service_settings.load(session)
    status = await service_status(session, settings)
    return ThreadPublic(
        state=MailboxState(thread.state).value,
        entries=[
            EntryPublic(
                author=VISITOR if e.author == VISITOR else COUNSELOR,
                alias=e.alias if e.author == COUNSELOR else None,
                body=e.body,
                at=e.created_at,
            )
            for e in entries
        ],
        can_write=may_add_letter(thread, entries),
        open=status.open,
        next_opening=status.next_opening,
        answer_weekdays=rules.mailbox_answer_weekdays,
        keep_days=settings.mailbox_days,
    )


async def add_visitor_letter(session: AsyncSession, thread: MailboxThread, body: str, settings: Settings) -> None:
    """The visitor writes back (or adds to an unanswered letter): the thread waits for an answer again."""
    entries = await entries_of(session, thread.id)
    if thread.state == MailboxState.closed:
        raise ThreadClosed()
    if not may_add_letter(thread, entries):
        raise TooManyLetters()
    now = utcnow()
    state = col(MailboxThread.state)
    changed = await session.exec(
        update(MailboxThread)
        .where(col(MailboxThread.id) == thread.id, state.in_((*UNANSWERED, MailboxState.answered)))
        .values(
            state=case((state == MailboxState.answered, MailboxState.waiting.value), else_=state),  # claimed stays
            waiting_since=func.coalesce(col(MailboxThread.waiting_since), now),
        )
    )
    if changed.rowcount != 1:  # closed by a counselor a moment ago
        raise ThreadClosed()
    await session.refresh(thread)
    session.add(MailboxEntry(thread_id=thread.id, author=VISITOR, body=body, created_at=now))
    await bump_stat(session, thread, letters=col(MailboxStat.letters) + 1)
    await session.flush()
    tell_staff(session, "letter", thread, notify=await in_opening_hours(session, settings))


async def offer(session: AsyncSession, settings: Settings) -> MailboxOfferPublic:
    """Offered when the chat is closed, and (when an admin set minutes) when the expected wait is longer."""
    rules = await service_settings.load(session)
    reason: Literal["closed", "long_wait"] | None = None
    if rules.mailbox_enabled:
        if not (await service_status(session, settings)).open:
            reason = "closed"
        elif rules.mailbox_offer_wait_minutes > 0:
            queue = await snapshot(session, settings.default_wait_s)
            if queue.estimated_wait_s(len(queue.items) + 1) > rules.mailbox_offer_wait_minutes * 60:
                reason = "long_wait"
    return MailboxOfferPublic(
        enabled=rules.mailbox_enabled,
        offered=reason is not None,
        reason=reason,
        answer_weekdays=rules.mailbox_answer_weekdays,
        keep_days=settings.mailbox_days,
    )
