"""Signs of life: console sockets keep their counselor on duty, visitor sockets keep their place.

Every open socket beats every `heartbeat_s`, but not on its own: the process's socket sweep
(app/realtime/sweep.py) gathers the beats of all its sockets of a kind and writes them together, one
UPDATE … WHERE id IN (…) per MAX_BATCH ids, so that 5,000 visitors cost a few statements every 15 s instead of
333 transactions a second.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Conversation, ConversationState, Counselor, utcnow

MAX_BATCH = 500  # ids per statement


class Heartbeats:
    """Writes a process's beats, visitors' and counselors' apart (rows in one order, so nodes never deadlock)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def visitors(self, conversation_ids: Iterable[uuid.UUID]) -> None:
        """Waiting visitors whose socket is open keep their place in the queue."""
        ids = sorted(set(conversation_ids), key=str)
        async with self._sessionmaker() as session:
            for start in range(0, len(ids), MAX_BATCH):
                await session.exec(
                    update(Conversation)
                    .where(
                        col(Conversation.id).in_(ids[start : start + MAX_BATCH]),
                        col(Conversation.state) == ConversationState.waiting,
                    )
                    .values(visitor_seen_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
            await session.commit()

    async def counselors(self, session: AsyncSession, counselor_ids: Iterable[int]) -> None:
        """Counselors whose console is open stay on duty (in the caller's transaction)."""
        ids = sorted(set(counselor_ids))
        for start in range(0, len(ids), MAX_BATCH):
            await session.exec(
                update(Counselor)
                .where(col(Counselor.id).in_(ids[start : start + MAX_BATCH]))
                .values(seen_at=utcnow())
                .execution_options(synchronize_session=False)
            )
