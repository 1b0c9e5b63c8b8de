"""Operator endpoints: liveness, readiness (database; broker reported), Prometheus metrics.

/readyz and /metrics are for the operator's own network (deploy/nginx.conf refuses both from outside). /readyz
answers 503 with its own body (ReadinessPublic), not the error shape; /metrics is Prometheus text.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, text
from sqlmodel import select

from app.core.errors import NotAuthenticated, errors
from app.core.metrics import QUEUE_LENGTH, REGISTRY
from app.models import Conversation, ConversationState
from app.ops.schemas import HealthPublic, ReadinessPublic
from app.runtime import runtime_of

router = APIRouter(tags=["ops"])


class PrometheusText(Response):
    media_type = CONTENT_TYPE_LATEST


@router.get("/healthz")
async def healthz() -> HealthPublic:
    return HealthPublic(status="ok")


@router.get(
    "/readyz", response_model=ReadinessPublic, responses={503: {"model": ReadinessPublic, "description": "not ready"}}
)
async def readyz(request: Request) -> JSONResponse:
    runtime = runtime_of(request)
    checks: dict[str, str] = {}
    try:
        async with runtime.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports, it does not raise
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        checks["broker"] = "ok" if await runtime.broker.ping() else "error: no answer"
    except Exception as exc:
        checks["broker"] = f"error: {type(exc).__name__}"
    # Without its database a node can do nothing: not ready. Without the broker it still serves (sockets
    # catch up once it is back), and the broker is shared: failing readiness on it would take every node
    # out of the load balancer at once. So the broker is reported, not a reason to refuse traffic.
    ready = checks["database"] == "ok"
    body = ReadinessPublic(ready=ready, database=checks["database"], broker=checks["broker"])
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


@router.get(
    "/metrics",
    response_class=PrometheusText,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}, **errors(NotAuthenticated)},
)
async def metrics(request: Request) -> Response:
    """Prometheus text format; with LYKTA_METRICS_TOKEN set, only for `Authorization: Bearer <token>`."""
    runtime = runtime_of(request)
    token = runtime.settings.metrics_token.get_secret_value()
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(given.encode(), token.encode()):
        raise NotAuthenticated("metrics need the operator's token")
    try:
        async with runtime.sessionmaker() as session:
            waiting = await session.exec(
                select(func.count()).select_from(Conversation).where(Conversation.state == ConversationState.waiting)
            )
            QUEUE_LENGTH.set(waiting.one())
    except Exception:  # the database is away: report the rest; /readyz says why
        QUEUE_LENGTH.set(float("nan"))
    return PrometheusText(generate_latest(REGISTRY))
