"""Request bodies of the outreach register, links, templates and contacts (bounded text only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
