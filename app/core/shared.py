"""State every app node must agree on: the daily secrets behind source keys, rate limits and blocks.

`make_shared(settings.broker_url, settings.broker_prefix)` picks the implementation the way the broker
is picked: in this process's memory for `memory://` (one node), in Redis for `redis://`, `rediss://` and
`unix://` (any number of nodes behind one load balancer), with every key under `{prefix}:`.

- **Daily secrets** (app/core/clientaddr.py) are made once per UTC day by whichever node asks first
  (`SET NX EX`) and kept for three days. In Redis they live only in Redis's memory: our deployment runs
  Redis without persistence (no RDB, no AOF), so a secret is never written to disk. A Redis restart
  forgets them; the nodes then agree on a new one within a minute (they ask again that often), and source
  keys made before the restart stop matching, as the blocks and buckets held under them are gone anyway.
- **Rate limits** are token buckets: `take` answers 0.0 when a token was taken, else the seconds until one
  is free. In Redis one Lua script refills and takes atomically, on Redis's own clock (`TIME`), and a
  bucket's key expires once it would be full again.
- **Blocks** of source keys, and which source keys a conversation came from, expire on their own. A block
  keeps the daily secrets its keys were made with for as long as it lasts (`keep_day_secret`), and
  `kept_days` names them, so that a source is recognised on every day of a block of up to a week.
- **Failure counts** (sign-in): per name and key, one count and the time of the last failure per field
  (e.g. the username's own count, and one per source), forgotten `keep_s` after the last failure.

When Redis cannot be reached the service keeps serving visitors, never refusing them for it: rate limits
let every attempt through, a block cannot be read (nobody counts as blocked) or written (the conversation
still ends, and its own token stays refused), and the daily secret falls back to one made in this process
for the day, so until Redis answers again each node computes its own source keys. Failures are logged
(as warnings; a block not stored as an error), at most once per operation every few seconds, and after
one Redis is not asked again for a second, so an outage does not make every request wait for a timeout.
"""

from __future__ import annotations

import logging
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence

from app.core.config import broker_backend
from app.core.ratelimit import RateLimiter

log = logging.getLogger(__name__)

SECRET_TTL_S = 3 * 24 * 3600
SECRET_BYTES = 32
KEEP_SECRET_DAYS = 4  # today and yesterday (the days source keys use), and spares across midnight


class SharedState(ABC):
    @abstractmethod
    async def day_secret(self, day: str) -> bytes:
        """The cluster's secret for this UTC day (`YYYY-MM-DD`), made by whoever asks first."""

    def secret_is_stand_in(self, day: str) -> bool:
        """True when `day_secret(day)` last answered with this process's own stand-in (the shared store
        was away): callers should ask again soon rather than keep it for the day."""
        return False

    @abstractmethod
    async def take(self, name: str, key: str, burst: float, per_second: float, cost: float = 1.0) -> float:
        """Take a token from bucket `name`/`key`: 0.0 when allowed, else the seconds until one is free.
        With cost 0 it only looks: 0.0 while a token is there, nothing taken."""

    @abstractmethod
    async def keep_day_secret(self, day: str, seconds: float) -> None:
        """Keep this day's secret at least `seconds` more (a block was made with keys under it)."""

    @abstractmethod
    async def kept_days(self) -> list[str]:
        """Days whose secrets blocks keep alive now (besides the recent days every request uses)."""

    @abstractmethod
    async def count_failure(self, name: str, key: str, fields: Sequence[str], keep_s: float) -> None:
        """One more failure under each field of `name`/`key`; all of them forgotten `keep_s` after the last."""

    @abstractmethod
    async def failures(self, name: str, key: str, fields: Sequence[str]) -> dict[str, tuple[int, float]]:
        """For each field that has failures: (how many, seconds since the last one)."""

    @abstractmethod
    async def forget_failures(self, name: str, key: str, fields: Sequence[str] | None = None) -> None:
        """Forget these counts of `name`/`key`, or all of them (a success, or an admin's unlock)."""

    @abstractmethod
    async def block(self, keys: Iterable[str], seconds: float) -> None:
        """Block these source keys for the given time (a later block of a key replaces its time)."""

    @abstractmethod
    async def is_blocked(self, keys: Iterable[str]) -> bool:
        """True when any of these source keys is blocked now."""

    @abstractmethod
    async def remember_sources(self, conversation_id: str, keys: Iterable[str], ttl_s: float) -> None:
        """Add source keys of a conversation; all of them are forgotten `ttl_s` after the last call."""

    @abstractmethod
    async def sources_of(self, conversation_id: str) -> set[str]:
        """The source keys a conversation came from (empty once forgotten)."""

    @abstractmethod
    async def close(self) -> None: ...


class MemorySharedState(SharedState):
    """One process: everything in this process's memory (one node, or the tests). Bounded: expired blocks
    and sources are dropped as new ones come in, and idle buckets once there are many."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._secrets: dict[str, bytes] = {}
        self._limiters: dict[str, RateLimiter] = {}
        self._blocked_until: dict[str, float] = {}
        self._sources: dict[str, tuple[set[str], float]] = {}
        self._kept_until: dict[str, float] = {}  # day -> until when a block keeps its secret
        self._failures: dict[str, tuple[dict[str, tuple[int, float]], float]] = {}

    async def day_secret(self, day: str) -> bytes:
        secret = self._secrets.get(day)
        if secret is None:
            secret = self._secrets[day] = secrets.token_bytes(SECRET_BYTES)
            kept = set(await self.kept_days())
            for old in [d for d in sorted(self._secrets)[:-KEEP_SECRET_DAYS] if d not in kept]:
                del self._secrets[old]
        return secret

    async def take(self, name: str, key: str, burst: float, per_second: float, cost: float = 1.0) -> float:
        limiter = self._limiters.get(name)
        if limiter is None or (limiter.burst, limiter.per_second) != (burst, per_second):
            limiter = self._limiters[name] = RateLimiter(burst=burst, per_second=per_second, name=name)
        return limiter.retry_after(key, now=self._clock(), cost=cost)

    async def keep_day_secret(self, day: str, seconds: float) -> None:
        self._kept_until[day] = max(self._kept_until.get(day, 0.0), self._clock() + seconds)

    async def kept_days(self) -> list[str]:
        now = self._clock()
        for day in [d for d, until in self._kept_until.items() if until <= now]:
            del self._kept_until[day]  # its secret goes when day_secret next prunes
        return sorted(self._kept_until)

    async def count_failure(self, name: str, key: str, fields: Sequence[str], keep_s: float) -> None:
        now = self._clock()
        stored, until = self._failures.get(f"{name}:{key}", ({}, 0.0))
        counts = dict(stored) if until > now else {}
        for field in fields:
            counts[field] = (counts.get(field, (0, now))[0] + 1, now)
        self._failures[f"{name}:{key}"] = (counts, now + keep_s)
        for old in [k for k, (_, until) in self._failures.items() if until <= now]:
            del self._failures[old]

    async def failures(self, name: str, key: str, fields: Sequence[str]) -> dict[str, tuple[int, float]]:
        now = self._clock()
        counts, until = self._failures.get(f"{name}:{key}", ({}, 0.0))
        if until <= now:
            return {}
        return {field: (n, now - at) for field, (n, at) in counts.items() if field in fields}

    async def forget_failures(self, name: str, key: str, fields: Sequence[str] | None = None) -> None:
        if fields is None:
            self._failures.pop(f"{name}:{key}", None)
        elif f"{name}:{key}" in self._failures:
            for field in fields:
                self._failures[f"{name}:{key}"][0].pop(field, None)

    async def block(self, keys: Iterable[str], seconds: float) -> None:
        now = self._clock()
        for key in keys:
            self._blocked_until[key] = now + seconds
        self._expire(now)

    async def is_blocked(self, keys: Iterable[str]) -> bool:
        now = self._clock()
        return any(self._blocked_until.get(key, now) > now for key in keys)

    async def remember_sources(self, conversation_id: str, keys: Iterable[str], ttl_s: float) -> None:
        now = self._clock()
        known = self._sources[conversation_id][0] if conversation_id in self._sources else set()
        self._sources[conversation_id] = (known | set(keys), now + ttl_s)
        self._expire(now)

    async def sources_of(self, conversation_id: str) -> set[str]:
        keys, until = self._sources.get(conversation_id, (set(), 0.0))
        return set(keys) if until > self._clock() else set()

    def _expire(self, now: float) -> None:
        for key in [k for k, until in self._blocked_until.items() if until <= now]:
            del self._blocked_until[key]
        for cid in [c for c, (_, until) in self._sources.items() if until <= now]:
            del self._sources[cid]

    async def close(self) -> None:
        return None


def make_shared(url: str, prefix: str = "lykta") -> SharedState:
    """The shared state that goes with the broker at this URL (app/core/config.py's broker_backend)."""
    if broker_backend(url) == "memory":
        return MemorySharedState()
    from app.core.shared_redis import RedisSharedState  # here: it builds on this module

    return RedisSharedState(url, prefix)
