"""The audit log and staff sign-in security: who did what, when, to which conversation; never message text."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="counselor.id", index=True, ondelete="SET NULL")
    action: str = Field(max_length=32, index=True)
    conversation_id: uuid.UUID | None = Field(default=None, index=True, description="no FK: outlives deletion")
    target: str | None = Field(default=None, max_length=64, description="e.g. the user an admin changed")
    detail: str = Field(default="", max_length=256, description="never message text, never an address")
    success: bool = True


class RecoveryCode(SQLModel, table=True):
    """One-time codes for when the TOTP device is lost; only their hashes are kept."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    counselor_id: int = Field(foreign_key="counselor.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
