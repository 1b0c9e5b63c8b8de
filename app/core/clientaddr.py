"""The client address is turned into a daily-rotating keyed hash and then dropped from the request.

The secret changes every UTC day, so the key can serve rate limits and blocks for a day but cannot be
reversed or joined across days. A key names its day (`YYYY-MM-DD:<hash>`): a block of a week keeps the
secrets of the days its keys were made on for as long as it lasts (app/privacy/blocks.py), and every
request is also hashed under those kept secrets, so a blocked source is recognised on each day of its block.
Every node of a cluster must compute the same key for the same address,
so once the app has started the secrets come from its shared state (app/core/shared.py: in Redis when
the broker is Redis, never written to disk), fetched once per day and process and checked again every
minute (after a Redis restart the nodes settle on the new secret). Before the app's start-up, or without
a runtime, a secret made in this process's memory serves. After this middleware, nothing below it
(including uvicorn's own log lines, which read the same scope) sees the address.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from app.core.shared import SharedState

SOURCE_KEYS = "lykta.sources"
KEY_DAYS = 2  # today's key, and yesterday's, so a block made yesterday still matches
REFRESH_S = 60.0  # ask the shared state again this often (it may have been restarted)
STAND_IN_RETRY_S = 5.0  # a process-local stand-in (Redis away) is replaced as soon as Redis answers


def recent_days(days: int = KEY_DAYS) -> list[str]:
    """Today (UTC) first, then the days before, as `YYYY-MM-DD`."""
    today = datetime.now(UTC).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(days)]


def keys_for(secrets_of_days: list[bytes], address: str, days: list[str] | None = None) -> list[str]:
    """The address's keyed hashes, one per secret; with the days of the secrets, each named by its day."""
    hashes = [hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32] for secret in secrets_of_days]
    return hashes if days is None else [f"{day}:{digest}" for day, digest in zip(days, hashes, strict=True)]


def day_of(key: str) -> str | None:
    """The day a source key was made for (None for a key without one)."""
    day, sep, _ = key.partition(":")
    return day if sep else None


class DailySecrets:
    """One random secret per UTC day, kept in memory for the last `days` days and never written."""

    def __init__(self, days: int = KEY_DAYS) -> None:
        self.days = days
        self._secrets: dict[str, bytes] = {}

    def current(self) -> list[bytes]:
        wanted = recent_days(self.days)
        for day in wanted:
            if day not in self._secrets:
                # a day we did not see (e.g. before start-up) gets a secret no address ever matched
                self._secrets[day] = secrets.token_bytes(32)
        for day in [d for d in self._secrets if d not in wanted]:
            del self._secrets[day]
        return [self._secrets[day] for day in wanted]


class SharedDailySecrets:
    """The cluster's secrets of the last `days` days, cached in this process: fetched on first use each
    day, checked again every REFRESH_S (sooner while Redis is away), old days dropped."""

    def __init__(self, shared: SharedState, days: int = KEY_DAYS, clock: Callable[[], float] = time.monotonic) -> None:
        self.shared = shared
        self.days = days
        self._clock = clock
        self._cache: dict[str, tuple[bytes, float]] = {}  # day -> (secret, ask again after)
        self._lock: asyncio.Lock | None = None
        self._kept: tuple[list[str], list[tuple[str, bytes]], float] | None = None  # (for days, found, until)

    def _stale(self, wanted: list[str]) -> bool:
        now = self._clock()
        return any(day not in self._cache or self._cache[day][1] <= now for day in wanted)

    async def current(self) -> list[bytes]:
        wanted = recent_days(self.days)
        if self._stale(wanted):
            self._lock = self._lock or asyncio.Lock()
            async with self._lock:  # one fetch at a time; the others then find the cache filled
                for day in wanted:
                    entry = self._cache.get(day)
                    if entry is None or entry[1] <= self._clock():
                        secret = await self.shared.day_secret(day)
                        wait = STAND_IN_RETRY_S if self.shared.secret_is_stand_in(day) else REFRESH_S
                        self._cache[day] = (secret, self._clock() + wait)
                for day in [d for d in self._cache if d not in wanted]:
                    del self._cache[day]
        return [self._cache[day][0] for day in wanted]

    async def dated(self) -> list[tuple[str, bytes]]:
        """(day, secret): the recent days, today first, then older days whose secrets blocks keep (asked
        again every REFRESH_S, and whenever the day changes)."""
        wanted = recent_days(self.days)
        recent = list(zip(wanted, await self.current(), strict=True))
        if self._kept is None or self._kept[0] != wanted or self._kept[2] <= self._clock():
            days = [day for day in await self.shared.kept_days() if day not in wanted]
            found = [(day, await self.shared.day_secret(day)) for day in days]
            self._kept = (wanted, found, self._clock() + REFRESH_S)
        return recent + self._kept[1]


_secrets = DailySecrets()


def source_keys_for(address: str) -> list[str]:
    """Process-local keys (before start-up): today's key first, then the earlier days' keys."""
    return keys_for(_secrets.current(), address, recent_days(_secrets.days))


async def shared_source_keys(shared: SharedState, address: str) -> list[str]:
    """The keys every node computes for this address, today's first (what the middleware gives a request
    once the app runs)."""
    days = recent_days()
    return keys_for([await shared.day_secret(day) for day in days], address, days)


class SourceKeyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._shared_secrets: SharedDailySecrets | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            scope["client"] = None  # dropped first: nothing below, nor a warning while we wait, sees it
            if client:
                dated = await self._secrets(scope)
                scope[SOURCE_KEYS] = keys_for([s for _, s in dated], client[0], [day for day, _ in dated])
            else:
                scope[SOURCE_KEYS] = []
        await self.app(scope, receive, send)

    async def _secrets(self, scope: Scope) -> list[tuple[str, bytes]]:
        state = getattr(scope.get("app"), "state", None)
        shared: SharedState | None = getattr(getattr(state, "runtime", None), "shared", None)
        if shared is None:  # before the lifespan started the runtime
            return list(zip(recent_days(_secrets.days), _secrets.current(), strict=True))
        if self._shared_secrets is None or self._shared_secrets.shared is not shared:
            self._shared_secrets = SharedDailySecrets(shared)
        return await self._shared_secrets.dated()


def source_keys(conn: HTTPConnection) -> list[str]:
    return list(conn.scope.get(SOURCE_KEYS, []))
