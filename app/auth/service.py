"""Staff sign-in: verify the password, make an opaque session, resolve it on each request."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import AppError
from app.core.security import hash_password, new_token, token_hash, verify_password
from app.models import AuthSession, Counselor, Role, utcnow

TOUCH_EVERY = timedelta(seconds=60)


async def authenticate(session: AsyncSession, username: str, password: str) -> Counselor:
    result = await session.exec(select(Counselor).where(Counselor.username == username))
    counselor = result.first()
    usable = counselor is not None and counselor.is_active
    ok = await verify_password(password, counselor.password_hash if usable and counselor else None)
    if not ok or counselor is None:
        raise AppError("wrong username or password", 401, "invalid_credentials")
    return counselor


async def start_session(session: AsyncSession, counselor: Counselor, settings: Settings) -> tuple[str, AuthSession]:
    raw = new_token()
    now = utcnow()
    assert counselor.id is not None
    auth = AuthSession(
        token_hash=token_hash(raw),
        counselor_id=counselor.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_absolute_hours),
    )
    session.add(auth)
    await session.flush()
    return raw, auth


async def resolve_session(
    session: AsyncSession, raw: str | None, settings: Settings
) -> tuple[AuthSession, Counselor] | None:
    """The live session and its active counselor, or None (expired sessions are deleted)."""
    if not raw or len(raw) > 128:
        return None
    result = await session.exec(
        select(AuthSession, Counselor).join(Counselor).where(AuthSession.token_hash == token_hash(raw))
    )
    row = result.first()
    if row is None:
        return None
    auth, counselor = row
    now = utcnow()
    idle_limit = auth.last_seen_at + timedelta(minutes=settings.session_idle_minutes)
    if now >= auth.expires_at or now >= idle_limit or not counselor.is_active:
        await session.delete(auth)
        return None
    if now - auth.last_seen_at >= TOUCH_EVERY:
        auth.last_seen_at = now
        session.add(auth)
    return auth, counselor


async def end_session(session: AsyncSession, auth: AuthSession) -> None:
    await session.delete(auth)


async def revoke_all(session: AsyncSession, counselor_id: int) -> None:
    await session.exec(delete(AuthSession).where(AuthSession.counselor_id == counselor_id))  # type: ignore[arg-type]


async def create_user(
    session: AsyncSession, username: str, password: str, role: Role, alias: str, display_name: str
) -> Counselor:
    existing = await session.exec(select(Counselor).where(Counselor.username == username))
    if existing.first() is not None:
        raise AppError(f"user {username!r} exists already", 409, "user_exists")
    if len(password) < 10:
        raise AppError("a password has at least 10 characters", 422, "weak_password")
    counselor = Counselor(
        username=username,
        display_name=display_name,
        alias=alias,
        password_hash=hash_password(password),
        role=role,
    )
    session.add(counselor)
    await session.flush()
    return counselor


def public_counselor(counselor: Counselor) -> dict[str, object]:
    return {
        "id": counselor.id,
        "username": counselor.username,
        "display_name": counselor.display_name,
        "alias": counselor.alias,
        "role": counselor.role,
        "presence": counselor.presence,
        "capacity": counselor.capacity,
    }
