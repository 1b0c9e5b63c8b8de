"""OpenID Connect routes: start (a redirect to the provider) and callback (back here, signed in).

Both are top-level browser navigations. The callback always redirects: to `/console` when signed in, to
`/console#signin_totp` when the account has TOTP and the provider did not say it did MFA (the page then
posts the code to `second-factor`; app/auth/oidc_binding.py), or to `/console#signin_error=<code>`
(`oidc_state`, `oidc_provider`, `oidc_token`, `oidc_acr`, `oidc_no_account`, `rate_limited`); the
fragment never reaches a server log. Accounts are bound to the provider's `iss` + `sub`.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from app.auth import login, oidc, service
from app.auth.deps import RuntimeDep, SessionDep
from app.auth.errors import AccountLocked, OidcDisabled, OidcSecondFactorExpired, TotpInvalid
from app.auth.login import SourceGuard
from app.auth.oidc import STATE_COOKIE, STATE_PATH, FlowState, OidcError
from app.auth.oidc_binding import PENDING_COOKIE, PENDING_TTL_S, account_for, did_mfa, open_pending, seal_pending
from app.auth.responses import cookie_secure, session_response, set_session_cookie, signed_in_public
from app.auth.schemas import SignedInPublic
from app.core.config import Settings
from app.core.errors import OriginNotAllowed, RateLimited, error_response, errors
from app.core.security import origin_allowed
from app.models import Counselor
from app.privacy.audit import record

router = APIRouter(prefix="/api/console/oidc", tags=["auth"])
Param = Annotated[str | None, Query(max_length=2048)]


def _require_enabled(settings: Settings) -> None:
    if not oidc.enabled(settings):
        raise OidcDisabled()


@router.get("/start", response_class=RedirectResponse, status_code=303, responses=errors(OidcDisabled))
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


@router.get("/callback", response_class=RedirectResponse, status_code=303, responses=errors(OidcDisabled))
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
        counselor = await account_for(session, claims, settings)
        if counselor is None or not counselor.is_active:
            raise OidcError("oidc_no_account", "there is no active staff account for you here")
    except OidcError as exc:
        actor = counselor.id if counselor is not None else None
        await record(session, "login_failed", actor_id=actor, detail=f"oidc: {exc.detail}"[:256], success=False)
        await source.failed()
        return _failed(exc.code)
    acr = claims.get("acr")
    detail = f"oidc{f' acr={acr}' if acr else ''}"
    assert counselor.id is not None
    if counselor.totp_enabled and not did_mfa(claims, settings):
        await record(session, "login_pending", actor_id=counselor.id, detail=f"{detail}; TOTP to follow"[:256])
        response = RedirectResponse("/console#signin_totp", status_code=303)
        response.delete_cookie(STATE_COOKIE, path=STATE_PATH)
        response.set_cookie(
            PENDING_COOKIE,
            seal_pending(counselor.id, settings),
            max_age=PENDING_TTL_S,
            path=STATE_PATH,
            httponly=True,
            samesite="strict",  # the page posts the code from this origin
            secure=cookie_secure(request, settings),
        )
        return response
    await record(session, "login", actor_id=counselor.id, detail=detail[:256])
    raw, _auth = await service.start_session(session, counselor, settings)
    response = RedirectResponse("/console", status_code=303)
    set_session_cookie(response, raw, request, settings)
    response.delete_cookie(STATE_COOKIE, path=STATE_PATH)
    return response


class SecondFactorBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    totp: str | None = Field(default=None, max_length=16)
    recovery_code: str | None = Field(default=None, max_length=32)


@router.post(
    "/second-factor",
    response_model=SignedInPublic,
    responses=errors(OidcDisabled, OriginNotAllowed, OidcSecondFactorExpired, TotpInvalid, AccountLocked, RateLimited),
)
async def second_factor(body: SecondFactorBody, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    """After the provider, an account with TOTP enters its code: 200 `{counselor, csrf_token, ...}` and the
    session cookie; 401 `oidc_second_factor_expired` (start again), `totp_invalid`; 429 as at sign-in."""
    settings = runtime.settings
    _require_enabled(settings)
    if not origin_allowed(request, settings, required=True):
        raise OriginNotAllowed()
    counselor_id = open_pending(request.cookies.get(PENDING_COOKIE), settings)
    counselor = await session.get(Counselor, counselor_id) if counselor_id is not None else None
    if counselor is None or not counselor.is_active or not counselor.totp_enabled:
        raise OidcSecondFactorExpired()
    guard = login.Guard.of(request, counselor.username)
    refused = await login.guarded(guard)
    if refused is not None:
        return error_response(refused)
    ok, left = await login.second_factor(session, settings, counselor, body.totp, body.recovery_code)
    if not ok:
        await guard.failed()
        await record(session, "login_failed", actor_id=counselor.id, detail="oidc; wrong second factor", success=False)
        return error_response(TotpInvalid())
    await guard.succeeded()
    await record(
        session, "login", actor_id=counselor.id, detail="oidc and TOTP" if left is None else "oidc and recovery code"
    )
    raw, auth = await service.start_session(session, counselor, settings)
    response = session_response(signed_in_public(counselor, auth, settings, left), raw, request, settings)
    response.delete_cookie(PENDING_COOKIE, path=STATE_PATH)
    return response


def _failed(code: str) -> Response:
    response = RedirectResponse(f"/console#signin_error={code}", status_code=303)
    response.delete_cookie(STATE_COOKIE, path=STATE_PATH)
    return response
