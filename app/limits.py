"""The app's rate limits per source key, counted in its shared state so every node counts the same attempts.

The buckets (sign-in, conversations, follow-up attempts) live in the shared state (app/core/shared.py: in
Redis when the broker is Redis); each limit answers 429 `rate_limited` with Retry-After. A route takes
the app's limits as `LimitsDep`, which declares the 429 in its OpenAPI answers; `check_source` refuses.
The token bucket itself is app/core/ratelimit.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from app.core.clientaddr import source_keys
from app.core.config import Settings
from app.core.errors import RateLimited, declares
from app.core.ratelimit import RateLimiter, retry_seconds
from app.runtime import runtime_of

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


@declares(RateLimited)
def limits_of(conn: HTTPConnection) -> Limits:
    """The app's limits, made on first use (the per-source buckets themselves are in the shared state)."""
    state = conn.app.state
    limits = getattr(state, _STATE_KEY, None)
    if limits is None:
        limits = Limits(runtime_of(conn).settings)
        setattr(state, _STATE_KEY, limits)
    assert isinstance(limits, Limits)
    return limits


LimitsDep = Annotated[Limits, Depends(limits_of)]


def source_key(conn: HTTPConnection) -> str:
    """Today's keyed hash of the client's address (never the address itself)."""
    keys = source_keys(conn)
    return keys[0] if keys else "unknown"


async def check_source(limiter: RateLimiter | None, conn: HTTPConnection, what: str) -> None:
    """429 with Retry-After when this source has used up its attempts on any node (no-op when the limit
    is off). The limiter gives the bucket's name and size; the token comes from the shared state."""
    if limiter is not None:
        shared = runtime_of(conn).shared
        refuse_if_waiting(await shared.take(limiter.name, source_key(conn), limiter.burst, limiter.per_second), what)


def refuse_if_waiting(wait: float, what: str) -> None:
    """Raise a 429 with Retry-After when a bucket answered with a wait."""
    if wait > 0:
        seconds = retry_seconds(wait)
        raise RateLimited(f"too many {what}; try again in {seconds} s", retry_after=seconds)
