"""The mailbox's statistics, from `mailbox_stat` only: letters received, answered, time to answer (median,
90th percentile), answers read, threads turned into chats; per period and per link or space.

Counted on the UTC day the first letter came, as soon as it came (the row is kept up to date while its
thread lives, and stays when the thread is deleted). The CSV suppresses small counts as the chat
statistics do (app/stats/export.py): a count under 3 reads "<3", and so does a time computed from fewer
than 3 answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.mailbox.schemas import MailboxStatsPublic, MailboxStatsRowPublic
from app.models import MailboxStat
from app.stats.csvfile import Cell, CsvResponse, csv_response
from app.stats.export import SMALL, SUPPRESSED, suppress
from app.stats.report import check_period, key_labels, median_s, p90_s, period_of
from app.stats.schemas import By, Group

COUNTS = ("received", "letters", "answered", "answers_read", "to_chat")


@dataclass
class MailboxBucket:
    received: int = 0
    letters: int = 0
    answered: int = 0
    answers_read: int = 0
    to_chat: int = 0
    answer_times: list[int] = field(default_factory=list)

    def add(self, stat: MailboxStat) -> None:
        self.received += 1
        self.letters += stat.letters
        if stat.answer_s is not None:
            self.answered += 1
            self.answer_times.append(stat.answer_s)
        self.answers_read += int(stat.read)
        self.to_chat += int(stat.to_chat)

    def merge(self, other: MailboxBucket) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.answer_times.extend(other.answer_times)

    def row(self, period: date | None, key: int | None, label: str | None) -> MailboxStatsRowPublic:
        return MailboxStatsRowPublic(
            period=period,
            key=key,
            label=label,
            received=self.received,
            letters=self.letters,
            answered=self.answered,
            answers_read=self.answers_read,
            to_chat=self.to_chat,
            answer_median_s=median_s(self.answer_times),
            answer_p90_s=p90_s(self.answer_times),
            answers_counted=len(self.answer_times),
        )


async def report(session: AsyncSession, start: date, end: date, group: Group, by: By) -> MailboxStatsPublic:
    """Exact counts per period and link/space, with totals per key and overall (staff only)."""
    check_period(start, end)
    stats = (
        await session.exec(select(MailboxStat).where(col(MailboxStat.day) >= start, col(MailboxStat.day) <= end))
    ).all()
    buckets: dict[tuple[date, int | None], MailboxBucket] = {}
    for stat in stats:
        key = None if by == "none" else (stat.space_id if by == "space" else stat.link_id)
        buckets.setdefault((period_of(stat.day, group), key), MailboxBucket()).add(stat)
    totals: dict[int | None, MailboxBucket] = {}
    overall = MailboxBucket()
    for (_period, key), found in buckets.items():
        totals.setdefault(key, MailboxBucket()).merge(found)
        overall.merge(found)

    def order(key: int | None) -> tuple[bool, int]:
        return (key is None, key or 0)

    labels = await key_labels(session, by)
    return MailboxStatsPublic(
        from_=start,
        to=end,
        group=group,
        by=by,
        rows=[
            buckets[(period, key)].row(period, key, labels.get(key or 0))
            for period, key in sorted(buckets, key=lambda pk: (pk[0], *order(pk[1])))
        ],
        totals=[totals[key].row(None, key, labels.get(key or 0)) for key in sorted(totals, key=order)],
        overall=overall.row(None, None, None),
        small_counts="exact",
    )


def report_csv(data: MailboxStatsPublic) -> CsvResponse:
    header = ["period", "by", "key", "label", *COUNTS, "answer_median_s", "answer_p90_s"]

    def line(row: MailboxStatsRowPublic, by: str = data.by) -> list[Cell]:
        enough = row.answers_counted >= SMALL
        return [
            row.period.isoformat() if row.period else "total",
            by,
            row.key,
            row.label,
            *[suppress(getattr(row, name)) for name in COUNTS],
            row.answer_median_s if enough else SUPPRESSED,
            row.answer_p90_s if enough else SUPPRESSED,
        ]

    lines = [line(row) for row in data.rows] + [line(row) for row in data.totals]
    if data.by != "none":
        lines.append(line(data.overall, "none"))
    return csv_response(f"lykta-mailbox-{data.from_}-{data.to}.csv", header, lines)
