"""Opening hours as pure functions of the week, its exceptions, a time zone and an aware instant.

Rules (what the console promises the admin):

- A weekly row opens on its weekday at `opens` (local wall-clock time) and closes at `closes` the
  same day, or the next day when `closes <= opens` (20:00-02:00 runs past midnight; equal times
  would be a full 24 hours, which the admin API refuses).
- An exception day replaces that day's weekly rows: closed (a holiday) or one opening at its own
  hours (other hours, or an extra evening on a day with no weekly hours).
- An opening belongs to the day it starts on and runs to its end: Monday 20:00-02:00 is open at
  01:30 on Tuesday even when Tuesday is a closed exception day; the exception only governs
  openings that start on Tuesday.
- With no weekly rows the week is open around the clock, and exceptions still apply to their
  days. So no rows and no exceptions means "always scheduled open" (then the service is open
  whenever a counselor is available), and a holiday added to an empty week closes that day only.
- Wall-clock times are local and converted as RFC 5545 does: a time that occurs twice (autumn,
  02:00-03:00) means its first occurrence; a time that does not exist (spring, 02:00-03:00 is
  skipped) is read with the offset before the gap, so 02:30 becomes 03:30 summer time and an
  opening keeps its usual length. An opening that lies wholly inside the skipped hour does not
  happen that night.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

HORIZON_DAYS = 14
MIDNIGHT = time(0, 0)
MINUTES_PER_WEEK = 7 * 24 * 60

Interval = tuple[datetime, datetime]


class WeeklyOpening(Protocol):
    @property
    def weekday(self) -> int: ...
    @property
    def opens(self) -> time: ...
    @property
    def closes(self) -> time: ...


class DayException(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def closed(self) -> bool: ...
    @property
    def opens(self) -> time | None: ...
    @property
    def closes(self) -> time | None: ...


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (fold=0: first occurrence, gap read as before it)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def _span(day: date, opens: time, closes: time, tz: ZoneInfo) -> Interval | None:
    end_day = day + timedelta(days=1) if closes <= opens else day
    start, end = local_instant(day, opens, tz), local_instant(end_day, closes, tz)
    return (start, end) if end > start else None


class Week:
    """The weekly rows and the exceptions, indexed for day-by-day expansion."""

    def __init__(self, weekly: Iterable[WeeklyOpening], exceptions: Iterable[DayException]) -> None:
        self.by_weekday: dict[int, list[tuple[time, time]]] = defaultdict(list)
        self.empty = True
        for row in weekly:
            self.by_weekday[row.weekday].append((row.opens, row.closes))
            self.empty = False
        self.exceptions = {exception.day: exception for exception in exceptions}

    def hours_on(self, day: date) -> list[tuple[time, time]]:
        exception = self.exceptions.get(day)
        if exception is not None:
            if exception.closed or exception.opens is None or exception.closes is None:
                return []
            return [(exception.opens, exception.closes)]
        if self.empty:
            return [(MIDNIGHT, MIDNIGHT)]
        return self.by_weekday.get(day.weekday(), [])

    def openings(self, first: date, last: date, tz: ZoneInfo) -> list[Interval]:
        """Every opening that starts on a local day from first to last (inclusive), in order."""
        spans: list[Interval] = []
        day = first
        while day <= last:
            for opens, closes in self.hours_on(day):
                span = _span(day, opens, closes, tz)
                if span is not None:
                    spans.append(span)
            day += timedelta(days=1)
        return sorted(spans)


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def is_open_at(
    weekly: Iterable[WeeklyOpening], exceptions: Iterable[DayException], tz: ZoneInfo, now: datetime
) -> bool:
    _require_aware(now)
    today = now.astimezone(tz).date()
    spans = Week(weekly, exceptions).openings(today - timedelta(days=1), today, tz)
    return any(start <= now < end for start, end in spans)


def next_opening(
    weekly: Iterable[WeeklyOpening],
    exceptions: Iterable[DayException],
    tz: ZoneInfo,
    now: datetime,
    horizon_days: int = HORIZON_DAYS,
) -> datetime | None:
    """When the schedule next opens (UTC): None while open at now, or if nothing opens in the horizon."""
    _require_aware(now)
    today = now.astimezone(tz).date()
    spans = Week(weekly, exceptions).openings(today - timedelta(days=1), today + timedelta(horizon_days), tz)
    if any(start <= now < end for start, end in spans):
        return None
    return next((start for start, _end in spans if start > now), None)


def _week_minutes(row: WeeklyOpening) -> tuple[int, int]:
    start = row.weekday * 24 * 60 + row.opens.hour * 60 + row.opens.minute
    length = (row.closes.hour * 60 + row.closes.minute) - (row.opens.hour * 60 + row.opens.minute)
    return start, start + (length if length > 0 else length + 24 * 60)


def first_overlap(weekly: Sequence[WeeklyOpening]) -> tuple[int, int] | None:
    """Indexes of two rows whose hours overlap in the week (past midnight and Sunday into Monday too)."""
    spans = [_week_minutes(row) for row in weekly]
    for i, (a_start, a_end) in enumerate(spans):
        for j in range(i + 1, len(spans)):
            b_start, b_end = spans[j]
            for shift in (-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK):
                if a_start < b_end + shift and b_start + shift < a_end:
                    return i, j
    return None
