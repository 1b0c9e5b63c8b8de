"""The client address is turned into a daily-rotating keyed hash and then dropped from the request.

The secret lives only in this process's memory and changes every UTC day, so the key can serve rate
limits and blocks for a day but cannot be reversed or joined across days. After this middleware,
nothing below it (including uvicorn's own log lines, which read the same scope) sees the address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

SOURCE_KEYS = "lykta.sources"


class DailySecrets:
    """One random secret per UTC day, kept in memory for the last `days` days and never written."""

    def __init__(self, days: int = 2) -> None:
        self.days = days
        self._secrets: dict[str, bytes] = {}

    def current(self) -> list[bytes]:
        today = datetime.now(UTC).date()
        wanted = [(today - timedelta(days=n)).isoformat() for n in range(self.days)]
        for day in wanted:
            if day not in self._secrets:
                # a day we did not see (e.g. before start-up) gets a secret no address ever matched
                self._secrets[day] = secrets.token_bytes(32)
        for day in [d for d in self._secrets if d not in wanted]:
            del self._secrets[day]
        return [self._secrets[day] for day in wanted]


_secrets = DailySecrets()


def source_keys_for(address: str) -> list[str]:
    """Today's key first, then the earlier days' keys (blocks made then still match)."""
    return [hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32] for secret in _secrets.current()]


class SourceKeyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            scope[SOURCE_KEYS] = source_keys_for(client[0]) if client else []
            scope["client"] = None
        await self.app(scope, receive, send)


def source_keys(conn: HTTPConnection) -> list[str]:
    return list(conn.scope.get(SOURCE_KEYS, []))
