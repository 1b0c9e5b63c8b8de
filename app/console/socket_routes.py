"""The console socket: the queue, presence and every conversation the counselor holds."""

from __future__ import annotations

import logging
import time
import uuid

from fastapi import APIRouter, WebSocket

from app.auth.deps import SESSION_COOKIE
from app.auth.service import resolve_session
from app.conversations import lifecycle
from app.conversations.batch import PendingMessage
from app.core.errors import Forbidden, NotHolder
from app.models import Author, Conversation, ConversationState, Counselor, Presence, Role
from app.privacy.audit import record
from app.realtime.budget import typing_changes
from app.realtime.connections import CLOSE_POLICY, Connection
from app.realtime.events import (
    Delivery,
    SendAbout,
    ServerFrame,
    conversation_event,
    error_event,
    for_console,
    presence_event,
    queue_items_event,
    read_event,
    typing_event,
)
from app.realtime.hub import STAFF_CHANNEL, conversation_channel, counselor_channel
from app.realtime.protocol import (
    ConsoleHello,
    ConsoleMonitor,
    ConsoleRead,
    ConsoleSend,
    ConsoleTyping,
    console_frames,
)
from app.realtime.records import ConversationSummary
from app.runtime import Runtime
from app.sockets import SocketHandler, open_socket, serve_socket, socket_connection, submit_send

log = logging.getLogger(__name__)
router = APIRouter()
KNOWN = frozenset({"hello", "send", "typing", "read", "monitor", "ping"})


class ConsoleSocket(SocketHandler[ConsoleHello, ConsoleSend | ConsoleTyping | ConsoleRead | ConsoleMonitor]):
    frames = console_frames
    known = KNOWN
    hello_frame = ConsoleHello
    hello_first = "the first frame must be hello"

    def __init__(self, runtime: Runtime, conn: Connection, counselor: Counselor) -> None:
        assert counselor.id is not None
        self.counselor_id: int = counselor.id
        self.alias = counselor.alias
        self.may_monitor = counselor.role in (Role.supervisor, Role.admin)
        self.monitoring: set[str] = set()
        self.greeted = False
        self.cookie: str | None = None
        self.typing: dict[str, tuple[bool, float]] = {}  # per conversation: last passed on, and when
        self.read_seqs: dict[str, int] = {}
        super().__init__(runtime, conn)

    def ready(self) -> bool:
        return self.greeted

    def about(self, frame: object) -> SendAbout:
        """The conversation (and client_id) an error frame is about, so the console knows what to resend."""
        conversation_id = getattr(frame, "conversation_id", None)
        client_id = getattr(frame, "client_id", None)
        about: SendAbout = {"conversation_id": str(conversation_id)} if conversation_id else {}
        if isinstance(client_id, str):
            about["client_id"] = client_id
        return about

    def sign_out(self) -> None:
        """The session behind this console has ended: say so and close."""
        self.conn.push(error_event("not_authenticated", "signed out"))
        self.conn.close(CLOSE_POLICY, "signed out")

    def _follow(self, conversation_id: str, after_seq: int) -> None:
        self.runtime.hub.subscribe(self.conn, conversation_channel(conversation_id))
        self.conn.follow(conversation_id, after_seq)

    def _unfollow(self, conversation_id: str) -> None:
        self.runtime.hub.unsubscribe(self.conn, conversation_channel(conversation_id))
        self.conn.unfollow(conversation_id)

    async def transform(self, event: Delivery) -> list[ServerFrame]:
        if event["type"] == "_resync":  # restate every conversation this console holds or held, as `conversation`s
            frames: list[ServerFrame] = []
            for summary in await self.restate():
                frames += await self.transform(conversation_event(summary))
            return frames
        if event["type"] == "_signed_out":  # their sessions ended (role change, disable, reset)
            self.sign_out()
            return []
        if not for_console(event):
            return []  # `state`: staff get the fuller `conversation` frame instead
        if (event["type"] == "typing" or event["type"] == "read") and event["author"] == Author.counselor:
            return []
        if event["type"] == "conversation":
            data = event["conversation"]
            cid = data["conversation_id"]
            mine = data["state"] == ConversationState.active and data["counselor_id"] == self.counselor_id
            if mine and cid not in self.conn.delivered:
                self._follow(cid, 0)
            elif not mine and cid in self.conn.delivered and cid not in self.monitoring:
                self._unfollow(cid)
        return [event]

    async def restate(self) -> list[ConversationSummary]:
        async with self.runtime.sessionmaker() as session:
            held = {c.id: c for c in await lifecycle.held_by(session, self.counselor_id)}
            for cid in self.conn.delivered:
                if uuid.UUID(cid) not in held and (gone := await session.get(Conversation, uuid.UUID(cid))):
                    held[gone.id] = gone
            return [await lifecycle.summary(session, c) for c in held.values()]

    async def hello(self, frame: ConsoleHello) -> None:
        if self.greeted:
            self.conn.reject("already_greeted", "hello comes once per socket")
            return
        self.greeted = self.conn.greeted = True
        notifier = self.runtime.notifier
        async with self.runtime.sessionmaker() as session:
            counselor = await session.get_one(Counselor, self.counselor_id)
            held = await lifecycle.held_by(session, self.counselor_id)
            summaries = [await lifecycle.summary(session, c) for c in held]
        for data in summaries:  # listen before greeting, so nothing said meanwhile is missed
            self.runtime.hub.subscribe(self.conn, conversation_channel(data["conversation_id"]))
        self.conn.push(presence_event(self.counselor_id, Presence(counselor.presence)))
        if notifier is not None:
            notifier.watch_queue(self.conn)
            queue = await notifier.current()
            self.conn.push(queue_items_event(queue.items))
        for data in summaries:
            self.conn.push(conversation_event(data))
            cid = data["conversation_id"]
            self._follow(cid, frame.last_seq.get(uuid.UUID(cid), 0))
        await beat_consoles(self.runtime, [self.conn])  # on duty from now, not from the next sweep

    def _follows(self, conversation_id: uuid.UUID) -> None:
        """The local half of the holder check: this console follows the conversation."""
        if str(conversation_id) not in self.conn.delivered:
            raise NotHolder()

    async def monitor(self, frame: ConsoleMonitor) -> None:
        if not self.may_monitor:
            raise Forbidden("only supervisors can monitor conversations")
        cid = str(frame.conversation_id)
        if not frame.on:
            self.monitoring.discard(cid)
            self._unfollow(cid)
            return
        async with self.runtime.transaction() as session:
            role = (await session.get_one(Counselor, self.counselor_id, populate_existing=True)).role
            if role not in (Role.supervisor, Role.admin):  # the role now, not the one at connect
                self.may_monitor = False
                raise Forbidden("only supervisors can monitor conversations")
            data = await lifecycle.summary(session, await lifecycle.get_conversation(session, frame.conversation_id))
            await record(session, "monitor", actor_id=self.counselor_id, conversation_id=frame.conversation_id)
        self.monitoring.add(cid)
        self.conn.push(conversation_event(data, monitoring=True))
        self._follow(cid, 0)

    async def dispatch(self, frame: ConsoleSend | ConsoleTyping | ConsoleRead | ConsoleMonitor) -> None:
        if isinstance(frame, ConsoleMonitor):
            await self.monitor(frame)
            return
        cid = frame.conversation_id
        if isinstance(frame, ConsoleSend):
            await self.send(frame)
        elif isinstance(frame, ConsoleTyping):
            self._answering(cid)
            key, now = str(cid), time.monotonic()
            if not typing_changes(self.typing.get(key, (False, 0.0)), frame.on, now):
                return  # nothing changed for the visitor
            self.typing[key] = (frame.on, now)
            await self.runtime.broker.publish(conversation_channel(cid), typing_event(cid, Author.counselor, frame.on))
        else:
            await self.read(frame)

    def _answering(self, conversation_id: uuid.UUID) -> None:
        """Typing goes to visitors of conversations this console holds, not ones it only monitors."""
        self._follows(conversation_id)
        if str(conversation_id) in self.monitoring:
            raise NotHolder()

    async def read(self, frame: ConsoleRead) -> None:
        cid, key = frame.conversation_id, str(frame.conversation_id)
        self._answering(cid)
        if frame.seq <= self.read_seqs.get(key, 0):
            return  # nothing new was read
        self.read_seqs[key] = frame.seq
        async with self.runtime.transaction() as session:
            current = await lifecycle.get_conversation(session, cid)
            if current.counselor_id != self.counselor_id or current.state != ConversationState.active:
                raise NotHolder()
            seq = min(frame.seq, current.last_seq)
            if seq > current.staff_read_seq:
                current.staff_read_seq = seq
                session.add(current)
        await self.runtime.broker.publish(conversation_channel(cid), read_event(cid, Author.counselor, seq))

    async def send(self, frame: ConsoleSend) -> None:
        """Hand the message to the writer and read on; stored only while this counselor holds the conversation
        (checked in the statement that takes its seq); the ack or error comes once its batch has committed."""
        self._follows(frame.conversation_id)
        send = PendingMessage(
            frame.conversation_id,
            Author.counselor,
            frame.body,
            frame.client_id,
            alias=self.alias,
            counselor_id=self.counselor_id,
        )
        await submit_send(self.runtime, self.conn, send, conversation_id=str(frame.conversation_id))


@router.websocket("/ws/console")
async def console_socket(websocket: WebSocket) -> None:
    runtime = await open_socket(websocket, origin_required=True)
    if runtime is None:
        return
    cookie = websocket.cookies.get(SESSION_COOKIE)
    async with runtime.transaction() as session:
        resolved = await resolve_session(session, cookie, runtime.settings)
    if resolved is None:
        await websocket.close(CLOSE_POLICY)
        return
    _auth, counselor = resolved
    await websocket.accept()

    conn = socket_connection(runtime, websocket, "console")
    handler = ConsoleSocket(runtime, conn, counselor)
    handler.cookie = cookie
    runtime.hub.subscribe(conn, counselor_channel(handler.counselor_id))
    runtime.hub.subscribe(conn, STAFF_CHANNEL)
    await serve_socket(runtime, handler)


async def beat_consoles(runtime: Runtime, conns: list[Connection]) -> None:
    """The sweep's heartbeat of this process's consoles: each keeps its counselor on duty while its session lives;
    a console whose session has ended (signed out, expired, disabled) is closed."""
    consoles = [owner for c in conns if isinstance(owner := c.owner, ConsoleSocket)]
    alive: list[int] = []
    async with runtime.transaction() as session:
        for console in consoles:
            still = await resolve_session(session, console.cookie, runtime.settings)
            if still is None or not still[1].is_active:
                console.sign_out()
            else:
                alive.append(console.counselor_id)
        await runtime.heartbeats.counselors(session, alive)
