"""Blocks of a chat's source, keyed by the daily-rotating hashes of its address, held in the shared state.

A block must outlive the day its key was made, so the address is hashed under the secrets of the last
few days (app/core/clientaddr.py) and a source is blocked when any of its keys is. Blocks and the
conversations' source keys live in the app's shared state (app/core/shared.py: in Redis when the broker
is Redis, so a block made through one node keeps the source out of every node); both expire on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from app.core.shared import SharedState

SOURCE_MEMORY = timedelta(days=2)


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
            await self.shared.block(keys, timedelta(hours=hours).total_seconds())
        return bool(keys)

    async def is_blocked(self, keys: Iterable[str]) -> bool:
        return await self.shared.is_blocked(keys)
