"""Closing a visitor's open sockets when their conversation is deleted or continues under a new token.

A socket authenticated with a token keeps listening after its hello, so rotating the token or deleting
the conversation must also reach sockets that are already open, on every node: the change is published
on PRIVACY_CHANNEL after commit, and each node closes its own visitor sockets of that conversation.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.db import queue_event
from app.realtime.connections import CLOSE_NORMAL, CLOSE_POLICY, Connection
from app.realtime.events import error_event, revoke_visitor_event
from app.realtime.hub import Hub, conversation_channel

PRIVACY_CHANNEL = "privacy"
VISITOR_SOCKET_PATH = "/ws/visitor"
Reason = Literal["purged", "replaced"]


def queue_revocation(session: AsyncSession, conversation_id: uuid.UUID, reason: Reason) -> None:
    """After commit, close the visitor sockets of this conversation (queue it before the state events)."""
    queue_event(session, PRIVACY_CHANNEL, revoke_visitor_event(conversation_id, reason))


def close_visitor_sockets(hub: Hub, conversation_id: str, reason: str) -> int:
    channel = conversation_channel(conversation_id)
    closed = 0
    for subscriber in hub.subscribers(channel):
        if not isinstance(subscriber, Connection) or subscriber.websocket.scope.get("path") != VISITOR_SOCKET_PATH:
            continue  # staff consoles follow the conversation too; they are told by its events
        hub.unsubscribe(subscriber, channel)
        if reason == "replaced":
            subscriber.push(error_event("invalid_token", "this conversation continues with a new token"))
            subscriber.close(CLOSE_POLICY, "token replaced")
        else:
            subscriber.close(CLOSE_NORMAL, "conversation deleted")
        closed += 1
    return closed


def watch_revocations(hub: Hub) -> None:
    def on_event(_channel: str, payload: dict[str, Any]) -> None:
        if payload.get("type") == "revoke_visitor":
            close_visitor_sockets(hub, str(payload["conversation_id"]), str(payload.get("reason", "purged")))

    hub.add_listener(PRIVACY_CHANNEL, on_event)
