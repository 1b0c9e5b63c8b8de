"""The statistics as CSV, with small counts suppressed: a cell that counts fewer than 3 conversations
(zero included) reads "<3", and so does a median or percentile computed from fewer than 3."""

from __future__ import annotations

from typing import get_args

from app.conversations.recorder import Outcome
from app.feedback.service import Again, Found, Helped
from app.models import AgeBand, Topic
from app.stats.csvfile import Cell, CsvResponse, csv_response
from app.stats.report import BREAKDOWNS, UNKNOWN
from app.stats.schemas import StatsPublic, StatsRowPublic, Suppressed

SMALL = 3
SUPPRESSED: Suppressed = "<3"
FEEDBACK_KEYS = [
    "answered",
    *(f"helped:{value}" for value in get_args(Helped)),
    *(f"again:{value}" for value in get_args(Again)),
    *(f"found:{value}" for value in get_args(Found)),
]


def suppress(count: int) -> Cell:
    return SUPPRESSED if count < SMALL else count


def counts(row: StatsRowPublic, name: str) -> dict[str, int]:
    """A row's breakdown by name: language, age_band, topic, tags or feedback."""
    found: dict[str, int] = getattr(row, name)
    return found


def _breakdown_columns(report: StatsPublic, languages: list[str]) -> list[tuple[str, str, str]]:
    """(field, value, header) for every breakdown column: known values always, others when seen."""
    rows = [*report.rows, *report.totals]
    known: dict[str, list[str]] = {
        "language": list(languages),
        "age_band": list(get_args(AgeBand)),
        "topic": list(get_args(Topic)),
    }
    columns = []
    for name in BREAKDOWNS:
        seen = sorted({value for row in rows for value in counts(row, name)} - set(known[name]) - {UNKNOWN})
        unknown = [UNKNOWN] if any(UNKNOWN in counts(row, name) for row in rows) else []
        values = [*known[name], *seen, *unknown]
        columns += [(name, value, f"{name}:{value}") for value in values]
    names = report.tag_names
    tag_ids = sorted({tag_id for row in rows for tag_id in row.tags}, key=lambda t: (names.get(t, ""), int(t)))
    columns += [("feedback", key, f"feedback:{key}") for key in FEEDBACK_KEYS]  # always, so files line up
    columns += [("tags", tag_id, f"tag:{names.get(tag_id, tag_id)}") for tag_id in tag_ids]
    return columns


def stats_csv(report: StatsPublic, languages: list[str]) -> CsvResponse:
    hours = {p.period: p.counselor_hours for p in report.periods}
    breakdowns = _breakdown_columns(report, languages)
    header = [
        "period",
        "by",
        "key",
        "label",
        "opened",
        "started",
        *[outcome.value for outcome in Outcome],
        "wait_median_s",
        "wait_p90_s",
        "duration_median_s",
        "counselor_hours",
        *[column[2] for column in breakdowns],
    ]

    def line(row: StatsRowPublic, by: str = report.by) -> list[Cell]:
        enough_waits = row.waits_counted >= SMALL
        return [
            row.period.isoformat() if row.period else "total",
            by,
            row.key,
            row.label,
            row.opened,
            suppress(row.started),
            *[suppress(getattr(row, outcome.value)) for outcome in Outcome],
            row.wait_median_s if enough_waits else SUPPRESSED,
            row.wait_p90_s if enough_waits else SUPPRESSED,
            row.duration_median_s if row.durations_counted >= SMALL else SUPPRESSED,
            hours.get(row.period, report.counselor_hours) if row.period else report.counselor_hours,
            *[suppress(counts(row, name).get(value, 0)) for name, value, _ in breakdowns],
        ]

    lines = [line(row) for row in report.rows] + [line(row) for row in report.totals]
    if report.by != "none":
        lines.append(line(report.overall, "none"))  # all links or spaces together
    return csv_response(f"lykta-stats-{report.from_}-{report.to}.csv", header, lines)
