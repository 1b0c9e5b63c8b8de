"""What a visitor may tell about themselves (optional, coarse, never identifying), and what the chat answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import Public
from app.models import AgeBand, Topic
from app.routing.service_settings import StaffTitle


class StartConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    link_code: str | None = Field(default=None, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    language: str | None = Field(default=None, max_length=8)
    age_band: AgeBand | None = None
    topic: Topic | None = None


class StartedPublic(Public):
    """A chat begun: the token is the visitor's only key to it; the code lets them come back to it later."""

    conversation_id: Annotated[str, Field(json_schema_extra={"format": "uuid"})]  # a str: the features pass it on
    token: str
    follow_up_code: str


class AlternativePublic(Public):
    """Somewhere else to turn (LYKTA_ALTERNATIVES): a name per language, and a phone number."""

    name: dict[str, str]
    phone: str


class VisitorStatusPublic(Public):
    open: bool = Field(description="the schedule says open and someone is available")
    scheduled_open: bool
    queue_length: int
    estimated_wait_s: int | None = Field(description="for one who starts now; null while closed")
    next_opening: datetime | None
    languages: list[str]
    exit_url: str = Field(description="where 'leave quickly' goes")
    alternatives: list[AlternativePublic]
    staff_title: StaffTitle
