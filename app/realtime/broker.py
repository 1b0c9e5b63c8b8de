"""The seam between processes: events say "something changed"; the database stays the truth."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from app.core.config import broker_backend

log = logging.getLogger(__name__)
EventHandler = Callable[[str, dict[str, Any]], None]  # what arrives is decoded JSON (or, in one process, the dict sent)
Payload = Mapping[str, Any]  # an event of app/realtime/events.py's catalogue (ChannelEvent)


class Broker(ABC):
    """Publishes events to every process; each process hands what it receives to one handler."""

    def __init__(self) -> None:
        self._handler: EventHandler | None = None
        self._on_resubscribed: Callable[[], None] | None = None

    def set_handler(self, handler: EventHandler) -> None:
        self._handler = handler

    def on_resubscribed(self, callback: Callable[[], None]) -> None:
        """Called after the subscription came back from an outage, when events may have been missed."""
        self._on_resubscribed = callback

    def _deliver(self, channel: str, payload: dict[str, Any]) -> None:
        if self._handler is None:
            return
        try:
            self._handler(channel, payload)
        except Exception:  # one bad event must not stop delivery of the next
            log.exception("event handler failed for channel %s", channel)

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def publish(self, channel: str, payload: Payload) -> None: ...

    async def publish_many(self, events: Sequence[tuple[str, Payload]]) -> None:
        """Publish a batch's events together, in order."""
        for channel, payload in events:
            await self.publish(channel, payload)

    @abstractmethod
    async def ping(self) -> bool: ...

    @abstractmethod
    async def close(self) -> None: ...


class MemoryBroker(Broker):
    """One process: publish delivers on the next loop turn, as a remote broker would."""

    async def start(self) -> None:
        return None

    async def publish(self, channel: str, payload: Payload) -> None:
        asyncio.get_running_loop().call_soon(self._deliver, channel, cast("dict[str, Any]", payload))

    async def publish_many(self, events: Sequence[tuple[str, Payload]]) -> None:
        asyncio.get_running_loop().call_soon(self._deliver_many, events)

    def _deliver_many(self, events: Sequence[tuple[str, Payload]]) -> None:
        for channel, payload in events:
            self._deliver(channel, cast("dict[str, Any]", payload))  # the catalogue's events are dicts

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._handler = None


def make_broker(url: str, prefix: str = "lykta") -> Broker:
    """The broker at this URL (app/core/config.py's broker_backend), in memory or in Redis."""
    if broker_backend(url) == "memory":
        return MemoryBroker()
    from app.realtime.redis_broker import RedisBroker  # here: it builds on this module

    return RedisBroker(url, prefix)
