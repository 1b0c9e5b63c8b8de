"""The records socket frames carry (app/realtime/events.py): a conversation as staff see it, a queue item, a note,
a resource card, an alternative while closed. Typed as TypedDicts, built as plain dicts by the services that read
them (the alternatives are the setting's, checked at start in app/core/config.py)."""

from __future__ import annotations

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

from app.models import AgeBand, ConversationState, NoteKind, Topic

CLOSED = ConfigDict(extra="forbid")  # a key the catalogue does not declare fails the schema test


@with_config(CLOSED)
class ResourceCard(TypedDict):
    """A resource sent as a card (app/resources/service.py's card_of)."""

    resource_id: int
    name: str
    offer: str
    phone: str | None
    url: str | None
    hours: str


@with_config(CLOSED)
class ConversationSummary(TypedDict):
    """What staff see of a conversation (app/conversations/lifecycle.py's summary): nothing that identifies anyone."""

    conversation_id: str
    state: ConversationState
    counselor_id: int | None
    counselor_alias: str | None
    language: str | None
    age_band: AgeBand | None
    topic: Topic | None
    link_label: str | None
    urgent: bool
    created_at: str
    queued_at: str
    claimed_at: str | None
    closed_at: str | None
    last_seq: int
    visitor_read_seq: int
    accept_by: str | None  # an assignment or transfer waiting to be accepted by then
    transfer_from_id: int | None


@with_config(CLOSED)
class QueueItem(TypedDict):
    """A waiting conversation in the staff's queue (app/routing/queue.py)."""

    conversation_id: str
    position: int
    waiting_since: str
    wait_s: int
    language: str | None
    age_band: AgeBand | None
    topic: Topic | None
    link_label: str | None
    urgent: bool
    returning: bool  # back in the queue through no fault of the visitor (placed ahead of newcomers)
    last_seq: int
    preview: str | None  # the first line the visitor wrote


@with_config(CLOSED)
class NoteRecord(TypedDict):
    """An internal note, whisper or hand-over line (app/console/tools.py's public_note)."""

    id: int
    conversation_id: str
    kind: NoteKind
    body: str
    author_alias: str | None
    author_id: int | None
    created_at: str
