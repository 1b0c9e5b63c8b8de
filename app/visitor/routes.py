"""The visitor's page and HTTP API: no cookies, no address kept, stale links still reach help."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from app.auth.deps import RuntimeDep, SessionDep
from app.core.clientaddr import source_keys
from app.core.errors import Closed, NotAvailable, RateLimited, errors
from app.limits import LimitsDep, check_source
from app.outreach.links import count_open
from app.routing.opening import service_status
from app.routing.queue import snapshot
from app.routing.service_settings import load as load_service_settings
from app.visitor import service
from app.visitor.schemas import AlternativePublic, StartConversation, StartedPublic, VisitorStatusPublic
from app.web import page_response

router = APIRouter(tags=["visitor"])
log = logging.getLogger(__name__)


NOT_AVAILABLE = (
    '<!doctype html><html lang="sv"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Chatten</title>'
    '<p>Chatten är inte tillgänglig.</p><p lang="en">The chat is not available.</p></html>'
)


@router.get("/c/{code}", response_class=HTMLResponse, include_in_schema=False)
async def visitor_page(code: str, request: Request, runtime: RuntimeDep) -> Response:
    if await runtime.blocks.is_blocked(source_keys(request)):
        return HTMLResponse(NOT_AVAILABLE, headers={"Cache-Control": "no-store"})
    try:  # one anonymous open for an active link; the page is served whatever happens here
        async with runtime.transaction() as session:
            await count_open(session, code)
    except (SQLAlchemyError, OSError):
        log.warning("could not count a link open", exc_info=True)
    return page_response(runtime.settings, "visitor.html")


@router.get("/api/visitor/status")
async def status(
    session: SessionDep, runtime: RuntimeDep, link: str | None = Query(default=None, max_length=32)
) -> VisitorStatusPublic:
    settings = runtime.settings
    queue = await snapshot(session, settings.default_wait_s)
    service_now = await service_status(session, settings)
    open_now = service_now.open
    return VisitorStatusPublic(
        open=open_now,
        scheduled_open=service_now.scheduled_open,
        queue_length=len(queue.items),
        estimated_wait_s=queue.estimated_wait_s(len(queue.items) + 1) if open_now else None,
        next_opening=service_now.next_opening,
        languages=settings.languages,
        exit_url=settings.exit_url,
        alternatives=[AlternativePublic.model_validate(alternative) for alternative in settings.alternatives],
        staff_title=(await load_service_settings(session)).staff_title,
    )


@router.post("/api/visitor/conversations", status_code=201, responses=errors(NotAvailable, RateLimited, Closed))
async def start_conversation(
    body: StartConversation, request: Request, session: SessionDep, runtime: RuntimeDep, limits: LimitsDep
) -> StartedPublic:
    keys = source_keys(request)
    if await runtime.blocks.is_blocked(keys):
        raise NotAvailable()
    await check_source(limits.conversations, request, "new conversations")  # 429 with Retry-After
    started = await service.start(session, body, runtime.settings)
    await runtime.blocks.remember(started.conversation_id, keys)
    return started
