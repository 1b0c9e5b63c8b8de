"""An access log with no client address, user agent, referrer or query string; and a body size cap."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("lykta.access")
MAX_BODY_BYTES = 64 * 1024


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            elif message["type"] == "websocket.close":
                status["code"] = message.get("code", 1000)
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            method = scope.get("method", "WS")
            elapsed_ms = (time.perf_counter() - started) * 1000
            # scope["path"] carries no query string; the client address is never read here.
            access_logger.info("%s %s %s %.1fms", method, scope["path"], status["code"], elapsed_ms)


class BodyLimitMiddleware:
    """Answer 413 to request bodies over the cap, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body too large","code":"too_large"}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")


class MinimumLevel(logging.Filter):
    """Libraries log headers, frame contents and SQL parameters (message text) at low levels: drop those."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


WIRE_LOGGERS = {
    "uvicorn.error": logging.INFO,
    "websockets": logging.INFO,
    "websockets.server": logging.INFO,
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.engine.Engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
}


def guard_wire_loggers() -> None:
    # uvicorn's access line carries the client address and the query string: ours replaces it.
    logging.getLogger("uvicorn.access").disabled = True
    for name, level in WIRE_LOGGERS.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, MinimumLevel) for f in logger.filters):
            logger.addFilter(MinimumLevel(level))
