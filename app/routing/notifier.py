"""Recomputes the queue once per change (per process) and tells local visitors and staff.

Who listens is the hub's registry (app/realtime/hub.py): a waiting visitor's socket is on WAITING_CHANNEL and on
its conversation's waiting_channel, every console's queue view on QUEUE_VIEW_CHANNEL; these channels are local
(nothing is published on them), and a socket leaves them with every other channel when it closes.

Every staff frame carries the whole queue, so each broadcast costs the whole queue once per open console: changes
that come close together make one broadcast, broadcasts are spaced further apart the more consoles there are
(STAFF_FRAMES_PER_S), and a recomputed queue that shows nothing new (only older waits, which the console counts up
itself) is not sent again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.realtime.events import ServiceFrame, queue_items_event, queue_position_event
from app.realtime.hub import QUEUE_VIEW_CHANNEL, WAITING_CHANNEL, Hub, Subscriber, waiting_channel
from app.routing.queue import QueueSnapshot, snapshot

log = logging.getLogger(__name__)
DEBOUNCE_S = 0.05
STAFF_FRAMES_PER_S = 1000  # queue frames to consoles per second at most (e.g. 250 consoles: 4 broadcasts a second)


class QueueNotifier:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], default_wait_s: float, hub: Hub) -> None:
        self._sessionmaker = sessionmaker
        self._default_wait_s = default_wait_s
        self._hub = hub
        self._dirty = asyncio.Event()
        self._shown: tuple[Any, ...] | None = None  # the last broadcast, without the waits' ages
        self.latest: QueueSnapshot | None = None  # the last computed queue (a visitor's hello reads it)

    def on_event(self, _channel: str, payload: dict[str, Any]) -> None:
        if payload.get("type") == "service":  # opening hours began or ended: tell whoever waits
            frame = cast(ServiceFrame, payload)
            hub = self._hub
            for subscriber in hub.subscribers(WAITING_CHANNEL) | hub.subscribers(QUEUE_VIEW_CHANNEL):
                subscriber.push(frame)
        self._dirty.set()

    def changed(self) -> None:
        """The queue may look different (e.g. a visitor's conversation is back in it)."""
        self._dirty.set()

    def watch_visitor(self, conversation_id: str, subscriber: Subscriber) -> None:
        self._hub.subscribe(subscriber, WAITING_CHANNEL)
        self._hub.subscribe(subscriber, waiting_channel(conversation_id))

    def unwatch_visitor(self, conversation_id: str, subscriber: Subscriber) -> None:
        self._hub.unsubscribe(subscriber, WAITING_CHANNEL)
        self._hub.unsubscribe(subscriber, waiting_channel(conversation_id))

    def watch_queue(self, subscriber: Subscriber) -> None:
        """A console's view of the queue: every broadcast from now on."""
        self._hub.subscribe(subscriber, QUEUE_VIEW_CHANNEL)

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
            if not self._hub.count(WAITING_CHANNEL) and not self._hub.count(QUEUE_VIEW_CHANNEL):
                self.latest = None  # not recomputed: whoever asks next computes it
                continue
            try:
                self.broadcast(await self.current())
            except Exception:
                log.exception("queue recompute failed")

    def pause(self) -> float:
        """How long changes are gathered into one broadcast."""
        return max(DEBOUNCE_S, self._hub.count(QUEUE_VIEW_CHANNEL) / STAFF_FRAMES_PER_S)

    def broadcast(self, queue: QueueSnapshot) -> None:
        shown = (
            tuple(tuple((k, v) for k, v in item.items() if k != "wait_s") for item in queue.items),
            queue.available,
            queue.typical_wait_s,
        )
        if shown == self._shown:  # positions, estimates and items as last sent
            return
        self._shown = shown
        hub = self._hub
        if hub.count(WAITING_CHANNEL):
            for item in queue.items:
                subscribers = hub.subscribers(waiting_channel(item["conversation_id"]))
                if subscribers:
                    position = item["position"]
                    event = queue_position_event(position, queue.estimated_wait_s(position))
                    for subscriber in subscribers:
                        subscriber.push(event)
        staff_event = queue_items_event(queue.items)
        for subscriber in hub.subscribers(QUEUE_VIEW_CHANNEL):
            subscriber.push(staff_event)
