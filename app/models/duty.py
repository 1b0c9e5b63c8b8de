"""Tables of duty and routing: notes, canned replies, wrap-up tags, opening hours, service settings."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class NoteKind(StrEnum):
    note = "note"  # internal, every staff member who can see the conversation
    whisper = "whisper"  # from a supervisor to the counselor holding it
    transfer = "transfer"  # the hand-over line written with a transfer


class Note(SQLModel, table=True):
    """Staff-only text on a conversation; the visitor never sees it. Deleted with the transcript."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: uuid.UUID = Field(foreign_key="conversation.id", index=True, ondelete="CASCADE")
    counselor_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    kind: str = Field(default=NoteKind.note, max_length=16)
    body: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CannedReply(SQLModel, table=True):
    __tablename__ = "canned_reply"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int | None = Field(
        default=None, foreign_key="counselor.id", index=True, ondelete="CASCADE", description="None: shared"
    )
    keyword: str = Field(max_length=32)
    language: str = Field(max_length=8)
    body: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Tag(SQLModel, table=True):
    """A wrap-up tag from the admin-managed list; counts feed the statistics, not a case file."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    active: bool = True


class ConversationTag(SQLModel, table=True):
    __tablename__ = "conversation_tag"

    conversation_id: uuid.UUID = Field(foreign_key="conversation.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class OpeningHours(SQLModel, table=True):
    """A weekly opening (0 = Monday), in the configured time zone; closes before opens spans midnight."""

    __tablename__ = "opening_hours"

    id: int | None = Field(default=None, primary_key=True)
    weekday: int = Field(ge=0, le=6)
    opens: time
    closes: time


class OpeningException(SQLModel, table=True):
    """A day that differs from the week: closed (a holiday) or open at other hours (an extra evening)."""

    __tablename__ = "opening_exception"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    closed: bool = False
    opens: time | None = None
    closes: time | None = None
    note: str = Field(default="", max_length=128)


class ServiceSetting(SQLModel, table=True):
    """Settings an admin changes at run time (routing mode, time limits); JSON values."""

    __tablename__ = "service_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: object = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
