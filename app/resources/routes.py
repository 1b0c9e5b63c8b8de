"""The resource directory: admins manage it, staff search it and send a resource to a visitor as a card."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.auth.deps import Admin, CurrentStaff, SessionDep
from app.core.errors import Conflict, ConversationClosed, NotFound, NotHolder, errors
from app.resources import service
from app.resources.schemas import (
    CardSentPublic,
    ResourceCreate,
    ResourceListPublic,
    ResourcePublic,
    ResourceUpdate,
    SendCard,
)
from app.resources.service import DuplicateName, ResourceInactive

admin_router = APIRouter(prefix="/api/admin/resources", tags=["resources"])
console_router = APIRouter(prefix="/api/console", tags=["resources"])

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@admin_router.get("")
async def all_resources(_admin: Admin, session: SessionDep) -> ResourceListPublic:
    return ResourceListPublic(items=await service.list_resources(session, None, include_inactive=True))


@admin_router.post("", status_code=201, responses=errors(DuplicateName))
async def create_resource(body: ResourceCreate, _admin: Admin, session: SessionDep) -> ResourcePublic:
    return await service.create_resource(session, body)


@admin_router.put("/{resource_id}", responses=errors(NotFound, DuplicateName))
async def update_resource(
    resource_id: RowId, body: ResourceUpdate, _admin: Admin, session: SessionDep
) -> ResourcePublic:
    return await service.update_resource(session, resource_id, body)


@console_router.get("/resources")
async def search_resources(
    _staff: CurrentStaff, session: SessionDep, q: Annotated[str | None, Query(max_length=64)] = None
) -> ResourceListPublic:
    return ResourceListPublic(items=await service.list_resources(session, q, include_inactive=False))


@console_router.post(
    "/conversations/{conversation_id}/resources/{resource_id}",
    status_code=201,
    responses=errors(NotFound, ResourceInactive, NotHolder, ConversationClosed, Conflict),
)
async def send_resource(
    conversation_id: uuid.UUID,
    resource_id: RowId,
    staff: CurrentStaff,
    session: SessionDep,
    body: SendCard | None = None,
) -> CardSentPublic:
    client_id = body.client_id if body else None
    return await service.send_card(session, conversation_id, resource_id, staff, client_id)
