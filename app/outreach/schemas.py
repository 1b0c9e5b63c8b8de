"""Request and answer bodies of the outreach register, links, templates and contacts (bounded text only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.schemas import Public

MAX_ID = 2**31 - 1
MAX_ADS = 100_000

RowRef = Annotated[int, Field(ge=1, le=MAX_ID)]
ListName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
SpaceNotes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
ObservationNote = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
TemplateBody = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Language = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=8)]
AdCount = Annotated[int, Field(ge=0, le=MAX_ADS)]
Channel = Literal["message", "comment", "post", "other"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ListItemCreate(_Body):
    """A category or an indicator tag (admin lists)."""

    name: ListName


class ListItemUpdate(_Body):
    name: ListName | None = None
    active: bool | None = None


class SpaceCreate(_Body):
    name: Name
    category_id: RowRef
    address: Address
    age_gate: bool = False
    notes: SpaceNotes = ""


class SpaceUpdate(_Body):
    """Fields left out (or null) keep their value; `active: false` retires the space."""

    name: Name | None = None
    category_id: RowRef | None = None
    address: Address | None = None
    age_gate: bool | None = None
    notes: SpaceNotes | None = None
    active: bool | None = None


class ObservationCreate(_Body):
    day: date
    ads_seen: AdCount
    ads_new: AdCount | None = None
    ads_removed: AdCount | None = None
    note: ObservationNote = ""
    indicators: list[RowRef] = Field(default_factory=list, max_length=20)


class ObservationUpdate(_Body):
    ads_seen: AdCount | None = None
    ads_new: AdCount | None = None
    ads_removed: AdCount | None = None
    note: ObservationNote | None = None
    indicators: list[RowRef] | None = Field(default=None, max_length=20)


class TemplateCreate(_Body):
    name: ListName
    language: Language
    body: TemplateBody


class TemplateUpdate(_Body):
    name: ListName | None = None
    language: Language | None = None
    body: TemplateBody | None = None
    active: bool | None = None


class LinkCreate(_Body):
    space_id: RowRef
    template_id: RowRef | None = None
    label: Name | None = None


class ContactCreate(_Body):
    space_id: RowRef
    day: date
    channel: Channel
    template_id: RowRef | None = None
    answered: bool = False


class ContactUpdate(_Body):
    answered: bool


# -- answers ------------------------------------------------------------------------------------


class ListItemPublic(Public):
    """A space category or an indicator tag (retired ones stay, inactive)."""

    id: int
    name: str
    active: bool


class ListItemListPublic(Public):
    items: list[ListItemPublic] = Field(description="by name")


class NamedPublic(Public):
    id: int
    name: str


class ObservationPublic(Public):
    id: int
    space_id: int
    day: date
    ads_seen: int
    ads_new: int | None
    ads_removed: int | None
    note: str
    indicators: list[NamedPublic] = Field(description="the indicator tags, by name")
    observer_id: int | None
    created_at: datetime


class ObservationListPublic(Public):
    items: list[ObservationPublic] = Field(description="in day order")


class SpacePublic(Public):
    """A space with its category and latest observation, as staff see it."""

    id: int
    name: str
    category: NamedPublic | None
    address: str
    age_gate: bool
    notes: str
    active: bool
    created_at: datetime
    latest_observation: ObservationPublic | None
    days_since_observed: int | None = Field(description="days since the latest observation; null: never observed")


class SpaceListPublic(Public):
    items: list[SpacePublic]


class NotObservedPublic(Public):
    """Active spaces nobody has observed for more than `days` days: never observed first, then the oldest."""

    days: int
    items: list[SpacePublic]


class TrendPointPublic(Public):
    day: date
    ads_seen: int
    ads_new: int | None
    ads_removed: int | None
    indicators: int = Field(description="how many indicator tags that day's observation has")


class TrendPublic(Public):
    """Points for a chart: one per observation day."""

    space_id: int
    name: str
    points: list[TrendPointPublic]


class LinkPublic(Public):
    id: int
    code: str
    url: str = Field(description="this server's origin + /c/code")
    label: str
    space_id: int | None
    space_name: str | None
    template_id: int | None
    text: str | None = Field(description="the template's text with the link in it; null without a template")
    active: bool
    created_at: datetime
    retired_at: datetime | None
    opens: int = Field(description="times the link was opened while active (an anonymous counter)")
    conversations: int = Field(description="conversations started from the link")


class LinkListPublic(Public):
    items: list[LinkPublic] = Field(description="the newest first")


class TemplatePublic(Public):
    id: int
    name: str
    language: str
    body: str
    active: bool
    created_at: datetime


class TemplateListPublic(Public):
    items: list[TemplatePublic] = Field(description="by language, then name")


class ContactPublic(Public):
    """A contact made outside the chat: no names, numbers or handles."""

    id: int
    space_id: int
    day: date
    channel: Channel
    template_id: int | None
    answered: bool
    worker_id: int | None
    created_at: datetime


class ContactListPublic(Public):
    items: list[ContactPublic] = Field(description="the latest day first")
