"""Errors that carry their HTTP status and a machine code, rendered as {"detail", "code"}.

A kind of error is a subclass of AppError with its status, code and usual detail; routes name the
kinds they can answer with `errors(...)` so the OpenAPI schema lists every code (app/openapi.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.metrics import ERRORS


class AppError(Exception):
    """An answer other than success; subclasses name a kind (status, code, usual detail)."""

    status_code: int = 400
    code: str = "bad_request"
    detail: str = "the request cannot be served"

    def __init__(
        self, message: str | None = None, status_code: int | None = None, code: str | None = None, **extra: Any
    ):
        self.message = message or self.detail
        super().__init__(self.message)
        if status_code is not None:
            self.status_code = status_code
        if code is not None:
            self.code = code
        self.extra = extra


class NotFound(AppError):
    """`NotFound("conversation")` says "no such conversation"."""

    status_code = 404
    code = "not_found"
    detail = "not found"

    def __init__(self, what: str | None = None, *, detail: str | None = None, **extra: Any):
        super().__init__(detail or (f"no such {what}" if what else None), **extra)


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"
    detail = "please sign in"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    detail = "you may not do this"


class OriginNotAllowed(AppError):
    status_code = 403
    code = "origin_not_allowed"
    detail = "this origin may not use the console"


class CsrfFailed(AppError):
    status_code = 403
    code = "csrf_failed"
    detail = "missing or wrong CSRF token"


class NotAvailable(AppError):
    """This source is blocked (the chat, the follow-up, the mailbox): nothing says why."""

    status_code = 403
    code = "not_available"
    detail = "the chat is not available"


class NotHolder(AppError):
    status_code = 403
    code = "not_holder"
    detail = "you do not hold this conversation"


class ConversationClosed(AppError):
    status_code = 409
    code = "conversation_closed"
    detail = "this conversation has ended"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    detail = "the request conflicts with what is stored"


class MalformedBody(AppError):
    """A body that is not the JSON it claims to be (FastAPI's parse error)."""

    status_code = 400
    code = "bad_request"
    detail = "There was an error parsing the body"


class TooLarge(AppError):
    status_code = 413
    code = "too_large"
    detail = "the request body is too large"


class InvalidRequest(AppError):
    """What FastAPI's validation finds: 422 with every field's problem in `errors`."""

    status_code = 422
    code = "invalid_request"
    detail = "invalid request"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"
    detail = "too many requests; try again shortly"


class ServerError(AppError):
    status_code = 500
    code = "server_error"
    detail = "something went wrong on our side; try again"


class Closed(AppError):
    """Nobody is on duty: carries `next_opening`."""

    status_code = 503
    code = "closed"
    detail = "nobody is on duty right now"


class Unavailable(AppError):
    status_code = 503
    code = "unavailable"
    detail = "the service cannot reach its database; try again shortly"


ErrorKind = type[AppError]
Dependency = TypeVar("Dependency")
ERRORS_KEY = "x-lykta-errors"  # where `errors()` leaves the kinds for app/openapi.py to describe


def errors(*kinds: ErrorKind) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: the kinds of error it answers with, grouped by status."""
    grouped: dict[int | str, dict[str, Any]] = {}
    for kind in kinds:
        entry = grouped.setdefault(kind.status_code, {ERRORS_KEY: []})  # app/openapi.py writes the description
        if kind.code not in entry[ERRORS_KEY]:
            entry[ERRORS_KEY].append(kind.code)
    return grouped


def declares(*kinds: ErrorKind) -> Callable[[Dependency], Dependency]:
    """Marks a dependency with the kinds of error it raises; every route that uses it declares them."""

    def mark(dependency: Dependency) -> Dependency:
        setattr(dependency, "__lykta_errors__", (*getattr(dependency, "__lykta_errors__", ()), *kinds))  # noqa: B010
        return dependency

    return mark


UNAVAILABLE_RETRY_S = 2


def database_unreachable(exc: BaseException) -> bool:
    """True for errors that mean the database (or its pool) cannot be reached right now."""
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, OSError, TimeoutError))


def error_response(exc: AppError) -> JSONResponse:
    """The same answer as a raised AppError (returned instead, e.g. so the request's transaction commits)."""
    headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
    body = {"detail": exc.message, "code": exc.code, **exc.extra}
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        ERRORS.labels(exc.code, "http").inc()
        return error_response(exc)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        if database_unreachable(exc):
            ERRORS.labels("unavailable", "http").inc()
            return error_response(Unavailable(retry_after=UNAVAILABLE_RETRY_S))
        ERRORS.labels("server_error", "http").inc()
        return error_response(ServerError())

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))} for err in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else str(first["msg"])
        return error_response(InvalidRequest(detail, errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        return JSONResponse({"detail": str(exc.detail), "code": code}, status_code=exc.status_code, headers=exc.headers)
