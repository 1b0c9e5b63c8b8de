"""Recomputes the queue once per change (per process) and tells local visitors and staff.

Every staff frame carries the whole queue, so each broadcast costs the whole queue once per open console: changes
that come close together make one broadcast, broadcasts are spaced further apart the more consoles there are
(STAFF_FRAMES_PER_S), and a recomputed queue that shows nothing new (only older waits, which the console counts up
itself) is not sent again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.realtime.hub import Subscriber
from app.routing.queue import QueueSnapshot, snapshot

log = logging.getLogger(__name__)
DEBOUNCE_S = 0.05
STAFF_FRAMES_PER_S = 1000  # queue frames to consoles per second at most (e.g. 250 consoles: 4 broadcasts a second)


class QueueNotifier:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], default_wait_s: float) -> None:
        self._sessionmaker = sessionmaker
        self._default_wait_s = default_wait_s
        self._dirty = asyncio.Event()
        self.visitors: dict[str, set[Subscriber]] = defaultdict(set)
        self.staff: set[Subscriber] = set()
        self._watching: dict[Subscriber, set[str]] = defaultdict(set)  # the reverse of visitors
        self._shown: tuple[Any, ...] | None = None  # the last broadcast, without the waits' ages
        self.latest: QueueSnapshot | None = None  # the last computed queue (a visitor's hello reads it)

    def on_event(self, _channel: str, payload: dict[str, Any]) -> None:
        if payload.get("type") == "service":  # opening hours began or ended: tell whoever waits
            for subscriber in {s for subs in self.visitors.values() for s in subs} | self.staff:
                subscriber.push(payload)
        self._dirty.set()

    def watch_visitor(self, conversation_id: str, subscriber: Subscriber) -> None:
        self.visitors[conversation_id].add(subscriber)
        self._watching[subscriber].add(conversation_id)

    def forget(self, subscriber: Subscriber) -> None:
        self.staff.discard(subscriber)
        for conversation_id in self._watching.pop(subscriber, ()):
            subscribers = self.visitors.get(conversation_id)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self.visitors[conversation_id]

    async def current(self) -> QueueSnapshot:
        async with self._sessionmaker() as session:
            self.latest = await snapshot(session, self._default_wait_s)
            return self.latest

    async def recent(self) -> QueueSnapshot:
        """The queue as last computed (a change since is on its way to every watcher), else computed now."""
        return self.latest if self.latest is not None else await self.current()

    async def run(self) -> None:
        while True:
            await self._dirty.wait()
            await asyncio.sleep(self.pause())
            self._dirty.clear()
            if not self.visitors and not self.staff:
                self.latest = None  # not recomputed: whoever asks next computes it
                continue
            try:
                self.broadcast(await self.current())
            except Exception:
                log.exception("queue recompute failed")

    def pause(self) -> float:
        """How long changes are gathered into one broadcast."""
        return max(DEBOUNCE_S, len(self.staff) / STAFF_FRAMES_PER_S)

    def broadcast(self, queue: QueueSnapshot) -> None:
        shown = (
            tuple(tuple((k, v) for k, v in item.items() if k != "wait_s") for item in queue.items),
            queue.available,
            queue.typical_wait_s,
        )
        if shown == self._shown:  # positions, estimates and items as last sent
            return
        self._shown = shown
        positions = {item["conversation_id"]: int(item["position"]) for item in queue.items}
        for conversation_id, subscribers in list(self.visitors.items()):
            position = positions.get(conversation_id)
            if position is None:
                continue
            event = {
                "type": "queue",
                "position": position,
                "estimated_wait_s": queue.estimated_wait_s(position),
            }
            for subscriber in tuple(subscribers):
                subscriber.push(event)
        staff_event = {"type": "queue", "items": queue.items}
        for subscriber in tuple(self.staff):
            subscriber.push(staff_event)
