"""Typed frames of the two sockets that clients send, validated on the way in (what the server sends is
app/realtime/events.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.models.message import MAX_BODY_CHARS

ClientId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$")]
Seq = Annotated[int, Field(ge=0, le=2**31 - 1)]


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hello(_Frame):
    type: Literal["hello"]
    token: Annotated[str, Field(min_length=1, max_length=128)]
    last_seq: Seq = 0
    conversation_id: uuid.UUID | None = None


class Send(_Frame):
    type: Literal["send"]
    client_id: ClientId
    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)]


class Typing(_Frame):
    type: Literal["typing"]
    on: bool


class Read(_Frame):
    type: Literal["read"]
    seq: Seq


class End(_Frame):
    type: Literal["end"]


class Ping(_Frame):
    type: Literal["ping"]


VisitorFrame = Annotated[Hello | Send | Typing | Read | End | Ping, Field(discriminator="type")]
visitor_frames: TypeAdapter[VisitorFrame] = TypeAdapter(VisitorFrame)


class ConsoleHello(_Frame):
    type: Literal["hello"]
    last_seq: dict[uuid.UUID, Seq] = Field(default_factory=dict, max_length=200)


class ConsoleSend(_Frame):
    type: Literal["send"]
    conversation_id: uuid.UUID
    client_id: ClientId
    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)]


class ConsoleTyping(_Frame):
    type: Literal["typing"]
    conversation_id: uuid.UUID
    on: bool


class ConsoleRead(_Frame):
    type: Literal["read"]
    conversation_id: uuid.UUID
    seq: Seq


class ConsoleMonitor(_Frame):
    """A supervisor follows (on) or stops following (off) a conversation read-only."""

    type: Literal["monitor"]
    conversation_id: uuid.UUID
    on: bool = True


ConsoleFrame = Annotated[
    ConsoleHello | ConsoleSend | ConsoleTyping | ConsoleRead | ConsoleMonitor | Ping, Field(discriminator="type")
]
console_frames: TypeAdapter[ConsoleFrame] = TypeAdapter(ConsoleFrame)
