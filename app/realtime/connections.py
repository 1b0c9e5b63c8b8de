"""One socket: a bounded outbound queue drained by its own sender, frame parsing, gap repair."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import TypeVar

import anyio
from pydantic import TypeAdapter, ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.core.config import Settings
from app.core.errors import UNAVAILABLE_RETRY_S, database_unreachable
from app.core.metrics import CONNECTIONS
from app.realtime.protocol import Event, error_event

log = logging.getLogger(__name__)
T = TypeVar("T")
MessageLoader = Callable[[str, int], Awaitable[list[Event]]]

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_UNSUPPORTED = 1003
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011
CLOSE_RESTART = 1012
CLOSE_TRY_LATER = 1013


@dataclass(frozen=True)
class Close:
    code: int
    reason: str = ""


class Connection:
    """Frames go out in order through one queue; a consumer that cannot keep up is closed (1013)."""

    def __init__(self, websocket: WebSocket, settings: Settings, loader: MessageLoader) -> None:
        self.websocket = websocket
        self.settings = settings
        self.loader = loader
        self.queue: asyncio.Queue[Event | Close] = asyncio.Queue(maxsize=settings.ws_outbound_queue)
        self.delivered: dict[str, int] = {}
        self.bad_frames = 0
        self.closing = False
        self.transform: Callable[[Event], Awaitable[list[Event]]] = _identity

    # -- outbound ---------------------------------------------------------------------------
    def push(self, event: Event) -> None:
        if self.closing:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            log.info("closing a socket that cannot keep up")
            self.close(CLOSE_TRY_LATER, "too slow; reconnect and resume")

    def close(self, code: int, reason: str = "") -> None:
        if self.closing:
            return
        self.closing = True
        if self.queue.full():  # drop what a too-slow reader would never get; it resumes by seq
            while not self.queue.empty():
                self.queue.get_nowait()
        self.queue.put_nowait(Close(code, reason))

    def follow(self, conversation_id: str, after_seq: int) -> None:
        """Deliver this conversation's messages from after_seq on, catching up from the database."""
        self.delivered[conversation_id] = after_seq
        self.push({"type": "_sync", "conversation_id": conversation_id})

    def resync(self) -> None:
        """Events may have been lost: the socket's handler restates what changed (`_resync` goes through
        `transform`), and every followed conversation catches up from the database."""
        self.push({"type": "_resync"})
        for conversation_id in list(self.delivered):
            self.push({"type": "_sync", "conversation_id": conversation_id})

    def unfollow(self, conversation_id: str) -> None:
        self.delivered.pop(conversation_id, None)

    async def _prepare(self, event: Event) -> list[Event]:
        kind = event.get("type")
        if kind == "_sync":
            return await self._catch_up(event["conversation_id"])
        if kind == "message":
            conversation_id = event["conversation_id"]
            last = self.delivered.get(conversation_id)
            if last is None or event["seq"] <= last:
                return []
            if event["seq"] > last + 1:  # an event went missing on the way: the database has it
                return await self._catch_up(conversation_id)
            self.delivered[conversation_id] = event["seq"]
            return [event]
        return await self.transform(event)

    async def _catch_up(self, conversation_id: str) -> list[Event]:
        last = self.delivered.get(conversation_id)
        if last is None:
            return []
        missed = [e for e in await self.loader(conversation_id, last) if e["seq"] > last]
        if missed and conversation_id in self.delivered:
            self.delivered[conversation_id] = missed[-1]["seq"]
        return missed

    async def run_sender(self) -> None:
        """Send queued frames in order; a peer that is already gone simply ends the connection."""
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, Close):
                    await self.websocket.close(item.code, item.reason)
                    return
                for frame in await self._prepare(item):
                    await self.websocket.send_text(json.dumps(frame, separators=(",", ":")))
        except (WebSocketDisconnect, OSError):
            self.closing = True

    # -- inbound ----------------------------------------------------------------------------
    def reject(self, code: str, detail: str) -> None:
        """Answer bad input with an error frame; close (1008) when it keeps coming."""
        self.bad_frames += 1
        self.push(error_event(code, detail))
        if self.bad_frames >= self.settings.ws_max_bad_frames:
            self.close(CLOSE_POLICY, "too many bad frames")

    def parse(self, text: str, adapter: TypeAdapter[T], known_types: Collection[str]) -> T | None:
        try:
            data = json.loads(text)
        except ValueError:
            self.reject("invalid_json", "the frame is not valid JSON")
            return None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            self.reject("invalid_frame", "a frame is a JSON object with a string 'type'")
            return None
        if data["type"] not in known_types:
            self.reject("unknown_type", f"unknown frame type {data['type'][:40]!r}")
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

    def failed(self, exc: Exception, **extra: str) -> None:
        """A frame could not be handled: say whether the database is away (retry soon) or something broke.
        Either way nothing was stored, and the client sends the same client_id again."""
        if database_unreachable(exc):
            log.warning("frame failed: database unreachable (%s)", type(exc).__name__)
            detail = "the service cannot store this right now; it will be sent again"
            self.push(error_event("unavailable", detail, retry_after=UNAVAILABLE_RETRY_S, **extra))
            return
        log.error("frame failed", exc_info=exc)
        self.push(error_event("server_error", "could not handle that just now; try again", **extra))

    async def serve(
        self,
        on_text: Callable[[str], Awaitable[None]],
        heartbeat: Callable[[], Awaitable[None]] | None = None,
        kind: str = "visitor",
    ) -> None:
        """Run sender and receiver (and a heartbeat) together until either side ends the connection."""
        CONNECTIONS.labels(kind).inc()
        try:
            await self._serve(on_text, heartbeat)
        finally:
            CONNECTIONS.labels(kind).dec()

    async def _serve(
        self, on_text: Callable[[str], Awaitable[None]], heartbeat: Callable[[], Awaitable[None]] | None
    ) -> None:
        sender_done = anyio.Event()
        async with anyio.create_task_group() as tg:
            if heartbeat is not None:
                tg.start_soon(self._beat, heartbeat)

            async def sender() -> None:
                try:
                    await self.run_sender()
                finally:
                    sender_done.set()
                    tg.cancel_scope.cancel()

            tg.start_soon(sender)
            await self._receive(on_text)
            if self.closing:  # let queued frames and the close frame go out, but not forever
                with anyio.move_on_after(5):
                    await sender_done.wait()
            tg.cancel_scope.cancel()

    async def _beat(self, heartbeat: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                await heartbeat()
            except Exception:  # a missed beat is repaired by the next one
                log.warning("heartbeat failed", exc_info=True)
            await anyio.sleep(self.settings.heartbeat_s)

    async def _receive(self, on_text: Callable[[str], Awaitable[None]]) -> None:
        max_bytes = self.settings.ws_max_frame_bytes
        while not self.closing:
            with anyio.move_on_after(self.settings.ws_idle_seconds) as idle:
                try:
                    message = await self.websocket.receive()
                except (WebSocketDisconnect, RuntimeError):
                    return
            if idle.cancelled_caught:
                self.close(CLOSE_GOING_AWAY, "idle")
                return
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                self.close(CLOSE_UNSUPPORTED, "binary frames are not accepted")
                return
            if len(text) > max_bytes:
                self.close(CLOSE_TOO_BIG, "frame too large")
                return
            await on_text(text)


async def _identity(event: Event) -> list[Event]:
    return [event]
