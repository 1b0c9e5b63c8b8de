"""Sign in (password, then a TOTP or recovery code), sign out, who am I, change my password.

Failed attempts are answered with a returned error response rather than a raised one, so the request's
transaction still commits the failure counter and the audit entry.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.auth import login as attempts
from app.auth import oidc_admin_routes, oidc_routes, service, totp_routes
from app.auth.deps import SESSION_COOKIE, CurrentStaff, RuntimeDep, SessionDep, SignedIn
from app.auth.errors import (
    AccountLocked,
    InvalidCredentials,
    PasswordLoginDisabled,
    TotpInvalid,
    TotpRequired,
    WeakPassword,
    WrongPassword,
)
from app.auth.oidc import enabled as oidc_enabled
from app.auth.responses import session_public, session_response, signed_in_public
from app.auth.schemas import SessionPublic, SignedInPublic, SignInOptionsPublic
from app.auth.totp import totp_mandatory
from app.core.errors import OriginNotAllowed, RateLimited, error_response, errors
from app.core.security import origin_allowed, verify_password
from app.models import Counselor
from app.privacy.audit import record

router = APIRouter()  # what app/routers.py mounts: the routes below, TOTP and OpenID Connect
console = APIRouter(prefix="/api/console", tags=["auth"])
SIGN_IN_REFUSALS = (OriginNotAllowed, PasswordLoginDisabled)


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    totp: str | None = Field(default=None, max_length=16, description="the 6 digits from the authenticator")
    recovery_code: str | None = Field(default=None, max_length=32, description="instead of totp; works once")


class PasswordBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current: str = Field(min_length=1, max_length=256)
    new: str = Field(min_length=1, max_length=256)


@console.post(
    "/login",
    response_model=SignedInPublic,
    responses=errors(InvalidCredentials, TotpRequired, TotpInvalid, AccountLocked, RateLimited, *SIGN_IN_REFUSALS),
)
async def login(body: LoginBody, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    """200 `{counselor, csrf_token, totp_enrolment_required}`; 401 `invalid_credentials`, `totp_required`
    (password right, code missing), `totp_invalid`; 429 `account_locked` (this source, for this name) or
    `rate_limited` (this source's failures), with Retry-After; 403 `password_login_disabled` when staff
    sign in only through OpenID Connect. Only failures count (app/auth/login.py)."""
    settings = runtime.settings
    if not origin_allowed(request, settings, required=True):
        raise OriginNotAllowed()
    if not settings.password_login:
        raise PasswordLoginDisabled()
    guard = attempts.Guard.of(request, body.username)
    refused = await attempts.guarded(guard)  # may wait a little first; no database connection is held
    if refused is not None:
        await attempts.refused(session, body.username, refused)
        return error_response(refused)
    outcome = await attempts.attempt(
        session, settings, guard, body.username, body.password, body.totp, body.recovery_code
    )
    if outcome.error is not None or outcome.counselor is None:
        return error_response(outcome.error or InvalidCredentials())
    raw, auth = await service.start_session(session, outcome.counselor, settings)
    signed_in = signed_in_public(outcome.counselor, auth, settings, outcome.recovery_codes_left)
    return session_response(signed_in, raw, request, settings)


@console.post("/logout", status_code=204)
async def logout(staff: SignedIn, response: Response, session: SessionDep) -> None:
    await service.end_session(session, staff.auth)
    await record(session, "logout", actor_id=staff.id)
    response.delete_cookie(SESSION_COOKIE, path="/")


@console.get("/me")
async def me(staff: SignedIn, runtime: RuntimeDep) -> SessionPublic:
    """Also for a session that may only enrol TOTP: then `totp_enrolment_required` is true."""
    return session_public(staff.counselor, staff.auth, runtime.settings)


@console.post(
    "/password", response_model=SessionPublic, responses=errors(WrongPassword, WeakPassword, AccountLocked, RateLimited)
)
async def change_password(
    body: PasswordBody, staff: CurrentStaff, request: Request, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """Every session of the account ends; this browser gets a new one (and a new CSRF token).
    403 `wrong_password` (counts as a failed sign-in from this source), 422 `weak_password`,
    429 `account_locked` | `rate_limited`."""
    settings = runtime.settings
    counselor = await session.get_one(Counselor, staff.id)
    guard = attempts.Guard.of(request, counselor.username)
    refused, _delay = await guard.check()
    if refused is not None:
        return error_response(refused)
    if not await verify_password(body.current, counselor.password_hash):
        return error_response(await attempts.failed_password_check(session, guard, counselor))
    await service.change_password(session, counselor, body.new)
    await record(session, "password_changed", actor_id=staff.id, target=str(staff.id))
    raw, auth = await service.start_session(session, counselor, settings)
    return session_response(session_public(counselor, auth, settings), raw, request, settings)


@console.get("/sign-in-options")
async def sign_in_options(runtime: RuntimeDep) -> SignInOptionsPublic:
    """What the sign-in page offers: the password form, OpenID Connect (a button to
    /api/console/oidc/start), and whether TOTP is mandatory."""
    settings = runtime.settings
    return SignInOptionsPublic(
        password=settings.password_login, oidc=oidc_enabled(settings), totp_required=totp_mandatory(settings)
    )


router.include_router(console)
router.include_router(totp_routes.router)
router.include_router(totp_routes.admin)
router.include_router(oidc_routes.router)
router.include_router(oidc_admin_routes.admin)
