"""One line of a conversation, numbered by `seq` within it."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow

MAX_BODY_CHARS = 4000  # one message's text, here and in the sockets' frames


class Author(StrEnum):
    visitor = "visitor"
    counselor = "counselor"
    system = "system"


class Message(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq"),
        UniqueConstraint("conversation_id", "client_id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite"))
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id", ondelete="CASCADE")
    seq: int
    author: str = Field(max_length=16)
    counselor_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    alias: str | None = Field(default=None, max_length=64)
    body: str = Field(max_length=MAX_BODY_CHARS)
    client_id: str | None = Field(default=None, max_length=64)
    card: dict[str, Any] | None = Field(default=None, sa_type=JSON, description="a resource sent as a card")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
