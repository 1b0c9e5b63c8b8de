"""The period report's data for any signed-in staff member (small counts already hidden)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.deps import CurrentStaff, SessionDep
from app.stats.params import PeriodDep
from app.stats.period import period_report
from app.stats.schemas import PeriodReportPublic

router = APIRouter(prefix="/api/console", tags=["statistics"])


@router.get("/report")
async def report(
    period: PeriodDep,
    _staff: CurrentStaff,
    session: SessionDep,
    space: Annotated[list[int], Query(max_length=100)] = [],  # noqa: B006 (FastAPI copies defaults)
) -> PeriodReportPublic:
    return await period_report(session, period.start, period.end, space)
