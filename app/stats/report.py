"""The statistics dashboard's data: per period and per link or space, from the anonymous tables only.

Days are the service's calendar days, not UTC's (app/core/days.py): a conversation counts on the day it
started, once it has ended; weeks start on Monday (ISO), months on the 1st. Medians are the usual median; the
90th percentile is the nearest-rank value (an actual wait); both in whole seconds, halves rounded up.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations.recorder import Outcome
from app.core.days import day_start
from app.models import (
    ConversationStat,
    ConversationStatTag,
    DutyInterval,
    Link,
    LinkOpen,
    Resource,
    ResourceReferral,
    Space,
    Tag,
    utcnow,
)
from app.stats.errors import InvalidPeriod, PeriodTooLong
from app.stats.schemas import By, Group, ReferralPublic, StatsPeriodPublic, StatsPublic, StatsRowPublic

MAX_DAYS = 366
UNKNOWN = "unknown"
BREAKDOWNS = ("language", "age_band", "topic")


def check_period(start: date, end: date) -> None:
    if start > end:
        raise InvalidPeriod()
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodTooLong(f"a period is at most {MAX_DAYS} days")


def period_of(day: date, group: Group) -> date:
    if group == "week":
        return day - timedelta(days=day.weekday())
    if group == "month":
        return day.replace(day=1)
    return day


def next_period(start: date, group: Group) -> date:
    if group == "week":
        return start + timedelta(days=7)
    if group == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def periods(start: date, end: date, group: Group) -> list[date]:
    found, current = [], period_of(start, group)
    while current <= end:
        found.append(current)
        current = next_period(current, group)
    return found


def median_s(values: list[int]) -> int | None:
    return math.floor(statistics.median(values) + 0.5) if values else None


def p90_s(values: list[int]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def sorted_counts(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items()))


@dataclass
class Bucket:
    opened: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    waits: list[int] = field(default_factory=list)
    durations: list[int] = field(default_factory=list)
    language: Counter[str] = field(default_factory=Counter)
    age_band: Counter[str] = field(default_factory=Counter)
    topic: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    feedback: Counter[str] = field(default_factory=Counter)  # "answered", "helped:yes", "again:maybe", ...

    def add(self, stat: ConversationStat, tag_ids: Iterable[int]) -> None:
        self.outcomes[stat.outcome] += 1
        if stat.wait_s is not None:
            self.waits.append(stat.wait_s)
        if stat.duration_s is not None:
            self.durations.append(stat.duration_s)
        self.language[stat.language or UNKNOWN] += 1
        self.age_band[stat.age_band or UNKNOWN] += 1
        self.topic[stat.topic or UNKNOWN] += 1
        for tag_id in tag_ids:
            self.tags[str(tag_id)] += 1
        self.feedback.update(feedback_keys(stat))

    def merge(self, other: Bucket) -> None:
        self.opened += other.opened
        self.outcomes.update(other.outcomes)
        self.waits.extend(other.waits)
        self.durations.extend(other.durations)
        for name in (*BREAKDOWNS, "tags", "feedback"):
            getattr(self, name).update(getattr(other, name))

    def row(self, period: date | None, key: int | None, label: str | None) -> StatsRowPublic:
        return StatsRowPublic(
            period=period,
            key=key,
            label=label,
            opened=self.opened,
            started=sum(self.outcomes.values()),
            answered=self.outcomes[Outcome.answered],
            abandoned=self.outcomes[Outcome.abandoned],
            blocked=self.outcomes[Outcome.blocked],
            wait_median_s=median_s(self.waits),
            wait_p90_s=p90_s(self.waits),
            waits_counted=len(self.waits),
            duration_median_s=median_s(self.durations),
            durations_counted=len(self.durations),
            language=sorted_counts(self.language),
            age_band=sorted_counts(self.age_band),
            topic=sorted_counts(self.topic),
            tags=sorted_counts(self.tags),
            feedback=sorted_counts(self.feedback),
        )


def feedback_keys(stat: ConversationStat) -> list[str]:
    """The visitor's answers as counter keys; "answered" once for a row with any answer."""
    answers = [
        f"{question}:{value}"
        for question, value in (
            ("helped", stat.feedback_helped),
            ("again", stat.feedback_again),
            ("found", stat.feedback_found),
        )
        if value is not None
    ]
    return ["answered", *answers] if answers else []


async def referrals(session: AsyncSession, start: date, end: date) -> list[ReferralPublic]:
    """Cards sent per resource in the period (exact; suppress where shown outside the staff's dashboard)."""
    result = await session.exec(
        select(Resource.id, Resource.name, func.sum(ResourceReferral.count))
        .join(Resource, col(Resource.id) == col(ResourceReferral.resource_id))
        .where(col(ResourceReferral.day) >= start, col(ResourceReferral.day) <= end)
        .group_by(col(Resource.id), col(Resource.name))
        .order_by(func.sum(ResourceReferral.count).desc(), col(Resource.name))
    )
    return [ReferralPublic(resource_id=i, name=name, count=int(count)) for i, name, count in result.all()]


async def duty_hours(session: AsyncSession, start: date, end: date, group: Group) -> dict[date, float]:
    """Counselor-hours available per period (intervals still open count until now)."""

    def _day_start(day: date) -> datetime:
        return day_start(session, day)  # the service's midnight, not UTC's

    range_start, range_end = _day_start(start), _day_start(end + timedelta(days=1))
    now = utcnow()
    result = await session.exec(
        select(DutyInterval).where(
            col(DutyInterval.started_at) < range_end,
            or_(col(DutyInterval.ended_at).is_(None), col(DutyInterval.ended_at) > range_start),
        )
    )
    intervals = [(i.started_at, i.ended_at or now) for i in result.all()]
    hours: dict[date, float] = {}
    for period in periods(start, end, group):
        lower = max(_day_start(period), range_start)
        upper = min(_day_start(next_period(period, group)), range_end)
        seconds = sum(max(0.0, (min(e, upper) - max(s, lower)).total_seconds()) for s, e in intervals)
        hours[period] = round(seconds / 3600, 2)
    return hours


async def key_labels(session: AsyncSession, by: By) -> dict[int, str]:
    """The names of the links or spaces the rows are keyed by."""
    if by == "link":
        return {i: label for i, label in (await session.exec(select(Link.id, Link.label))).all() if i is not None}
    if by == "space":
        return {i: name for i, name in (await session.exec(select(Space.id, Space.name))).all() if i is not None}
    return {}


async def report(session: AsyncSession, start: date, end: date, group: Group, by: By) -> StatsPublic:
    """Counts, waits and breakdowns per period and link/space; exact counts (staff only, see the docs)."""
    check_period(start, end)
    in_range = (col(ConversationStat.day) >= start, col(ConversationStat.day) <= end)
    stats = list((await session.exec(select(ConversationStat).where(*in_range))).all())
    tag_rows = await session.exec(
        select(ConversationStatTag.stat_id, ConversationStatTag.tag_id)
        .join(ConversationStat, col(ConversationStat.id) == col(ConversationStatTag.stat_id))
        .where(*in_range)
    )
    tags_of: dict[int, list[int]] = {}
    for stat_id, tag_id in tag_rows.all():
        tags_of.setdefault(stat_id, []).append(tag_id)
    link_space = {i: s for i, s in (await session.exec(select(Link.id, Link.space_id))).all() if i is not None}
    opens = await session.exec(select(LinkOpen).where(col(LinkOpen.day) >= start, col(LinkOpen.day) <= end))

    buckets: dict[tuple[date, int | None], Bucket] = {}

    def bucket(day: date, key: int | None) -> Bucket:
        return buckets.setdefault((period_of(day, group), key if by != "none" else None), Bucket())

    for counted in opens.all():
        link_id = counted.link_id
        bucket(counted.day, link_space.get(link_id) if by == "space" else link_id).opened += counted.count
    for stat in stats:
        bucket(stat.day, stat.space_id if by == "space" else stat.link_id).add(stat, tags_of.get(stat.id or 0, ()))

    labels = await key_labels(session, by)
    totals: dict[int | None, Bucket] = {}
    overall = Bucket()
    for (_period, key), found in buckets.items():
        totals.setdefault(key, Bucket()).merge(found)
        overall.merge(found)

    def order(key: int | None) -> tuple[bool, int]:
        return (key is None, key or 0)

    hours = await duty_hours(session, start, end, group)
    tag_ids = {int(tag_id) for found in buckets.values() for tag_id in found.tags}
    tag_names = await session.exec(select(Tag.id, Tag.name).where(col(Tag.id).in_(tag_ids)))
    return StatsPublic(
        from_=start,
        to=end,
        group=group,
        by=by,
        periods=[StatsPeriodPublic(period=p, counselor_hours=h) for p, h in hours.items()],
        rows=[
            buckets[(period, key)].row(period, key, labels.get(key or 0))
            for period, key in sorted(buckets, key=lambda pk: (pk[0], *order(pk[1])))
        ],
        totals=[totals[key].row(None, key, labels.get(key or 0)) for key in sorted(totals, key=order)],
        overall=overall.row(None, None, None),
        counselor_hours=round(sum(hours.values()), 2),
        tag_names={str(tag_id): name for tag_id, name in tag_names.all()},
        referrals=await referrals(session, start, end),
        small_counts="exact",
    )
