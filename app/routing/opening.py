"""Whether the service is open (the schedule and who is on duty), and the admin's schedule edits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.db import queue_event
from app.core.errors import NotFound
from app.models import OpeningException, OpeningHours, utcnow
from app.realtime.events import queue_changed_event
from app.realtime.hub import QUEUE_CHANNEL
from app.routing import schedule
from app.routing.errors import (
    EmptyOpening,
    HoursOnClosedDay,
    InvalidDay,
    InvalidTime,
    InvalidWeekday,
    MissingHours,
    OverlappingHours,
)
from app.routing.queue import available_counselors
from app.routing.schemas import OpeningExceptionPublic, SchedulePublic, ServiceStatusPublic, WeeklyHoursPublic

HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ScheduleState:
    scheduled_open: bool
    next_opening: datetime | None


@dataclass(frozen=True)
class ServiceStatus:
    open: bool
    scheduled_open: bool
    available: int
    next_opening: datetime | None


def zone(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.timezone)


async def _weekly(session: AsyncSession) -> list[OpeningHours]:
    result = await session.exec(select(OpeningHours).order_by(col(OpeningHours.weekday), col(OpeningHours.opens)))
    return list(result.all())


async def _exceptions(
    session: AsyncSession, first: date | None = None, last: date | None = None
) -> list[OpeningException]:
    query = select(OpeningException).order_by(col(OpeningException.day))
    if first is not None and last is not None:
        query = query.where(col(OpeningException.day) >= first, col(OpeningException.day) <= last)
    return list((await session.exec(query)).all())


async def schedule_state(session: AsyncSession, settings: Settings, now: datetime | None = None) -> ScheduleState:
    """What the schedule alone says at now (no counselor query)."""
    now = now or utcnow()
    tz = zone(settings)
    today = now.astimezone(tz).date()
    weekly = await _weekly(session)
    exceptions = await _exceptions(
        session, today - timedelta(days=1), today + timedelta(days=schedule.HORIZON_DAYS + 1)
    )
    if schedule.is_open_at(weekly, exceptions, tz, now):
        return ScheduleState(True, None)
    return ScheduleState(False, schedule.next_opening(weekly, exceptions, tz, now))


async def service_status(session: AsyncSession, settings: Settings, now: datetime | None = None) -> ServiceStatus:
    """Open when the schedule says so and at least one counselor is available."""
    state = await schedule_state(session, settings, now)
    available = await available_counselors(session)
    return ServiceStatus(
        open=state.scheduled_open and available > 0,
        scheduled_open=state.scheduled_open,
        available=available,
        next_opening=state.next_opening,
    )


# --- the admin's edits -------------------------------------------------------------------------


class WeeklyRowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int
    opens: str = Field(max_length=16)
    closes: str = Field(max_length=16)


class WeekIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekly: list[WeeklyRowIn] = Field(max_length=100)


class ExceptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: str = Field(max_length=16)
    closed: bool = False
    opens: str | None = Field(default=None, max_length=16)
    closes: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", max_length=128)


def parse_time(text: str, where: str) -> time:
    match = HHMM.fullmatch(text)
    if match is None:
        raise InvalidTime(f"{where}: {text!r} is not a time as HH:MM (00:00 to 23:59)")
    return time(int(match[1]), int(match[2]))


def parse_day(text: str) -> date:
    try:
        if DAY.fullmatch(text) is None:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDay(f"{text!r} is not a date as YYYY-MM-DD") from None


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


def _hhmm(at: time | None) -> str | None:
    return _clock(at) if at is not None else None


def _weekly_rows(body: WeekIn) -> list[OpeningHours]:
    rows: list[OpeningHours] = []
    for i, row in enumerate(body.weekly):
        where = f"weekly[{i}]"
        if not 0 <= row.weekday <= 6:
            raise InvalidWeekday(f"{where}.weekday: {row.weekday} is not a weekday (0 = Monday to 6 = Sunday)")
        opens, closes = parse_time(row.opens, f"{where}.opens"), parse_time(row.closes, f"{where}.closes")
        if opens == closes:
            raise EmptyOpening(f"{where}: opens and closes are the same time")
        rows.append(OpeningHours(weekday=row.weekday, opens=opens, closes=closes))
    overlap = schedule.first_overlap(rows)
    if overlap is not None:
        a, b = (rows[i] for i in overlap)
        raise OverlappingHours(
            f"weekly[{overlap[0]}] and weekly[{overlap[1]}] overlap: {WEEKDAYS[a.weekday]} "
            f"{_hhmm(a.opens)}-{_hhmm(a.closes)} and {WEEKDAYS[b.weekday]} {_hhmm(b.opens)}-{_hhmm(b.closes)}"
        )
    return rows


async def replace_week(session: AsyncSession, body: WeekIn) -> None:
    """Replace every weekly row at once; nothing changes when any row is refused."""
    rows = _weekly_rows(body)
    for old in await _weekly(session):
        await session.delete(old)
    await session.flush()
    session.add_all(rows)
    await session.flush()
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())


async def put_exception(session: AsyncSession, body: ExceptionIn) -> OpeningException:
    """Create or replace the exception for one day."""
    day = parse_day(body.day)
    opens = parse_time(body.opens, "opens") if body.opens is not None else None
    closes = parse_time(body.closes, "closes") if body.closes is not None else None
    if body.closed and (opens is not None or closes is not None):
        raise HoursOnClosedDay()
    if not body.closed and (opens is None or closes is None):
        raise MissingHours()
    if opens is not None and opens == closes:
        raise EmptyOpening()
    found = (await session.exec(select(OpeningException).where(OpeningException.day == day))).first()
    exception = found or OpeningException(day=day)
    exception.closed, exception.opens, exception.closes, exception.note = body.closed, opens, closes, body.note
    session.add(exception)
    await session.flush()
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())
    return exception


async def delete_exception(session: AsyncSession, day_text: str) -> None:
    day = parse_day(day_text)
    found = (await session.exec(select(OpeningException).where(OpeningException.day == day))).first()
    if found is None:
        raise NotFound(detail=f"no exception on {day.isoformat()}")
    await session.delete(found)
    await session.flush()
    queue_event(session, QUEUE_CHANNEL, queue_changed_event())


async def schedule_view(session: AsyncSession, settings: Settings, now: datetime | None = None) -> SchedulePublic:
    """The console's view: weekly rows, every exception, the time zone and the status now."""
    status = await service_status(session, settings, now)
    return SchedulePublic(
        timezone=settings.timezone,
        weekly=[
            WeeklyHoursPublic(weekday=row.weekday, opens=_clock(row.opens), closes=_clock(row.closes))
            for row in await _weekly(session)
        ],
        exceptions=[
            OpeningExceptionPublic(
                day=exception.day,
                closed=exception.closed,
                opens=_hhmm(exception.opens),
                closes=_hhmm(exception.closes),
                note=exception.note,
            )
            for exception in await _exceptions(session)
        ],
        status=ServiceStatusPublic.model_validate(status),
    )
