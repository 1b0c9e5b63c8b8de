"""What sign-in routes answer: the session cookie, the signed-in body, errors that still commit."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from starlette.requests import HTTPConnection

from app.auth.deps import SESSION_COOKIE
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


def signed_in_body(counselor: Counselor, auth: AuthSession, settings: Settings, **extra: Any) -> dict[str, Any]:
    """`{counselor, csrf_token, totp_enrolment_required}`: the page asks for enrolment when the last is true."""
    return {
        "counselor": public_counselor(counselor),
        "csrf_token": auth.csrf_token,
        "totp_enrolment_required": enrolment_pending(counselor, settings),
        **extra,
    }
