"""Statistics for any signed-in staff member: the dashboard's JSON and the CSV export (small counts suppressed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep
from app.stats.csvfile import CSV_ANSWER, CsvResponse
from app.stats.export import stats_csv
from app.stats.params import PeriodDep
from app.stats.report import report
from app.stats.schemas import By, Group, StatsPublic

router = APIRouter(prefix="/api/console", tags=["statistics"])

GroupQuery = Annotated[Group, Query()]
ByQuery = Annotated[By, Query()]


@router.get("/stats")
async def stats(
    period: PeriodDep, _staff: CurrentStaff, session: SessionDep, group: GroupQuery = "day", by: ByQuery = "none"
) -> StatsPublic:
    return await report(session, period.start, period.end, group, by)


@router.get("/export/stats.csv", response_class=CsvResponse, responses=CSV_ANSWER)
async def stats_export(
    period: PeriodDep,
    _staff: CurrentStaff,
    session: SessionDep,
    runtime: RuntimeDep,
    group: GroupQuery = "day",
    by: ByQuery = "none",
) -> CsvResponse:
    data = await report(session, period.start, period.end, group, by)
    return stats_csv(data, runtime.settings.languages)
