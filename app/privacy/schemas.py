"""What the privacy routes answer: a purge's counts and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import Public


class PurgedPublic(Public):
    """The transcript is gone (the answer comes once the database files no longer hold it)."""

    conversation_id: uuid.UUID
    purged: Literal[True]
    messages: int = Field(description="messages deleted")
    notes: int = Field(description="notes deleted")


class AuditEntryPublic(Public):
    id: int
    at: datetime
    actor_id: int | None
    actor: str | None = Field(description="the actor's display name; null for the system or a visitor")
    action: str
    conversation_id: uuid.UUID | None = Field(description="dropped once the conversation's retention ends")
    target: str | None
    detail: str
    success: bool


class AuditEntryListPublic(Public):
    """Newest first."""

    items: list[AuditEntryPublic]
