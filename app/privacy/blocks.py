"""Blocks of a chat's source, keyed by the daily-rotating hashes of its address, held in memory only.

A block must outlive the day its key was made, so the address is hashed under the secrets of the last
few days (app/core/clientaddr.py) and a source is blocked when any of its keys is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from app.models import utcnow

SOURCE_MEMORY = timedelta(days=2)


class Blocklist:
    def __init__(self) -> None:
        self._blocked_until: dict[str, datetime] = {}
        self._sources: dict[str, tuple[set[str], datetime]] = {}

    def remember(self, conversation_id: str, keys: Iterable[str]) -> None:
        """Which source keys a conversation came from, forgotten after SOURCE_MEMORY."""
        now = utcnow()
        known, _ = self._sources.get(conversation_id, (set(), now))
        self._sources[conversation_id] = (known | set(keys), now + SOURCE_MEMORY)
        self._expire(now)

    def block_conversation(self, conversation_id: str, hours: int) -> bool:
        now = utcnow()
        keys, _ = self._sources.get(conversation_id, (set(), now))
        for key in keys:
            self._blocked_until[key] = now + timedelta(hours=hours)
        return bool(keys)

    def is_blocked(self, keys: Iterable[str], now: datetime | None = None) -> bool:
        now = now or utcnow()
        return any(self._blocked_until.get(key, now) > now for key in keys)

    def _expire(self, now: datetime) -> None:
        for key in [k for k, until in self._blocked_until.items() if until <= now]:
            del self._blocked_until[key]
        for cid in [c for c, (_, until) in self._sources.items() if until <= now]:
            del self._sources[cid]
