"""The counselor's duty tools over HTTP: notes, canned replies, wrap-up tags (rules in tools.py)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep
from app.console import tools
from app.console.errors import DuplicateKeyword, NotOwner, SupervisorOnly, UnknownLanguage
from app.console.tool_schemas import (
    CannedReplyListPublic,
    CannedReplyPublic,
    NoteListPublic,
    NotePublic,
    TagListPublic,
    WrapUpPublic,
)
from app.core.errors import NotFound, NotHolder, errors

router = APIRouter(prefix="/api/console", tags=["console tools"])

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/conversations/{conversation_id}/notes", responses=errors(NotFound, NotHolder))
async def list_notes(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> NoteListPublic:
    return NoteListPublic(items=await tools.list_notes(session, conversation_id, staff))


@router.post(
    "/conversations/{conversation_id}/notes", status_code=201, responses=errors(NotFound, NotHolder, SupervisorOnly)
)
async def add_note(
    conversation_id: uuid.UUID, body: tools.NoteCreate, staff: CurrentStaff, session: SessionDep
) -> NotePublic:
    return await tools.add_note(session, conversation_id, staff, body)


@router.get("/conversations/{conversation_id}/wrap-up", responses=errors(NotFound, NotHolder))
async def wrap_up(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> WrapUpPublic:
    return await tools.wrap_up(session, conversation_id, staff)


@router.get("/canned", responses=errors(UnknownLanguage))
async def list_canned(
    staff: CurrentStaff,
    session: SessionDep,
    runtime: RuntimeDep,
    language: Annotated[str | None, Query(min_length=1, max_length=8)] = None,
) -> CannedReplyListPublic:
    return CannedReplyListPublic(items=await tools.list_canned(session, staff, language, runtime.settings.languages))


@router.post("/canned", status_code=201, responses=errors(UnknownLanguage, DuplicateKeyword))
async def create_canned(
    body: tools.CannedCreate, staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> CannedReplyPublic:
    return await tools.create_canned(session, staff.id, body, runtime.settings.languages)


@router.put("/canned/{reply_id}", responses=errors(NotFound, NotOwner, UnknownLanguage, DuplicateKeyword))
async def update_canned(
    reply_id: RowId, body: tools.CannedUpdate, staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> CannedReplyPublic:
    return await tools.update_canned(session, reply_id, staff.id, body, runtime.settings.languages)


@router.delete("/canned/{reply_id}", status_code=204, responses=errors(NotFound, NotOwner))
async def delete_canned(reply_id: RowId, staff: CurrentStaff, session: SessionDep) -> None:
    await tools.delete_canned(session, reply_id, staff.id)


@router.get("/tags")
async def list_tags(_staff: CurrentStaff, session: SessionDep) -> TagListPublic:
    return TagListPublic(items=await tools.list_tags(session))
