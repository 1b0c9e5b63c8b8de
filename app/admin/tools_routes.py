"""Admin management of shared canned replies and the wrap-up tag list (rules in app/console/tools.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.auth.deps import Admin, RuntimeDep, SessionDep
from app.console import tools
from app.console.errors import DuplicateKeyword, DuplicateTag, NotShared, UnknownLanguage
from app.console.tool_schemas import CannedReplyListPublic, CannedReplyPublic, TagListPublic, TagPublic
from app.core.errors import NotFound, errors

router = APIRouter(prefix="/api/admin", tags=["admin tools"])

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/canned")
async def list_shared_canned(_admin: Admin, session: SessionDep) -> CannedReplyListPublic:
    return CannedReplyListPublic(items=await tools.list_shared_canned(session))


@router.post("/canned", status_code=201, responses=errors(UnknownLanguage, DuplicateKeyword))
async def create_shared_canned(
    body: tools.CannedCreate, _admin: Admin, session: SessionDep, runtime: RuntimeDep
) -> CannedReplyPublic:
    return await tools.create_canned(session, None, body, runtime.settings.languages)


@router.put("/canned/{reply_id}", responses=errors(NotFound, NotShared, UnknownLanguage, DuplicateKeyword))
async def update_shared_canned(
    reply_id: RowId, body: tools.CannedUpdate, _admin: Admin, session: SessionDep, runtime: RuntimeDep
) -> CannedReplyPublic:
    return await tools.update_canned(session, reply_id, None, body, runtime.settings.languages)


@router.delete("/canned/{reply_id}", status_code=204, responses=errors(NotFound, NotShared))
async def delete_shared_canned(reply_id: RowId, _admin: Admin, session: SessionDep) -> None:
    await tools.delete_canned(session, reply_id, None)


@router.get("/tags")
async def list_all_tags(_admin: Admin, session: SessionDep) -> TagListPublic:
    return TagListPublic(items=await tools.list_tags(session, include_inactive=True))


@router.post("/tags", status_code=201, responses=errors(DuplicateTag))
async def create_tag(body: tools.TagCreate, _admin: Admin, session: SessionDep) -> TagPublic:
    return await tools.create_tag(session, body)


@router.put("/tags/{tag_id}", responses=errors(NotFound, DuplicateTag))
async def update_tag(tag_id: RowId, body: tools.TagUpdate, _admin: Admin, session: SessionDep) -> TagPublic:
    return await tools.update_tag(session, tag_id, body)
