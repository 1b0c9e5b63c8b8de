"""The feedback form's fixed answers, what the visitor sends and what the form answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.core.schemas import Public

Helped = Literal["yes", "partly", "no"]
Again = Literal["yes", "maybe", "no"]
Found = Literal["our_link", "friend", "search", "professional", "other"]


class FeedbackAsk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str


class FeedbackAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str
    helped: Helped | None = None
    again: Again | None = None
    found: Found | None = None


class FeedbackFormPublic(Public):
    """Whether this token may still answer, and the guess for "how did you find us"."""

    open: bool
    found_guess: Found | None
