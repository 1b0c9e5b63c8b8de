"""Errors that carry their HTTP status and a machine code, rendered as {"detail", "code"}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.metrics import ERRORS


class AppError(Exception):
    def __init__(self, message: str, status_code: int = 400, code: str = "bad_request", **extra: Any):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.extra = extra


UNAVAILABLE_RETRY_S = 2


def database_unreachable(exc: BaseException) -> bool:
    """True for errors that mean the database (or its pool) cannot be reached right now."""
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, OSError, TimeoutError))


def _body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


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
        headers = {}
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra["retry_after"])
        return JSONResponse(_body(exc.message, exc.code, **exc.extra), status_code=exc.status_code, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        if database_unreachable(exc):
            ERRORS.labels("unavailable", "http").inc()
            body = _body("the service cannot reach its database; try again shortly", "unavailable")
            headers = {"Retry-After": str(UNAVAILABLE_RETRY_S)}
            return JSONResponse({**body, "retry_after": UNAVAILABLE_RETRY_S}, status_code=503, headers=headers)
        ERRORS.labels("server_error", "http").inc()
        return JSONResponse(_body("something went wrong on our side; try again", "server_error"), status_code=500)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))} for err in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else str(first["msg"])
        return JSONResponse(_body(detail, "invalid_request", errors=errors), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        return JSONResponse(_body(str(exc.detail), code), status_code=exc.status_code, headers=exc.headers)
