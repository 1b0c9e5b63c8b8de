"""What sign-in routes answer: the session cookie, the signed-in body, errors that still commit."""

from __future__ import annotations

from fastapi.responses import JSONResponse, Response
from starlette.requests import HTTPConnection

from app.auth.deps import SESSION_COOKIE
from app.auth.schemas import SessionPublic, SignedInPublic
from app.auth.service import public_counselor
from app.auth.totp import enrolment_pending
from app.core.config import Settings
from app.models import AuthSession, Counselor


def cookie_secure(conn: HTTPConnection, settings: Settings) -> bool:
    """Secure in production, and whenever the request came over TLS (directly or via a trusted proxy)."""
    return settings.cookie_secure or conn.url.scheme == "https"


def set_session_cookie(response: Response, raw: str, conn: HTTPConnection, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(conn, settings),
        path="/",
        max_age=settings.session_absolute_hours * 3600,
    )


def session_public(counselor: Counselor, auth: AuthSession, settings: Settings) -> SessionPublic:
    """`{counselor, csrf_token, totp_enrolment_required}`: the page asks for enrolment when the last is true."""
    return SessionPublic(
        counselor=public_counselor(counselor),
        csrf_token=auth.csrf_token,
        totp_enrolment_required=enrolment_pending(counselor, settings),
    )


def signed_in_public(
    counselor: Counselor, auth: AuthSession, settings: Settings, recovery_codes_left: int | None = None
) -> SignedInPublic:
    """The session's body; `recovery_codes_left` is set (and so sent) only when a recovery code was used."""
    body = SignedInPublic(
        counselor=public_counselor(counselor),
        csrf_token=auth.csrf_token,
        totp_enrolment_required=enrolment_pending(counselor, settings),
    )
    if recovery_codes_left is not None:
        body.recovery_codes_left = recovery_codes_left
    return body


def session_response(body: SessionPublic, raw: str, conn: HTTPConnection, settings: Settings) -> JSONResponse:
    """The answer that starts a session: the body (fields never set stay out) and the session cookie."""
    response = JSONResponse(body.model_dump(mode="json", exclude_unset=True))
    set_session_cookie(response, raw, conn, settings)
    return response
