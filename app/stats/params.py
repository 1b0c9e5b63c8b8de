"""Query parameters shared by the statistics and the exports: a period given as from/to dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from app.core.errors import declares
from app.stats.errors import InvalidPeriod, PeriodTooLong
from app.stats.report import check_period


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class OpenPeriod:
    start: date | None
    end: date | None


@declares(InvalidPeriod, PeriodTooLong)
def required_period(
    start: Annotated[date, Query(alias="from", description="YYYY-MM-DD, the service's day")],
    end: Annotated[date, Query(alias="to", description="YYYY-MM-DD, inclusive")],
) -> Period:
    check_period(start, end)
    return Period(start, end)


@declares(InvalidPeriod)
def optional_period(
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> OpenPeriod:
    if start is not None and end is not None and start > end:
        raise InvalidPeriod()
    return OpenPeriod(start, end)


PeriodDep = Annotated[Period, Depends(required_period)]
OpenPeriodDep = Annotated[OpenPeriod, Depends(optional_period)]
