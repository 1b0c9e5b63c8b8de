"""The counselor's mailbox API (claim, answer, release, close, notes), the age profile and the statistics."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth.deps import CurrentStaff, SessionDep, Supervisor
from app.mailbox import console, stats
from app.mailbox.schemas import AgeProfile, AnswerIn, MailboxList, NoteIn, StaffNote, ThreadDetail
from app.stats.params import PeriodDep
from app.stats.report import By, Group

router = APIRouter(prefix="/api/console", tags=["mailbox"])
GroupQuery = Annotated[Group, Query()]
ByQuery = Annotated[By, Query()]


@router.get("/mailbox")
async def mailbox(_staff: CurrentStaff, session: SessionDep) -> MailboxList:
    return MailboxList(items=await console.unanswered(session))


@router.get("/mailbox/profile")
async def profile(_staff: Supervisor, session: SessionDep) -> AgeProfile:
    return await console.age_profile(session)


@router.get("/mailbox/{thread_id}")
async def thread(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetail:
    return await console.detail(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/claim")
async def claim(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetail:
    """200, or 409 `already_claimed` when a colleague has it."""
    return await console.claim(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/answer")
async def answer(thread_id: uuid.UUID, body: AnswerIn, staff: CurrentStaff, session: SessionDep) -> ThreadDetail:
    return await console.answer(session, thread_id, staff, body.body)


@router.post("/mailbox/{thread_id}/release")
async def release(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetail:
    return await console.release(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/close")
async def close(thread_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ThreadDetail:
    return await console.close(session, thread_id, staff)


@router.post("/mailbox/{thread_id}/notes", status_code=201)
async def add_note(thread_id: uuid.UUID, body: NoteIn, staff: CurrentStaff, session: SessionDep) -> StaffNote:
    return await console.add_note(session, thread_id, staff, body.body)


@router.get("/stats/mailbox")
async def mailbox_stats(
    period: PeriodDep, _staff: CurrentStaff, session: SessionDep, group: GroupQuery = "day", by: ByQuery = "none"
) -> dict[str, Any]:
    return await stats.report(session, period.start, period.end, group, by)


@router.get("/export/mailbox.csv", response_class=Response)
async def mailbox_export(
    period: PeriodDep, _staff: CurrentStaff, session: SessionDep, group: GroupQuery = "day", by: ByQuery = "none"
) -> Response:
    return stats.report_csv(await stats.report(session, period.start, period.end, group, by))
