"""The admin API: staff accounts and run-time service settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from app.admin import users
from app.admin.schemas import AdminUserListPublic, AdminUserPublic
from app.auth.deps import Admin, RuntimeDep, SessionDep
from app.auth.errors import UserExists, WeakPassword
from app.auth.login import unlock
from app.core.db import queue_event
from app.core.errors import NotFound, errors
from app.models import Counselor
from app.privacy.audit import record
from app.realtime.events import queue_changed_event
from app.realtime.hub import QUEUE_CHANNEL
from app.routing import service_settings
from app.routing.errors import InvalidSetting, UnknownSetting
from app.routing.schemas import ServiceSettingsPublic

router = APIRouter(prefix="/api/admin", tags=["admin"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/users")
async def list_users(_admin: Admin, session: SessionDep) -> AdminUserListPublic:
    return AdminUserListPublic(items=await users.list_users(session))


@router.post("/users", status_code=201, responses=errors(UserExists, WeakPassword))
async def add_user(body: users.NewUser, admin: Admin, session: SessionDep) -> AdminUserPublic:
    created = await users.add_user(session, body)
    detail = f"role={body.role.value}, capacity={body.capacity}"
    await record(session, "user_create", actor_id=admin.id, target=str(created.id), detail=detail)
    return created


@router.patch("/users/{user_id}", responses=errors(NotFound, users.SelfLockout))
async def change_user(user_id: int, body: users.UserChanges, admin: Admin, session: SessionDep) -> AdminUserPublic:
    return await users.change_user(session, user_id, body, admin)


@router.post("/users/{user_id}/unlock", responses=errors(NotFound))
async def unlock_user(user_id: UserId, admin: Admin, session: SessionDep, runtime: RuntimeDep) -> AdminUserPublic:
    """Forget every failed sign-in counted against this account, from every source (audited)."""
    counselor = await session.get(Counselor, user_id)
    if counselor is None:
        raise NotFound("user")
    await unlock(runtime.shared, runtime.settings, counselor.username)
    await record(session, "user_unlock", actor_id=admin.id, target=str(user_id))
    return users.admin_view(counselor)


@router.get("/settings")
async def get_settings(_admin: Admin, session: SessionDep) -> ServiceSettingsPublic:
    return ServiceSettingsPublic.model_validate(await service_settings.load(session))


@router.put("/settings", responses=errors(UnknownSetting, InvalidSetting))
async def put_settings(body: dict[str, Any], admin: Admin, session: SessionDep) -> ServiceSettingsPublic:
    unknown = set(body) - set(service_settings.ServiceSettings.model_fields)
    if unknown:
        raise UnknownSetting(f"unknown settings: {', '.join(sorted(unknown))}")
    updated = await service_settings.update(session, body)
    detail = ", ".join(f"{key}={getattr(updated, key)}" for key in sorted(body))
    await record(session, "settings_change", actor_id=admin.id, detail=detail)
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())
    return ServiceSettingsPublic.model_validate(updated)
