"""Typed frames of the two sockets: what clients may send, and builders for what the server sends."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.core.metrics import ERRORS
from app.models.base import iso
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

Event = dict[str, Any]


def message_event(
    conversation_id: uuid.UUID,
    seq: int,
    author: str,
    alias: str | None,
    body: str,
    client_id: str | None,
    at: datetime,
    card: dict[str, Any] | None = None,
) -> Event:
    """A stored message; `card` is a resource sent as a card (its body reads the same as text)."""
    return {
        "type": "message",
        "conversation_id": str(conversation_id),
        "seq": seq,
        "author": author,
        "alias": alias,
        "body": body,
        "client_id": client_id,
        "at": iso(at),
        "card": card,
    }


def ack_event(conversation_id: uuid.UUID, client_id: str, seq: int, at: datetime) -> Event:
    """Stored as seq at `at`: the sending socket gets this instead of its own message."""
    return {"type": "ack", "conversation_id": str(conversation_id), "client_id": client_id, "seq": seq, "at": iso(at)}


def state_event(conversation_id: uuid.UUID, state: str, counselor_alias: str | None) -> Event:
    return {
        "type": "state",
        "conversation_id": str(conversation_id),
        "state": state,
        "counselor_alias": counselor_alias,
    }


def typing_event(conversation_id: uuid.UUID, author: str, on: bool) -> Event:
    return {"type": "typing", "conversation_id": str(conversation_id), "author": author, "on": on}


def read_event(conversation_id: uuid.UUID, author: str, seq: int) -> Event:
    return {"type": "read", "conversation_id": str(conversation_id), "author": author, "seq": seq}


def error_event(code: str, detail: str, **extra: Any) -> Event:
    ERRORS.labels(code, "ws").inc()
    return {"type": "error", "code": code, "detail": detail, **extra}
