"""What staff do with the mailbox: list, claim (atomic, as chats), answer, release, close, notes, age profile.

Claims are one conditional UPDATE (`WHERE state = 'waiting'`): of concurrent claims exactly one changes the
row, on any node. Only the holder answers, releases or closes (checked in the UPDATE that does it);
supervisors may read any thread. Every change tells the consoles (`mailbox` on the staff channel).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.core.errors import NotHolder
from app.mailbox import service
from app.mailbox.errors import AlreadyClaimed, NoSuchLetter, NotWaiting
from app.mailbox.schemas import (
    AgeBucketPublic,
    AgeKey,
    AgeProfilePublic,
    StaffEntryPublic,
    StaffNotePublic,
    ThreadDetailPublic,
    ThreadSummaryPublic,
)
from app.models import Counselor, Link, MailboxEntry, MailboxNote, MailboxStat, MailboxState, MailboxThread, utcnow
from app.privacy.audit import record
from app.routing import service_settings

AGE_BUCKETS: tuple[tuple[AgeKey, timedelta | None], ...] = (
    ("under_1_day", timedelta(days=1)),
    ("1_to_2_days", timedelta(days=2)),
    ("2_to_7_days", timedelta(days=7)),
    ("over_7_days", None),
)


def _target(thread_id: uuid.UUID) -> str:
    return f"mailbox:{thread_id}"


async def _counts(session: AsyncSession, ids: list[uuid.UUID]) -> dict[tuple[uuid.UUID, str], int]:
    if not ids:
        return {}
    result = await session.exec(
        select(MailboxEntry.thread_id, MailboxEntry.author, func.count())
        .where(col(MailboxEntry.thread_id).in_(ids))
        .group_by(col(MailboxEntry.thread_id), col(MailboxEntry.author))
    )
    return {(thread_id, author): int(count) for thread_id, author, count in result.all()}


async def summaries(session: AsyncSession, threads: list[MailboxThread]) -> list[ThreadSummaryPublic]:
    now = utcnow()
    counts = await _counts(session, [t.id for t in threads])
    link_ids = {t.link_id for t in threads if t.link_id is not None}
    holder_ids = {t.counselor_id for t in threads if t.counselor_id is not None}
    labels = dict((await session.exec(select(Link.id, Link.label).where(col(Link.id).in_(link_ids)))).all())
    aliases = dict(
        (await session.exec(select(Counselor.id, Counselor.alias).where(col(Counselor.id).in_(holder_ids)))).all()
    )
    return [
        ThreadSummaryPublic(
            thread_id=t.id,
            state=MailboxState(t.state).value,
            waiting_since=t.waiting_since,
            wait_s=max(0, int((now - t.waiting_since).total_seconds())) if t.waiting_since else None,
            language=t.language,
            age_band=t.age_band,
            topic=t.topic,
            link_label=labels.get(t.link_id) if t.link_id is not None else None,
            letters=counts.get((t.id, service.VISITOR), 0),
            answers=counts.get((t.id, service.COUNSELOR), 0),
            counselor_id=t.counselor_id,
            counselor_alias=aliases.get(t.counselor_id) if t.counselor_id is not None else None,
            answered_by_id=t.answered_by_id,
        )
        for t in threads
    ]


async def unanswered(session: AsyncSession) -> list[ThreadSummaryPublic]:
    """Waiting and claimed threads, the oldest unanswered letter first."""
    result = await session.exec(
        select(MailboxThread)
        .where(col(MailboxThread.state).in_(service.UNANSWERED))
        .order_by(col(MailboxThread.waiting_since), col(MailboxThread.created_at))
    )
    return await summaries(session, list(result.all()))


async def get_thread(session: AsyncSession, thread_id: uuid.UUID) -> MailboxThread:
    thread = await session.get(MailboxThread, thread_id)
    if thread is None:
        raise NoSuchLetter()
    return thread


async def detail(session: AsyncSession, thread_id: uuid.UUID, staff: Staff) -> ThreadDetailPublic:
    """The text: for the holder, for whoever answered it last, and for supervisors."""
    thread = await get_thread(session, thread_id)
    if staff.id not in (thread.counselor_id, thread.answered_by_id) and not staff.is_supervisor:
        raise NotHolder("claim the letter to read it")
    return await _detail(session, thread)


async def _detail(session: AsyncSession, thread: MailboxThread) -> ThreadDetailPublic:
    await session.refresh(thread)
    entries = await service.entries_of(session, thread.id)
    notes = await session.exec(
        select(MailboxNote, Counselor.alias)
        .outerjoin(Counselor, col(MailboxNote.counselor_id) == col(Counselor.id))
        .where(MailboxNote.thread_id == thread.id)
        .order_by(col(MailboxNote.id))
    )
    (summary,) = await summaries(session, [thread])
    return ThreadDetailPublic(
        thread=summary,
        entries=[
            StaffEntryPublic(
                id=e.id or 0,
                author=service.VISITOR if e.author == service.VISITOR else service.COUNSELOR,
                alias=e.alias,
                body=e.body,
                at=e.created_at,
            )
            for e in entries
        ],
        notes=[
            StaffNotePublic(id=n.id or 0, body=n.body, author_id=n.counselor_id, author_alias=alias, at=n.created_at)
            for n, alias in notes.all()
        ],
    )


async def claim(session: AsyncSession, thread_id: uuid.UUID, staff: Staff) -> ThreadDetailPublic:
    now = utcnow()
    changed = await session.exec(
        update(MailboxThread)
        .where(col(MailboxThread.id) == thread_id, col(MailboxThread.state) == MailboxState.waiting)
        .values(state=MailboxState.claimed, counselor_id=staff.id, claimed_at=now)
    )
    thread = await get_thread(session, thread_id)
    if changed.rowcount != 1:
        if thread.state == MailboxState.claimed:
            raise AlreadyClaimed()
        raise NotWaiting(f"the letter is {thread.state}")
    await record(session, "mailbox_claim", actor_id=staff.id, target=_target(thread_id))
    service.tell_staff(session, "claimed", thread)
    return await _detail(session, thread)


async def _holder_update(session: AsyncSession, thread_id: uuid.UUID, staff: Staff, **values: object) -> MailboxThread:
    """Change a claimed thread only while this counselor holds it (supervisors: any claimed thread)."""
    held = [col(MailboxThread.id) == thread_id, col(MailboxThread.state) == MailboxState.claimed]
    if not staff.is_supervisor:
        held.append(col(MailboxThread.counselor_id) == staff.id)
    changed = await session.exec(update(MailboxThread).where(*held).values(**values))
    thread = await get_thread(session, thread_id)
    if changed.rowcount != 1:
        raise NotHolder("you do not hold this letter; claim it first")
    await session.refresh(thread)
    return thread


async def answer(session: AsyncSession, thread_id: uuid.UUID, staff: Staff, body: str) -> ThreadDetailPublic:
    """Send the answer: the visitor reads it with the code; the letter leaves the counselor's hands."""
    now = utcnow()
    thread = await _holder_update(
        session,
        thread_id,
        staff,
        state=MailboxState.answered,
        counselor_id=None,
        claimed_at=None,
        answered_by_id=staff.id,
        answered_at=now,
        answer_read_at=None,
        waiting_since=None,
    )
    alias = staff.counselor.alias
    session.add(
        MailboxEntry(
            thread_id=thread.id, author=service.COUNSELOR, counselor_id=staff.id, alias=alias, body=body, created_at=now
        )
    )
    first_answer_s = max(0, round((now - thread.created_at).total_seconds()))
    await service.bump_stat(
        session,
        thread,
        answers=col(MailboxStat.answers) + 1,
        answer_s=func.coalesce(col(MailboxStat.answer_s), first_answer_s),
    )
    await session.flush()
    await record(session, "mailbox_answer", actor_id=staff.id, target=_target(thread_id))
    service.tell_staff(session, "answered", thread)
    return await _detail(session, thread)


async def release(session: AsyncSession, thread_id: uuid.UUID, staff: Staff) -> ThreadDetailPublic:
    thread = await _holder_update(
        session, thread_id, staff, state=MailboxState.waiting, counselor_id=None, claimed_at=None
    )
    await record(session, "mailbox_release", actor_id=staff.id, target=_target(thread_id))
    service.tell_staff(session, "released", thread)
    return await _detail(session, thread)


async def close(session: AsyncSession, thread_id: uuid.UUID, staff: Staff) -> ThreadDetailPublic:
    """No more letters on this thread; the visitor can still read it until it is deleted."""
    thread = await _holder_update(
        session,
        thread_id,
        staff,
        state=MailboxState.closed,
        counselor_id=None,
        claimed_at=None,
        waiting_since=None,
        closed_at=utcnow(),
    )
    await record(session, "mailbox_close", actor_id=staff.id, target=_target(thread_id))
    service.tell_staff(session, "closed", thread)
    return await _detail(session, thread)


async def add_note(session: AsyncSession, thread_id: uuid.UUID, staff: Staff, body: str) -> StaffNotePublic:
    thread = await get_thread(session, thread_id)
    if staff.id not in (thread.counselor_id, thread.answered_by_id) and not staff.is_supervisor:
        raise NotHolder("claim the letter to write a note on it")
    note = MailboxNote(thread_id=thread.id, counselor_id=staff.id, body=body)
    session.add(note)
    await session.flush()
    service.tell_staff(session, "note", thread)
    return StaffNotePublic(
        id=note.id or 0, body=note.body, author_id=staff.id, author_alias=staff.counselor.alias, at=note.created_at
    )


def weekdays_between(start: datetime, end: datetime) -> int:
    """Whole weekdays (Monday to Friday) that have passed from start to end (UTC dates)."""
    days, day = 0, start.date()
    last = end.date()
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


async def age_profile(session: AsyncSession) -> AgeProfilePublic:
    """How long the unanswered letters have waited, in buckets, and how many are past the promise."""
    rules = await service_settings.load(session)
    now = utcnow()
    rows = (
        await session.exec(
            select(MailboxThread.state, MailboxThread.waiting_since).where(
                col(MailboxThread.state).in_(service.UNANSWERED)
            )
        )
    ).all()
    waits = [now - since for _state, since in rows if since is not None]
    counts: dict[AgeKey, int] = dict.fromkeys((key for key, _ in AGE_BUCKETS), 0)
    for wait in waits:
        key = next(key for key, upper in AGE_BUCKETS if upper is None or wait < upper)
        counts[key] += 1
    late = sum(
        1 for _s, since in rows if since is not None and weekdays_between(since, now) > rules.mailbox_answer_weekdays
    )
    return AgeProfilePublic(
        waiting=sum(1 for state, _ in rows if state == MailboxState.waiting),
        claimed=sum(1 for state, _ in rows if state == MailboxState.claimed),
        oldest_wait_s=int(max(waits).total_seconds()) if waits else None,
        over_promise=late,
        answer_weekdays=rules.mailbox_answer_weekdays,
        buckets=[AgeBucketPublic(key=key, count=count) for key, count in counts.items()],
    )
