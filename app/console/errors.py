"""The console's own kinds of error: hand-over, notes, canned replies and wrap-up tags."""

from __future__ import annotations

from app.core.errors import AppError


class UnknownColleague(AppError):
    status_code = 422
    code = "unknown_colleague"
    detail = "no such colleague to transfer to"


class ColleagueUnavailable(AppError):
    status_code = 409
    code = "colleague_unavailable"
    detail = "this colleague is not available"


class NotOffered(AppError):
    status_code = 409
    code = "not_offered"
    detail = "this conversation is not waiting for you"


class SupervisorOnly(AppError):
    status_code = 403
    code = "supervisor_only"
    detail = "only supervisors may whisper"


class UnknownLanguage(AppError):
    """Carries `languages`, the ones there are."""

    status_code = 422
    code = "unknown_language"
    detail = "unknown language"


class DuplicateKeyword(AppError):
    status_code = 409
    code = "duplicate_keyword"
    detail = "there is already a reply with this keyword in this language"


class NotShared(AppError):
    status_code = 403
    code = "not_shared"
    detail = "this is a counselor's personal reply, not a shared one"


class NotOwner(AppError):
    status_code = 403
    code = "not_owner"
    detail = "you may change only your own personal replies"


class DuplicateTag(AppError):
    status_code = 409
    code = "duplicate_tag"
    detail = "there is already a tag with this name"


class UnknownTag(AppError):
    """Carries `tags`, the unknown or retired ones asked for."""

    status_code = 422
    code = "unknown_tag"
    detail = "unknown or retired tag"
