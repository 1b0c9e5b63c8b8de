"""The base of every answer's shape, and the error body every route can answer with."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Public(BaseModel):
    """What the API promises to answer: a field the server returns but does not declare fails loudly
    (FastAPI validates the answer against the model), so the schema cannot fall behind the code."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class FieldErrorPublic(Public):
    loc: list[str]
    msg: str


class ErrorPublic(Public):
    """`{detail, code}`; some codes add what the page needs to say more (named in their description)."""

    detail: str
    code: str
    retry_after: int | None = None  # rate_limited, account_locked, unavailable (also the Retry-After header)
    next_opening: datetime | None = None  # closed
    errors: list[FieldErrorPublic] | None = None  # invalid_request: every field's problem
    field: str | None = None  # personal_data
    indicators: list[int] | None = None  # unknown_indicator
    tags: list[int] | None = None  # unknown_tag
    languages: list[str] | None = None  # unknown_language
