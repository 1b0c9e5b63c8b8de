"""This process's fan-out: channel subscriptions of local connections, plus local listeners.

The one registry of who listens here: sockets subscribe to the broker's channels (a conversation, a counselor,
staff) and to local ones that nothing publishes on, whose subscribers the queue notifier tells itself (a waiting
visitor's place, every console's queue view; app/routing/notifier.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, Protocol, cast

from app.realtime.events import NOTICE_TYPES, Delivery, Published


class Subscriber(Protocol):
    def push(self, event: Delivery) -> None: ...

    def resync(self) -> None:
        """Events may have been missed: catch up from the database."""


Listener = Callable[[str, dict[str, Any]], None]


def conversation_channel(conversation_id: object) -> str:
    return f"conv:{conversation_id}"


def counselor_channel(counselor_id: int) -> str:
    return f"counselor:{counselor_id}"


def waiting_channel(conversation_id: object) -> str:
    """Local: the socket of a visitor waiting in the queue, told its place."""
    return f"waiting:{conversation_id}"


QUEUE_CHANNEL = "queue"
STAFF_CHANNEL = "staff"
WAITING_CHANNEL = "waiting"  # local: every waiting visitor's socket (told when the service opens or closes)
QUEUE_VIEW_CHANNEL = "queue-view"  # local: every console's view of the queue


class Hub:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscriber]] = defaultdict(set)
        self._channels_of: dict[Subscriber, set[str]] = defaultdict(set)
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(self, subscriber: Subscriber, channel: str) -> None:
        self._subscribers[channel].add(subscriber)
        self._channels_of[subscriber].add(channel)

    def unsubscribe(self, subscriber: Subscriber, channel: str) -> None:
        subscribers = self._subscribers.get(channel)
        if subscribers is not None:
            subscribers.discard(subscriber)
            if not subscribers:
                del self._subscribers[channel]
        self._channels_of.get(subscriber, set()).discard(channel)

    def unsubscribe_all(self, subscriber: Subscriber) -> None:
        for channel in list(self._channels_of.pop(subscriber, ())):
            subscribers = self._subscribers.get(channel)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._subscribers[channel]

    def add_listener(self, channel: str, listener: Listener) -> None:
        self._listeners[channel].append(listener)

    def subscribers(self, channel: str) -> set[Subscriber]:
        return set(self._subscribers.get(channel, ()))

    def count(self, channel: str) -> int:
        return len(self._subscribers.get(channel, ()))

    @property
    def connection_count(self) -> int:
        return len(self._channels_of)

    def resync(self) -> None:
        """After a broker outage: every local socket catches up on what it follows."""
        for subscriber in list(self._channels_of):
            subscriber.resync()

    def dispatch(self, channel: str, payload: dict[str, Any]) -> None:
        """An event from the broker: to the channel's listeners, and (unless a notice) to its subscribers."""
        for listener in self._listeners.get(channel, ()):
            listener(channel, payload)
        subscribers = self._subscribers.get(channel)
        if subscribers and payload.get("type") not in NOTICE_TYPES:
            event = cast(Published, payload)  # built by app/realtime/events.py where it was published
            for subscriber in tuple(subscribers):
                subscriber.push(event)
