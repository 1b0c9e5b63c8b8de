"""Token buckets for rate limits per source key (a socket's frame budgets are in app/realtime/budget.py).

A bucket holds `burst` tokens and refills at `per_second`; each attempt takes one. The limits per source
key (sign-in, conversations, follow-up attempts) are taken from the app's shared state
(app/core/shared.py: in Redis when the broker is Redis), so every node counts the same attempts; each
answers 429 `rate_limited` with Retry-After. `RateLimiter` drops idle buckets, so memory stays bounded.
`limits_of(request)` gives the app's limits.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from app.core.clientaddr import source_keys
from app.core.config import Settings
from app.core.errors import AppError


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    burst: float
    per_second: float
    name: str = "rate"
    max_keys: int = 100_000
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def retry_after(self, key: str, now: float | None = None, cost: float = 1.0) -> float:
        """Take a token for key (cost 0: only look); 0.0 when allowed, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= cost
            return 0.0
        return (1 - bucket.tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.per_second
        for key in [k for k, b in self._buckets.items() if now - b.updated > full_after]:
            del self._buckets[key]


def per_hour(count: int, name: str) -> RateLimiter:
    return RateLimiter(burst=count, per_second=count / 3600, name=name)


# -- the limits of one app --------------------------------------------------------------------------

DEFAULT_LOGIN_PER_MINUTE = 10
DEFAULT_CONVERSATIONS_PER_HOUR = 20
DEFAULT_FOLLOW_UPS_PER_HOUR = 10
_STATE_KEY = "lykta_limits"


def configured(value: float | None, default: float, settings: Settings) -> float:
    """A limit's setting: None means the default, except in the test environment (off); 0 is off."""
    if value is None:
        return 0 if settings.env == "test" else default
    return value


def _limiter(rate: float, per: float, name: str) -> RateLimiter | None:
    return RateLimiter(burst=rate, per_second=rate / per, name=name) if rate > 0 else None


class Limits:
    """Every rate limit of one app per source key (HTTP)."""

    def __init__(self, settings: Settings) -> None:
        login = configured(settings.login_attempts_per_minute, DEFAULT_LOGIN_PER_MINUTE, settings)
        conversations = configured(settings.conversations_per_hour, DEFAULT_CONVERSATIONS_PER_HOUR, settings)
        follow_ups = configured(settings.follow_up_attempts_per_hour, DEFAULT_FOLLOW_UPS_PER_HOUR, settings)
        self.login = _limiter(login, 60, "login")
        self.conversations = _limiter(conversations, 3600, "conversations")
        self.follow_up = _limiter(follow_ups, 3600, "follow-up")


def limits_of(conn: HTTPConnection) -> Limits:
    """The app's limits, made on first use (the per-source buckets themselves are in the shared state)."""
    state = conn.app.state
    limits = getattr(state, _STATE_KEY, None)
    if limits is None:
        from app.core.runtime import runtime_of  # here: the runtime imports modules that use limits

        limits = Limits(runtime_of(conn).settings)
        setattr(state, _STATE_KEY, limits)
    assert isinstance(limits, Limits)
    return limits


def source_key(conn: HTTPConnection) -> str:
    """Today's keyed hash of the client's address (never the address itself)."""
    keys = source_keys(conn)
    return keys[0] if keys else "unknown"


async def check_source(limiter: RateLimiter | None, conn: HTTPConnection, what: str) -> None:
    """429 with Retry-After when this source has used up its attempts on any node (no-op when the limit
    is off). The limiter gives the bucket's name and size; the token comes from the shared state."""
    if limiter is not None:
        from app.core.runtime import runtime_of  # here: the runtime imports modules that use limits

        shared = runtime_of(conn).shared
        refuse_if_waiting(await shared.take(limiter.name, source_key(conn), limiter.burst, limiter.per_second), what)


def refuse_if_waiting(wait: float, what: str) -> None:
    """Raise a 429 with Retry-After when a bucket answered with a wait."""
    if wait > 0:
        seconds = retry_seconds(wait)
        raise AppError(f"too many {what}; try again in {seconds} s", 429, "rate_limited", retry_after=seconds)


def retry_seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
