"""Internal signals: what a socket's buffer carries beside frames, acted on by its sender and never sent as they are.

Their types begin with `_` and none is a frame of app/realtime/events.py, so a signal cannot reach the wire by
mistake: the socket's sender turns each into frames (or nothing) first (app/realtime/connections.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from typing_extensions import TypedDict

if TYPE_CHECKING:
    from app.realtime.events import MessageFrame


class SyncSignal(TypedDict):
    """Catch this conversation up from the database (after its last delivered seq)."""

    type: Literal["_sync"]
    conversation_id: str


class ReplaySignal(TypedDict):
    """The messages a hello read, delivered unless live events have brought them already."""

    type: Literal["_replay"]
    conversation_id: str
    events: list[MessageFrame]


class ResyncSignal(TypedDict):
    """Events may have been lost: the socket's handler restates what it shows."""

    type: Literal["_resync"]


class SignedOutSignal(TypedDict):
    """On a counselor's channel: their sessions ended (role change, disable, reset); their consoles close."""

    type: Literal["_signed_out"]


Signal = SyncSignal | ReplaySignal | ResyncSignal | SignedOutSignal


def sync_signal(conversation_id: str) -> SyncSignal:
    return {"type": "_sync", "conversation_id": conversation_id}


def replay_signal(conversation_id: str, events: list[MessageFrame]) -> ReplaySignal:
    return {"type": "_replay", "conversation_id": conversation_id, "events": events}


def resync_signal() -> ResyncSignal:
    return {"type": "_resync"}


def signed_out_signal() -> SignedOutSignal:
    return {"type": "_signed_out"}
