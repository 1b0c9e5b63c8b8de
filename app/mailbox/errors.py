"""The mailbox's own kinds of error: for staff (claims, letters gone) and for visitors (codes, full threads)."""

from __future__ import annotations

from app.core.errors import AppError, NotFound


class NoSuchLetter(NotFound):
    detail = "no such letter (it may have been deleted)"


class AlreadyClaimed(AppError):
    status_code = 409
    code = "already_claimed"
    detail = "someone else is already answering this letter"


class NotWaiting(AppError):
    status_code = 409
    code = "not_waiting"
    detail = "the letter is not waiting"


class MailboxOff(AppError):
    status_code = 403
    code = "mailbox_off"
    detail = "the mailbox is closed; try the chat or the numbers on the page"


class UnknownCode(AppError):
    """A wrong code and an expired one look the same."""

    status_code = 404
    code = "unknown_code"
    detail = "no letter can be found with that code"


class ThreadClosed(AppError):
    status_code = 409
    code = "thread_closed"
    detail = "this letter is closed; you are welcome to write a new one"


class TooManyLetters(AppError):
    status_code = 409
    code = "too_many_letters"
    detail = "wait for an answer before you write more"
