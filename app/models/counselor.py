"""Staff accounts: counselors, supervisors and admins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Role(StrEnum):
    counselor = "counselor"
    supervisor = "supervisor"
    admin = "admin"


class Presence(StrEnum):
    available = "available"
    away = "away"
    offline = "offline"


class Counselor(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=128)
    alias: str = Field(max_length=64, description="the only name a visitor ever sees")
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.counselor, max_length=16)
    is_active: bool = True
    capacity: int = 3
    presence: str = Field(default=Presence.offline, max_length=16)
    presence_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime, description="console heartbeat")
    last_assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    totp_secret: str | None = Field(
        default=None, max_length=255, description="encrypted (app/auth/secret_box.py); set once enrolling"
    )
    totp_enabled: bool = False
    oidc_issuer: str | None = Field(default=None, max_length=255, description="the provider this account is bound to")
    oidc_subject: str | None = Field(default=None, max_length=255, description="its `sub` for this account")
    password_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
