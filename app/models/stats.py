"""Anonymous aggregates: link opens per day, one row per ended conversation, counselors' duty intervals.

None of these refers to a conversation, a message or a visitor: they outlive the transcript and the
conversation row, and nothing in them points back to either.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime


class LinkOpen(SQLModel, table=True):
    """How many times a link was opened on a UTC day; nothing else about the request is kept."""

    __tablename__ = "link_open"

    link_id: int = Field(foreign_key="link.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    count: int = 0


class ConversationStat(SQLModel, table=True):
    """An ended conversation reduced to what the statistics need (no conversation id, no times of day)."""

    __tablename__ = "conversation_stat"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True, description="the service's date (LYKTA_TIMEZONE) the conversation started")
    link_id: int | None = Field(default=None, foreign_key="link.id", index=True, ondelete="SET NULL")
    space_id: int | None = Field(default=None, foreign_key="space.id", index=True, ondelete="SET NULL")
    language: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=16)
    topic: str | None = Field(default=None, max_length=32)
    outcome: str = Field(max_length=16, description="answered | abandoned | blocked")
    wait_s: int | None = Field(default=None, description="queued to claimed; None when never claimed")
    duration_s: int | None = Field(default=None, description="claimed to closed; None when never claimed")
    feedback_helped: str | None = Field(default=None, max_length=16, description="yes | partly | no")
    feedback_again: str | None = Field(default=None, max_length=16, description="yes | maybe | no")
    feedback_found: str | None = Field(default=None, max_length=16, description="how the visitor found the service")
    feedback_key: str | None = Field(
        default=None, max_length=64, unique=True, description="hash only the visitor's token opens; cleared once used"
    )


class ConversationStatTag(SQLModel, table=True):
    """The wrap-up tags of an ended conversation, kept with its aggregate row."""

    __tablename__ = "conversation_stat_tag"

    stat_id: int = Field(foreign_key="conversation_stat.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class DutyInterval(SQLModel, table=True):
    """A stretch of time a counselor was available (ended_at None: still available)."""

    __tablename__ = "duty_interval"

    id: int | None = Field(default=None, primary_key=True)
    counselor_id: int = Field(foreign_key="counselor.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
