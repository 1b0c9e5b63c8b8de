"""The outreach register: online spaces, what was seen there over time, contacts made, message templates.

Nothing here names or describes a person in an ad: no phone numbers, handles or photos, only counts,
admin-managed indicator tags and bounded notes about the space.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class SpaceCategory(SQLModel, table=True):
    """Kind of online space (escort ads, sugar dating, ...): an admin-managed list."""

    __tablename__ = "space_category"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    active: bool = True


class Indicator(SQLModel, table=True):
    """A warning sign seen in ads (obscured phone numbers, ...): an admin-managed list."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    active: bool = True


class Space(SQLModel, table=True):
    """A site or a section of one where outreach workers look and post."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128)
    category_id: int = Field(foreign_key="space_category.id", index=True)
    address: str = Field(max_length=500)
    age_gate: bool = False
    notes: str = Field(default="", max_length=2000)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Observation(SQLModel, table=True):
    """One check of a space on a day: counts of ads and the signs that need attention."""

    __table_args__ = (UniqueConstraint("space_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="space.id", index=True, ondelete="CASCADE")
    day: date = Field(index=True)
    ads_seen: int
    ads_new: int | None = None
    ads_removed: int | None = None
    note: str = Field(default="", max_length=1000)
    observer_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ObservationIndicator(SQLModel, table=True):
    __tablename__ = "observation_indicator"

    observation_id: int = Field(foreign_key="observation.id", primary_key=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, ondelete="CASCADE")


class MessageTemplate(SQLModel, table=True):
    """A short text workers post with a link; `{link}` in the body marks where the link goes."""

    __tablename__ = "message_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    language: str = Field(max_length=8)
    body: str = Field(max_length=500)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutreachContact(SQLModel, table=True):
    """A contact a worker made outside the chat (a message, comment or post): no names, numbers or handles."""

    __tablename__ = "outreach_contact"

    id: int | None = Field(default=None, primary_key=True)
    space_id: int = Field(foreign_key="space.id", index=True, ondelete="CASCADE")
    day: date
    channel: str = Field(max_length=16)
    template_id: int | None = Field(default=None, foreign_key="message_template.id", ondelete="SET NULL")
    answered: bool = False
    worker_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
