"""The resource directory's shapes: what an admin sends, what staff see, and a sent card."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.core.schemas import Public
from app.realtime.protocol import ClientId

PHONE = r"^\+?[0-9][0-9 \-]{1,30}$"


def _web_address(value: str | None) -> str | None:
    if value is not None and not value.startswith("https://"):
        raise ValueError("a web address starts with https://")
    return value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=32, pattern=PHONE)]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=9, max_length=300, pattern=r"^https://[^\s<>\"']+$"),
    AfterValidator(_web_address),
]


Offer = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Hours = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Ages = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]


class ResourceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    offer: Offer = ""
    phone: Phone | None = None
    url: Url | None = None
    hours: Hours = ""
    region: Short = ""
    ages: Ages = ""
    languages: Short = ""
    active: bool = True


class ResourceUpdate(BaseModel):
    """Fields left out keep their value; phone and url may be set to null."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    offer: Offer | None = None
    phone: Phone | None = None
    url: Url | None = None
    hours: Hours | None = None
    region: Short | None = None
    ages: Ages | None = None
    languages: Short | None = None
    active: bool | None = None


class ResourcePublic(Public):
    id: int
    name: str
    offer: str
    phone: str | None
    url: str | None
    hours: str
    region: str
    ages: str
    languages: str
    active: bool


class ResourceListPublic(Public):
    items: list[ResourcePublic]


class SendCard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_id: ClientId | None = None


class CardSentPublic(Public):
    seq: int = Field(description="the card's message seq")
    created: bool = Field(description="false: this client_id was sent before; nothing new was sent")
