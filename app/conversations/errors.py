"""The kinds of error a conversation's state changes answer with (beside NotFound, NotHolder and
ConversationClosed in app/core/errors.py); the detail usually names the state it is in."""

from __future__ import annotations

from app.core.errors import AppError


class AlreadyClaimed(AppError):
    status_code = 409
    code = "already_claimed"
    detail = "someone else has already answered this conversation"


class AtCapacity(AppError):
    status_code = 409
    code = "at_capacity"
    detail = "you already hold as many conversations as you may"


class NotActive(AppError):
    status_code = 409
    code = "not_active"
    detail = "the conversation is not active"


class NotWaiting(AppError):
    status_code = 409
    code = "not_waiting"
    detail = "only a waiting conversation can be flagged"
