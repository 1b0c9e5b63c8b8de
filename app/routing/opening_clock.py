"""Tells every process when the schedule opens or closes, so waiting visitors hear it at once.
Runs on the node holding the cluster lease, so each change is announced once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from app.core.metrics import BACKGROUND_RUNS
from app.models import utcnow
from app.realtime.events import service_event
from app.realtime.hub import QUEUE_CHANNEL
from app.routing.opening import schedule_state
from app.runtime import Runtime

log = logging.getLogger(__name__)


class OpeningClock:
    """Remembers the last scheduled state; a tick that sees it change publishes one `service` event."""

    def __init__(self, runtime: Runtime, clock: Callable[[], datetime] = utcnow) -> None:
        self.runtime = runtime
        self.clock = clock
        self.scheduled_open: bool | None = None

    async def tick(self, now: datetime | None = None) -> bool:
        """Check once; True when a change was published (never on the first check)."""
        async with self.runtime.sessionmaker() as session:
            state = await schedule_state(session, self.runtime.settings, now or self.clock())
        previous, self.scheduled_open = self.scheduled_open, state.scheduled_open
        if previous is None or previous == state.scheduled_open:
            return False
        settings = self.runtime.settings
        event = service_event(state.scheduled_open, state.next_opening, settings.alternatives)
        await self.runtime.broker.publish(QUEUE_CHANNEL, event)
        return True


async def run_opening_clock(runtime: Runtime, interval_s: float = 15.0) -> None:
    """Tick every interval for the life of the process; a failed check is logged and retried."""
    clock = OpeningClock(runtime)
    while True:
        if not runtime.leads():  # another node announces; start afresh if this one takes over
            clock.scheduled_open = None
            await asyncio.sleep(interval_s)
            continue
        try:
            BACKGROUND_RUNS.labels("opening_clock").inc()
            await clock.tick()
        except Exception:
            log.exception("opening-hours check failed")
        await asyncio.sleep(interval_s)
