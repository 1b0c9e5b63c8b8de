"""The shared state in Redis (see app/core/shared.py for what it holds and how it fails open)."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable, Sequence

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from app.core.shared import KEEP_SECRET_DAYS, SECRET_BYTES, SECRET_TTL_S, SharedState

log = logging.getLogger("app.core.shared")


# Refill and take one token on Redis's clock; the bucket's key expires once it would be full again.
# KEYS[1] the bucket; ARGV[1] burst, ARGV[2] tokens per second, ARGV[3] tokens to take (0: only look).
# Returns the wait in seconds, as a string (a Lua number would come back truncated to an integer).
TAKE_SCRIPT = """
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
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
  tokens = tokens - cost
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

    async def take(self, name: str, key: str, burst: float, per_second: float, cost: float = 1.0) -> float:
        if self._away():
            self._failed("rate limits let everything through", None)
            return 0.0
        try:
            args = [repr(burst), repr(per_second), repr(cost)]
            wait = await self._take(keys=[self._key("rate", name, key)], args=args)
            return max(0.0, float(wait))
        except (RedisError, OSError, ValueError) as exc:
            self._failed("rate limits let everything through", exc)
            return 0.0

    async def keep_day_secret(self, day: str, seconds: float) -> None:
        milliseconds = max(1, round(seconds * 1000))
        if self._away():
            self._failed("a block's daily secret could not be kept", None, logging.ERROR)
            return
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.pexpire(self._key("secret", day), milliseconds, gt=True)
                pipe.zadd(self._key("kept-days"), {day: time.time() + seconds}, gt=True)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("a block's daily secret could not be kept", exc, logging.ERROR)

    async def kept_days(self) -> list[str]:
        if self._away():
            return []
        name = self._key("kept-days")
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(name, "-inf", time.time())
                pipe.zrange(name, 0, -1)
                _, days = await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("the days that blocks keep cannot be read", exc)
            return []
        return sorted(d.decode() if isinstance(d, bytes) else str(d) for d in days)

    async def count_failure(self, name: str, key: str, fields: Sequence[str], keep_s: float) -> None:
        if self._away():
            self._failed("a failure could not be counted", None)
            return
        hash_name = self._key("fail", name, key)
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                for field in fields:
                    pipe.hincrby(hash_name, f"{field}:n", 1)
                    pipe.hset(hash_name, f"{field}:at", repr(time.time()))
                pipe.pexpire(hash_name, max(1, round(keep_s * 1000)))
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._failed("a failure could not be counted", exc)

    async def failures(self, name: str, key: str, fields: Sequence[str]) -> dict[str, tuple[int, float]]:
        if self._away() or not fields:
            return {}
        names = [part for field in fields for part in (f"{field}:n", f"{field}:at")]
        try:
            values = await self._client.hmget(self._key("fail", name, key), names)
        except (RedisError, OSError) as exc:
            self._failed("failures cannot be read", exc)
            return {}
        found: dict[str, tuple[int, float]] = {}
        now = time.time()
        for i, field in enumerate(fields):
            count, at = values[2 * i], values[2 * i + 1]
            if count is not None and at is not None:
                found[field] = (int(count), max(0.0, now - float(at)))
        return found

    async def forget_failures(self, name: str, key: str, fields: Sequence[str] | None = None) -> None:
        if self._away():
            self._failed("failures could not be forgotten", None)
            return
        hash_name = self._key("fail", name, key)
        try:
            if fields is None:
                await self._client.delete(hash_name)
            elif fields:
                await self._client.hdel(hash_name, *[f"{field}:{part}" for field in fields for part in ("n", "at")])
        except (RedisError, OSError) as exc:
            self._failed("failures could not be forgotten", exc)

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
