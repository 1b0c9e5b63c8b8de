"""Staff sessions: make an opaque session, resolve it on each request, revoke; accounts and passwords."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.errors import UserExists, WeakPassword
from app.auth.schemas import CounselorPublic
from app.auth.totp import enrolment_pending
from app.core.config import Settings
from app.core.db import queue_event
from app.core.security import hash_password, new_token, token_hash
from app.models import AuthSession, Counselor, Role, utcnow
from app.realtime.hub import counselor_channel
from app.realtime.signals import signed_out_signal

TOUCH_EVERY = timedelta(seconds=60)
MIN_PASSWORD = 10


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
    session: AsyncSession, raw: str | None, settings: Settings, *, allow_enrolment: bool = False
) -> tuple[AuthSession, Counselor] | None:
    """The live session and its active counselor, or None (expired sessions are deleted).

    A session of an account that still has to enrol TOTP (when TOTP is mandatory) counts only where
    allow_enrolment says so: the enrolment routes, `me` and logout; everything else treats it as none.
    """
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
    if not allow_enrolment and enrolment_pending(counselor, settings):
        return None
    return auth, counselor


async def end_session(session: AsyncSession, auth: AuthSession) -> None:
    await session.delete(auth)


async def revoke_all(session: AsyncSession, counselor_id: int) -> None:
    await session.exec(delete(AuthSession).where(AuthSession.counselor_id == counselor_id))  # type: ignore[arg-type]


async def sign_out_everywhere(session: AsyncSession, counselor_id: int) -> None:
    """After a change of rights (role, disable, password or TOTP reset): every session of the account ends
    in this transaction and, once it commits, its open console sockets are told to close."""
    await revoke_all(session, counselor_id)
    queue_event(session, counselor_channel(counselor_id), signed_out_signal())  # its consoles close


async def create_user(
    session: AsyncSession, username: str, password: str, role: Role, alias: str, display_name: str
) -> Counselor:
    existing = await session.exec(select(Counselor).where(Counselor.username == username))
    if existing.first() is not None:
        raise UserExists(f"user {username!r} exists already")
    check_password_strength(password)
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


async def change_password(session: AsyncSession, counselor: Counselor, new_password: str) -> None:
    """Set a new password and sign the account out everywhere (the caller starts a fresh session)."""
    check_password_strength(new_password)
    counselor.password_hash = hash_password(new_password)
    counselor.password_changed_at = utcnow()
    session.add(counselor)
    await session.flush()
    assert counselor.id is not None
    await revoke_all(session, counselor.id)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"a password has at least {MIN_PASSWORD} characters")


def public_counselor(counselor: Counselor) -> CounselorPublic:
    return CounselorPublic.model_validate(counselor)
