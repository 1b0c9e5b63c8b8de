"""The period report a unit takes to its board: every section from the anonymous tables, small counts hidden.

Every count of conversations (and of what they answered or were sent) under 3 reads "<3", zero included, and
so does a median or percentile of fewer than 3 values: a report leaves the staff's hands. Counts that are not
about conversations (ads seen, link opens, outreach contacts, counselor hours) are shown as they are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations.recorder import Outcome
from app.models import (
    ConversationStat,
    ConversationStatTag,
    Indicator,
    Link,
    LinkOpen,
    Observation,
    ObservationIndicator,
    OutreachContact,
    Space,
    SpaceCategory,
    Tag,
)
from app.stats.export import SMALL, SUPPRESSED
from app.stats.report import Bucket, check_period, duty_hours, period_of, periods, referrals
from app.stats.schemas import (
    Group,
    PeriodReportPublic,
    ReportAdsPointPublic,
    ReportChatsPublic,
    ReportContactsPublic,
    ReportFeedbackPublic,
    ReportHoursPointPublic,
    ReportHoursPublic,
    ReportLinkPublic,
    ReportReferralPublic,
    ReportRegisterPublic,
    ReportStartedPointPublic,
    Shown,
)


def hide(count: int) -> Shown:
    return SUPPRESSED if count < SMALL else count


def hide_all(counts: dict[str, int]) -> dict[str, Shown]:
    return {key: hide(value) for key, value in sorted(counts.items())}


def group_for(start: date, end: date) -> Group:
    days = (end - start).days + 1
    return "day" if days <= 14 else "week" if days <= 62 else "month"


async def _register(
    session: AsyncSession, start: date, end: date, group: Group, spaces: dict[int, Space]
) -> ReportRegisterPublic:
    observed = list(
        (
            await session.exec(
                select(Observation)
                .where(col(Observation.day) >= start, col(Observation.day) <= end)
                .where(col(Observation.space_id).in_(list(spaces)))
                .order_by(col(Observation.day))
            )
        ).all()
    )
    categories = dict((await session.exec(select(SpaceCategory.id, SpaceCategory.name))).all())
    watched = {o.space_id for o in observed}
    by_category = Counter(categories.get(spaces[s].category_id, "?") for s in watched)
    last_in_period: dict[tuple[date, int], int] = {}
    for o in observed:  # ordered by day: the last check of a space in each period counts
        last_in_period[(period_of(o.day, group), o.space_id)] = o.ads_seen
    ads: defaultdict[date, int] = defaultdict(int)
    for (period, _space), seen in last_in_period.items():
        ads[period] += seen
    ids = [o.id for o in observed if o.id is not None]
    indicator_rows = await session.exec(
        select(Indicator.name, ObservationIndicator.observation_id)
        .join(Indicator, col(Indicator.id) == col(ObservationIndicator.indicator_id))
        .where(col(ObservationIndicator.observation_id).in_(ids))
    )
    indicators = Counter(name for name, _ in indicator_rows.all())
    return ReportRegisterPublic(
        spaces_watched=len(watched),
        by_category=dict(sorted(by_category.items())),
        ads_over_time=[ReportAdsPointPublic(period=p, ads_seen=ads.get(p, 0)) for p in periods(start, end, group)],
        checks=len(observed),
        ads_new=sum(o.ads_new or 0 for o in observed),
        ads_removed=sum(o.ads_removed or 0 for o in observed),
        indicators=dict(sorted(indicators.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


async def _contacts(session: AsyncSession, start: date, end: date, spaces: dict[int, Space]) -> ReportContactsPublic:
    found = (
        await session.exec(
            select(OutreachContact.channel, OutreachContact.answered).where(
                col(OutreachContact.day) >= start,
                col(OutreachContact.day) <= end,
                col(OutreachContact.space_id).in_(list(spaces)),
            )
        )
    ).all()
    return ReportContactsPublic(
        total=len(found),
        answered=sum(1 for _, answered in found if answered),
        by_channel=dict(sorted(Counter(channel for channel, _ in found).items())),
    )


def _time(value: int | None, counted: int) -> Shown:
    """A median or percentile, or "<3" when it comes from fewer than 3 values."""
    return value if value is not None and counted >= SMALL else SUPPRESSED


def _chats(bucket: Bucket, tag_names: dict[str, str], per_period: dict[date, Bucket]) -> ReportChatsPublic:
    row = bucket.row(None, None, None)
    return ReportChatsPublic(
        started=hide(row.started),
        answered=hide(row.answered),
        abandoned=hide(row.abandoned),
        blocked=hide(row.blocked),
        wait_median_s=_time(row.wait_median_s, row.waits_counted),
        wait_p90_s=_time(row.wait_p90_s, row.waits_counted),
        duration_median_s=_time(row.duration_median_s, row.durations_counted),
        age_band=hide_all(row.age_band),
        topic=hide_all(row.topic),
        language=hide_all(row.language),
        tags={tag_names.get(k, k): v for k, v in hide_all(row.tags).items()},
        over_time=[
            ReportStartedPointPublic(period=p, started=hide(sum(per_period[p].outcomes.values())))
            for p in sorted(per_period)
        ],
    )


def _feedback(bucket: Bucket) -> ReportFeedbackPublic:
    answers: dict[str, dict[str, Shown]] = {"helped": {}, "again": {}, "found": {}}
    for key, count in bucket.feedback.items():
        if key != "answered":
            question, value = key.split(":", 1)
            answers[question][value] = hide(count)
    helped, again, found = (dict(sorted(answers[q].items())) for q in ("helped", "again", "found"))
    return ReportFeedbackPublic(answered=hide(bucket.feedback["answered"]), helped=helped, again=again, found=found)


def _space_name(spaces: dict[int, Space], space_id: int | None) -> str | None:
    space = spaces.get(space_id) if space_id is not None else None
    return space.name if space else None


async def period_report(session: AsyncSession, start: date, end: date, space_ids: list[int]) -> PeriodReportPublic:
    """Every section of the report for [start, end] (the service's days), limited to space_ids when given."""
    check_period(start, end)
    group = group_for(start, end)
    query = select(Space)
    if space_ids:
        query = query.where(col(Space.id).in_(space_ids))
    spaces = {s.id: s for s in (await session.exec(query)).all() if s.id is not None}
    links = {
        link.id: link
        for link in (await session.exec(select(Link).where(col(Link.space_id).in_(list(spaces))))).all()
        if link.id is not None
    }
    in_range = (col(ConversationStat.day) >= start, col(ConversationStat.day) <= end)
    stat_query = select(ConversationStat).where(*in_range)
    if space_ids:
        stat_query = stat_query.where(col(ConversationStat.space_id).in_(space_ids))
    stats = list((await session.exec(stat_query)).all())
    tag_rows = await session.exec(
        select(ConversationStatTag.stat_id, ConversationStatTag.tag_id)
        .join(ConversationStat, col(ConversationStat.id) == col(ConversationStatTag.stat_id))
        .where(*in_range)
    )
    tags_of: dict[int, list[int]] = defaultdict(list)
    for stat_id, tag_id in tag_rows.all():
        tags_of[stat_id].append(tag_id)
    overall = Bucket()
    per_period: defaultdict[date, Bucket] = defaultdict(Bucket)
    per_link: defaultdict[int, Bucket] = defaultdict(Bucket)
    for stat in stats:
        tags = tags_of.get(stat.id or 0, [])
        overall.add(stat, tags)
        per_period[period_of(stat.day, group)].add(stat, tags)
        if stat.link_id is not None and stat.link_id in links:
            per_link[stat.link_id].add(stat, tags)
    opens = await session.exec(
        select(LinkOpen).where(
            col(LinkOpen.day) >= start, col(LinkOpen.day) <= end, col(LinkOpen.link_id).in_(list(links))
        )
    )
    for counted in opens.all():
        per_link[counted.link_id].opened += counted.count
    tag_names = {str(i): name for i, name in (await session.exec(select(Tag.id, Tag.name))).all()}
    hours = await duty_hours(session, start, end, group)
    link_rows = [
        ReportLinkPublic(
            label=links[link_id].label,
            space=_space_name(spaces, links[link_id].space_id),
            opened=bucket.opened,
            started=hide(sum(bucket.outcomes.values())),
            answered=hide(bucket.outcomes[Outcome.answered]),
        )
        for link_id, bucket in sorted(per_link.items(), key=lambda kv: links[kv[0]].label.lower())
    ]
    return PeriodReportPublic(
        from_=start,
        to=end,
        group=group,
        spaces=sorted((s.name for s in spaces.values()) if space_ids else []),
        register_=await _register(session, start, end, group, spaces),
        contacts=await _contacts(session, start, end, spaces),
        links=link_rows,
        chats=_chats(overall, tag_names, per_period),
        feedback=_feedback(overall),
        referrals=[
            ReportReferralPublic(name=r.name, count=hide(r.count)) for r in await referrals(session, start, end)
        ],
        counselor_hours=ReportHoursPublic(
            total=round(sum(hours.values()), 2),
            over_time=[ReportHoursPointPublic(period=p, hours=h) for p, h in hours.items()],
        ),
        small_counts=SUPPRESSED,
    )
