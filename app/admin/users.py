"""Admins manage staff accounts: create, disable, reset a password, set role, alias and capacity."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.admin.schemas import AdminUserPublic
from app.auth.deps import Staff
from app.auth.service import create_user, public_counselor, sign_out_everywhere
from app.core.errors import AppError, NotFound
from app.core.security import hash_password
from app.models import Counselor, Role
from app.privacy.audit import record

Name = Field(min_length=1, max_length=64)


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=256)
    role: Role = Role.counselor
    alias: str = Name
    display_name: str | None = Field(default=None, max_length=128)
    capacity: int = Field(default=3, ge=1, le=20)


class UserChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    alias: str | None = Field(default=None, min_length=1, max_length=64)
    display_name: str | None = Field(default=None, min_length=1, max_length=128)
    capacity: int | None = Field(default=None, ge=1, le=20)
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)


class SelfLockout(AppError):
    status_code = 409
    code = "self_lockout"
    detail = "you cannot disable or demote yourself"


def admin_view(counselor: Counselor) -> AdminUserPublic:
    return AdminUserPublic(
        **public_counselor(counselor).model_dump(),
        is_active=counselor.is_active,
        oidc_bound=counselor.oidc_subject is not None,
    )


async def list_users(session: AsyncSession) -> list[AdminUserPublic]:
    result = await session.exec(select(Counselor).order_by(col(Counselor.username)))
    return [admin_view(c) for c in result.all()]


async def add_user(session: AsyncSession, body: NewUser) -> AdminUserPublic:
    counselor = await create_user(
        session, body.username, body.password, body.role, body.alias, body.display_name or body.username
    )
    counselor.capacity = body.capacity
    session.add(counselor)
    await session.flush()
    return admin_view(counselor)


async def change_user(session: AsyncSession, user_id: int, changes: UserChanges, admin: Staff) -> AdminUserPublic:
    counselor = await session.get(Counselor, user_id)
    if counselor is None:
        raise NotFound("user")
    if user_id == admin.id and (changes.is_active is False or (changes.role and changes.role != Role.admin)):
        raise SelfLockout()
    changed: list[str] = []
    for name in ("role", "alias", "display_name", "capacity", "is_active"):
        value = getattr(changes, name)
        if value is not None:
            if value != getattr(counselor, name):
                # names are listed, not their values; a role, capacity or activation with its new value
                changed.append(name if name in ("alias", "display_name") else f"{name}={value}")
            setattr(counselor, name, value)
    if changes.password is not None:
        counselor.password_hash = hash_password(changes.password)
        changed.append("password")  # that it was set, never what to
    session.add(counselor)
    await session.flush()
    await record(session, "user_change", actor_id=admin.id, target=str(user_id), detail=", ".join(changed) or "none")
    rights_changed = any(c.startswith(("role=", "is_active=")) for c in changed)
    if changes.password is not None or rights_changed:
        await sign_out_everywhere(session, user_id)  # the new rights hold from the next request and socket
    return admin_view(counselor)
