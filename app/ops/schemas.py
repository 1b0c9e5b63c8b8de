"""What the operator endpoints answer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.core.schemas import Public


class HealthPublic(Public):
    status: Literal["ok"]


class ReadinessPublic(Public):
    """The same body at 200 (ready) and 503 (the database does not answer)."""

    ready: bool = Field(description="the database answers; the broker is reported, not required")
    database: str = Field(description='"ok" or "error: <kind>"')
    broker: str = Field(description='"ok" or "error: <kind>"')
