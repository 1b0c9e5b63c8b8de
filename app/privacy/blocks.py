"""Blocks of a chat's source, keyed by the daily-rotating hashes of its address, held in the shared state.

A block must outlive the day its key was made: each source key names the day of its secret
(app/core/clientaddr.py), and a block keeps the secrets of those days for as long as it lasts (up to a
week, `keep_day_secret`), while every request is hashed under the secrets blocks keep as well as under
today's and yesterday's. So a 72-hour block still matches on day 3, and a secret outlives its three days
only while a block needs it. Blocks and the conversations' source keys live in the app's shared state
(app/core/shared.py: in Redis when the broker is Redis, so a block made through one node keeps the source
out of every node); both expire on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from app.core.clientaddr import day_of
from app.core.shared import SharedState

SOURCE_MEMORY = timedelta(days=2)
KEEP_MARGIN = timedelta(hours=1)  # a day's secret outlives the block that keeps it by this much


class Blocklist:
    def __init__(self, shared: SharedState) -> None:
        self.shared = shared

    async def remember(self, conversation_id: str, keys: Iterable[str]) -> None:
        """Which source keys a conversation came from, forgotten SOURCE_MEMORY after the last time."""
        await self.shared.remember_sources(conversation_id, keys, SOURCE_MEMORY.total_seconds())

    async def block_conversation(self, conversation_id: str, hours: int) -> bool:
        """Block the sources this conversation came from; False when none are known."""
        keys = await self.shared.sources_of(conversation_id)
        if keys:
            seconds = timedelta(hours=hours).total_seconds()
            for day in sorted({day for key in keys if (day := day_of(key)) is not None}):
                await self.shared.keep_day_secret(day, seconds + KEEP_MARGIN.total_seconds())
            await self.shared.block(keys, seconds)
        return bool(keys)

    async def is_blocked(self, keys: Iterable[str]) -> bool:
        return await self.shared.is_blocked(keys)
