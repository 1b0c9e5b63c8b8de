"""What the statistics answer: the dashboard's aggregates (exact counts, staff only) and the period report a unit
takes to its board (counts of conversations under 3, and times computed from fewer than 3, read "<3")."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from app.core.schemas import Public

Group = Literal["day", "week", "month"]
By = Literal["link", "space", "none"]
Suppressed = Literal["<3"]
Shown = int | Suppressed  # a count or time, or "<3" where it would count fewer than 3 conversations
Counts = dict[str, int]


class PeriodAnswer(Public):
    """An answer about the days from `from` to `to` (the service's days, inclusive)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    from_: date = Field(alias="from")
    to: date


# -- the dashboard (GET /api/console/stats) -------------------------------------------------------


class StatsRowPublic(Public):
    """One period's (or, with `period` null, the whole range's) counts for one link or space, or for all."""

    period: date | None = Field(description="the period's first day; null in totals and overall")
    key: int | None = Field(description="the link's or space's id (by=link or space); null: none, or unattributed")
    label: str | None
    opened: int = Field(description="link opens (the anonymous counter)")
    started: int
    answered: int
    abandoned: int
    blocked: int
    wait_median_s: int | None
    wait_p90_s: int | None
    waits_counted: int
    duration_median_s: int | None
    durations_counted: int
    language: Counts
    age_band: Counts
    topic: Counts
    tags: Counts = Field(description="conversations per tag id (names in tag_names)")
    feedback: Counts = Field(description='the visitors\' answers: "answered", "helped:yes", "again:maybe", …')


class StatsPeriodPublic(Public):
    period: date
    counselor_hours: float


class ReferralPublic(Public):
    """Cards sent for one resource in the period."""

    resource_id: int
    name: str
    count: int


class StatsPublic(PeriodAnswer):
    """Counts, waits and breakdowns per period and link or space, exact (staff only)."""

    group: Group
    by: By
    periods: list[StatsPeriodPublic]
    rows: list[StatsRowPublic]
    totals: list[StatsRowPublic] = Field(description="per link or space over the whole range")
    overall: StatsRowPublic
    counselor_hours: float
    tag_names: dict[str, str] = Field(description="tag id → name")
    referrals: list[ReferralPublic]
    small_counts: Literal["exact"]


# -- the period report (GET /api/console/report) --------------------------------------------------


class ReportAdsPointPublic(Public):
    period: date
    ads_seen: int


class ReportRegisterPublic(Public):
    """The register's side: how many spaces were watched and what was seen there."""

    spaces_watched: int
    by_category: Counts
    ads_over_time: list[ReportAdsPointPublic]
    checks: int
    ads_new: int
    ads_removed: int
    indicators: Counts = Field(description="indicator name → observations tagged, the most seen first")


class ReportContactsPublic(Public):
    total: int
    answered: int
    by_channel: Counts


class ReportLinkPublic(Public):
    label: str
    space: str | None
    opened: int
    started: Shown
    answered: Shown


class ReportStartedPointPublic(Public):
    period: date
    started: Shown


class ReportChatsPublic(Public):
    started: Shown
    answered: Shown
    abandoned: Shown
    blocked: Shown
    wait_median_s: Shown
    wait_p90_s: Shown
    duration_median_s: Shown
    age_band: dict[str, Shown]
    topic: dict[str, Shown]
    language: dict[str, Shown]
    tags: dict[str, Shown] = Field(description="by tag name")
    over_time: list[ReportStartedPointPublic]


class ReportFeedbackPublic(Public):
    answered: Shown
    helped: dict[str, Shown]
    again: dict[str, Shown]
    found: dict[str, Shown]


class ReportReferralPublic(Public):
    name: str
    count: Shown


class ReportHoursPointPublic(Public):
    period: date
    hours: float


class ReportHoursPublic(Public):
    total: float
    over_time: list[ReportHoursPointPublic]


class PeriodReportPublic(PeriodAnswer):
    """Every section of the period report, small counts hidden."""

    group: Group
    spaces: list[str] = Field(description="the spaces the report is limited to; empty: all")
    register_: ReportRegisterPublic = Field(alias="register")  # `register` is taken (the ABC's method)
    contacts: ReportContactsPublic
    links: list[ReportLinkPublic]
    chats: ReportChatsPublic
    feedback: ReportFeedbackPublic
    referrals: list[ReportReferralPublic]
    counselor_hours: ReportHoursPublic
    small_counts: Suppressed
