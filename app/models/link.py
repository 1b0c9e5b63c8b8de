"""An outreach link (`/c/{code}`) that workers post in an online space."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Link(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    label: str = Field(max_length=128)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    space_id: int | None = Field(default=None, foreign_key="space.id", index=True, ondelete="SET NULL")
    template_id: int | None = Field(default=None, foreign_key="message_template.id", ondelete="SET NULL")
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
