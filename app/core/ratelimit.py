"""Token buckets (a socket's frame budgets are in app/realtime/budget.py).

A bucket holds `burst` tokens and refills at `per_second`; each attempt takes one. `RateLimiter` drops idle
buckets, so memory stays bounded. The app's limits per source key, counted in the shared state so every
node counts the same attempts, are in app/limits.py.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


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


def retry_seconds(wait: float) -> int:
    """A wait as whole seconds for Retry-After (at least 1)."""
    return max(1, math.ceil(wait))
