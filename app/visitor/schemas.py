"""What a visitor may tell about themselves: optional, coarse, never identifying."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AgeBand = Literal["under_15", "15_17", "18_24", "25_plus"]
Topic = Literal["sex_for_compensation", "exploitation", "violence", "relationships", "health", "other"]


class StartConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    link_code: str | None = Field(default=None, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    language: str | None = Field(default=None, max_length=8)
    age_band: AgeBand | None = None
    topic: Topic | None = None


class Started(BaseModel):
    conversation_id: str
    token: str
    follow_up_code: str
