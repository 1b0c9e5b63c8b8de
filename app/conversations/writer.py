"""Group commit: the sends of every socket of this process stored together, one transaction a batch.

A transaction costs more than the two statements a message needs (a session, the pool, BEGIN, COMMIT), so sends
that arrive while a batch is being written wait for the next one and share its commit. Nothing is acknowledged
before its batch has committed. A send that cannot be stored (its conversation has ended) fails alone; if the
transaction fails, every send in it fails and is resent by its client.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations.messages import append_message
from app.core.db import after_commit
from app.core.errors import AppError
from app.models import Author, Message

MAX_BATCH = 200


@dataclass
class PendingMessage:
    """One message waiting for its batch; `stored` runs once committed, before the events go out (the ack)."""

    conversation_id: uuid.UUID
    author: Author
    body: str
    client_id: str | None
    stored: Callable[[Message], None]
    alias: str | None = None
    counselor_id: int | None = None
    done: asyncio.Future[Message] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class MessageWriter:
    def __init__(self, transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]]) -> None:
        self._transaction = transaction
        self._waiting: list[PendingMessage] = []
        self._turn = asyncio.Lock()  # one batch at a time: the next gathers while this one commits
        self.batches = 0  # written so far (tests count them)

    async def append(self, send: PendingMessage) -> Message:
        """Store the message with the next seq (a repeated client_id: the stored one); returns once committed."""
        self._waiting.append(send)
        async with self._turn:
            while not send.done.done():  # nobody took it into their batch: write what waits, up to and with it
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                # shielded: a socket closing while its batch is written does not take the others' sends with it
                await asyncio.shield(self._write(batch))
        return await send.done

    async def _write(self, batch: list[PendingMessage]) -> None:
        # rows are locked in one order (by conversation, each conversation's sends in arrival order), so that two
        # nodes' batches cannot deadlock on PostgreSQL
        ordered = sorted(batch, key=lambda s: s.conversation_id.bytes)
        try:
            async with self._transaction() as session:
                for send in ordered:
                    await self._one(session, send)
        except BaseException as exc:
            for send in ordered:
                if not send.done.done():
                    send.done.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
        self.batches += 1

    @staticmethod
    async def _one(session: AsyncSession, send: PendingMessage) -> None:
        try:
            message, _created = await append_message(
                session,
                send.conversation_id,
                author=send.author,
                body=send.body,
                client_id=send.client_id,
                alias=send.alias,
                counselor_id=send.counselor_id,
            )
        except AppError as exc:  # refused before anything was written (e.g. the conversation has ended)
            send.done.set_exception(exc)
            return

        def committed() -> None:
            send.stored(message)
            send.done.set_result(message)

        after_commit(session, committed)
