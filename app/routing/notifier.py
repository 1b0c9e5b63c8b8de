"""Recomputes the queue once per change (per process) and tells local visitors and staff."""

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


class QueueNotifier:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], default_wait_s: float) -> None:
        self._sessionmaker = sessionmaker
        self._default_wait_s = default_wait_s
        self._dirty = asyncio.Event()
        self.visitors: dict[str, set[Subscriber]] = defaultdict(set)
        self.staff: set[Subscriber] = set()

    def on_event(self, _channel: str, payload: dict[str, Any]) -> None:
        if payload.get("type") == "service":  # opening hours began or ended: tell whoever waits
            for subscriber in {s for subs in self.visitors.values() for s in subs} | self.staff:
                subscriber.push(payload)
        self._dirty.set()

    def watch_visitor(self, conversation_id: str, subscriber: Subscriber) -> None:
        self.visitors[conversation_id].add(subscriber)

    def forget(self, subscriber: Subscriber) -> None:
        self.staff.discard(subscriber)
        for conversation_id in [c for c, subs in self.visitors.items() if subscriber in subs]:
            self.visitors[conversation_id].discard(subscriber)
            if not self.visitors[conversation_id]:
                del self.visitors[conversation_id]

    async def current(self) -> QueueSnapshot:
        async with self._sessionmaker() as session:
            return await snapshot(session, self._default_wait_s)

    async def run(self) -> None:
        while True:
            await self._dirty.wait()
            await asyncio.sleep(DEBOUNCE_S)
            self._dirty.clear()
            if not self.visitors and not self.staff:
                continue
            try:
                self.broadcast(await self.current())
            except Exception:
                log.exception("queue recompute failed")

    def broadcast(self, queue: QueueSnapshot) -> None:
        for conversation_id, subscribers in list(self.visitors.items()):
            position = queue.position_of(conversation_id)
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
