"""Group commit: the sends of every socket of this process stored together, a batch at a time.

A batch is one transaction of a fixed number of set-based statements (app/conversations/batch*.py), whatever its
size; sends that arrive while a batch is being written wait for the next one. Nothing is acknowledged before its
batch has committed. A send that cannot be stored (its conversation has ended, or a counselor no longer holds it)
fails alone; if the transaction fails, every send in it fails and is resent by its client. After the commit each
send's `settled` runs (the acks, in the order the sends came), then the batch's events go to the broker together.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter

from sqlalchemy.ext.asyncio import AsyncEngine

from app.conversations.batch import BatchStore, Outcome, PendingMessage, StoredMessage
from app.core.metrics import MESSAGES
from app.realtime.broker import Broker
from app.realtime.events import MessageFrame
from app.realtime.hub import conversation_channel

log = logging.getLogger(__name__)
MAX_BATCH = 200


def make_store(engine: AsyncEngine, database_url: str) -> BatchStore:
    if engine.dialect.name == "sqlite":
        from app.conversations.batch_sqlite import SqliteBatchStore

        return SqliteBatchStore(database_url)
    from app.conversations.batch_postgres import PostgresBatchStore

    return PostgresBatchStore(engine)


class MessageWriter:
    def __init__(self, store: BatchStore, broker: Broker) -> None:
        self._store = store
        self._broker = broker
        self._waiting: list[PendingMessage] = []
        self._task: asyncio.Task[None] | None = None
        self.batches = 0  # written so far (tests count them)
        self.statements: list[int] = []  # statements each recent batch took (tests read them)

    def submit(self, send: PendingMessage) -> None:
        """Queue a send for the next batch; its `settled` is called once it has committed or failed."""
        self._waiting.append(send)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="message-writer")

    async def append(self, send: PendingMessage) -> StoredMessage:
        """Store one message and wait for it (a repeated client_id: the stored one); raises when refused."""
        done: asyncio.Future[StoredMessage] = asyncio.get_running_loop().create_future()
        then = send.settled

        def settled(outcome: Outcome) -> None:
            then(outcome)
            if not done.done():
                if isinstance(outcome, StoredMessage):
                    done.set_result(outcome)
                else:
                    done.set_exception(outcome)

        send.settled = settled
        self.submit(send)
        return await done

    async def drain(self) -> None:
        """Wait until every send queued so far has been written (a stopping node finishes what it took)."""
        while self._task is not None:
            await asyncio.shield(self._task)

    async def close(self) -> None:
        await self.drain()
        await self._store.close()

    async def _run(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                await self._write(batch)
        finally:
            self._task = None

    async def _write(self, batch: list[PendingMessage]) -> None:
        try:
            outcomes, statements = await self._store.write(batch)
        except Exception as exc:
            log.warning("a batch of %d sends failed (%s); their clients send again", len(batch), type(exc).__name__)
            for send in batch:
                _settle(send, exc)
            return
        self.batches += 1
        self.statements = [*self.statements[-99:], statements]
        events: list[tuple[str, MessageFrame]] = []
        authors: Counter[str] = Counter()
        for send, outcome in zip(batch, outcomes, strict=True):
            _settle(send, outcome)
            if isinstance(outcome, StoredMessage) and outcome.created:
                events.append((conversation_channel(outcome.conversation_id), outcome.event()))
                authors[outcome.author] += 1
        for author, count in authors.items():
            MESSAGES.labels(author).inc(count)
        if events:
            await self._broker.publish_many(events)


def _settle(send: PendingMessage, outcome: Outcome) -> None:
    try:
        send.settled(outcome)
    except Exception:  # one socket's callback must not cost the others their acks
        log.exception("a send's callback failed")
