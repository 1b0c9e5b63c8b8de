"""A batch of sends, planned once in Python and stored by a fixed number of set-based statements.

The plan groups the sends by conversation (visitors' sends) and by (conversation, counselor) (counselors' sends,
stored only while that counselor holds the conversation), so that one UPDATE per kind takes every conversation's
seqs, and one INSERT stores every row. The stores (SQLite, PostgreSQL) run the statements; this module decides
which seq each send gets and what each send's outcome is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from app.core.errors import AppError, ConversationClosed, NotHolder
from app.models import Author
from app.realtime.events import MessageFrame, message_event

Key = tuple[uuid.UUID, str]  # (conversation, client_id)


@dataclass(slots=True)
class StoredMessage:
    conversation_id: uuid.UUID
    seq: int
    author: str
    alias: str | None
    body: str
    client_id: str | None
    created_at: datetime
    counselor_id: int | None = None
    created: bool = True  # False: a resend of a message stored before

    def event(self) -> MessageFrame:
        return message_event(
            self.conversation_id, self.seq, self.author, self.alias, self.body, self.client_id, self.created_at
        )


Outcome = StoredMessage | BaseException


@dataclass(slots=True, eq=False)
class PendingMessage:
    """One send waiting for its batch; `settled` is called once with its outcome, after the commit."""

    conversation_id: uuid.UUID
    author: str
    body: str
    client_id: str | None
    settled: Callable[[Outcome], None] = field(default=lambda _outcome: None)
    alias: str | None = None
    counselor_id: int | None = None

    @property
    def holding(self) -> bool:
        """A counselor's send: stored only while that counselor holds the active conversation."""
        return self.author == Author.counselor

    @property
    def key(self) -> Key | None:
        return (self.conversation_id, self.client_id) if self.client_id is not None else None


class Plan:
    """Which sends are new, how many seqs each group takes, and (once the seqs are known) the rows to insert."""

    def __init__(self, batch: list[PendingMessage], stored: dict[Key, StoredMessage], now: datetime) -> None:
        self.batch = batch
        self.now = now
        self.outcomes: list[Outcome | None] = [None] * len(batch)
        self.same_as: dict[int, int] = {}  # a send repeated within the batch -> the first of its kind
        self.new: list[int] = []
        self.visitors: dict[uuid.UUID, int] = {}
        self.holders: dict[tuple[uuid.UUID, int], int] = {}
        first: dict[Key, int] = {}
        for index, send in enumerate(batch):
            key = send.key
            if key is not None:
                if key in stored:
                    self.outcomes[index] = stored[key]
                    continue
                if key in first:
                    self.same_as[index] = first[key]
                    continue
                first[key] = index
            self.new.append(index)
            if send.holding:
                group = (send.conversation_id, send.counselor_id or 0)
                self.holders[group] = self.holders.get(group, 0) + 1
            else:
                self.visitors[send.conversation_id] = self.visitors.get(send.conversation_id, 0) + 1

    def rows(
        self, visitor_last: dict[uuid.UUID, int], holder_last: dict[tuple[uuid.UUID, int], int]
    ) -> list[StoredMessage]:
        """Give every new send its seq from the UPDATEs' new last_seq (a group's seqs end there); sends whose
        conversation was not updated are refused. Returns the messages to insert, in batch order."""
        next_seq = {cid: last - self.visitors[cid] + 1 for cid, last in visitor_last.items()}
        next_holder = {group: last - self.holders[group] + 1 for group, last in holder_last.items()}
        rows: list[StoredMessage] = []
        for index in self.new:
            send = self.batch[index]
            if send.holding:
                group = (send.conversation_id, send.counselor_id or 0)
                seq = next_holder.get(group)
                if seq is not None:
                    next_holder[group] = seq + 1
            else:
                seq = next_seq.get(send.conversation_id)
                if seq is not None:
                    next_seq[send.conversation_id] = seq + 1
            if seq is None:
                self.outcomes[index] = NotHolder() if send.holding else ConversationClosed()
                continue
            message = StoredMessage(
                send.conversation_id,
                seq,
                send.author,
                send.alias,
                send.body,
                send.client_id,
                self.now,
                send.counselor_id,
            )
            self.outcomes[index] = message
            rows.append(message)
        return rows

    def refused_keys(self) -> list[Key]:
        """Refused sends that carry a client_id: each may be a resend of a message stored before the conversation
        ended or moved on, and is then acknowledged with it."""
        keys = []
        for index in self.new:
            key = self.batch[index].key
            if key is not None and isinstance(self.outcomes[index], AppError):
                keys.append(key)
        return keys

    def settle_resends(self, stored: dict[Key, StoredMessage]) -> None:
        for index in self.new:
            key = self.batch[index].key
            if key is not None and key in stored and isinstance(self.outcomes[index], AppError):
                self.outcomes[index] = stored[key]

    def results(self) -> list[Outcome]:
        out: list[Outcome] = []
        for index, outcome in enumerate(self.outcomes):
            if index in self.same_as:
                outcome = self.outcomes[self.same_as[index]]
                if isinstance(outcome, StoredMessage):
                    outcome = _as_resend(outcome)
            assert outcome is not None
            out.append(outcome)
        return out


def _as_resend(message: StoredMessage) -> StoredMessage:
    copy = StoredMessage(**{name: getattr(message, name) for name in StoredMessage.__slots__})
    copy.created = False
    return copy


class BatchStore(Protocol):
    """Stores a batch in one transaction; returns each send's outcome and the statements it took."""

    async def write(self, batch: list[PendingMessage]) -> tuple[list[Outcome], int]: ...

    async def close(self) -> None: ...


class Conflict(Exception):
    """The INSERT met a client_id stored before (a resend): the batch is written again, checking for resends
    first. Carries the statements the first attempt took, so that the count covers both."""

    def __init__(self, statements: int) -> None:
        super().__init__(statements)
        self.statements = statements
