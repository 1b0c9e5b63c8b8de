"""Appending and reading messages: persisted with their seq before anyone is told."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.db import after_commit, queue_event
from app.core.errors import AppError
from app.core.metrics import MESSAGES
from app.models import Conversation, ConversationState, Message, utcnow
from app.realtime.hub import conversation_channel
from app.realtime.protocol import Event, message_event

OPEN_STATES = (ConversationState.waiting, ConversationState.active)


def as_event(message: Message) -> Event:
    return message_event(
        message.conversation_id,
        message.seq,
        message.author,
        message.alias,
        message.body,
        message.client_id,
        message.created_at,
    )


async def _by_client_id(session: AsyncSession, conversation_id: uuid.UUID, client_id: str) -> Message | None:
    result = await session.exec(
        select(Message).where(Message.conversation_id == conversation_id, Message.client_id == client_id)
    )
    return result.first()


async def append_message(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    author: str,
    body: str,
    client_id: str | None = None,
    alias: str | None = None,
    counselor_id: int | None = None,
) -> tuple[Message, bool]:
    """Store a message with the next seq; a repeated client_id returns the stored one (False)."""
    if client_id is not None:
        existing = await _by_client_id(session, conversation_id, client_id)
        if existing is not None:
            return existing, False
    # SQLite runs one transaction at a time here, so the race below cannot happen there (and its
    # driver's SAVEPOINT handling is unreliable); PostgreSQL gets a savepoint.
    sqlite = session.get_bind().dialect.name == "sqlite"
    try:
        async with contextlib.nullcontext() if sqlite else session.begin_nested():
            now = utcnow()
            values: dict[str, Any] = {"last_seq": Conversation.last_seq + 1, "last_activity_at": now}
            result = await session.exec(
                update(Conversation)
                .where(col(Conversation.id) == conversation_id, col(Conversation.state).in_(OPEN_STATES))
                .values(**values)
                .returning(col(Conversation.last_seq))
            )
            seq = result.scalar_one_or_none()
            if seq is None:
                raise AppError("this conversation has ended", 409, "conversation_closed")
            message = Message(
                conversation_id=conversation_id,
                seq=seq,
                author=author,
                alias=alias,
                body=body,
                client_id=client_id,
                counselor_id=counselor_id,
                created_at=now,
            )
            session.add(message)
            await session.flush()
    except IntegrityError:
        if client_id is None:
            raise
        existing = await _by_client_id(session, conversation_id, client_id)
        if existing is None:
            raise
        return existing, False
    queue_event(session, conversation_channel(conversation_id), as_event(message))
    after_commit(session, MESSAGES.labels(author).inc)
    return message, True


async def message_events(
    session: AsyncSession, conversation_id: uuid.UUID, after_seq: int, limit: int = 1000
) -> list[Event]:
    result = await session.exec(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.seq > after_seq)
        .order_by(col(Message.seq))
        .limit(limit)
    )
    return [as_event(m) for m in result.all()]


async def mark_answered(session: AsyncSession, conversation_id: uuid.UUID) -> None:
    """Remember when a counselor first wrote (for the waits in the statistics)."""
    await session.exec(
        update(Conversation)
        .where(col(Conversation.id) == conversation_id, col(Conversation.first_answer_at).is_(None))
        .values(first_answer_at=utcnow())
    )
    # writing to the visitor takes an assignment or transfer that was waiting to be accepted
    await session.exec(
        update(Conversation)
        .where(col(Conversation.id) == conversation_id, col(Conversation.accept_by).is_not(None))
        .values(accept_by=None, transfer_from_id=None)
    )


def transcript_loader(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> Callable[[str, int], Awaitable[list[Event]]]:
    """What a socket calls to catch up on a conversation from the database, in a short session."""

    async def load(conversation_id: str, after_seq: int) -> list[Event]:
        async with sessionmaker() as session:
            return await message_events(session, uuid.UUID(conversation_id), after_seq)

    return load
