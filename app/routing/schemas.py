"""What the schedule and the service settings routes answer."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ConfigDict, Field

from app.core.schemas import Public
from app.routing.service_settings import ServiceSettings


class WeeklyHoursPublic(Public):
    weekday: int = Field(ge=0, le=6, description="0 = Monday to 6 = Sunday")
    opens: str = Field(description="HH:MM, local time")
    closes: str = Field(description="HH:MM, local time; at or before `opens`: the next day")


class OpeningExceptionPublic(Public):
    """One day's own hours (or closed), in place of its weekly rows."""

    day: date
    closed: bool
    opens: str | None = Field(description="HH:MM, local time; null on a closed day")
    closes: str | None = Field(description="HH:MM, local time; null on a closed day")
    note: str


class ServiceStatusPublic(Public):
    open: bool = Field(description="the schedule says open and at least one counselor is available")
    scheduled_open: bool
    available: int = Field(description="counselors available now")
    next_opening: datetime | None = Field(description="when the schedule next opens; null while open")


class SchedulePublic(Public):
    """The console's view: the week, every exception, the time zone and the status now."""

    timezone: str
    weekly: list[WeeklyHoursPublic]
    exceptions: list[OpeningExceptionPublic]
    status: ServiceStatusPublic


class ServiceSettingsPublic(Public, ServiceSettings):
    """Every run-time setting with its value now (defaults included)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)
