"""An access log with no client address, user agent, referrer or query string; and a body size cap.

The path is logged escaped as it would be sent (`%0a` stays `%0A`), so no request can write a line, or
anything but one printable field, into the log. Any request body over the cap is answered 413
`too_large`, whether its length was declared or it came in chunks (those are read, up to the cap, before
the app sees them).
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_logger = logging.getLogger("lykta.access")
MAX_BODY_BYTES = 64 * 1024
MAX_LOGGED_PATH = 512
PATH_SAFE = "/!$&'()*+,;=:@-._~"  # RFC 3986 path characters; everything else (and %) is escaped


def loggable_path(path: str) -> str:
    """The decoded path escaped again: control characters, spaces and non-ASCII become %XX."""
    escaped = quote(path, safe=PATH_SAFE)
    return escaped if len(escaped) <= MAX_LOGGED_PATH else escaped[:MAX_LOGGED_PATH] + "..."


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
            access_logger.info("%s %s %s %.1fms", method, loggable_path(scope["path"]), status["code"], elapsed_ms)


class BodyLimitMiddleware:
    """Answer 413 to request bodies over the cap, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send)
            return
        if declared is None:  # chunked, or no body: read it (up to the cap) before the app does
            buffered = await self._read_up_to_cap(receive)
            if buffered is None:
                await _too_large(send)
                return
            receive = _replay(buffered, receive)
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

    async def _read_up_to_cap(self, receive: Receive) -> list[Message] | None:
        """The request's messages up to its end, or None as soon as its body passes the cap."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages  # the client went away; the app will see that
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return None
            if not message.get("more_body", False):
                return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    async def replayed() -> Message:
        return messages.pop(0) if messages else await receive()

    return replayed


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
