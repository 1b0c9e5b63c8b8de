"""The client address is turned into a daily-rotating keyed hash and then dropped from the request.

The secret lives only in this process's memory and changes every UTC day, so the key can serve rate
limits and blocks for a day but cannot be reversed or joined across days. After this middleware,
nothing below it (including uvicorn's own log lines, which read the same scope) sees the address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

SOURCE_KEY = "lykta.source"


class DailySecret:
    def __init__(self) -> None:
        self._day = ""
        self._secret = b""

    def current(self) -> bytes:
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        if day != self._day:
            self._day, self._secret = day, secrets.token_bytes(32)
        return self._secret


_secret = DailySecret()


def source_key_for(address: str) -> str:
    return hmac.new(_secret.current(), address.encode(), hashlib.sha256).hexdigest()[:32]


class SourceKeyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            scope[SOURCE_KEY] = source_key_for(client[0]) if client else "unknown"
            scope["client"] = None
        await self.app(scope, receive, send)


def source_key(conn: HTTPConnection) -> str:
    return str(conn.scope.get(SOURCE_KEY, "unknown"))
