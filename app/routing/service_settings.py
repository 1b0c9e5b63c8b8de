"""Run-time settings an admin changes from the console, with typed defaults."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import ServiceSetting, utcnow
from app.routing.errors import InvalidSetting

StaffTitle = Literal["socialsekreterare", "kurator", "socialarbetare"]


class ServiceSettings(BaseModel):
    staff_title: StaffTitle = Field(
        default="socialsekreterare", description="what visitors and the console call the staff who answer"
    )
    routing_mode: Literal["manual", "auto"] = "manual"
    accept_timeout_s: int = Field(default=60, ge=1, le=3600, description="auto-assign or transfer must be taken")
    presence_grace_s: int = Field(default=60, ge=1, le=3600, description="console gone this long: offline")
    visitor_grace_s: int = Field(default=120, ge=1, le=86400, description="waiting visitor gone: abandoned")
    idle_close_minutes: int = Field(default=60, ge=1, le=24 * 60)
    block_hours: int = Field(default=24, ge=1, le=24 * 7)
    default_capacity: int = Field(default=3, ge=1, le=20)
    mailbox_enabled: bool = Field(default=True, description="visitors may write a letter when the chat is closed")
    mailbox_answer_weekdays: int = Field(default=2, ge=1, le=30, description="the answer the visitor is promised")
    mailbox_offer_wait_minutes: int = Field(
        default=0, ge=0, le=24 * 60, description="also offer the mailbox when the wait is longer (0: only when closed)"
    )


async def load(session: AsyncSession) -> ServiceSettings:
    rows = (await session.exec(select(ServiceSetting))).all()
    known = ServiceSettings.model_fields
    return ServiceSettings.model_validate({row.key: row.value for row in rows if row.key in known})


async def update(session: AsyncSession, changes: dict[str, Any]) -> ServiceSettings:
    """Validate the whole result first, then store only the keys that were given."""
    merged = (await load(session)).model_dump() | changes
    try:
        validated = ServiceSettings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidSetting(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
    for key in changes:
        row = await session.get(ServiceSetting, key)
        value = getattr(validated, key)
        if row is None:
            session.add(ServiceSetting(key=key, value=value))
        else:
            row.value, row.updated_at = value, utcnow()
            session.add(row)
    await session.flush()
    return validated
