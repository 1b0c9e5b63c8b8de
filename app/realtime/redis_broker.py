"""Redis pub/sub behind the broker seam: one subscription connection per process, never one per chat.

Redis pub/sub is at-most-once: events lost while Redis is away are repaired once the subscription is back
(every local socket catches up from the database by seq, and queue views are recomputed), and by the
clients' own resume. Publishing never fails a request that has already committed. Each event carries its
publish time, for the broker-lag metric.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence

import orjson
import redis.asyncio as redis
from redis.exceptions import RedisError

from app.core.metrics import BROKER_LAG, BROKER_UP
from app.realtime.broker import Broker, Payload

log = logging.getLogger(__name__)
RECONNECT_MAX_S = 5.0
BATCH_CHANNEL = "_batch"  # one PUBLISH carries a batch's events: [sent_at, [[channel, payload], ...]]


class RedisBroker(Broker):
    def __init__(self, url: str, prefix: str = "lykta") -> None:
        super().__init__()
        self.prefix = prefix
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=10)
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    def _key(self, channel: str) -> str:
        return f"{self.prefix}:{channel}"

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="redis-broker")
        with contextlib.suppress(TimeoutError):  # come up even when Redis is away; we keep retrying
            await asyncio.wait_for(self.subscribed.wait(), 5)

    async def _listen(self) -> None:
        delay = 0.1
        pattern = self._key("*")
        cut = len(self.prefix) + 1
        lost = False
        while True:
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(pattern)
                self.subscribed.set()
                BROKER_UP.set(1)
                delay = 0.1
                if lost and self._on_resubscribed is not None:
                    log.info("broker subscription is back; local sockets catch up from the database")
                    self._on_resubscribed()
                lost = False
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()[cut:]
                    try:
                        sent_at, payload = orjson.loads(message["data"])
                        batch = payload if channel == BATCH_CHANNEL else [(channel, payload)]
                    except (ValueError, TypeError):
                        log.warning("ignored an event that is not ours on %s", channel)
                        continue
                    BROKER_LAG.observe(max(0.0, time.time() - float(sent_at)))
                    for event_channel, event in batch:
                        self._deliver(event_channel, event)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, ValueError) as exc:
                self.subscribed.clear()
                BROKER_UP.set(0)
                lost = True
                log.warning("broker subscription lost (%s); retrying in %.1f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def publish(self, channel: str, payload: Payload) -> None:
        await self._publish(channel, payload)

    async def publish_many(self, events: Sequence[tuple[str, Payload]]) -> None:
        if len(events) == 1:
            await self._publish(*events[0])
        elif events:
            await self._publish(BATCH_CHANNEL, events)

    async def _publish(self, channel: str, payload: object) -> None:
        try:
            await self._client.publish(self._key(channel), orjson.dumps([time.time(), payload]))
        except (RedisError, OSError) as exc:  # committed already: clients repair by resume
            log.warning("broker publish failed (%s); clients will catch up on resume", type(exc).__name__)

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping()) and self.subscribed.is_set()
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._client.aclose()
        self._handler = None
