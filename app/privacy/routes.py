"""Privacy routes: purge now, transcript export, the audit log (console) and the follow-up code (visitor)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.types import Receive, Scope, Send

from app.auth.deps import Admin, CurrentStaff, RuntimeDep, SessionDep, Supervisor
from app.core.clientaddr import source_keys
from app.core.errors import (
    Closed,
    ConversationClosed,
    InvalidRequest,
    NotAvailable,
    NotFound,
    NotHolder,
    RateLimited,
    errors,
)
from app.privacy import audit_log, followup, purge, transcript
from app.privacy.followup import UnknownFollowUpCode
from app.privacy.schemas import AuditEntryListPublic, PurgedPublic
from app.privacy.storage import scrub_after_delete
from app.visitor.schemas import StartedPublic

router = APIRouter(tags=["privacy"])
TRANSCRIPT_FILE = {
    "description": "the transcript as a text file (an attachment)",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}
log = logging.getLogger(__name__)


class AfterCommitJSONResponse(JSONResponse):
    """Runs `before_send` once the request's transaction has committed and its session is closed
    (FastAPI ends function-scoped dependencies before it sends the response), then answers."""

    def __init__(self, content: Any, before_send: Callable[[], Awaitable[object]]) -> None:
        super().__init__(content)
        self.before_send = before_send

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.before_send()
        await super().__call__(scope, receive, send)


@router.post(
    "/api/console/conversations/{conversation_id}/purge",
    response_model=PurgedPublic,
    responses=errors(NotFound, NotHolder, ConversationClosed),
)
async def purge_now(
    conversation_id: uuid.UUID, staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> AfterCommitJSONResponse:
    """Delete the transcript now; the answer comes once the database files no longer hold it."""
    result = await purge.purge_now(session, conversation_id, staff)
    scrub = partial(scrub_after_delete, runtime.engine, runtime.settings)
    return AfterCommitJSONResponse(result.model_dump(mode="json"), scrub)


@router.post(
    "/api/console/conversations/{conversation_id}/export",
    response_class=PlainTextResponse,
    responses={200: TRANSCRIPT_FILE, **errors(NotFound)},
)
async def export_transcript(conversation_id: uuid.UUID, staff: Supervisor, session: SessionDep) -> Response:
    taken = await transcript.export(session, conversation_id, staff)
    return Response(
        taken.text,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{taken.filename}"', "Cache-Control": "no-store"},
    )


@router.get("/api/console/audit", responses=errors(InvalidRequest))
async def audit(
    _admin: Admin,
    session: SessionDep,
    actor: int | None = Query(default=None, ge=1, le=2**31 - 1),
    action: str | None = Query(default=None, max_length=32),
    conversation: uuid.UUID | None = None,
    since: str | None = Query(default=None, alias="from", max_length=40),
    until: str | None = Query(default=None, alias="to", max_length=40),
    limit: int = Query(default=100, ge=1, le=audit_log.MAX_LIMIT),
) -> AuditEntryListPublic:
    items = await audit_log.entries(
        session,
        actor=actor,
        action=action,
        conversation=conversation,
        since=audit_log.parse_bound(since, "from"),
        until=audit_log.parse_bound(until, "to", end=True),
        limit=limit,
    )
    return AuditEntryListPublic(items=items)


class FollowUpBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=64)


@router.post("/api/visitor/follow-up", responses=errors(RateLimited, NotAvailable, UnknownFollowUpCode, Closed))
async def follow_up(body: FollowUpBody, request: Request, runtime: RuntimeDep) -> StartedPublic:
    """No request session here: the service holds a connection only while it works, not while it waits."""
    return await followup.follow_up(runtime, request, body.code, source_keys(request))
