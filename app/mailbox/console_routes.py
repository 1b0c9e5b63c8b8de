"""The counselor's mailbox API (claim, answer, release, close, notes), the age profile and the statistics."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.deps import CurrentStaff, SessionDep, Supervisor
from app.core.errors import NotHolder, errors
from app.mailbox import console, stats
from app.mailbox.errors import AlreadyClaimed, NoSuchLetter, NotWaiting
from app.mailbox.schemas import (
    AgeProfilePublic,
    AnswerIn,
    MailboxListPublic,
    MailboxStatsPublic,
    NoteIn,
    StaffNotePublic,
    ThreadDetailPublic,
)
from app.stats.csvfile import CSV_ANSWER, CsvResponse
from app.stats.params import PeriodDep
from app.stats.schemas import By, Group

router = APIRouter(prefix="/api/console", tags=["mailbox"])
GroupQuery = Annotated[Group, Query()]
ByQuery = Annotated[By, Query()]
HOLDER = (NoSuchLetter, NotHolder)  # only the holder (or a supervisor) reads or changes a claimed letter


@router.get("/mailbox")
async def mailbox(_staff: CurrentStaff, session: SessionDep) -> MailboxListPublic:
    return MailboxListPublic(items=await console.unanswered(session))


@router.get("/mailbox/profile")
async def profile(_staff: Supervisor, session: SessionDep) -> AgeProfilePublic:
    return await console.age_profile(session)


@router.get("/mailbox/{thread_id}", responses=errors(*HOLDER))
async def thread(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetailPublic:
    return await console.detail(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/claim", responses=errors(NoSuchLetter, AlreadyClaimed, NotWaiting))
async def claim(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetailPublic:
    """200, or 409 `already_claimed` when a colleague has it."""
    return await console.claim(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/answer", responses=errors(*HOLDER))
async def answer(thread_id: uuid.UUID, body: AnswerIn, staff: CurrentStaff, session: SessionDep) -> ThreadDetailPublic:
    return await console.answer(session, thread_id, staff, body.body)


@router.post("/mailbox/{thread_id}/release", responses=errors(*HOLDER))
async def release(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetailPublic:
    return await console.release(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/close", responses=errors(*HOLDER))
async def close(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetailPublic:
    return await console.close(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/notes", status_code=201, responses=errors(*HOLDER))
async def add_note(thread_id: uuid.UUID, body: NoteIn, staff: CurrentStaff, session: SessionDep) -> StaffNotePublic:
    return await console.add_note(session, thread_id, staff, body.body)


@router.get("/stats/mailbox")
async def mailbox_stats(
    period: PeriodDep, _staff: CurrentStaff, session: SessionDep, group: GroupQuery = "day", by: ByQuery = "none"
) -> MailboxStatsPublic:
    return await stats.report(session, period.start, period.end, group, by)


@router.get("/export/mailbox.csv", response_class=CsvResponse, responses=CSV_ANSWER)
async def mailbox_export(
    period: PeriodDep, _staff: CurrentStaff, session: SessionDep, group: GroupQuery = "day", by: ByQuery = "none"
) -> CsvResponse:
    return stats.report_csv(await stats.report(session, period.start, period.end, group, by))
