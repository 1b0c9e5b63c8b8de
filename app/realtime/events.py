"""The catalogue of what the server sends: every socket frame and every event on the broker, each built by one function.

Frames are plain dicts typed as TypedDicts (orjson encodes them as they are; nothing is validated per frame on the hot
path). Which socket gets which frame is `VisitorServerFrame` and `ConsoleServerFrame`; `ServerFrame` is either.
Events published on the broker are either frames that reach the sockets as they are (`Published`) or notices only
this process's listeners read (`Notice`). Internal signals of a socket's buffer are app/realtime/signals.py, never
frames. What clients send is app/realtime/protocol.py. `python -m app.realtime.export_schema` writes the JSON Schema
the pages' types are generated from (frontend/src/api/frames.ts).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, NotRequired, cast, get_args, get_type_hints

from pydantic import Field, with_config
from typing_extensions import TypedDict, TypeIs, Unpack

from app.core.config import Alternative
from app.core.metrics import ERRORS
from app.models import Author, ConversationState, MailboxState, Presence, iso
from app.realtime.records import CLOSED, ConversationSummary, NoteRecord, QueueItem, ResourceCard
from app.realtime.signals import Signal, SignedOutSignal


# -- frames both sockets get -------------------------------------------------------------------------------------
@with_config(CLOSED)
class MessageFrame(TypedDict):
    type: Literal["message"]
    conversation_id: str
    seq: int
    author: Author
    alias: str | None
    body: str
    client_id: str | None
    at: str
    card: ResourceCard | None


@with_config(CLOSED)
class AckFrame(TypedDict):
    """Stored as seq at `at`: the sending socket gets this instead of its own message."""

    type: Literal["ack"]
    conversation_id: str
    client_id: str
    seq: int
    at: str


@with_config(CLOSED)
class TypingFrame(TypedDict):
    type: Literal["typing"]
    conversation_id: str
    author: Author
    on: bool


@with_config(CLOSED)
class ReadFrame(TypedDict):
    type: Literal["read"]
    conversation_id: str
    author: Author
    seq: int


class SendAbout(TypedDict, total=False):
    """The send an error frame is about (the client sends it again by client_id)."""

    conversation_id: str
    client_id: str


class ErrorAbout(SendAbout, total=False):
    retry_after: int  # seconds before trying again


@with_config(CLOSED)
class ErrorFrame(TypedDict):
    type: Literal["error"]
    code: str
    detail: str
    conversation_id: NotRequired[str]
    client_id: NotRequired[str]
    retry_after: NotRequired[int]


@with_config(CLOSED)
class PongFrame(TypedDict):
    type: Literal["pong"]


@with_config(CLOSED)
class ServiceFrame(TypedDict):
    """The schedule opened or closed the service (to waiting visitors and to staff)."""

    type: Literal["service"]
    open: bool
    next_opening: str | None
    alternatives: list[Alternative]


# -- the visitor's socket ----------------------------------------------------------------------------------------
@with_config(CLOSED)
class StateFrame(TypedDict):
    type: Literal["state"]
    conversation_id: str
    state: ConversationState
    counselor_alias: str | None


@with_config(CLOSED)
class VisitorQueueFrame(TypedDict):
    """A waiting visitor's place in the queue."""

    type: Literal["queue"]
    position: int
    estimated_wait_s: int


# -- the console's socket ----------------------------------------------------------------------------------------
@with_config(CLOSED)
class ConsoleQueueFrame(TypedDict):
    """The whole queue, as every console shows it."""

    type: Literal["queue"]
    items: list[QueueItem]


@with_config(CLOSED)
class ConversationFrame(TypedDict):
    type: Literal["conversation"]
    conversation: ConversationSummary
    monitoring: NotRequired[bool]  # a supervisor's read-only follow (the answer to a `monitor` frame)


@with_config(CLOSED)
class PresenceFrame(TypedDict):
    type: Literal["presence"]
    counselor_id: int
    status: Presence


@with_config(CLOSED)
class NoteFrame(TypedDict):
    type: Literal["note"]
    conversation_id: str
    note: NoteRecord


@with_config(CLOSED)
class PurgedFrame(TypedDict):
    """The conversation's text was deleted (purge now): consoles drop its transcript."""

    type: Literal["purged"]
    conversation_id: str


MailboxChange = Literal["letter", "claimed", "answered", "released", "closed", "note", "chat"]


@with_config(CLOSED)
class MailboxFrame(TypedDict):
    """The mailbox changed (never its text); `notify`: a letter came in opening hours."""

    type: Literal["mailbox"]
    change: MailboxChange
    thread_id: str
    state: MailboxState
    notify: bool


VisitorServerFrame = Annotated[
    MessageFrame
    | AckFrame
    | StateFrame
    | VisitorQueueFrame
    | TypingFrame
    | ReadFrame
    | ErrorFrame
    | PongFrame
    | ServiceFrame,
    Field(discriminator="type"),
]
ConsoleServerFrame = Annotated[
    MessageFrame
    | AckFrame
    | ConsoleQueueFrame
    | ConversationFrame
    | PresenceFrame
    | TypingFrame
    | ReadFrame
    | NoteFrame
    | PurgedFrame
    | MailboxFrame
    | ErrorFrame
    | PongFrame
    | ServiceFrame,
    Field(discriminator="type"),
]
ServerFrame = VisitorServerFrame | ConsoleServerFrame


# -- events only listeners read (never a socket) -----------------------------------------------------------------
@with_config(CLOSED)
class QueueChanged(TypedDict):
    """The queue may look different now: each process recomputes it once (app/routing/notifier.py)."""

    type: Literal["queue_changed"]


@with_config(CLOSED)
class RevokeVisitor(TypedDict):
    """Close the visitor sockets of a conversation on every node (app/privacy/sockets.py)."""

    type: Literal["revoke_visitor"]
    conversation_id: str
    reason: Literal["purged", "replaced"]


@with_config(CLOSED)
class LeaseReleased(TypedDict):
    """A node gave the cluster lease up: another takes it at once (app/cluster/lease.py)."""

    type: Literal["lease_released"]
    holder: str


Notice = QueueChanged | RevokeVisitor | LeaseReleased
Published = (  # on the broker, and to the channel's sockets as it is (app/realtime/hub.py)
    MessageFrame
    | StateFrame
    | ConversationFrame
    | TypingFrame
    | ReadFrame
    | NoteFrame
    | PurgedFrame
    | PresenceFrame
    | MailboxFrame
    | ServiceFrame
    | SignedOutSignal
)
ChannelEvent = Published | Notice  # what goes on the broker
Delivery = ServerFrame | Signal  # what a socket's buffer takes: frames, and signals its sender acts on


def _types(union: object) -> frozenset[str]:
    """The `type` of every member of a union of frames (Annotated or not)."""
    if hasattr(union, "__metadata__"):
        union = get_args(union)[0]
    hints = [get_type_hints(member, localns=globals()) for member in get_args(union)]  # signals name MessageFrame
    return frozenset(get_args(hint["type"])[0] for hint in hints)


VISITOR_TYPES = _types(VisitorServerFrame)
CONSOLE_TYPES = _types(ConsoleServerFrame)
NOTICE_TYPES = _types(Notice)
SIGNAL_TYPES = _types(Signal)


def for_visitor(event: Delivery) -> TypeIs[VisitorServerFrame]:
    """A frame the visitor's socket sends (staff-only frames share the conversation's channel)."""
    return event["type"] in VISITOR_TYPES


def for_console(event: Delivery) -> TypeIs[ConsoleServerFrame]:
    return event["type"] in CONSOLE_TYPES


# -- builders ----------------------------------------------------------------------------------------------------
def message_event(
    conversation_id: uuid.UUID,
    seq: int,
    author: str,
    alias: str | None,
    body: str,
    client_id: str | None,
    at: datetime,
    card: Mapping[str, Any] | None = None,
) -> MessageFrame:
    """A stored message; `card` is a resource sent as a card (its body reads the same). `author` (an Author's value)
    and `card` (card_of's, stored as JSON) come as the message row's columns: typed here rather than converted,
    so that a message frame, the hot path's, costs nothing more."""
    return {
        "type": "message",
        "conversation_id": str(conversation_id),
        "seq": seq,
        "author": cast(Author, author),
        "alias": alias,
        "body": body,
        "client_id": client_id,
        "at": iso(at),
        "card": cast("ResourceCard | None", card),
    }


def ack_event(conversation_id: uuid.UUID, client_id: str, seq: int, at: datetime) -> AckFrame:
    return {"type": "ack", "conversation_id": str(conversation_id), "client_id": client_id, "seq": seq, "at": iso(at)}


def state_event(conversation_id: uuid.UUID, state: ConversationState, counselor_alias: str | None) -> StateFrame:
    return {
        "type": "state",
        "conversation_id": str(conversation_id),
        "state": state,
        "counselor_alias": counselor_alias,
    }


def typing_event(conversation_id: uuid.UUID, author: Author, on: bool) -> TypingFrame:
    return {"type": "typing", "conversation_id": str(conversation_id), "author": author, "on": on}


def read_event(conversation_id: uuid.UUID, author: Author, seq: int) -> ReadFrame:
    return {"type": "read", "conversation_id": str(conversation_id), "author": author, "seq": seq}


def error_event(code: str, detail: str, **about: Unpack[ErrorAbout]) -> ErrorFrame:
    ERRORS.labels(code, "ws").inc()
    return {"type": "error", "code": code, "detail": detail, **about}


def pong_event() -> PongFrame:
    return {"type": "pong"}


def service_event(open_now: bool, next_opening: datetime | None, alternatives: list[Alternative]) -> ServiceFrame:
    """`alternatives` is the setting's (checked at start)."""
    return {
        "type": "service",
        "open": open_now,
        "next_opening": iso(next_opening) if next_opening else None,
        "alternatives": alternatives,
    }


def queue_position_event(position: int, estimated_wait_s: int) -> VisitorQueueFrame:
    return {"type": "queue", "position": position, "estimated_wait_s": estimated_wait_s}


def queue_items_event(items: list[QueueItem]) -> ConsoleQueueFrame:
    return {"type": "queue", "items": items}


def conversation_event(summary: ConversationSummary, *, monitoring: bool = False) -> ConversationFrame:
    """`summary` is lifecycle.summary's; `monitoring`: the answer to a supervisor's `monitor` frame."""
    if monitoring:
        return {"type": "conversation", "conversation": summary, "monitoring": True}
    return {"type": "conversation", "conversation": summary}


def presence_event(counselor_id: int, status: Presence) -> PresenceFrame:
    return {"type": "presence", "counselor_id": counselor_id, "status": status}


def note_event(note: NoteRecord) -> NoteFrame:
    """`note` is tools.public_note's."""
    return {"type": "note", "conversation_id": note["conversation_id"], "note": note}


def purged_event(conversation_id: uuid.UUID) -> PurgedFrame:
    return {"type": "purged", "conversation_id": str(conversation_id)}


def mailbox_event(change: MailboxChange, thread_id: uuid.UUID, state: MailboxState, notify: bool) -> MailboxFrame:
    return {"type": "mailbox", "change": change, "thread_id": str(thread_id), "state": state, "notify": notify}


def queue_changed_event() -> QueueChanged:
    return {"type": "queue_changed"}


def revoke_visitor_event(conversation_id: uuid.UUID, reason: Literal["purged", "replaced"]) -> RevokeVisitor:
    return {"type": "revoke_visitor", "conversation_id": str(conversation_id), "reason": reason}


def lease_released_event(holder: str) -> LeaseReleased:
    return {"type": "lease_released", "holder": holder}
