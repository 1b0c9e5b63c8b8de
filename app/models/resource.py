"""The directory of services a counselor refers visitors to, and referrals counted per resource and day.

A referral count says only that a card for this resource was sent on that UTC day: no conversation, no
counselor, no time of day.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class Resource(SQLModel, table=True):
    """A service to refer to (BRIS, 1177, ...): admin-managed, sent to a visitor as a card."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, unique=True)
    offer: str = Field(default="", max_length=500, description="what they offer")
    phone: str | None = Field(default=None, max_length=32)
    url: str | None = Field(default=None, max_length=300)
    hours: str = Field(default="", max_length=200, description="opening hours, as text")
    region: str = Field(default="", max_length=64)
    ages: str = Field(default="", max_length=32, description="age range, as text")
    languages: str = Field(default="", max_length=64)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ResourceReferral(SQLModel, table=True):
    """How many cards for a resource were sent on a day of the service's time zone."""

    __tablename__ = "resource_referral"

    resource_id: int = Field(foreign_key="resource.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    count: int = 0
