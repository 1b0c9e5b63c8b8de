"""OpenID Connect routes: start (a redirect to the provider) and callback (back here, signed in).

Both are top-level browser navigations. The callback always redirects: to `/console` when signed in, or
to `/console#signin_error=<code>` (`oidc_state`, `oidc_provider`, `oidc_token`, `oidc_acr`,
`oidc_no_account`, `rate_limited`); the fragment never reaches a server log.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from app.auth import oidc, service
from app.auth.deps import RuntimeDep, SessionDep
from app.auth.login import SourceGuard
from app.auth.oidc import STATE_COOKIE, STATE_PATH, FlowState, OidcError
from app.auth.responses import cookie_secure, set_session_cookie
from app.core.config import Settings
from app.core.errors import AppError
from app.models import Counselor
from app.privacy.audit import record

router = APIRouter(prefix="/api/console/oidc", tags=["auth"])
Param = Annotated[str | None, Query(max_length=2048)]


def _require_enabled(settings: Settings) -> None:
    if not oidc.enabled(settings):
        raise AppError("sign-in through an identity provider is not set up", 404, "oidc_disabled")


@router.get("/start", response_class=RedirectResponse, status_code=303)
async def start(request: Request, runtime: RuntimeDep) -> Response:
    """Redirects (303) to the identity provider; 404 `oidc_disabled` when not configured."""
    settings = runtime.settings
    _require_enabled(settings)
    refused = await SourceGuard.of(request).refusal()  # failures count, never successes
    if refused is not None:
        return _failed(refused.code)
    flow = FlowState.new()
    try:
        url = await oidc.provider_of(request, settings).authorization_url(flow, oidc.redirect_url(request, settings))
    except OidcError as exc:
        return _failed(exc.code)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        STATE_COOKIE,
        flow.seal(settings),
        max_age=oidc.STATE_TTL_S,
        path=STATE_PATH,
        httponly=True,
        samesite="lax",  # it must come back with the provider's redirect, a cross-site navigation
        secure=cookie_secure(request, settings),
    )
    return response


@router.get("/callback", response_class=RedirectResponse, status_code=303)
async def callback(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    code: Param = None,
    state: Param = None,
    error: Param = None,
) -> Response:
    """Redirects (303) to `/console` signed in, or to `/console#signin_error=<code>`."""
    settings = runtime.settings
    _require_enabled(settings)
    source = SourceGuard.of(request)
    refused = await source.refusal()
    if refused is not None:
        return _failed(refused.code)
    counselor: Counselor | None = None
    try:
        flow = FlowState.open(request.cookies.get(STATE_COOKIE), settings)
        if not state or not hmac.compare_digest(state.encode(), flow.state.encode()):
            raise OidcError("oidc_state", "the sign-in answer does not belong to this browser")
        if error or not code:
            raise OidcError("oidc_provider", "the identity provider did not sign you in")
        provider = oidc.provider_of(request, settings)
        token = await provider.exchange(code, flow, oidc.redirect_url(request, settings))
        claims = await provider.verify(token, flow)
        username = claims.get(settings.oidc_username_claim)
        if isinstance(username, str) and username:
            found = await session.exec(select(Counselor).where(Counselor.username == username))
            counselor = found.first()
        if counselor is None or not counselor.is_active:
            raise OidcError("oidc_no_account", "there is no active staff account for you here")
    except OidcError as exc:
        actor = counselor.id if counselor is not None else None
        await record(session, "login_failed", actor_id=actor, detail=f"oidc: {exc.detail}"[:256], success=False)
        await source.failed()
        return _failed(exc.code)
    acr = claims.get("acr")
    await record(session, "login", actor_id=counselor.id, detail=f"oidc{f' acr={acr}' if acr else ''}"[:256])
    raw, _auth = await service.start_session(session, counselor, settings)
    response = RedirectResponse("/console", status_code=303)
    set_session_cookie(response, raw, request, settings)
    response.delete_cookie(STATE_COOKIE, path=STATE_PATH)
    return response


def _failed(code: str) -> Response:
    response = RedirectResponse(f"/console#signin_error={code}", status_code=303)
    response.delete_cookie(STATE_COOKIE, path=STATE_PATH)
    return response
