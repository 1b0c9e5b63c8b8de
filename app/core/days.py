"""Statistics count days in the service's time zone (LYKTA_TIMEZONE, default Europe/Stockholm), not UTC: a chat
at 00:30 in Stockholm belongs to that day. The zone travels with each database session (set where the session
maker is made), so the code that ends a conversation needs nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

SERVICE_TIMEZONE = "lykta.service_timezone"  # key in a session's info
DEFAULT_TIMEZONE = "Europe/Stockholm"


def service_zone(session: AsyncSession) -> ZoneInfo:
    return ZoneInfo(str(session.info.get(SERVICE_TIMEZONE, DEFAULT_TIMEZONE)))


def service_day(session: AsyncSession, at: datetime) -> date:
    """The service's calendar day of an instant (a naive instant is UTC)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(service_zone(session)).date()


def day_start(session: AsyncSession, day: date) -> datetime:
    """Midnight at the start of the service's day, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=service_zone(session)).astimezone(UTC)
