"""The counselor's HTTP API: presence, queue, and actions on conversations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep, Supervisor
from app.console import handover, service
from app.console.errors import ColleagueUnavailable, NotOffered, UnknownColleague, UnknownTag
from app.console.schemas import (
    BlockBody,
    ColleagueListPublic,
    ConversationListPublic,
    ConversationPublic,
    MessageListPublic,
    PresenceBody,
    PresencePublic,
    QueueEntryPublic,
    QueuePublic,
    SupervisionPublic,
    TransferBody,
    UrgentBody,
    WrapUp,
)
from app.console.supervision import overview
from app.conversations.errors import AlreadyClaimed, AtCapacity, NotActive, NotWaiting
from app.core.errors import ConversationClosed, NotFound, NotHolder, errors
from app.routing.queue import snapshot

router = APIRouter(prefix="/api/console", tags=["console"])


@router.put("/presence")
async def put_presence(body: PresenceBody, staff: CurrentStaff, session: SessionDep) -> PresencePublic:
    await service.set_presence(session, staff.counselor, body.status)
    return PresencePublic(status=body.status)


@router.get("/queue")
async def get_queue(_staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep) -> QueuePublic:
    queue = await snapshot(session, runtime.settings.default_wait_s)
    return QueuePublic(items=[QueueEntryPublic.model_validate(item) for item in queue.items], available=queue.available)


@router.get("/conversations")
async def list_mine(staff: CurrentStaff, session: SessionDep) -> ConversationListPublic:
    return ConversationListPublic(items=await service.my_conversations(session, staff))


@router.post("/conversations/{conversation_id}/claim", responses=errors(NotFound, AtCapacity, AlreadyClaimed))
async def claim(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ConversationPublic:
    return await service.claim(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/release", responses=errors(NotFound, NotHolder, NotActive))
async def release(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ConversationPublic:
    return await service.release(session, conversation_id, staff)


@router.post(
    "/conversations/{conversation_id}/close", responses=errors(NotFound, NotHolder, UnknownTag, ConversationClosed)
)
async def close(
    conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep, wrap_up: WrapUp | None = None
) -> ConversationPublic:
    return await service.close(session, conversation_id, staff, wrap_up)


@router.get("/conversations/{conversation_id}/messages", responses=errors(NotFound, NotHolder))
async def messages(
    conversation_id: uuid.UUID,
    staff: CurrentStaff,
    session: SessionDep,
    after_seq: int = Query(default=0, ge=0, le=2**31 - 1),
) -> MessageListPublic:
    return MessageListPublic(items=await service.transcript(session, conversation_id, staff, after_seq))


@router.post(
    "/conversations/{conversation_id}/transfer",
    responses=errors(NotFound, NotHolder, NotActive, UnknownColleague, ColleagueUnavailable),
)
async def transfer(
    conversation_id: uuid.UUID, body: TransferBody, staff: CurrentStaff, session: SessionDep
) -> ConversationPublic:
    return await handover.transfer(session, conversation_id, staff, body.to, body.note)


@router.post("/conversations/{conversation_id}/accept", responses=errors(NotFound, NotOffered))
async def accept(conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep) -> ConversationPublic:
    return await handover.accept(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/take-over", responses=errors(NotFound, ConversationClosed))
async def take_over(conversation_id: uuid.UUID, staff: Supervisor, session: SessionDep) -> ConversationPublic:
    return await handover.take_over(session, conversation_id, staff)


@router.post("/conversations/{conversation_id}/urgent", responses=errors(NotFound, NotWaiting))
async def urgent(
    conversation_id: uuid.UUID, body: UrgentBody, staff: Supervisor, session: SessionDep
) -> ConversationPublic:
    """Supervisors (and admins) flag a waiting chat urgent, as the README says; counselors get 403."""
    return await handover.set_urgent(session, conversation_id, body.urgent, staff)


@router.post("/conversations/{conversation_id}/block", responses=errors(NotFound, NotHolder))
async def block(
    conversation_id: uuid.UUID,
    staff: CurrentStaff,
    session: SessionDep,
    runtime: RuntimeDep,
    body: BlockBody | None = None,
) -> ConversationPublic:
    hours = body.hours if body else None
    return await handover.block(session, conversation_id, staff, runtime.blocks, hours)


@router.get("/supervision")
async def supervision(_staff: Supervisor, session: SessionDep, runtime: RuntimeDep) -> SupervisionPublic:
    return await overview(session, runtime.settings.default_wait_s)


@router.get("/colleagues")
async def colleagues(staff: CurrentStaff, session: SessionDep) -> ColleagueListPublic:
    """Who a chat can be transferred to: available colleagues, by alias."""
    return ColleagueListPublic(items=await service.available_colleagues(session, staff.id))
