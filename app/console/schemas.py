"""Request bodies of the console API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.visitor.schemas import AgeBand, Topic


class WrapUp(BaseModel):
    """Given when closing: tags from the admin list, and corrections of what the visitor said (or not)."""

    model_config = ConfigDict(extra="forbid")

    tags: list[int] = Field(default_factory=list, max_length=20)
    age_band: AgeBand | None = None
    topic: Topic | None = None
