"""What the admin's schedule and settings edits are refused with (422 names the field and the problem)."""

from __future__ import annotations

from app.core.errors import AppError


class InvalidTime(AppError):
    status_code = 422
    code = "invalid_time"
    detail = "not a time as HH:MM (00:00 to 23:59)"


class InvalidDay(AppError):
    status_code = 422
    code = "invalid_day"
    detail = "not a date as YYYY-MM-DD"


class InvalidWeekday(AppError):
    status_code = 422
    code = "invalid_weekday"
    detail = "not a weekday (0 = Monday to 6 = Sunday)"


class EmptyOpening(AppError):
    status_code = 422
    code = "empty_opening"
    detail = "opens and closes are the same time"


class OverlappingHours(AppError):
    status_code = 422
    code = "overlapping_hours"
    detail = "two weekly rows overlap"


class HoursOnClosedDay(AppError):
    status_code = 422
    code = "hours_on_closed_day"
    detail = "a closed day takes no opens or closes"


class MissingHours(AppError):
    status_code = 422
    code = "missing_hours"
    detail = "a day open at other hours needs both opens and closes"


class UnknownSetting(AppError):
    status_code = 422
    code = "unknown_setting"
    detail = "unknown settings"


class InvalidSetting(AppError):
    status_code = 422
    code = "invalid_setting"
    detail = "a setting's value is not allowed"


WEEK_REFUSALS = (InvalidWeekday, InvalidTime, EmptyOpening, OverlappingHours)
EXCEPTION_REFUSALS = (InvalidDay, InvalidTime, HoursOnClosedDay, MissingHours, EmptyOpening)
