"""Signs of life: console sockets keep their counselor on duty, visitor sockets keep their place."""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlmodel import col

from app.core.runtime import Runtime
from app.models import Conversation, ConversationState, Counselor, utcnow


async def counselor_alive(runtime: Runtime, counselor_id: int) -> None:
    async with runtime.sessionmaker() as session:
        await session.exec(update(Counselor).where(col(Counselor.id) == counselor_id).values(seen_at=utcnow()))
        await session.commit()


async def visitor_alive(runtime: Runtime, conversation_id: uuid.UUID) -> None:
    async with runtime.sessionmaker() as session:
        await session.exec(
            update(Conversation)
            .where(col(Conversation.id) == conversation_id, col(Conversation.state) == ConversationState.waiting)
            .values(visitor_seen_at=utcnow())
        )
        await session.commit()
