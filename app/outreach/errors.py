"""The outreach register's and links' own kinds of error (the usual detail; some say more where they are raised)."""

from __future__ import annotations

from app.core.errors import AppError


class PersonalData(AppError):
    """A note that looks like contact details of a person in an ad; carries `field`."""

    status_code = 422
    code = "personal_data"
    detail = "keep no contact details of people in ads"


class InvalidAddress(AppError):
    status_code = 422
    code = "invalid_address"
    detail = "address must be an http(s) URL of the site or section"


class InvalidDay(AppError):
    status_code = 422
    code = "invalid_day"
    detail = "day must be between the earliest day and today"


class DuplicateName(AppError):
    status_code = 409
    code = "duplicate_name"
    detail = "this name is already on the list"


class NoSuchSpace(AppError):
    """The space in the path does not exist."""

    status_code = 404
    code = "unknown_space"
    detail = "no such space"


class UnknownSpace(AppError):
    """The space named in the body does not exist."""

    status_code = 422
    code = "unknown_space"
    detail = "no such space"


class UnknownCategory(AppError):
    status_code = 422
    code = "unknown_category"
    detail = "unknown or retired category"


class UnknownIndicator(AppError):
    """Carries `indicators`, the unknown or retired ones asked for."""

    status_code = 422
    code = "unknown_indicator"
    detail = "unknown or retired indicator"


class SpaceRetired(AppError):
    status_code = 409
    code = "space_retired"
    detail = "this space is retired"


class AlreadyObserved(AppError):
    status_code = 409
    code = "already_observed"
    detail = "there is already an observation for this day: correct that one"


class UnknownTemplate(AppError):
    status_code = 422
    code = "unknown_template"
    detail = "unknown or retired template"


class CodeCollision(AppError):
    status_code = 503
    code = "code_collision"
    detail = "could not make a unique code; try again"
