"""Sign in, sign out, and who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from app.auth import service
from app.auth.deps import SESSION_COOKIE, CurrentStaff, RuntimeDep, SessionDep
from app.core.errors import AppError
from app.core.security import origin_allowed

router = APIRouter(prefix="/api/console", tags=["auth"])


class LoginBody(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    totp: str | None = Field(default=None, max_length=16)


@router.post("/login")
async def login(
    body: LoginBody, request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    if not origin_allowed(request, runtime.settings, required=True):
        raise AppError("this origin may not use the console", 403, "origin_not_allowed")
    counselor = await service.authenticate(session, body.username, body.password)
    raw, auth = await service.start_session(session, counselor, runtime.settings)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="strict",
        secure=runtime.settings.cookie_secure,
        path="/",
        max_age=runtime.settings.session_absolute_hours * 3600,
    )
    return {"counselor": service.public_counselor(counselor), "csrf_token": auth.csrf_token}


@router.post("/logout", status_code=204)
async def logout(staff: CurrentStaff, response: Response, session: SessionDep) -> None:
    await service.end_session(session, staff.auth)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
async def me(staff: CurrentStaff) -> dict[str, Any]:
    return {"counselor": service.public_counselor(staff.counselor), "csrf_token": staff.auth.csrf_token}
