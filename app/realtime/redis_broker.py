"""Redis pub/sub behind the broker seam: one subscription connection per process, never one per chat.

Redis pub/sub is at-most-once: an event lost while Redis is away is repaired by the clients' resume
(sockets catch up from the database by seq). Publishing never fails a request that has already committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from app.realtime.broker import Broker

log = logging.getLogger(__name__)
RECONNECT_MAX_S = 5.0


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
        while True:
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(pattern)
                self.subscribed.set()
                delay = 0.1
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()[cut:]
                    self._deliver(channel, json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, ValueError) as exc:
                self.subscribed.clear()
                log.warning("broker subscription lost (%s); retrying in %.1f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def publish(self, channel: str, payload: dict[str, Any]) -> None:
        try:
            await self._client.publish(self._key(channel), json.dumps(payload, separators=(",", ":")))
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
