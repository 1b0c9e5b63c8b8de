"""The one scaffold both sockets are served through: origin check, accept, the connection (registered with the
sweep under its source's key), a frame handler per socket (parse, ping, hello first, then the socket's own
frames; an error becomes an error frame naming what it was about), and a send handed to the process's writer,
whose ack (or error) goes back on the socket once its batch has committed."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import TypeAdapter
from starlette.websockets import WebSocket

from app.conversations.batch import Outcome, PendingMessage, StoredMessage
from app.conversations.messages import transcript_loader
from app.core.clientaddr import source_keys
from app.core.errors import AppError
from app.core.security import origin_allowed
from app.realtime.connections import CLOSE_POLICY, Connection
from app.realtime.events import Delivery, SendAbout, ServerFrame, ack_event, error_event, pong_event
from app.realtime.protocol import Ping
from app.runtime import Runtime, runtime_of

Hello = TypeVar("Hello")
Frame = TypeVar("Frame")


class SocketHandler(ABC, Generic[Hello, Frame]):
    """One socket's frames: parsed against the socket's own union, `ping` answered, `hello` first, then the rest
    dispatched; a refusal (AppError) or a failure (the database away) is told as an error frame naming the
    conversation and client_id it was about, so the client knows what to resend."""

    frames: ClassVar[TypeAdapter[Any]]
    known: ClassVar[Collection[str]]
    hello_frame: ClassVar[type]
    hello_first: ClassVar[str]  # the detail of `hello_required`

    def __init__(self, runtime: Runtime, conn: Connection) -> None:
        self.runtime = runtime
        self.conn = conn
        conn.owner = self
        conn.transform = self.transform

    @abstractmethod
    async def transform(self, event: Delivery) -> Sequence[ServerFrame]:
        """What this socket sends of an event on a channel it follows (or of an internal signal)."""

    @abstractmethod
    async def hello(self, frame: Hello) -> None: ...

    @abstractmethod
    def ready(self) -> bool:
        """The hello has been answered: other frames may come."""

    @abstractmethod
    async def dispatch(self, frame: Frame) -> None: ...

    @abstractmethod
    def about(self, frame: object) -> SendAbout:
        """What an error frame about this frame names (its conversation, its client_id)."""

    async def on_text(self, text: str) -> None:
        frame = self.conn.parse(text, self.frames, self.known)
        if frame is None:
            return
        try:
            if isinstance(frame, Ping):
                self.conn.push(pong_event())
            elif isinstance(frame, self.hello_frame):
                await self.hello(frame)  # type: ignore[arg-type]
            elif not self.ready():
                self.conn.reject("hello_required", self.hello_first)
            else:
                await self.dispatch(frame)
        except AppError as exc:
            self.conn.push(error_event(exc.code, exc.message, **self.about(frame)))
        except Exception as exc:  # the database may be away: say so; the client resends by client_id
            self.conn.failed(exc, **self.about(frame))


async def open_socket(websocket: WebSocket, *, origin_required: bool) -> Runtime | None:
    """The process's runtime for a socket from an allowed origin; otherwise the socket is closed 1008 (None)."""
    runtime = runtime_of(websocket)
    if not origin_allowed(websocket, runtime.settings, required=origin_required):
        await websocket.close(CLOSE_POLICY)
        return None
    return runtime


def socket_connection(runtime: Runtime, websocket: WebSocket, kind: str) -> Connection:
    """An accepted socket's connection, registered with the process's sweep under its source's key."""
    conn = Connection(
        websocket, runtime.settings, transcript_loader(runtime.sessionmaker), runtime.budgets, runtime.sockets, kind
    )
    keys = source_keys(websocket)
    conn.source = keys[0] if keys else ""  # today's key: the cap on open sockets counts per source
    return conn


async def serve_socket(runtime: Runtime, handler: SocketHandler[Any, Any]) -> None:
    """Serve until the socket closes, then forget it everywhere it listened."""
    try:
        await handler.conn.serve(handler.on_text)
    finally:
        runtime.hub.unsubscribe_all(handler.conn)  # the queue notifier's channels too


async def submit_send(
    runtime: Runtime, conn: Connection, send: PendingMessage, *, conversation_id: str | None = None
) -> None:
    """Hand a send to the writer and read on (waiting while the socket has too many in flight); its ack, or an error
    naming its client_id (and the conversation_id given), goes out once its batch has committed."""
    client_id = send.client_id
    assert client_id is not None  # every socket send carries one
    about: SendAbout = {} if conversation_id is None else {"conversation_id": conversation_id}
    about["client_id"] = client_id
    await conn.room_for_send()
    cid, key = send.conversation_id, str(send.conversation_id)

    def settled(outcome: Outcome) -> None:
        conn.send_settled()
        if isinstance(outcome, StoredMessage):
            conn.sent(key, outcome.seq)
            conn.push(ack_event(cid, client_id, outcome.seq, outcome.created_at))
        elif isinstance(outcome, AppError):
            conn.push(error_event(outcome.code, outcome.message, **about))
        elif isinstance(outcome, Exception):
            conn.failed(outcome, **about)

    send.settled = settled
    runtime.messages.submit(send)
