"""The visitor's page and HTTP API: no cookies, no address kept, stale links still reach help."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import RuntimeDep, SessionDep
from app.routing.queue import snapshot
from app.visitor import service
from app.visitor.schemas import StartConversation, Started
from app.web import page_response

router = APIRouter(tags=["visitor"])


@router.get("/c/{code}", response_class=HTMLResponse, include_in_schema=False)
async def visitor_page(code: str, runtime: RuntimeDep) -> Response:
    return page_response(runtime.settings, "visitor.html")


@router.get("/api/visitor/status")
async def status(
    session: SessionDep, runtime: RuntimeDep, link: str | None = Query(default=None, max_length=32)
) -> dict[str, Any]:
    settings = runtime.settings
    queue = await snapshot(session, settings.default_wait_s)
    open_now = queue.available > 0
    return {
        "open": open_now,
        "queue_length": len(queue.items),
        "estimated_wait_s": queue.estimated_wait_s(len(queue.items) + 1) if open_now else None,
        "next_opening": None,
        "languages": settings.languages,
        "exit_url": settings.exit_url,
        "alternatives": settings.alternatives,
    }


@router.post("/api/visitor/conversations", status_code=201)
async def start_conversation(body: StartConversation, session: SessionDep, runtime: RuntimeDep) -> Started:
    return await service.start(session, body, runtime.settings)
