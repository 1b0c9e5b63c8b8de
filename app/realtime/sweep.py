"""One loop for every socket of the process: sockets that never said hello, idle sockets, heartbeats in batches.

A socket holds no timer or task of its own while idle; this sweep looks at all of them once a second (or once a
heartbeat, if that is shorter). Heartbeats are written per kind in one go (`on_beat`), every `heartbeat_s`. The
sweep also caps open sockets per source (the keyed hash of the address, never the address).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable

from app.core.config import Settings
from app.realtime.connections import CLOSE_GOING_AWAY, CLOSE_POLICY, Connection, Registry

log = logging.getLogger(__name__)
Beat = Callable[[list[Connection]], Awaitable[None]]
DEFAULT_PER_SOURCE = 200


class SocketSweep(Registry):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sockets: set[Connection] = set()
        self._beats: dict[str, Beat] = {}
        self._per_source: Counter[str] = Counter()
        configured = settings.ws_per_source
        self.per_source_cap = (
            (0 if settings.env == "test" else DEFAULT_PER_SOURCE) if configured is None else configured
        )

    def add(self, conn: Connection) -> bool:
        if conn.source and self.per_source_cap:
            if self._per_source[conn.source] >= self.per_source_cap:
                log.info("refused a socket: its source has %d open", self.per_source_cap)
                return False
            self._per_source[conn.source] += 1
        self.sockets.add(conn)
        return True

    def discard(self, conn: Connection) -> None:
        if conn in self.sockets:
            self.sockets.discard(conn)
            if conn.source and self.per_source_cap:
                left = self._per_source[conn.source] - 1
                if left > 0:
                    self._per_source[conn.source] = left
                else:
                    del self._per_source[conn.source]

    def on_beat(self, kind: str, beat: Beat) -> None:
        """beat(connections) writes the heartbeats of every greeted socket of this kind."""
        self._beats[kind] = beat

    def check(self, now: float) -> None:
        """Close sockets that have not said hello in time, and sockets that have gone quiet."""
        hello_by = now - self.settings.ws_hello_seconds
        idle_by = now - self.settings.ws_idle_seconds
        for conn in list(self.sockets):
            if conn.closing:
                continue
            if not conn.greeted and conn.opened_at < hello_by:
                conn.close(CLOSE_POLICY, "hello expected")
            elif conn.last_frame_at < idle_by:
                conn.close(CLOSE_GOING_AWAY, "idle")

    async def beat(self) -> None:
        by_kind: dict[str, list[Connection]] = defaultdict(list)
        for conn in self.sockets:
            if conn.greeted and not conn.closing:
                by_kind[conn.kind].append(conn)
        for kind, conns in by_kind.items():
            beat = self._beats.get(kind)
            if beat is None:
                continue
            try:
                await beat(conns)
            except Exception:  # a missed beat is repaired by the next one
                log.warning("heartbeats of %s sockets failed", kind, exc_info=True)

    async def run(self) -> None:
        settings = self.settings
        tick = min(settings.ws_sweep_seconds, settings.heartbeat_s)
        last_beat = time.monotonic()
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            self.check(now)
            if now - last_beat >= settings.heartbeat_s:
                last_beat = now
                await self.beat()
