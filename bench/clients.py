"""Clients of the public protocol (docs/protocol.md) for the load generator: visitors, counselors, relay peers.

Every socket has one reader task; every frame is parsed with the standard `json`. A `Tracker` follows each message
from send to its acknowledgement (the sender's `ack`) and its delivery (the `message` at the other side). The socket
that sent a message gets only its `ack` (with `seq` and `at`), never the message: nothing here waits for an echo, and
the seq a client resumes from (`Held`) counts its own messages by their acks and the other side's by their frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.typing import Origin

log = logging.getLogger("bench.loadgen")
Compression = Literal["deflate"] | None
now = time.monotonic


@dataclass(frozen=True)
class Node:
    http: str  # http://127.0.0.1:8001

    @property
    def ws(self) -> str:
        return "ws" + self.http[4:]


@dataclass(slots=True)
class Sent:
    t: float
    direction: str  # "v2c" (visitor to counselor) or "c2v"
    chat: int
    needs_ack: bool
    record: bool
    acked: float = 0.0
    delivered: float = 0.0
    done: asyncio.Future[None] | None = None


@dataclass
class Tracker:
    """Messages in flight; latencies of those sent while recording; completions while counting."""

    inflight: dict[str, Sent] = field(default_factory=dict)
    recording: bool = False
    counting: bool = False
    completed: int = 0
    latency: dict[str, list[float]] = field(default_factory=lambda: {"v2c": [], "c2v": [], "ack": []})
    errors: Counter[str] = field(default_factory=Counter)
    unknown: int = 0

    def reset(self) -> None:
        self.completed, self.unknown = 0, 0
        self.latency = {"v2c": [], "c2v": [], "ack": []}
        self.errors.clear()

    def sent(
        self, client_id: str, direction: str, chat: int, needs_ack: bool, wait: bool = False, at: float | None = None
    ) -> Sent:
        """A message about to go out; its latencies count from `at` (when it was due) or from now."""
        item = Sent(now() if at is None else at, direction, chat, needs_ack, self.recording)
        if wait:
            item.done = asyncio.get_running_loop().create_future()
        self.inflight[client_id] = item
        return item

    def acked(self, client_id: str) -> None:
        item = self.inflight.get(client_id)
        if item is None:
            self.unknown += 1
            return
        item.acked = now()
        if item.record:
            self.latency["ack"].append(item.acked - item.t)
        if item.delivered:
            self._done(client_id, item)

    def delivered(self, client_id: str) -> None:
        item = self.inflight.get(client_id)
        if item is None or item.delivered:
            return
        item.delivered = now()
        if item.record:
            self.latency[item.direction].append(item.delivered - item.t)
        if item.acked or not item.needs_ack:
            self._done(client_id, item)

    def _done(self, client_id: str, item: Sent) -> None:
        del self.inflight[client_id]
        if self.counting:
            self.completed += 1
        if item.done is not None and not item.done.done():
            item.done.set_result(None)

    def error(self, frame: dict[str, Any]) -> None:
        self.errors[str(frame.get("code"))] += 1


class Held:
    """The seqs of one conversation a client holds: `last` is the highest seq up to which every seq is held (its own
    messages known from acks, everyone else's from `message` frames), so a resume from `last` skips nothing even
    when an ack overtakes an earlier message from the other side."""

    __slots__ = ("_above", "last")

    def __init__(self, last: int = 0) -> None:
        self.last = last
        self._above: set[int] = set()

    def add(self, seq: int) -> None:
        if seq <= self.last:
            return
        self._above.add(seq)
        self._advance()

    def resume_at(self, seq: int) -> None:
        """Everything up to seq is held already (a conversation continued from an earlier run)."""
        if seq > self.last:
            self.last = seq
            self._above = {s for s in self._above if s > seq}
            self._advance()

    def _advance(self) -> None:
        while self.last + 1 in self._above:
            self.last += 1
            self._above.discard(self.last)


def body_of(size: int) -> str:
    text = "Hej, jag undrar om jag kan prata med någon om en sak som hänt. "
    return (text * (size // len(text) + 1))[:size]


REVIVALS: Counter[str] = Counter()  # sockets the server ended that came back, by close code


class Socket:
    """One client socket: connect, a reader task, send. A resilient socket comes back by itself when the server ends
    it (as the pages do: 1013 too slow, 1011, 1012 restarting, or a dropped connection), with a backoff, and
    `send` waits for it and sends again (a resent client_id is acknowledged, never stored twice)."""

    def __init__(self) -> None:
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None
        self.close_code: int | None = None
        self.compression: Compression = None
        self.resilient = False
        self.connected = asyncio.Event()  # open and greeted
        self.greeted: asyncio.Future[None] | None = None
        self._reviving: asyncio.Task[None] | None = None

    async def _open(self, url: str, origin: str, compression: Compression, headers: dict[str, str] | None) -> None:
        self.compression = compression
        self.ws = await connect(
            url,
            origin=Origin(origin),
            additional_headers=headers,
            compression=compression,
            open_timeout=60,
            ping_interval=None,  # like a browser: the server pings, the page sends `ping` frames
            close_timeout=2,
            max_queue=256,
        )
        self.close_code = None
        self.reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                try:
                    self.on_frame(json.loads(raw))
                except (ValueError, KeyError, TypeError):
                    log.exception("unexpected frame %.200s", raw)
        except ConnectionClosed:
            pass
        finally:
            self.close_code = ws.close_code if ws.close_code is not None else -1
            if self.ws is ws:
                self.connected.clear()
                if self.resilient and (self._reviving is None or self._reviving.done()):
                    self._reviving = asyncio.ensure_future(self._revive())

    async def _revive(self) -> None:
        REVIVALS[str(self.close_code)] += 1
        delay = 0.5
        while self.resilient:
            await asyncio.sleep(random.uniform(delay / 2, delay))
            try:
                await self.reconnect()
                return
            except (OSError, TimeoutError, WebSocketException, httpx.HTTPError):
                delay = min(2 * delay, 8.0)

    async def _greet(
        self, url: str, origin: str, compression: Compression, headers: dict[str, str] | None, hello: dict[str, Any]
    ) -> None:
        """Open the socket, say hello, and wait until the server greets back (on_frame calls _greeted)."""
        self.greeted = asyncio.get_running_loop().create_future()
        await self._open(url, origin, compression, headers)
        await self._send_now(hello)
        await asyncio.wait_for(self.greeted, 60)
        self.connected.set()

    def _greeted(self) -> None:
        if self.greeted is not None and not self.greeted.done():
            self.greeted.set_result(None)

    async def connect(self, compression: Compression = None) -> None:
        raise NotImplementedError

    async def reconnect(self) -> None:
        await self.connect(self.compression)

    def on_frame(self, frame: dict[str, Any]) -> None:
        raise NotImplementedError

    @property
    def open(self) -> bool:
        return self.ws is not None and self.close_code is None

    async def _send_now(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(frame, separators=(",", ":")))

    async def send(self, frame: dict[str, Any]) -> None:
        for _attempt in range(10):
            if self.resilient and not self.connected.is_set():
                await asyncio.wait_for(self.connected.wait(), 120)
            try:
                await self._send_now(frame)
                return
            except ConnectionClosed:
                if not self.resilient:
                    raise
                self.connected.clear()
        raise ConnectionError("the socket did not come back")

    def ping(self) -> None:
        if self.open and self.connected.is_set():
            task = asyncio.ensure_future(self._send_now({"type": "ping"}))
            task.add_done_callback(_ignore)

    def drop(self) -> None:
        """Lose the connection as a phone losing coverage does: no closing handshake (and no coming back)."""
        self.resilient = False
        if self.ws is not None:
            self.ws.transport.abort()

    async def close(self) -> None:
        self.resilient = False
        if self._reviving is not None:
            self._reviving.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self.reader, 3)


def _ignore(task: asyncio.Future[None]) -> None:
    with contextlib.suppress(BaseException):
        task.exception()


class Visitor(Socket):
    def __init__(self, chat: int, node: Node, conversation_id: str, token: str, tracker: Tracker) -> None:
        super().__init__()
        self.chat, self.node, self.conversation_id, self.token = chat, node, conversation_id, token
        self.tracker = tracker
        self.held = Held()
        self.counselor_seqs: Counter[int] = Counter()  # seq -> times received, counselor messages only
        self._waiting: tuple[int, asyncio.Future[None]] | None = None
        self.hello_at = self.state_at = 0.0  # the last hello sent and its state received (the storm's diagnosis)

    @property
    def last_seq(self) -> int:
        """Every seq up to this one is held (the `last_seq` of the next hello)."""
        return self.held.last

    async def connect(self, compression: Compression = None) -> None:
        """Open the socket and say hello with the seq up to which it holds everything (nothing yet: 0)."""
        hello = {
            "type": "hello",
            "token": self.token,
            "conversation_id": self.conversation_id,
            "last_seq": self.held.last,
        }
        self.hello_at = now()
        await self._greet(f"{self.node.ws}/ws/visitor", self.node.http, compression, None, hello)

    def _hold(self, seq: int) -> None:
        self.held.add(seq)
        if self._waiting is not None and self.held.last >= self._waiting[0] and not self._waiting[1].done():
            self._waiting[1].set_result(None)

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "message":  # the counselor's, a system notice, or this visitor's own replayed after a hello
            seq = frame["seq"]
            self._hold(seq)
            if frame["author"] == "counselor":
                self.counselor_seqs[seq] += 1
                if frame["client_id"]:
                    self.tracker.delivered(frame["client_id"])
        elif kind == "ack":  # this socket's own message, stored: its seq is held without an echo
            self._hold(frame["seq"])
            self.tracker.acked(frame["client_id"])
        elif kind == "state":
            self.state_at = now()
            self._greeted()
        elif kind == "error":
            self.tracker.error(frame)

    async def say(self, client_id: str, body: str) -> None:
        await self.send({"type": "send", "client_id": client_id, "body": body})

    async def caught_up(self, seq: int, within: float) -> None:
        """Wait until every message up to seq is held."""
        if self.held.last >= seq:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting = (seq, waiter)
        try:
            await asyncio.wait_for(waiter, within)
        finally:
            self._waiting = None


class Counselor(Socket):
    def __init__(self, index: int, node: Node, username: str, tracker: Tracker) -> None:
        super().__init__()
        self.index, self.node, self.username, self.tracker = index, node, username, tracker
        self.http = httpx.AsyncClient(base_url=node.http, headers={"Origin": node.http}, timeout=120)
        self.id = 0
        self.csrf = ""
        self.held = 0
        self.ready: dict[str, asyncio.Future[None]] = {}
        self.acked_seqs: dict[str, list[int]] = {}  # conversation -> seqs of this counselor's acked messages
        self.acked_at: dict[tuple[str, int], float] = {}  # (conversation, seq) -> when its ack came
        self.track_seqs = False
        self.seen: dict[str, Held] = {}  # conversation -> the seqs this console holds (its hello's last_seq)

    async def login(self, password: str) -> None:
        response = await self.http.post("/api/console/login", json={"username": self.username, "password": password})
        response.raise_for_status()
        body = response.json()
        self.id, self.csrf = int(body["counselor"]["id"]), body["csrf_token"]
        presence = await self.http.put(
            "/api/console/presence", json={"status": "available"}, headers={"X-CSRF-Token": self.csrf}
        )
        presence.raise_for_status()

    async def connect(self, compression: Compression = None, last_seq: dict[str, int] | None = None) -> None:
        """Open the console socket; last_seq: conversations held already, and the seq this console has seen."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        for conversation_id, seq in (last_seq or {}).items():
            self._held(conversation_id).resume_at(seq)
        hello = {"type": "hello", "last_seq": {c: held.last for c, held in self.seen.items()}}
        await self._greet(f"{self.node.ws}/ws/console", self.node.http, compression, {"Cookie": cookie}, hello)

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "message":  # the visitor's, a system notice, or this console's own replayed after a hello
            self._held(frame["conversation_id"]).add(frame["seq"])
            if frame["author"] == "visitor" and frame["client_id"]:
                self.tracker.delivered(frame["client_id"])
        elif kind == "ack":  # this console's own message, stored: its seq is held without an echo
            self._held(frame["conversation_id"]).add(frame["seq"])
            self.tracker.acked(frame["client_id"])
            if self.track_seqs:
                self.acked_seqs.setdefault(frame["conversation_id"], []).append(frame["seq"])
                self.acked_at[(frame["conversation_id"], frame["seq"])] = now()
        elif kind == "conversation":
            data = frame["conversation"]
            if data["state"] == "active" and data["counselor_id"] == self.id:
                waiter = self.ready.pop(data["conversation_id"], None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)
        elif kind == "presence":
            self._greeted()
        elif kind == "error":
            self.tracker.error(frame)

    def _held(self, conversation_id: str) -> Held:
        held = self.seen.get(conversation_id)
        if held is None:
            held = self.seen[conversation_id] = Held()
        return held

    async def claim(self, conversation_id: str, follow: bool = True) -> None:
        """Claim over HTTP; with follow, wait until the console socket follows the conversation (then its sends
        are accepted)."""
        waiter: asyncio.Future[None] | None = None
        if follow:
            waiter = self.ready[conversation_id] = asyncio.get_running_loop().create_future()
        response = await self.http.post(
            f"/api/console/conversations/{conversation_id}/claim", headers={"X-CSRF-Token": self.csrf}
        )
        response.raise_for_status()
        if waiter is not None:
            await asyncio.wait_for(waiter, 60)
        self.held += 1

    async def say(self, conversation_id: str, client_id: str, body: str) -> None:
        await self.send({"type": "send", "conversation_id": conversation_id, "client_id": client_id, "body": body})

    async def aclose(self) -> None:
        await self.close()
        await self.http.aclose()


class RelayPeer(Socket):
    """One side of a relay pair: what arrives is the other side's frame, as sent."""

    def __init__(self, url: str, pair: int, side: str, tracker: Tracker) -> None:
        super().__init__()
        self.url, self.pair, self.side, self.tracker = url, pair, side, tracker

    async def connect(self, compression: Compression = None) -> None:
        hello = {"type": "hello", "pair": str(self.pair), "side": self.side}
        await self._greet(self.url, "http" + self.url[2:], compression, None, hello)

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "send":
            self.tracker.delivered(frame["client_id"])
        elif kind == "state":
            self._greeted()

    async def say(self, client_id: str, body: str) -> None:
        await self.send({"type": "send", "client_id": client_id, "body": body})
