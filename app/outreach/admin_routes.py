"""Admin management of the register's lists: space categories and indicator tags (retired, never deleted)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.auth.deps import Admin, SessionDep
from app.core.errors import NotFound, errors
from app.models import Indicator, SpaceCategory
from app.outreach import register
from app.outreach.errors import DuplicateName
from app.outreach.schemas import MAX_ID, ListItemCreate, ListItemListPublic, ListItemPublic, ListItemUpdate

router = APIRouter(prefix="/api/admin", tags=["admin outreach"])

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/space-categories")
async def list_categories(_admin: Admin, session: SessionDep) -> ListItemListPublic:
    return ListItemListPublic(items=await register.list_items(session, SpaceCategory, include_inactive=True))


@router.post("/space-categories", status_code=201, responses=errors(DuplicateName))
async def create_category(body: ListItemCreate, _admin: Admin, session: SessionDep) -> ListItemPublic:
    return await register.create_item(session, SpaceCategory, body.name)


@router.put("/space-categories/{item_id}", responses=errors(NotFound, DuplicateName))
async def update_category(item_id: RowId, body: ListItemUpdate, _admin: Admin, session: SessionDep) -> ListItemPublic:
    return await register.update_item(session, SpaceCategory, item_id, body.name, body.active)


@router.get("/indicators")
async def list_indicators(_admin: Admin, session: SessionDep) -> ListItemListPublic:
    return ListItemListPublic(items=await register.list_items(session, Indicator, include_inactive=True))


@router.post("/indicators", status_code=201, responses=errors(DuplicateName))
async def create_indicator(body: ListItemCreate, _admin: Admin, session: SessionDep) -> ListItemPublic:
    return await register.create_item(session, Indicator, body.name)


@router.put("/indicators/{item_id}", responses=errors(NotFound, DuplicateName))
async def update_indicator(item_id: RowId, body: ListItemUpdate, _admin: Admin, session: SessionDep) -> ListItemPublic:
    return await register.update_item(session, Indicator, item_id, body.name, body.active)
