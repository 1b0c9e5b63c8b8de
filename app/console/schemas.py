"""The console API's shapes: request bodies, and the answers about presence, the queue and conversations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.schemas import Public
from app.models import AgeBand, Author, ConversationState, Presence, Role, Topic

# -- request bodies ----------------------------------------------------------------------------


class PresenceBody(BaseModel):
    status: Presence


class TransferBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: int | None = Field(default=None, description="a colleague's id; none: back to the queue")
    note: str | None = Field(default=None, max_length=2000)


class UrgentBody(BaseModel):
    urgent: bool = True


class BlockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hours: int | None = Field(default=None, ge=1, le=24 * 7)


class WrapUp(BaseModel):
    """Given when closing: tags from the admin list, and corrections of what the visitor said (or not)."""

    model_config = ConfigDict(extra="forbid")

    tags: list[int] = Field(default_factory=list, max_length=20)
    age_band: AgeBand | None = None
    topic: Topic | None = None


# -- answers -----------------------------------------------------------------------------------


class PresencePublic(Public):
    status: Presence


class QueueEntryPublic(Public):
    """A waiting conversation, in queue order (urgent first, then those returned to the queue, then by time)."""

    conversation_id: uuid.UUID
    position: int = Field(description="1 is next")
    waiting_since: datetime
    wait_s: int
    language: str | None
    age_band: AgeBand | None
    topic: Topic | None
    link_label: str | None
    urgent: bool
    returning: bool = Field(description="back in the queue through no fault of the visitor")
    last_seq: int
    preview: str | None = Field(description="the first line the visitor wrote, shortened")


class QueuePublic(Public):
    items: list[QueueEntryPublic]
    available: int = Field(description="counselors available now")


class ConversationPublic(Public):
    """What staff see of a conversation (never anything that identifies the visitor)."""

    conversation_id: uuid.UUID
    state: ConversationState
    counselor_id: int | None
    counselor_alias: str | None
    language: str | None
    age_band: AgeBand | None
    topic: Topic | None
    link_label: str | None
    urgent: bool
    created_at: datetime
    queued_at: datetime
    claimed_at: datetime | None
    closed_at: datetime | None
    last_seq: int
    visitor_read_seq: int
    accept_by: datetime | None = Field(description="an assignment or transfer must be accepted by then")
    transfer_from_id: int | None = Field(description="who offered it, while a transfer waits to be accepted")


class ConversationListPublic(Public):
    items: list[ConversationPublic]


class CardPublic(Public):
    """A resource sent as a card (the message's body says the same as text)."""

    resource_id: int
    name: str
    offer: str
    phone: str | None
    url: str | None
    hours: str


class MessagePublic(Public):
    """A stored message, as the sockets send it."""

    type: Literal["message"]
    conversation_id: uuid.UUID
    seq: int
    author: Author
    alias: str | None
    body: str
    client_id: str | None
    at: datetime
    card: CardPublic | None


class MessageListPublic(Public):
    items: list[MessagePublic]


class SupervisedChatPublic(ConversationPublic):
    last_activity_at: datetime


class StaffOnDutyPublic(Public):
    id: int
    alias: str
    display_name: str
    role: Role
    presence: Presence
    capacity: int
    active: int = Field(description="how many chats this staff member holds")


class SupervisionPublic(Public):
    """Every waiting and active chat, and who is on (or offline but still holding chats)."""

    waiting: list[QueueEntryPublic]
    active: list[SupervisedChatPublic]
    counselors: list[StaffOnDutyPublic]


class ColleaguePublic(Public):
    id: int
    alias: str
    display_name: str


class ColleagueListPublic(Public):
    items: list[ColleaguePublic]
