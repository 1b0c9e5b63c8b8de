"""The mailbox outside opening hours: a thread of letters kept under the hash of its code, and its statistics.

A thread knows nothing about who wrote it: no token, no address, only the keyed hash of the code the
visitor was shown. Its entries and notes go with it (retention deletes the thread); the `mailbox_stat`
row it points to stays, and from then on nothing points back from it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Integer
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow

MAX_LETTER_CHARS = 4000


class MailboxState(StrEnum):
    waiting = "waiting"  # a letter waits for an answer
    claimed = "claimed"  # a counselor is answering it
    answered = "answered"  # answered: the visitor may read it and write back
    closed = "closed"  # closed by a counselor: readable until deleted, no more letters


class MailboxStat(SQLModel, table=True):
    """A thread reduced to what the statistics need: no thread id, no time of day, no text."""

    __tablename__ = "mailbox_stat"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True, description="the service's day (its time zone) the first letter came")
    link_id: int | None = Field(default=None, foreign_key="link.id", index=True, ondelete="SET NULL")
    space_id: int | None = Field(default=None, foreign_key="space.id", index=True, ondelete="SET NULL")
    language: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=16)
    topic: str | None = Field(default=None, max_length=32)
    letters: int = Field(default=1, description="letters from the visitor")
    answers: int = Field(default=0, description="answers from counselors")
    answer_s: int | None = Field(default=None, description="first letter to first answer; None: never answered")
    read: bool = Field(default=False, description="the visitor came back and read an answer")
    to_chat: bool = Field(default=False, description="the visitor turned the thread into a live chat")


class MailboxThread(SQLModel, table=True):
    __tablename__ = "mailbox_thread"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    state: str = Field(default=MailboxState.waiting, max_length=16, index=True)
    link_id: int | None = Field(default=None, foreign_key="link.id", index=True, ondelete="SET NULL")
    language: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=16)
    topic: str | None = Field(default=None, max_length=32)
    counselor_id: int | None = Field(
        default=None, foreign_key="counselor.id", index=True, ondelete="SET NULL", description="holder while claimed"
    )
    answered_by_id: int | None = Field(
        default=None, foreign_key="counselor.id", ondelete="SET NULL", description="who wrote the latest answer"
    )
    stat_id: int | None = Field(default=None, foreign_key="mailbox_stat.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    waiting_since: datetime | None = Field(
        default=None, sa_type=UTCDateTime, index=True, description="the oldest unanswered letter; None: none"
    )
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, description="the latest answer")
    answer_read_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="the visitor read the latest answer; None: unread"
    )
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MailboxEntry(SQLModel, table=True):
    """A letter from the visitor or an answer from a counselor, in the order written (by id)."""

    __tablename__ = "mailbox_entry"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite"))
    thread_id: uuid.UUID = Field(foreign_key="mailbox_thread.id", index=True, ondelete="CASCADE")
    author: str = Field(max_length=16, description="visitor | counselor")
    counselor_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    alias: str | None = Field(default=None, max_length=64)
    body: str = Field(max_length=MAX_LETTER_CHARS)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MailboxNote(SQLModel, table=True):
    """Staff-only text on a thread; the visitor never sees it. Deleted with the thread."""

    __tablename__ = "mailbox_note"

    id: int | None = Field(default=None, primary_key=True)
    thread_id: uuid.UUID = Field(foreign_key="mailbox_thread.id", index=True, ondelete="CASCADE")
    counselor_id: int | None = Field(default=None, foreign_key="counselor.id", ondelete="SET NULL")
    body: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
