"""Chats the scenarios drive: a Lykta conversation (visitor plus the counselor holding it) or a relay pair.

A pool grows to the number of chats a phase needs and keeps them for the next phase: conversations are started
over HTTP, claimed by a counselor and the visitor's socket opened with `hello`, as a browser would.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import httpx
from websockets.exceptions import WebSocketException

from bench.clients import Compression, Counselor, Node, RelayPeer, Socket, Tracker, Visitor

log = logging.getLogger("bench.loadgen")
SETUP_CONCURRENCY = 32


class Chat(Protocol):
    index: int
    needs_ack: bool

    async def send(self, side: str, client_id: str, body: str) -> None: ...


class LyktaChat:
    needs_ack = True

    def __init__(self, index: int, conversation_id: str, visitor: Visitor, counselor: Counselor) -> None:
        self.index, self.conversation_id, self.visitor, self.counselor = index, conversation_id, visitor, counselor

    async def send(self, side: str, client_id: str, body: str) -> None:
        if side == "v":
            await self.visitor.say(client_id, body)
        else:
            await self.counselor.say(self.conversation_id, client_id, body)


class RelayChat:
    needs_ack = False

    def __init__(self, index: int, a: RelayPeer, b: RelayPeer) -> None:
        self.index, self.a, self.b = index, a, b

    async def send(self, side: str, client_id: str, body: str) -> None:
        await (self.a if side == "v" else self.b).say(client_id, body)


class Pool(Protocol):
    chats: list[Chat]
    tracker: Tracker

    async def ensure(self, count: int) -> None: ...

    def sockets(self) -> list[Socket]: ...

    async def aclose(self) -> None: ...


async def bounded(count: int, make: Callable[[int], Awaitable[None]], limit: int = SETUP_CONCURRENCY) -> None:
    """Run make(i) for i in range(count) with at most `limit` at a time; the first failure is raised."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            await make(queue.get_nowait())

    await asyncio.gather(*(worker() for _ in range(min(limit, count))))


class LyktaPool:
    """Conversations held by counselors (conversation i by counselor i mod C; visitors spread over the nodes).
    `resume` continues conversations a previous run left (same database): sockets reconnect with their seq."""

    def __init__(
        self,
        nodes: list[Node],
        usernames: list[str],
        password: str,
        tracker: Tracker,
        compression: Compression = None,
        resume: list[dict[str, Any]] | None = None,
    ) -> None:
        self.nodes, self.password, self.tracker, self.compression = nodes, password, tracker, compression
        self.counselors = [Counselor(i, nodes[i % len(nodes)], name, tracker) for i, name in enumerate(usernames)]
        self.visitor_http = [
            httpx.AsyncClient(
                base_url=n.http, headers={"Origin": n.http}, timeout=120, limits=httpx.Limits(max_connections=100)
            )
            for n in nodes
        ]
        self.chats: list[Chat] = []
        self.lykta_chats: list[LyktaChat] = []
        self.resume = resume or []  # {"conversation", "token", "seq", "counselor"} by index
        self.failures: list[str] = []

    def node_of(self, index: int) -> Node:
        return self.nodes[(index // len(self.counselors)) % len(self.nodes)]

    async def start(self, connect: bool = True) -> None:
        held: dict[int, dict[str, int]] = {}
        for entry in self.resume:
            held.setdefault(entry["counselor"], {})[entry["conversation"]] = entry["seq"]

        async def sign_in(i: int) -> None:
            counselor = self.counselors[i]
            await counselor.login(self.password)
            if connect:
                await counselor.connect(self.compression, held.get(i, {}))
                counselor.resilient = True

        await bounded(len(self.counselors), sign_in, 8)

    async def start_conversation(self, index: int) -> tuple[str, str]:
        node = self.node_of(index)
        response = await self.visitor_http[self.nodes.index(node)].post(
            "/api/visitor/conversations", json={"language": "sv"}
        )
        response.raise_for_status()
        data = response.json()
        return data["conversation_id"], data["token"]

    async def ensure(self, count: int) -> None:
        first = len(self.lykta_chats)
        if count <= first:
            return
        made: dict[int, LyktaChat] = {}

        async def make(offset: int) -> None:
            index = first + offset
            counselor = self.counselors[index % len(self.counselors)]
            try:
                if index < len(self.resume):
                    entry = self.resume[index]
                    conversation_id, token, last_seq = entry["conversation"], entry["token"], entry["seq"]
                    counselor = self.counselors[entry["counselor"]]
                else:
                    conversation_id, token = await self.start_conversation(index)
                    await counselor.claim(conversation_id)
                    last_seq = 0
                visitor = Visitor(index, self.node_of(index), conversation_id, token, self.tracker)
                visitor.held.resume_at(last_seq)
                await visitor.connect(self.compression)
                visitor.resilient = True
            except (httpx.HTTPError, OSError, TimeoutError, WebSocketException) as exc:  # an overloaded server
                self.failures.append(f"{type(exc).__name__}: {exc}"[:200])
                return
            made[index] = LyktaChat(index, conversation_id, visitor, counselor)

        loop = asyncio.get_running_loop()
        t0 = loop.time()
        await bounded(count - first, make)
        self.lykta_chats.extend(made[i] for i in sorted(made))
        self.chats = list(self.lykta_chats)
        log.info("%d conversations ready (+%d in %.1f s)", len(self.chats), len(made), loop.time() - t0)

    def state(self) -> list[dict[str, Any]]:
        """What a later run needs to continue these conversations (see `resume`)."""
        return [
            {
                "conversation": c.conversation_id,
                "token": c.visitor.token,
                "seq": c.visitor.last_seq,
                "counselor": c.counselor.index,
            }
            for c in self.lykta_chats
        ]

    def sockets(self) -> list[Socket]:
        return [*self.counselors, *(c.visitor for c in self.lykta_chats)]

    async def aclose(self) -> None:
        await asyncio.gather(*(c.visitor.close() for c in self.lykta_chats), return_exceptions=True)
        await asyncio.gather(*(c.aclose() for c in self.counselors), return_exceptions=True)
        for client in self.visitor_http:
            await client.aclose()


class RelayPool:
    def __init__(self, url: str, tracker: Tracker) -> None:
        self.url, self.tracker = url, tracker
        self.chats: list[Chat] = []
        self.pairs: list[RelayChat] = []

    async def ensure(self, count: int) -> None:
        first = len(self.pairs)
        made: dict[int, RelayChat] = {}

        async def make(offset: int) -> None:
            index = first + offset
            a, b = RelayPeer(self.url, index, "a", self.tracker), RelayPeer(self.url, index, "b", self.tracker)
            await a.connect()
            await b.connect()
            made[index] = RelayChat(index, a, b)

        if count > first:
            await bounded(count - first, make)
            self.pairs.extend(made[i] for i in sorted(made))
            self.chats = list(self.pairs)
            log.info("%d relay pairs ready", len(self.pairs))

    def sockets(self) -> list[Socket]:
        return [s for p in self.pairs for s in (p.a, p.b)]

    async def aclose(self) -> None:
        await asyncio.gather(*(s.close() for s in self.sockets()), return_exceptions=True)
