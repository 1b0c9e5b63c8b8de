"""Opening hours: the pure schedule rules, the admin API and visitor status, and the opening clock."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.core.db import make_engine, make_sessionmaker
from app.models import OpeningHours
from app.realtime.broker import MemoryBroker
from app.realtime.hub import QUEUE_CHANNEL
from app.routing.opening_clock import OpeningClock, run_opening_clock
from app.routing.schedule import first_overlap, is_open_at, next_opening
from app.runtime import Runtime
from tests.conftest import make_settings
from tests.helpers import Lykta

TZ = ZoneInfo("Europe/Stockholm")
WEEKDAYS = range(5)  # Monday to Friday


@dataclass(frozen=True)
class Row:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Exc:
    day: date
    closed: bool = False
    opens: time | None = None
    closes: time | None = None


def hm(text: str) -> time:
    return time.fromisoformat(text)


def local(day: str, at: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), hm(at), tzinfo=TZ)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def rows(days: range | list[int], opens: str, closes: str) -> list[Row]:
    return [Row(day, hm(opens), hm(closes)) for day in days]


# --- pure rules --------------------------------------------------------------------------------


def test_an_evening_runs_past_midnight_even_into_a_closed_day() -> None:
    friday = rows([4], "20:00", "02:00")
    assert not is_open_at(friday, [], TZ, local("2026-11-27", "19:59"))
    assert is_open_at(friday, [], TZ, local("2026-11-27", "20:00"))
    assert is_open_at(friday, [], TZ, local("2026-11-28", "01:30"))
    assert not is_open_at(friday, [], TZ, local("2026-11-28", "02:00"))
    saturday_closed = [Exc(date(2026, 11, 28), closed=True)]
    both = friday + rows([5], "20:00", "02:00")
    assert is_open_at(both, saturday_closed, TZ, local("2026-11-28", "01:30"))  # started the day before
    assert not is_open_at(both, saturday_closed, TZ, local("2026-11-28", "21:00"))
    assert is_open_at(both, [], TZ, local("2026-11-28", "21:00"))


def test_a_holiday_closes_a_normal_day() -> None:
    week = rows(WEEKDAYS, "18:00", "23:00")
    christmas = [Exc(date(2026, 12, 24), closed=True)]
    assert is_open_at(week, christmas, TZ, local("2026-12-23", "19:00"))
    assert is_open_at(week, [], TZ, local("2026-12-24", "19:00"))
    assert not is_open_at(week, christmas, TZ, local("2026-12-24", "19:00"))
    assert next_opening(week, christmas, TZ, local("2026-12-24", "19:00")) == utc("2026-12-25 17:00")


def test_an_extra_evening_on_a_day_without_hours() -> None:
    monday = rows([0], "18:00", "22:00")
    wednesday = [Exc(date(2026, 11, 25), opens=hm("19:00"), closes=hm("01:00"))]
    assert not is_open_at(monday, [], TZ, local("2026-11-25", "20:00"))
    assert is_open_at(monday, wednesday, TZ, local("2026-11-25", "20:00"))
    assert is_open_at(monday, wednesday, TZ, local("2026-11-26", "00:30"))
    assert not is_open_at(monday, wednesday, TZ, local("2026-11-26", "01:00"))
    assert next_opening(monday, wednesday, TZ, local("2026-11-25", "12:00")) == utc("2026-11-25 18:00")
    assert next_opening(monday, [], TZ, local("2026-11-25", "12:00")) == utc("2026-11-30 17:00")


def test_friday_night_next_opening_is_monday_evening() -> None:
    week = rows(WEEKDAYS, "18:00", "23:00")
    friday_late = local("2026-11-27", "23:30")
    assert not is_open_at(week, [], TZ, friday_late)
    assert next_opening(week, [], TZ, friday_late) == utc("2026-11-30 17:00")
    assert next_opening(week, [], TZ, local("2026-11-27", "19:00")) is None  # open now


def test_spring_forward_in_stockholm() -> None:
    # 2026-03-29: clocks go from 02:00 CET (+01) to 03:00 CEST (+02).
    saturday_night = rows([5], "22:00", "04:00")
    assert next_opening(saturday_night, [], TZ, utc("2026-03-28 12:00")) == utc("2026-03-28 21:00")
    assert is_open_at(saturday_night, [], TZ, utc("2026-03-29 01:59"))  # 03:59 CEST
    assert not is_open_at(saturday_night, [], TZ, utc("2026-03-29 02:00"))  # 04:00 CEST: 5 h, not 6
    sunday = rows([6], "18:00", "22:00")
    assert next_opening(sunday, [], TZ, utc("2026-03-28 20:00")) == utc("2026-03-29 16:00")
    # 02:30 does not exist that night: read with the offset before the gap, i.e. 03:30 CEST.
    skipped = rows([6], "02:30", "05:00")
    assert next_opening(skipped, [], TZ, utc("2026-03-28 12:00")) == utc("2026-03-29 01:30")
    assert not is_open_at(skipped, [], TZ, utc("2026-03-29 01:15"))  # 03:15 CEST
    assert is_open_at(skipped, [], TZ, utc("2026-03-29 01:30"))
    assert next_opening(skipped, [], TZ, utc("2026-03-29 04:00")) == utc("2026-04-05 00:30")


def test_fall_back_in_stockholm() -> None:
    # 2026-10-25: clocks go from 03:00 CEST (+02) back to 02:00 CET (+01); 02:00-03:00 happens twice.
    sunday = rows([6], "18:00", "22:00")
    assert next_opening(sunday, [], TZ, utc("2026-10-18 12:00")) == utc("2026-10-18 16:00")
    assert next_opening(sunday, [], TZ, utc("2026-10-24 12:00")) == utc("2026-10-25 17:00")
    twice = rows([6], "02:30", "04:00")  # the first 02:30 (CEST) until 04:00 CET
    assert next_opening(twice, [], TZ, utc("2026-10-24 12:00")) == utc("2026-10-25 00:30")
    assert is_open_at(twice, [], TZ, utc("2026-10-25 01:45"))  # the second 02:45 (CET)
    assert not is_open_at(twice, [], TZ, utc("2026-10-25 03:00"))


def test_no_schedule_is_always_open_and_a_holiday_closes_only_its_day() -> None:
    for now in (utc("2026-03-29 01:30"), utc("2026-10-25 01:30"), local("2026-12-24", "03:00")):
        assert is_open_at([], [], TZ, now)
        assert next_opening([], [], TZ, now) is None
    christmas = [Exc(date(2026, 12, 24), closed=True)]
    assert not is_open_at([], christmas, TZ, local("2026-12-24", "12:00"))
    assert next_opening([], christmas, TZ, local("2026-12-24", "12:00")) == utc("2026-12-24 23:00")
    assert is_open_at([], christmas, TZ, local("2026-12-23", "23:59"))


def test_overlapping_weekly_rows_are_found() -> None:
    assert first_overlap(rows([0], "18:00", "20:00") + rows([0], "20:00", "22:00")) is None
    assert first_overlap(rows([0], "18:00", "23:00") + rows([0], "22:00", "02:00")) == (0, 1)
    assert first_overlap(rows([0], "20:00", "03:00") + rows([1], "01:00", "04:00")) == (0, 1)
    assert first_overlap(rows([6], "22:00", "02:00") + rows([0], "01:00", "03:00")) == (0, 1)
    with pytest.raises(ValueError):
        is_open_at([], [], TZ, datetime(2026, 1, 1, 12))  # naive


# --- the admin API and the visitor's status ----------------------------------------------------


def today_here() -> date:
    return datetime.now(TZ).date()


def iso_utc(day: date, at: time) -> str:
    return datetime.combine(day, at, tzinfo=TZ).astimezone(UTC).isoformat().replace("+00:00", "Z")


async def visitor_status(lykta: Lykta) -> dict[str, Any]:
    async with lykta.http() as http:
        response = await http.get("/api/visitor/status")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def start_conversation(lykta: Lykta) -> tuple[int, dict[str, Any]]:
    async with lykta.http() as http:
        response = await http.post("/api/visitor/conversations", json={})
    return response.status_code, response.json()


async def test_admin_schedule_drives_visitor_status(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin")
    counselor = await lykta.staff()  # available: only the schedule can close the service
    assert (await visitor_status(lykta))["open"] is True  # no schedule: open while someone is on duty

    in_three_days = today_here() + timedelta(days=3)
    week = {"weekly": [{"weekday": in_three_days.weekday(), "opens": "10:00", "closes": "11:00"}]}
    response = await admin.put("/api/admin/schedule", week)
    assert response.status_code == 200, response.text
    assert response.json()["weekly"] == week["weekly"]
    expected = iso_utc(in_three_days, time(10, 0))

    status = await visitor_status(lykta)
    assert (status["open"], status["scheduled_open"], status["next_opening"]) == (False, False, expected)
    assert status["estimated_wait_s"] is None
    code, body = await start_conversation(lykta)
    assert (code, body["code"], body["next_opening"]) == (503, "closed", expected)

    assert (await admin.put("/api/admin/schedule", {"weekly": []})).status_code == 200
    status = await visitor_status(lykta)
    assert (status["open"], status["scheduled_open"], status["next_opening"]) == (True, True, None)
    assert (await start_conversation(lykta))[0] == 201

    today = today_here().isoformat()
    holiday = {"day": today, "closed": True, "note": "Stängt"}
    assert (await admin.post("/api/admin/schedule/exceptions", holiday)).status_code == 200
    status = await visitor_status(lykta)
    tomorrow = iso_utc(today_here() + timedelta(days=1), time(0, 0))
    assert (status["open"], status["scheduled_open"], status["next_opening"]) == (False, False, tomorrow)

    seen = (await counselor.get("/api/console/schedule")).json()
    assert seen["timezone"] == "Europe/Stockholm"
    assert seen["exceptions"] == [{"day": today, "closed": True, "opens": None, "closes": None, "note": "Stängt"}]
    assert seen["status"] == {"open": False, "scheduled_open": False, "available": 2, "next_opening": tomorrow}

    deleted = await admin.http.delete(f"/api/admin/schedule/exceptions/{today}", headers={"X-CSRF-Token": admin.csrf})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["exceptions"] == []
    assert (await visitor_status(lykta))["open"] is True
    again = await admin.http.delete(f"/api/admin/schedule/exceptions/{today}", headers={"X-CSRF-Token": admin.csrf})
    assert (again.status_code, again.json()["code"]) == (404, "not_found")


async def test_only_admins_change_the_schedule(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin")
    week = {"weekly": [{"weekday": 0, "opens": "18:00", "closes": "23:00"}]}
    holiday = {"day": "2026-12-24", "closed": True, "note": "Julafton"}
    assert (await admin.post("/api/admin/schedule/exceptions", holiday)).status_code == 200
    for role in ("counselor", "supervisor"):
        staff = await lykta.staff(role=role)
        refused = [
            await staff.put("/api/admin/schedule", week),
            await staff.post("/api/admin/schedule/exceptions", holiday),
            await staff.http.delete("/api/admin/schedule/exceptions/2026-12-24", headers={"X-CSRF-Token": staff.csrf}),
        ]
        assert [(r.status_code, r.json()["code"]) for r in refused] == [(403, "forbidden")] * 3
        assert (await staff.get("/api/console/schedule")).status_code == 200
    view = (await admin.get("/api/console/schedule")).json()
    assert (view["weekly"], [e["day"] for e in view["exceptions"]]) == ([], ["2026-12-24"])
    async with lykta.http() as anonymous:
        assert (await anonymous.get("/api/console/schedule")).status_code == 401


async def test_invalid_schedule_input_is_refused(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin")
    good = [{"weekday": 4, "opens": "20:00", "closes": "02:00"}]
    assert (await admin.put("/api/admin/schedule", {"weekly": good})).status_code == 200

    def one(weekday: int, opens: str, closes: str) -> dict[str, Any]:
        return {"weekday": weekday, "opens": opens, "closes": closes}

    bad_weeks = {
        "invalid_weekday": [one(7, "18:00", "23:00")],
        "invalid_time": [one(1, "25:00", "23:00")],
        "empty_opening": [one(1, "18:00", "18:00")],
        "overlapping_hours": [one(2, "18:00", "23:00"), one(2, "22:00", "01:00")],
    }
    for code, weekly in bad_weeks.items():
        response = await admin.put("/api/admin/schedule", {"weekly": weekly})
        assert (response.status_code, response.json()["code"]) == (422, code), response.text
        assert response.json()["detail"]
    bad_days = {
        "missing_hours": {"day": "2026-12-31", "closed": False, "opens": "20:00"},
        "invalid_day": {"day": "2026-13-01", "closed": True},
        "invalid_time": {"day": "2026-12-31", "opens": "20:00", "closes": "24:00"},
        "hours_on_closed_day": {"day": "2026-12-31", "closed": True, "opens": "20:00", "closes": "23:00"},
    }
    for code, exception in bad_days.items():
        response = await admin.post("/api/admin/schedule/exceptions", exception)
        assert (response.status_code, response.json()["code"]) == (422, code), response.text
    view = (await admin.get("/api/console/schedule")).json()
    assert (view["weekly"], view["exceptions"]) == (good, [])


# --- the opening clock -------------------------------------------------------------------------


def make_runtime(database_url: str) -> Runtime:
    settings = make_settings(database_url)
    engine = make_engine(database_url)
    return Runtime(settings=settings, engine=engine, sessionmaker=make_sessionmaker(engine), broker=MemoryBroker())


async def test_the_clock_publishes_one_service_event_per_change(database_url: str) -> None:
    runtime = make_runtime(database_url)
    events: list[tuple[str, dict[str, Any]]] = []
    runtime.broker.set_handler(lambda channel, payload: events.append((channel, payload)))
    try:
        async with runtime.sessionmaker() as session:
            session.add(OpeningHours(weekday=2, opens=time(18, 0), closes=time(23, 0)))
            await session.commit()
        clock = OpeningClock(runtime)
        published = [await clock.tick(local("2026-11-25", at)) for at in ("17:00", "17:30", "18:00", "18:30", "23:00")]
        await asyncio.sleep(0.01)  # the memory broker delivers on the next loop turns
    finally:
        await runtime.engine.dispose()
    assert published == [False, False, True, False, True]
    alternatives = runtime.settings.alternatives
    assert events == [
        (QUEUE_CHANNEL, {"type": "service", "open": True, "next_opening": None, "alternatives": alternatives}),
        (
            QUEUE_CHANNEL,
            {"type": "service", "open": False, "next_opening": "2026-12-02T17:00:00Z", "alternatives": alternatives},
        ),
    ]


async def test_the_clock_survives_a_failing_check(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    runtime = make_runtime(f"sqlite+aiosqlite:///{tmp_path / 'no-tables.db'}")  # every check fails
    task = asyncio.create_task(run_opening_clock(runtime, interval_s=0.01))
    try:
        with caplog.at_level(logging.ERROR, logger="app.routing.opening_clock"):
            await asyncio.sleep(0.2)
        assert not task.done()
        failures = [r for r in caplog.records if r.getMessage() == "opening-hours check failed"]
        assert len(failures) >= 2
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await runtime.engine.dispose()


async def test_closing_time_tells_waiting_visitors_and_shows_alternatives(lykta: Lykta) -> None:
    """The clock's `service` event reaches a visitor who waits (the page then shows the alternatives)."""
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.expect("queue")
    runtime = lykta.server.runtime()
    event = {"type": "service", "open": False, "next_opening": None, "alternatives": runtime.settings.alternatives}
    await lykta.server.run_in_server(runtime.broker.publish(QUEUE_CHANNEL, event))
    closing = await chat.expect("service")
    assert closing["open"] is False and closing["alternatives"][0]["phone"] == "112"
