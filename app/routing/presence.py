"""Signs of life: console sockets keep their counselor on duty, visitor sockets keep their place.

Every socket beats every `heartbeat_s`. One UPDATE and commit per beat is a steady load on the database when many
sockets are open (5,000 visitors beating every 15 s: 333 transactions a second), so beats that come close together
are written together: one UPDATE … WHERE id IN (…) per batch, a batch collecting for at most a quarter of a second
(or of a heartbeat, if shorter). Each caller still returns only once its beat is stored, and sees its failure.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Conversation, ConversationState, Counselor, utcnow

if TYPE_CHECKING:
    from app.core.runtime import Runtime

BATCH_S = 0.25
MAX_BATCH = 500  # ids per statement


class Beats:
    """Beats of one kind waiting to be written together."""

    def __init__(self, write: Callable[[list[Any]], Awaitable[None]]) -> None:
        self._write = write
        self._ids: set[Hashable] = set()
        self._flush: asyncio.Task[None] | None = None

    async def beat(self, key: Hashable, within: float) -> None:
        self._ids.add(key)
        if self._flush is None:
            self._flush = asyncio.ensure_future(self._after(within))
        await asyncio.shield(self._flush)  # a socket closing while it waits does not stop the others' beats

    async def _after(self, within: float) -> None:
        await asyncio.sleep(within)
        ids, self._ids, self._flush = sorted(self._ids, key=str), set(), None  # sorted: rows lock in one order
        for start in range(0, len(ids), MAX_BATCH):
            await self._write(ids[start : start + MAX_BATCH])


class Heartbeats:
    """A process's beats, visitors' and counselors' apart."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        async def visitors(ids: list[Any]) -> None:
            async with sessionmaker() as session:
                await session.exec(
                    update(Conversation)
                    .where(col(Conversation.id).in_(ids), col(Conversation.state) == ConversationState.waiting)
                    .values(visitor_seen_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
                await session.commit()

        async def counselors(ids: list[Any]) -> None:
            async with sessionmaker() as session:
                await session.exec(
                    update(Counselor)
                    .where(col(Counselor.id).in_(ids))
                    .values(seen_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
                await session.commit()

        self.visitors = Beats(visitors)
        self.counselors = Beats(counselors)


def _within(runtime: Runtime) -> float:
    return min(BATCH_S, runtime.settings.heartbeat_s / 4)


async def counselor_alive(runtime: Runtime, counselor_id: int) -> None:
    await runtime.heartbeats.counselors.beat(counselor_id, _within(runtime))


async def visitor_alive(runtime: Runtime, conversation_id: uuid.UUID) -> None:
    await runtime.heartbeats.visitors.beat(conversation_id, _within(runtime))
