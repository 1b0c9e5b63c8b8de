"""One socket: outbound frames in order from a bounded buffer, inbound frames within their budgets, gap repair.

Nothing runs for an idle socket but its buffers: the sender task exists only while frames are queued, and idle
checks, missing hellos and heartbeats are one sweep for the whole process (app/realtime/sweep.py). A socket reads
on while its sends commit (at most `ws_max_in_flight`); their acks go out in order. The socket that sent a message
gets its `ack` and not the message itself: its own seqs are remembered and passed over on delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

import orjson
from pydantic import TypeAdapter, ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect
from typing_extensions import Unpack

from app.core.config import Settings
from app.core.errors import UNAVAILABLE_RETRY_S, database_unreachable
from app.core.metrics import CONNECTIONS
from app.realtime.budget import BudgetRates, FrameBudget
from app.realtime.events import Delivery, ErrorAbout, MessageFrame, SendAbout, ServerFrame, error_event
from app.realtime.signals import replay_signal, resync_signal, sync_signal

log = logging.getLogger(__name__)
T = TypeVar("T")
MessageLoader = Callable[[str, int], Awaitable[list[MessageFrame]]]

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_UNSUPPORTED = 1003
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011
CLOSE_RESTART = 1012
CLOSE_TRY_LATER = 1013
CLOSE_DRAIN_S = 5.0  # how long queued frames and the close frame may take once a socket is closing


@dataclass(frozen=True, slots=True)
class Close:
    code: int
    reason: str = ""


class Registry:
    """Where a socket registers while it is served (the process's sweep); see app/realtime/sweep.py."""

    def add(self, conn: Connection) -> bool:
        """False when the socket may not be served (its source has too many open)."""
        return True

    def discard(self, conn: Connection) -> None:
        return None


def encode(frame: ServerFrame) -> str:
    return orjson.dumps(frame).decode()


class Connection:
    """Frames go out in order through one buffer; a consumer that cannot keep up is closed (1013)."""

    __slots__ = (
        "__weakref__",
        "_in_flight",
        "_out",
        "_room",
        "_sender",
        "bad_frames",
        "budget",
        "closing",
        "delivered",
        "greeted",
        "kind",
        "last_frame_at",
        "loader",
        "opened_at",
        "own",
        "owner",
        "registry",
        "settings",
        "source",
        "transform",
        "websocket",
    )

    def __init__(
        self,
        websocket: WebSocket,
        settings: Settings,
        loader: MessageLoader,
        rates: BudgetRates,
        registry: Registry | None = None,
        kind: str = "visitor",
    ) -> None:
        self.websocket = websocket
        self.settings = settings
        self.loader = loader
        self.kind = kind
        self.registry = registry or Registry()
        self.budget = FrameBudget(rates)
        self.delivered: dict[str, int] = {}
        self.own: dict[str, set[int]] = {}  # seqs this socket sent (acked, not yet passed in delivery)
        self.bad_frames = 0
        self.closing = False
        self.greeted = False
        self.source = ""
        self.owner: object = None  # the socket's handler (the sweep's heartbeats ask it what to keep alive)
        self.opened_at = self.last_frame_at = time.monotonic()
        self.transform: Callable[[Delivery], Awaitable[Sequence[ServerFrame]]] = _frames_only
        self._out: deque[Delivery | Close] = deque()
        self._sender: asyncio.Task[None] | None = None
        self._in_flight = 0
        self._room: asyncio.Future[None] | None = None

    # -- outbound ---------------------------------------------------------------------------
    def push(self, event: Delivery) -> None:
        if self.closing:
            return
        if len(self._out) >= self.settings.ws_outbound_queue:
            log.info("closing a socket that cannot keep up")
            self.close(CLOSE_TRY_LATER, "too slow; reconnect and resume")
            return
        self._out.append(event)
        self._wake()

    def close(self, code: int, reason: str = "") -> None:
        if self.closing:
            return
        self.closing = True
        if len(self._out) >= self.settings.ws_outbound_queue:  # a too-slow reader would never get these
            self._out.clear()
        self._out.append(Close(code, reason))
        self._wake()

    def _wake(self) -> None:
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(self._drain())

    def follow(self, conversation_id: str, after_seq: int) -> None:
        """Deliver this conversation's messages from after_seq on, catching up from the database."""
        self.delivered[conversation_id] = after_seq
        self.push(sync_signal(conversation_id))

    def replay(self, conversation_id: str, events: list[MessageFrame], catch_up: bool) -> None:
        """Deliver what the hello read (messages after its last_seq) to a socket that follows the conversation
        already; live events that came meanwhile are not sent twice. catch_up: the socket began to listen only
        after the read, so it asks the database once more for what was committed in between."""
        if events:
            self.push(replay_signal(conversation_id, events))
        if catch_up:
            self.push(sync_signal(conversation_id))

    def resync(self) -> None:
        """Events may have been lost: the socket's handler restates what changed (`_resync` goes through
        `transform`), and every followed conversation catches up from the database."""
        self.push(resync_signal())
        for conversation_id in list(self.delivered):
            self.push(sync_signal(conversation_id))

    def unfollow(self, conversation_id: str) -> None:
        self.delivered.pop(conversation_id, None)
        self.own.pop(conversation_id, None)

    def sent(self, conversation_id: str, seq: int) -> None:
        """This socket was acked seq: it will not be sent the message again."""
        last = self.delivered.get(conversation_id)
        if last is not None and seq > last:
            self.own.setdefault(conversation_id, set()).add(seq)

    def _passed_own(self, conversation_id: str, seq: int) -> bool:
        mine = self.own.get(conversation_id)
        if mine is None or seq not in mine:
            return False
        mine.discard(seq)
        if not mine:
            del self.own[conversation_id]
        return True

    async def _prepare(self, event: Delivery) -> Sequence[ServerFrame]:
        """The frames an item of the buffer becomes: signals are acted on here or by the handler's transform."""
        if event["type"] == "message":
            conversation_id = event["conversation_id"]
            last = self.delivered.get(conversation_id)
            seq = event["seq"]
            if last is None or seq <= last:
                return []
            if seq > last + 1:  # an event went missing on the way: the database has it
                return await self._catch_up(conversation_id)
            self.delivered[conversation_id] = seq
            return [] if self._passed_own(conversation_id, seq) else [event]
        if event["type"] == "_sync":
            return await self._catch_up(event["conversation_id"])
        if event["type"] == "_replay":  # read with the hello: what live events have not brought already
            conversation_id = event["conversation_id"]
            last = self.delivered.get(conversation_id)
            if last is None:
                return []
            fresh = [e for e in event["events"] if e["seq"] > last]
            if fresh:
                self.delivered[conversation_id] = fresh[-1]["seq"]
            return [e for e in fresh if not self._passed_own(conversation_id, e["seq"])]
        return await self.transform(event)

    async def _catch_up(self, conversation_id: str) -> list[MessageFrame]:
        last = self.delivered.get(conversation_id)
        if last is None:
            return []
        missed = [e for e in await self.loader(conversation_id, last) if e["seq"] > last]
        if not missed or conversation_id not in self.delivered:
            return []
        self.delivered[conversation_id] = missed[-1]["seq"]
        return [e for e in missed if not self._passed_own(conversation_id, e["seq"])]

    async def _drain(self) -> None:
        """Send what is queued, in order, then end (the next push starts another sender)."""
        out = self._out
        try:
            while out:
                item = out.popleft()
                if isinstance(item, Close):
                    out.clear()
                    await self.websocket.close(item.code, item.reason)
                    return
                for frame in await self._prepare(item):
                    await self.websocket.send_text(encode(frame))
                if self._room is not None and len(out) <= self._half:
                    self._wake_reader()
        except (WebSocketDisconnect, OSError, RuntimeError):
            self.closing = True
            out.clear()
        except Exception:  # a failed catch-up: the client resumes from its last seq
            log.warning("sending failed; closing the socket", exc_info=True)
            self.closing = True
            out.clear()
            await _quietly(self.websocket.close(CLOSE_SERVER_ERROR, "try again"))
        finally:
            self._sender = None

    # -- sends in flight ----------------------------------------------------------------------
    async def room_for_send(self) -> None:
        """Wait while this socket has its most sends waiting for their commit, or while its outbound buffer is half
        full (its acks must go out first): it stops reading meanwhile, and is never closed for its own sends."""
        while self._in_flight >= self.settings.ws_max_in_flight or self._in_flight + len(self._out) >= self._half:
            await self._wait_settled()  # every ack to come still fits in the outbound buffer
        self._in_flight += 1

    @property
    def _half(self) -> int:
        return self.settings.ws_outbound_queue // 2

    def send_settled(self) -> None:
        self._in_flight -= 1
        self._wake_reader()

    def _wake_reader(self) -> None:
        room = self._room
        if room is not None and not room.done():
            room.set_result(None)

    async def sends_settled(self) -> None:
        """Wait until every send before now has its answer (`end` comes after them)."""
        while self._in_flight > 0:
            await self._wait_settled()

    async def _wait_settled(self) -> None:
        room = self._room
        if room is None or room.done():
            room = self._room = asyncio.get_running_loop().create_future()
        await room

    # -- inbound ----------------------------------------------------------------------------
    def reject(self, code: str, detail: str) -> None:
        """Answer bad input with an error frame; close (1008) when it keeps coming."""
        self.bad_frames += 1
        self.push(error_event(code, detail))
        if self.bad_frames >= self.settings.ws_max_bad_frames:
            self.close(CLOSE_POLICY, "too many bad frames")

    def parse(self, text: str, adapter: TypeAdapter[T], known_types: Collection[str]) -> T | None:
        try:
            data = orjson.loads(text)
        except Exception:  # not JSON, nested too deep, a number too large, invalid UTF-8: all the same to us
            self.reject("invalid_json", "the frame is not valid JSON")
            return None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            self.reject("invalid_frame", "a frame is a JSON object with a string 'type'")
            return None
        kind = data["type"]
        if kind not in known_types:
            self.reject("unknown_type", f"unknown frame type {kind[:40]!r}")
            return None
        if not self.within_budget(kind, data):
            return None
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            if any(e["type"] == "string_too_long" and e["loc"][-1] == "body" for e in errors):
                self.reject("body_too_long", "a message is at most 4000 characters")
            else:
                first = errors[0]
                where = ".".join(str(p) for p in first["loc"][1:])
                self.reject("invalid_frame", f"{where}: {first['msg']}" if where else first["msg"])
            return None

    def within_budget(self, kind: str, data: dict[str, object] | None = None) -> bool:
        """Take this frame from its type's budget; over it, the socket is told, and closed when it persists."""
        now = time.monotonic()
        wait = self.budget.wait(kind, now)
        if wait <= 0:
            return True
        if self.budget.strike(now):
            self.push(error_event("rate_limited", "too many frames; closing"))
            self.close(CLOSE_POLICY, "over budget")
            return False
        seconds = max(1, int(wait + 0.999))
        about: ErrorAbout = {"retry_after": seconds}
        if kind == "send" and data is not None:  # the client resends this one later
            if isinstance(conversation_id := data.get("conversation_id"), str):
                about["conversation_id"] = conversation_id
            if isinstance(client_id := data.get("client_id"), str):
                about["client_id"] = client_id
        self.push(error_event("rate_limited", f"too many {kind} frames; wait {seconds} s", **about))
        return False

    def failed(self, exc: Exception, **extra: Unpack[SendAbout]) -> None:
        """A frame could not be handled: say whether the database is away (retry soon) or something broke.
        Either way nothing was stored, and the client sends the same client_id again."""
        if database_unreachable(exc):
            log.warning("frame failed: database unreachable (%s)", type(exc).__name__)
            detail = "the service cannot store this right now; it will be sent again"
            self.push(error_event("unavailable", detail, retry_after=UNAVAILABLE_RETRY_S, **extra))
            return
        log.error("frame failed", exc_info=exc)
        self.push(error_event("server_error", "could not handle that just now; try again", **extra))

    async def serve(self, on_text: Callable[[str], Awaitable[None]]) -> None:
        """Read frames until the peer or the server ends the connection, then let the close frame go out."""
        if not self.registry.add(self):
            await _quietly(self.websocket.close(CLOSE_TRY_LATER, "too many connections; try again later"))
            return
        CONNECTIONS.labels(self.kind).inc()
        try:
            await self._receive(on_text)
        finally:
            CONNECTIONS.labels(self.kind).dec()
            self.registry.discard(self)
            sender = self._sender
            if sender is not None:
                if self.closing:  # queued frames and the close frame go out, but not forever
                    await _quietly(asyncio.wait_for(asyncio.shield(sender), CLOSE_DRAIN_S))
                if not sender.done():
                    sender.cancel()
            self.closing = True
            self._out.clear()

    async def _receive(self, on_text: Callable[[str], Awaitable[None]]) -> None:
        max_bytes = self.settings.ws_max_frame_bytes
        receive = self.websocket.receive
        while True:
            try:
                message = await receive()
            except (WebSocketDisconnect, RuntimeError):
                return
            if message["type"] == "websocket.disconnect":
                return
            if self.closing:
                continue  # the close handshake is under way: read until the peer answers it
            self.last_frame_at = time.monotonic()
            text = message.get("text")
            if text is None:
                self.close(CLOSE_UNSUPPORTED, "binary frames are not accepted")
                continue
            if len(text) > max_bytes:
                self.close(CLOSE_TOO_BIG, "frame too large")
                continue
            await on_text(text)


async def _frames_only(event: Delivery) -> Sequence[ServerFrame]:
    """Until a handler sets its own transform: frames go out as they are, signals are dropped."""
    return [] if event["type"].startswith("_") else [cast("ServerFrame", event)]


async def _quietly(awaitable: Awaitable[object]) -> None:
    with contextlib.suppress(TimeoutError, WebSocketDisconnect, OSError, RuntimeError):
        await awaitable
