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
- **Blocks** of source keys, and which source keys a conversation came from, expire on their own.

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
from collections.abc import Callable, Iterable

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

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
    async def take(self, name: str, key: str, burst: float, per_second: float) -> float:
        """Take a token from bucket `name`/`key`: 0.0 when allowed, else the seconds until one is free."""

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

    async def day_secret(self, day: str) -> bytes:
        secret = self._secrets.get(day)
        if secret is None:
            secret = self._secrets[day] = secrets.token_bytes(SECRET_BYTES)
            for old in sorted(self._secrets)[:-KEEP_SECRET_DAYS]:
                del self._secrets[old]
        return secret

    async def take(self, name: str, key: str, burst: float, per_second: float) -> float:
        limiter = self._limiters.get(name)
        if limiter is None or (limiter.burst, limiter.per_second) != (burst, per_second):
            limiter = self._limiters[name] = RateLimiter(burst=burst, per_second=per_second, name=name)
        return limiter.retry_after(key, now=self._clock())

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


# Refill and take one token on Redis's clock; the bucket's key expires once it would be full again.
# KEYS[1] the bucket; ARGV[1] burst, ARGV[2] tokens per second. Returns the wait in seconds, as a string
# (a Lua number would come back truncated to an integer).
TAKE_SCRIPT = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1])
local at = tonumber(saved[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 10)
return tostring(wait)
"""
AWAY_S = 1.0  # after a failure, Redis is not asked again for this long
WARN_EVERY_S = 10.0


class RedisSharedState(SharedState):
    """Redis, shared by every node with the same prefix. Plain commands and one script: no persistence
    assumed or wanted (see the module docstring)."""

    def __init__(self, url: str, prefix: str = "lykta") -> None:
        self.prefix = prefix
        # one quick retry covers a pooled connection that died with a Redis restart; no long back-off,
        # since a visitor's request is waiting
        self._client = redis.Redis.from_url(
            url,
            socket_connect_timeout=2,
            socket_timeout=2,
            health_check_interval=10,
            retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), 1),
        )
        self._take = self._client.register_script(TAKE_SCRIPT)
        self._stand_ins: dict[str, bytes] = {}
        self._away_until = 0.0
        self._warned: dict[str, float] = {}

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def _away(self) -> bool:
        return time.monotonic() < self._away_until

    def _failed(self, what: str, exc: BaseException | None, level: int = logging.WARNING) -> None:
        now = time.monotonic()
        if exc is not None:
            self._away_until = now + AWAY_S
        if now - self._warned.get(what, -WARN_EVERY_S) >= WARN_EVERY_S:
            self._warned[what] = now
            reason = type(exc).__name__ if exc is not None else "recently unreachable"
            log.log(level, "shared state in Redis unavailable (%s): %s", reason, what)

    async def day_secret(self, day: str) -> bytes:
        key = self._key("secret", day)
        exc: BaseException | None = None
        if not self._away():
            try:
                async with self._client.pipeline(transaction=True) as pipe:
                    pipe.set(key, secrets.token_bytes(SECRET_BYTES), nx=True, ex=SECRET_TTL_S)
                    pipe.get(key)
                    _, secret = await pipe.execute()
                if isinstance(secret, bytes) and secret:
                    self._stand_ins.pop(day, None)
                    return secret
            except (RedisError, OSError) as error:
                exc = error
        self._failed("this process uses its own daily secret; nodes' source keys differ until Redis is back", exc)
        stand_in = self._stand_ins.get(day)
        if stand_in is None:
            stand_in = self._stand_ins[day] = secrets.token_bytes(SECRET_BYTES)
            for old in sorted(self._stand_ins)[:-KEEP_SECRET_DAYS]:
                del self._stand_ins[old]
        return stand_in

    def secret_is_stand_in(self, day: str) -> bool:
        return day in self._stand_ins

    async def take(self, name: str, key: str, burst: float, per_second: float) -> float:
        if self._away():
            self._failed("rate limits let everything through", None)
            return 0.0
        try:
            wait = await self._take(keys=[self._key("rate", name, key)], args=[repr(burst), repr(per_second)])
            return max(0.0, float(wait))
        except (RedisError, OSError, ValueError) as exc:
            self._failed("rate limits let everything through", exc)
            return 0.0

    async def block(self, keys: Iterable[str], seconds: float) -> None:
        keys = list(keys)
        if not keys:
            return
        milliseconds = max(1, round(seconds * 1000))
        if self._away():
            self._failed("a block could not be stored", None, logging.ERROR)
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.set(self._key("block", key), b"1", px=milliseconds)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("a block could not be stored", exc, logging.ERROR)

    async def is_blocked(self, keys: Iterable[str]) -> bool:
        names = [self._key("block", key) for key in keys]
        if not names:
            return False
        if self._away():
            self._failed("blocks cannot be read; nobody counts as blocked", None)
            return False
        try:
            return int(await self._client.exists(*names)) > 0
        except (RedisError, OSError) as exc:
            self._failed("blocks cannot be read; nobody counts as blocked", exc)
            return False

    async def remember_sources(self, conversation_id: str, keys: Iterable[str], ttl_s: float) -> None:
        members = list(keys)
        if not members:
            return
        if self._away():
            self._failed("a conversation's sources could not be stored", None)
            return
        name = self._key("sources", conversation_id)
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.sadd(name, *members)
                pipe.pexpire(name, max(1, round(ttl_s * 1000)))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("a conversation's sources could not be stored", exc)

    async def sources_of(self, conversation_id: str) -> set[str]:
        if self._away():
            self._failed("a conversation's sources cannot be read", None)
            return set()
        try:
            members = await self._client.smembers(self._key("sources", conversation_id))
        except (RedisError, OSError) as exc:
            self._failed("a conversation's sources cannot be read", exc)
            return set()
        return {m.decode() if isinstance(m, bytes) else str(m) for m in members}

    async def close(self) -> None:
        await self._client.aclose()


def make_shared(url: str, prefix: str = "lykta") -> SharedState:
    """The shared state that goes with the broker at this URL (see app/realtime/broker.py make_broker)."""
    if url.startswith("memory://"):
        return MemorySharedState()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisSharedState(url, prefix)
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]}")
