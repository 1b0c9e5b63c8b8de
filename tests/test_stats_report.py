"""Statistics on a seeded history of aggregate rows: grouping, median and p90, breakdowns, duty hours, CSV "<3"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select

from app.conversations.recorder import record_presence_change
from app.core.db import make_engine, make_sessionmaker
from app.models import ConversationStat, ConversationStatTag, DutyInterval, LinkOpen
from tests.helpers import Lykta, StaffClient
from tests.test_outreach_register import make_space, ok, parse_csv, refused

PERIOD = {"from": "2025-03-03", "to": "2025-03-16"}  # two ISO weeks, Monday to Sunday


@dataclass
class Seeded:
    worker: StaffClient
    links: dict[str, int]
    spaces: dict[str, int]
    tags: dict[str, int]


# (day, link, outcome, wait_s, duration_s, language, age_band, topic, tags)
HISTORY: list[tuple[str, str | None, str, int | None, int | None, str, str | None, str | None, list[str]]] = [
    ("2025-03-03", "LA", "answered", 10, 600, "sv", "15_17", "sex_for_compensation", ["Housing"]),
    ("2025-03-03", "LA", "answered", 20, 1200, "sv", "15_17", "exploitation", ["Housing", "Drugs"]),
    ("2025-03-03", "LA", "answered", 30, 300, "en", "18_24", None, []),
    ("2025-03-03", "LA", "blocked", 40, 60, "sv", None, None, []),
    ("2025-03-03", "LA", "abandoned", None, None, "sv", None, None, []),
    ("2025-03-04", "LB", "answered", 100, 100, "sv", "under_15", "health", []),
    ("2025-03-04", "LB", "abandoned", None, None, "en", None, None, []),
    ("2025-03-10", "LC", "answered", 5, 50, "sv", None, None, []),
    ("2025-03-10", None, "answered", 8, 70, "en", None, None, []),
    ("2025-03-02", "LA", "answered", 999, 999, "sv", None, None, []),  # before the period
    ("2025-04-01", "LA", "answered", 999, 999, "sv", None, None, []),  # after it
]
OPENS = [("LA", "2025-03-03", 40), ("LB", "2025-03-04", 3), ("LC", "2025-03-10", 7), ("LA", "2025-03-02", 100)]


def at(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


async def seed(lykta: Lykta) -> Seeded:
    admin = await lykta.staff(role="admin", available=False)
    worker = await lykta.staff(available=False)
    tags = {name: ok(await admin.post("/api/admin/tags", {"name": name}), 201)["id"] for name in ("Housing", "Drugs")}
    space_a = await make_space(worker, "Sajt A")
    space_b = await make_space(worker, "Sajt B", "Forum")
    spaces = {"A": space_a["id"], "B": space_b["id"]}
    links = {}
    for name, space in (("LA", "A"), ("LB", "A"), ("LC", "B")):
        links[name] = ok(await worker.post("/api/console/links", {"space_id": spaces[space], "label": name}), 201)["id"]
    space_of = {"LA": spaces["A"], "LB": spaces["A"], "LC": spaces["B"]}

    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            for day, link, outcome, wait, duration, language, age_band, topic, tag_names in HISTORY:
                stat = ConversationStat(
                    day=date.fromisoformat(day),
                    link_id=links[link] if link else None,
                    space_id=space_of[link] if link else None,
                    language=language,
                    age_band=age_band,
                    topic=topic,
                    outcome=outcome,
                    wait_s=wait,
                    duration_s=duration,
                )
                session.add(stat)
                await session.flush()
                assert stat.id is not None
                for name in tag_names:
                    session.add(ConversationStatTag(stat_id=stat.id, tag_id=tags[name]))
            for link, day, count in OPENS:
                session.add(LinkOpen(link_id=links[link], day=date.fromisoformat(day), count=count))
            # Duty: 4 h on Monday the 3rd; 22:00 on Sunday the 9th to 02:00 on the 10th in Stockholm (21:00 to 01:00
            # UTC; statistics days are the service's): 2 h in each week.
            for old, new, when in [
                ("offline", "available", at(3, 8)),
                ("available", "available", at(3, 9)),  # no change: ignored
                ("available", "away", at(3, 12)),
                ("away", "available", at(9, 21)),
                ("offline", "available", at(9, 22)),  # already on duty: no second interval
                ("available", "offline", at(10, 1)),
            ]:
                await record_presence_change(session, worker.id, old, new, when)
            await session.commit()
        async with make_sessionmaker(engine)() as session:
            intervals = (await session.exec(select(DutyInterval).order_by(col(DutyInterval.started_at)))).all()
            assert [(i.started_at, i.ended_at) for i in intervals] == [(at(3, 8), at(3, 12)), (at(9, 21), at(10, 1))]
    finally:
        await engine.dispose()
    return Seeded(worker, links, spaces, tags)


def pick(row: dict[str, Any], *names: str) -> tuple[Any, ...]:
    return tuple(row[name] for name in names)


COUNTS = ("opened", "started", "answered", "abandoned", "blocked")
WAITS = ("wait_median_s", "wait_p90_s", "duration_median_s")


async def test_statistics_per_week_link_and_space_on_a_seeded_history(lykta: Lykta) -> None:
    seeded = await seed(lykta)
    worker, tags = seeded.worker, seeded.tags

    weekly = ok(await worker.get("/api/console/stats", **PERIOD, group="week"))
    assert (weekly["from"], weekly["to"], weekly["group"], weekly["by"]) == ("2025-03-03", "2025-03-16", "week", "none")
    assert weekly["periods"] == [
        {"period": "2025-03-03", "counselor_hours": 6.0},
        {"period": "2025-03-10", "counselor_hours": 2.0},
    ]
    assert weekly["counselor_hours"] == 8.0
    first, second = weekly["rows"]
    assert (first["period"], first["key"], first["label"]) == ("2025-03-03", None, None)
    assert pick(first, *COUNTS) == (43, 7, 4, 2, 1)
    # waits 10, 20, 30, 40, 100: median 30, nearest-rank p90 100; lengths 60, 100, 300, 600, 1200: median 300
    assert pick(first, *WAITS, "waits_counted", "durations_counted") == (30, 100, 300, 5, 5)
    assert first["language"] == {"en": 2, "sv": 5}
    assert first["age_band"] == {"15_17": 2, "18_24": 1, "under_15": 1, "unknown": 3}
    assert first["topic"] == {"exploitation": 1, "health": 1, "sex_for_compensation": 1, "unknown": 4}
    assert first["tags"] == {str(tags["Drugs"]): 1, str(tags["Housing"]): 2}
    assert weekly["tag_names"] == {str(tags["Drugs"]): "Drugs", str(tags["Housing"]): "Housing"}
    assert pick(second, "period", *COUNTS) == ("2025-03-10", 7, 2, 2, 0, 0)
    assert pick(second, *WAITS) == (7, 8, 60)  # waits 5 and 8: the median 6.5 rounds up
    assert pick(weekly["overall"], *COUNTS, "wait_median_s", "wait_p90_s") == (50, 9, 6, 2, 1, 20, 100)
    assert weekly["small_counts"] == "exact"

    daily = ok(await worker.get("/api/console/stats", **PERIOD, group="day", by="link"))
    links = seeded.links
    rows = [(r["period"], r["key"], r["label"]) for r in daily["rows"]]
    assert rows == [
        ("2025-03-03", links["LA"], "LA"),
        ("2025-03-04", links["LB"], "LB"),
        ("2025-03-10", links["LC"], "LC"),
        ("2025-03-10", None, None),  # a conversation that came without a link
    ]
    la = daily["rows"][0]
    assert pick(la, *COUNTS, *WAITS) == (40, 5, 3, 1, 1, 25, 40, 450)
    assert pick(daily["rows"][1], *COUNTS, *WAITS) == (3, 2, 1, 1, 0, 100, 100, 100)
    assert pick(daily["rows"][3], *COUNTS) == (0, 1, 1, 0, 0)
    assert [(t["key"], t["started"]) for t in daily["totals"]] == [
        (links["LA"], 5),
        (links["LB"], 2),
        (links["LC"], 1),
        (None, 1),
    ]
    assert [p["counselor_hours"] for p in daily["periods"] if p["counselor_hours"]] == [4.0, 2.0, 2.0]
    assert len(daily["periods"]) == 14

    monthly = ok(await worker.get("/api/console/stats", **PERIOD, group="month", by="space"))
    spaces = seeded.spaces
    assert [(r["period"], r["key"], r["label"], r["opened"], r["started"]) for r in monthly["rows"]] == [
        ("2025-03-01", spaces["A"], "Sajt A", 43, 7),
        ("2025-03-01", spaces["B"], "Sajt B", 7, 1),
        ("2025-03-01", None, None, 0, 1),
    ]
    assert monthly["periods"] == [{"period": "2025-03-01", "counselor_hours": 8.0}]

    # Outside the period: the opens and conversations on the 2nd and in April are not counted.
    april = ok(await worker.get("/api/console/stats", **{"from": "2025-04-01", "to": "2025-04-30"}))
    assert pick(april["overall"], *COUNTS) == (0, 1, 1, 0, 0) and april["counselor_hours"] == 0.0


async def test_statistics_csv_suppresses_small_counts(lykta: Lykta) -> None:
    seeded = await seed(lykta)
    response = await seeded.worker.get("/api/console/export/stats.csv", **PERIOD, group="day", by="link")
    rows = parse_csv(response)
    assert 'filename="lykta-stats-2025-03-03-2025-03-16.csv"' in response.headers["content-disposition"]
    header = list(rows[0])
    assert header[:13] == [
        "period",
        "by",
        "key",
        "label",
        "opened",
        "started",
        "answered",
        "abandoned",
        "blocked",
        "wait_median_s",
        "wait_p90_s",
        "duration_median_s",
        "counselor_hours",
    ]
    assert header[13:15] == ["language:sv", "language:en"]
    assert "age_band:unknown" in header and "topic:unknown" in header and "language:unknown" not in header
    assert header[-2:] == ["tag:Drugs", "tag:Housing"]

    la, lb, lc, unlinked = rows[:4]
    assert (la["period"], la["by"], la["key"], la["label"]) == ("2025-03-03", "link", str(seeded.links["LA"]), "LA")
    assert pick(la, *COUNTS, *WAITS, "counselor_hours") == ("40", "5", "3", "<3", "<3", "25", "40", "450", "4.0")
    assert pick(la, "language:sv", "language:en", "age_band:15_17", "topic:unknown", "tag:Housing", "tag:Drugs") == (
        "4",
        "<3",
        "<3",
        "3",
        "<3",
        "<3",
    )
    assert pick(la, "age_band:25_plus", "topic:violence") == ("<3", "<3")  # zero is fewer than three as well
    # one or two conversations: every count and every wait figure is suppressed; opens are not conversations
    assert pick(lb, *COUNTS, *WAITS) == ("3", "<3", "<3", "<3", "<3", "<3", "<3", "<3")
    assert pick(lc, "opened", "started", "wait_median_s") == ("7", "<3", "<3")
    assert (unlinked["key"], unlinked["label"], unlinked["opened"], unlinked["started"]) == ("", "", "0", "<3")

    totals = [row for row in rows if row["period"] == "total"]
    assert [(t["by"], t["key"], t["started"]) for t in totals] == [
        ("link", str(seeded.links["LA"]), "5"),
        ("link", str(seeded.links["LB"]), "<3"),
        ("link", str(seeded.links["LC"]), "<3"),
        ("link", "", "<3"),
        ("none", "", "9"),  # all links together
    ]
    overall = totals[-1]
    assert pick(overall, *COUNTS, "wait_median_s", "wait_p90_s", "counselor_hours") == (
        "50",
        "9",
        "6",
        "<3",
        "<3",
        "20",
        "100",
        "8.0",
    )
    assert len(rows) == 9

    # The JSON dashboard for staff shows the exact small numbers (documented), the export never does.
    exact = ok(await seeded.worker.get("/api/console/stats", **PERIOD, group="day", by="link"))
    assert pick(exact["rows"][1], "started", "answered", "abandoned") == (2, 1, 1)


async def test_statistics_refuse_bad_periods_and_strangers(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    for path in ("/api/console/stats", "/api/console/export/stats.csv"):
        refused(await staff.get(path, **{"from": "2025-03-10", "to": "2025-03-01"}), 422, "invalid_period")
        refused(await staff.get(path, **{"from": "2025-01-01", "to": "2026-01-02"}), 422, "period_too_long")
        refused(await staff.get(path, **{"from": "2025-03-01"}), 422, "invalid_request")
        refused(await staff.get(path, **{"from": "01/03/2025", "to": "2025-03-10"}), 422, "invalid_request")
        refused(await staff.get(path, **PERIOD, group="year"), 422, "invalid_request")
        refused(await staff.get(path, **PERIOD, by="counselor"), 422, "invalid_request")
        async with lykta.http() as anonymous:
            refused(await anonymous.get(path, params=PERIOD), 401, "not_authenticated")
    leap = ok(await staff.get("/api/console/stats", **{"from": "2024-01-01", "to": "2024-12-31"}, group="month"))
    assert len(leap["periods"]) == 12 and leap["rows"] == []  # 366 days is allowed
