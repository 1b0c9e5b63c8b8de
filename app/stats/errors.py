"""The statistics' own kinds of error: a period given the wrong way round, or too long to count at once."""

from __future__ import annotations

from app.core.errors import AppError


class InvalidPeriod(AppError):
    status_code = 422
    code = "invalid_period"
    detail = "from must be on or before to"


class PeriodTooLong(AppError):
    status_code = 422
    code = "period_too_long"
    detail = "a period is too long"
