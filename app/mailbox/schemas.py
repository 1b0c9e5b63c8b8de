"""Request and answer bodies of the mailbox: what a visitor sends and sees, what staff send and see."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models.mailbox import MAX_LETTER_CHARS
from app.visitor.schemas import AgeBand, Topic

LetterText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LETTER_CHARS)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Code = Annotated[str, Field(min_length=1, max_length=64)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- visitor ------------------------------------------------------------------------------------


class MailboxOffer(BaseModel):
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


class LetterSent(BaseModel):
    code: str = Field(description="the only key to the thread; shown once, stored only as a keyed hash")
    answer_weekdays: int
    keep_days: int


class CodeIn(_Body):
    code: Code


class ReplyIn(_Body):
    code: Code
    body: LetterText


class EntryPublic(BaseModel):
    author: Literal["visitor", "counselor"]
    alias: str | None = Field(description="the counselor's alias; None for the visitor's letters")
    body: str
    at: str


class ThreadPublic(BaseModel):
    """What the visitor sees of a thread: their letters and the answers, and what they may do now."""

    state: Literal["waiting", "claimed", "answered", "closed"]
    entries: list[EntryPublic]
    can_write: bool = Field(description="a letter may be added (not closed, not too many unanswered)")
    open: bool = Field(description="the chat is open now: the thread can become a live chat")
    next_opening: str | None
    answer_weekdays: int
    keep_days: int


# -- console ------------------------------------------------------------------------------------


class AnswerIn(_Body):
    body: LetterText


class NoteIn(_Body):
    body: NoteText


class ThreadSummary(BaseModel):
    """A thread as the mailbox list shows it: never its text."""

    thread_id: str
    state: Literal["waiting", "claimed", "answered", "closed"]
    waiting_since: str | None
    wait_s: int | None = Field(description="how long the oldest unanswered letter has waited")
    language: str | None
    age_band: str | None
    topic: str | None
    link_label: str | None
    letters: int
    answers: int
    counselor_id: int | None = Field(description="who holds it while claimed")
    counselor_alias: str | None
    answered_by_id: int | None


class StaffEntry(BaseModel):
    id: int
    author: Literal["visitor", "counselor"]
    alias: str | None
    body: str
    at: str


class StaffNote(BaseModel):
    id: int
    body: str
    author_id: int | None
    author_alias: str | None
    at: str


class ThreadDetail(BaseModel):
    thread: ThreadSummary
    entries: list[StaffEntry]
    notes: list[StaffNote]


class MailboxList(BaseModel):
    items: list[ThreadSummary] = Field(description="waiting and claimed threads, the oldest letter first")


class AgeBucket(BaseModel):
    key: Literal["under_1_day", "1_to_2_days", "2_to_7_days", "over_7_days"]
    count: int


class AgeProfile(BaseModel):
    """How long the unanswered letters have waited (supervisors)."""

    waiting: int
    claimed: int
    oldest_wait_s: int | None
    over_promise: int = Field(description="letters waiting more weekdays than the answer promised")
    answer_weekdays: int
    buckets: list[AgeBucket]
