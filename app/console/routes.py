"""The counselor's HTTP API: presence, queue, and actions on conversations."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep
from app.console import service
from app.console.schemas import WrapUp
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
