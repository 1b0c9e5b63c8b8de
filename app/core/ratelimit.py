"""In-memory token buckets for rate limits (per source key, per connection, per account).

A bucket holds `burst` tokens and refills at `per_second`; each attempt takes one. Buckets live in this
process only (issue 7 moves shared limits to Redis); idle buckets are dropped so memory stays bounded.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

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

    def retry_after(self, key: str, now: float | None = None) -> float:
        """Take a token for key; 0.0 when allowed, else the seconds until one is free."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_idle(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.per_second

    def check(self, key: str, what: str) -> None:
        """Raise a 429 with Retry-After when key has no token left."""
        wait = self.retry_after(key)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise AppError(f"too many {what}; try again in {seconds} s", 429, "rate_limited", retry_after=seconds)

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.per_second
        for key in [k for k, b in self._buckets.items() if now - b.updated > full_after]:
            del self._buckets[key]


def per_hour(count: int, name: str) -> RateLimiter:
    return RateLimiter(burst=count, per_second=count / 3600, name=name)
