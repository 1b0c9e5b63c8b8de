"""Request and answer bodies of the mailbox: what a visitor sends and sees, what staff send and see."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.schemas import Public
from app.models import AgeBand, Topic
from app.models.mailbox import MAX_LETTER_CHARS
from app.stats.schemas import By, Group, PeriodAnswer

LetterText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LETTER_CHARS)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
ThreadState = Literal["waiting", "claimed", "answered", "closed"]
Author = Literal["visitor", "counselor"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- visitor ------------------------------------------------------------------------------------


class MailboxOfferPublic(Public):
    """Whether the page offers "Write to us", and what it promises."""

    enabled: bool
    offered: bool
    reason: Literal["closed", "long_wait"] | None = Field(description="why it is offered now; None: not offered")
    answer_weekdays: int = Field(description="an answer is promised within this many weekdays")
    keep_days: int = Field(description="a letter waits this long for an answer, an answer this long unread")


class LetterIn(_Body):
    body: LetterText
    link_code: str | None = Field(default=None, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    language: str | None = Field(default=None, max_length=8)
    age_band: AgeBand | None = None
    topic: Topic | None = None


class LetterSentPublic(Public):
    code: str = Field(description="the only key to the thread; shown once, stored only as a keyed hash")
    answer_weekdays: int
    keep_days: int


class CodeIn(_Body):
    code: Code


class ReplyIn(_Body):
    code: Code
    body: LetterText


class EntryPublic(Public):
    author: Author
    alias: str | None = Field(description="the counselor's alias; None for the visitor's letters")
    body: str
    at: datetime


class ThreadPublic(Public):
    """What the visitor sees of a thread: their letters and the answers, and what they may do now."""

    state: ThreadState
    entries: list[EntryPublic]
    can_write: bool = Field(description="a letter may be added (not closed, not too many unanswered)")
    open: bool = Field(description="the chat is open now: the thread can become a live chat")
    next_opening: datetime | None
    answer_weekdays: int
    keep_days: int


# -- console ------------------------------------------------------------------------------------


class AnswerIn(_Body):
    body: LetterText


class NoteIn(_Body):
    body: NoteText


class ThreadSummaryPublic(Public):
    """A thread as the mailbox list shows it: never its text."""

    thread_id: uuid.UUID
    state: ThreadState
    waiting_since: datetime | None
    wait_s: int | None = Field(description="how long the oldest unanswered letter has waited")
    language: str | None
    age_band: AgeBand | None
    topic: Topic | None
    link_label: str | None
    letters: int
    answers: int
    counselor_id: int | None = Field(description="who holds it while claimed")
    counselor_alias: str | None
    answered_by_id: int | None


class StaffEntryPublic(Public):
    id: int
    author: Author
    alias: str | None
    body: str
    at: datetime


class StaffNotePublic(Public):
    id: int
    body: str
    author_id: int | None
    author_alias: str | None
    at: datetime


class ThreadDetailPublic(Public):
    thread: ThreadSummaryPublic
    entries: list[StaffEntryPublic]
    notes: list[StaffNotePublic]


class MailboxListPublic(Public):
    items: list[ThreadSummaryPublic] = Field(description="waiting and claimed threads, the oldest letter first")


AgeKey = Literal["under_1_day", "1_to_2_days", "2_to_7_days", "over_7_days"]


class AgeBucketPublic(Public):
    key: AgeKey
    count: int


class AgeProfilePublic(Public):
    """How long the unanswered letters have waited (supervisors)."""

    waiting: int
    claimed: int
    oldest_wait_s: int | None
    over_promise: int = Field(description="letters waiting more weekdays than the answer promised")
    answer_weekdays: int
    buckets: list[AgeBucketPublic]


# -- statistics ---------------------------------------------------------------------------------


class MailboxStatsRowPublic(Public):
    """One period's (or, with `period` null, the whole range's) letters for one link or space, or for all."""

    period: date | None
    key: int | None = Field(description="the link's or space's id (by=link or space); null: none, or unattributed")
    label: str | None
    received: int = Field(description="threads begun (first letters)")
    letters: int
    answered: int = Field(description="threads with an answer")
    answers_read: int
    to_chat: int = Field(description="threads that became a live chat")
    answer_median_s: int | None = Field(description="time to the first answer")
    answer_p90_s: int | None
    answers_counted: int


class MailboxStatsPublic(PeriodAnswer):
    """Exact counts per period and link or space, with totals per key and overall (staff only)."""

    group: Group
    by: By
    rows: list[MailboxStatsRowPublic]
    totals: list[MailboxStatsRowPublic]
    overall: MailboxStatsRowPublic
    small_counts: Literal["exact"]
