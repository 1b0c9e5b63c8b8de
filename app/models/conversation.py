"""An anonymous conversation; the visitor is known only by the hash of a random token."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow

AgeBand = Literal["under_15", "15_17", "18_24", "25_plus"]  # what a visitor may tell of their age (optional, coarse)
Topic = Literal["sex_for_compensation", "exploitation", "violence", "relationships", "health", "other"]


class ConversationState(StrEnum):
    waiting = "waiting"
    active = "active"
    closed = "closed"
    abandoned = "abandoned"


class Conversation(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    state: str = Field(default=ConversationState.waiting, max_length=16, index=True)
    visitor_token_hash: str = Field(max_length=64, unique=True)
    follow_up_hash: str | None = Field(default=None, max_length=64, unique=True)
    link_id: int | None = Field(default=None, foreign_key="link.id", index=True, ondelete="SET NULL")
    language: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=16)
    topic: str | None = Field(default=None, max_length=32)
    urgent: bool = False
    priority: int = Field(default=0, description="1: back in the queue through no fault of the visitor")
    counselor_id: int | None = Field(default=None, foreign_key="counselor.id", index=True, ondelete="SET NULL")
    last_seq: int = 0
    visitor_read_seq: int = 0
    staff_read_seq: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_answer_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    last_activity_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    visitor_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    accept_by: datetime | None = Field(
        default=None,
        sa_type=UTCDateTime,
        description="unaccepted assignment returns then",
    )
    transfer_from_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    previous_counselor_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    blocked: bool = False
    feedback_key: str | None = Field(
        default=None, max_length=64, description="moved to the statistics row at the end (app/feedback)"
    )
