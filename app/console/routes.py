"""The counselor's HTTP API: presence, queue, and actions on conversations."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep, Supervisor
from app.console import handover, service
from app.console.schemas import WrapUp
from app.console.supervision import overview
from app.models import Presence
from app.routing.queue import snapshot

router = APIRouter(prefix="/api/console", tags=["console"])


class PresenceBody(BaseModel):
    status: Presence


@router.put("/presence")
async def put_presence(body: PresenceBody, staff: CurrentStaff, session: SessionDep) -> dict[str, str]:
    await service.set_presence(session, staff.counselor, body.status)
    return {"status": body.status.value}


@router.get("/queue")
async def get_queue(_staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    queue = await snapshot(session, runtime.settings.default_wait_s)
    return {"items": queue.items, "available": queue.available}


@router.get("/conversations")
async def list_mine(staff: CurrentStaff, session: SessionDep) -> dict[str, Any]:
    return {"items": await service.my_conversations(session, staff)}


@router.post("/conversations/{conversation_id}/claim")
async def claim(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> dict[str, Any]:
    return await service.claim(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/release")
async def release(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> dict[str, Any]:
    return await service.release(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/close")
async def close(
    conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep, wrap_up: WrapUp | None = None
) -> dict[str, Any]:
    return await service.close(session, conversation_id, staff, wrap_up)


@router.get("/conversations/{conversation_id}/messages")
async def messages(
    conversation_id: uuid.UUID,
    staff: CurrentStaff,
    session: SessionDep,
    after_seq: int = Query(default=0, ge=0, le=2**31 - 1),
) -> dict[str, Any]:
    return {"items": await service.transcript(session, conversation_id, staff, after_seq)}


class TransferBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: int | None = Field(default=None, description="a colleague's id; none: back to the queue")
    note: str | None = Field(default=None, max_length=2000)


class UrgentBody(BaseModel):
    urgent: bool = True


class BlockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hours: int | None = Field(default=None, ge=1, le=24 * 7)


@router.post("/conversations/{conversation_id}/transfer")
async def transfer(
    conversation_id: uuid.UUID, body: TransferBody, staff: CurrentStaff, session: SessionDep
) -> dict[str, Any]:
    return await handover.transfer(session, conversation_id, staff, body.to, body.note)


@router.post("/conversations/{conversation_id}/accept")
async def accept(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> dict[str, Any]:
    return await handover.accept(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/take-over")
async def take_over(conversation_id: uuid.UUID, staff: Supervisor, session: SessionDep) -> dict[str, Any]:
    return await handover.take_over(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/urgent")
async def urgent(
    conversation_id: uuid.UUID, body: UrgentBody, staff: Supervisor, session: SessionDep
) -> dict[str, Any]:
    """Supervisors (and admins) flag a waiting chat urgent, as the README says; counselors get 403."""
    return await handover.set_urgent(session, conversation_id, body.urgent, staff)


@router.post("/conversations/{conversation_id}/block")
async def block(
    conversation_id: uuid.UUID,
    staff: CurrentStaff,
    session: SessionDep,
    runtime: RuntimeDep,
    body: BlockBody | None = None,
) -> dict[str, Any]:
    hours = body.hours if body else None
    return await handover.block(session, conversation_id, staff, runtime.blocks, hours)


@router.get("/supervision")
async def supervision(_staff: Supervisor, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    return await overview(session, runtime.settings.default_wait_s)


@router.get("/colleagues")
async def colleagues(staff: CurrentStaff, session: SessionDep) -> dict[str, Any]:
    """Who a chat can be transferred to: available colleagues, by alias."""
    return {"items": await service.available_colleagues(session, staff.id)}
