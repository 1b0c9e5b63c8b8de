"""The visitor's socket: hello with the token, then send/typing/read/end; resume by seq.

Sends are handed to the process's writer and the socket reads on; each send's ack (or error) comes once its
batch has committed, in order. Typing and read are passed on only when they change something.
"""

from __future__ import annotations

import logging
import time
import uuid

from fastapi import APIRouter, WebSocket

from app.conversations.batch import PendingMessage
from app.conversations.lifecycle import get_conversation, summary, visitor_alias
from app.core.clientaddr import source_keys
from app.models import Author, ConversationState
from app.realtime.budget import typing_changes
from app.realtime.connections import CLOSE_NORMAL, CLOSE_POLICY, Connection
from app.realtime.events import (
    Delivery,
    SendAbout,
    ServerFrame,
    StateFrame,
    error_event,
    for_visitor,
    queue_position_event,
    read_event,
    state_event,
    typing_event,
)
from app.realtime.hub import conversation_channel
from app.realtime.protocol import End, Hello, Read, Send, Typing, visitor_frames
from app.runtime import Runtime
from app.sockets import SocketHandler, open_socket, serve_socket, socket_connection, submit_send
from app.visitor import service
from app.visitor.resume import resume

log = logging.getLogger(__name__)
router = APIRouter()
KNOWN = frozenset({"hello", "send", "typing", "read", "end", "ping"})


class VisitorSocket(SocketHandler[Hello, Send | Typing | Read | End]):
    frames = visitor_frames
    known = KNOWN
    hello_frame = Hello
    hello_first = "the first frame must be hello with your token"

    def __init__(self, runtime: Runtime, conn: Connection) -> None:
        self.conversation_id: uuid.UUID | None = None
        self.typing: tuple[bool, float] = (False, 0.0)  # last passed on, and when
        self.read_seq = 0
        super().__init__(runtime, conn)

    def ready(self) -> bool:
        return self.conversation_id is not None

    def about(self, frame: object) -> SendAbout:
        client_id = getattr(frame, "client_id", None)
        return {"client_id": client_id} if isinstance(client_id, str) else {}

    async def transform(self, event: Delivery) -> list[ServerFrame]:
        if event["type"] == "_resync":
            cid = self.conversation_id
            return [] if cid is None else await self.transform(await self.current_state(cid))
        if not for_visitor(event):  # staff-only frames share the conversation's channel
            return []
        if (event["type"] == "typing" or event["type"] == "read") and event["author"] == Author.visitor:
            return []  # our own signals come back through the channel
        notifier = self.runtime.notifier
        if event["type"] == "state" and notifier is not None:
            if event["state"] == ConversationState.waiting:  # back in the queue: follow its position again
                notifier.watch_visitor(event["conversation_id"], self.conn)
                notifier.changed()
            else:
                notifier.unwatch_visitor(event["conversation_id"], self.conn)
        return [event]

    async def current_state(self, cid: uuid.UUID) -> StateFrame:
        async with self.runtime.sessionmaker() as session:
            data = await summary(session, await get_conversation(session, cid))
            return state_event(cid, data["state"], await visitor_alias(session, data))

    async def hello(self, frame: Hello) -> None:
        """One read: what the token opens and the messages after last_seq. A hello that names its conversation
        listens before reading, so nothing committed meanwhile is missed; one that does not listens after, and
        catches up once more from the database."""
        conn, hub = self.conn, self.runtime.hub
        if self.conversation_id is not None:
            conn.reject("already_authenticated", "this socket already belongs to a conversation")
            return
        named = str(frame.conversation_id) if frame.conversation_id is not None else None
        if named is not None:
            hub.subscribe(conn, conversation_channel(named))
            conn.delivered[named] = frame.last_seq
        try:
            async with self.runtime.sessionmaker() as session:
                found = await resume(session, frame.token, frame.last_seq)
        except Exception as exc:
            self._not_following(named)
            conn.failed(exc)
            return
        if found is None or named not in (None, str(found.conversation_id)):
            self._turn_away(
                named, error_event("invalid_token", "this token opens no conversation"), CLOSE_POLICY, "invalid token"
            )
            return
        cid = found.conversation_id
        conn.greeted = True
        if found.ended:  # the token of an ended conversation tells its state and nothing more
            self._turn_away(named, state_event(cid, found.state, found.alias), CLOSE_NORMAL, "conversation ended")
            return
        keys = source_keys(conn.websocket)
        blocks = self.runtime.blocks
        if found.blocked or await blocks.is_blocked(keys):
            self._turn_away(
                named, error_event("not_available", "the chat is not available"), CLOSE_POLICY, "not available"
            )
            return
        await blocks.remember(str(cid), keys)
        self.conversation_id = cid
        if named is None:
            hub.subscribe(conn, conversation_channel(cid))
            conn.delivered[str(cid)] = frame.last_seq
        conn.push(state_event(cid, found.state, found.alias))
        notifier = self.runtime.notifier
        if found.state == ConversationState.waiting and notifier is not None:
            notifier.watch_visitor(str(cid), conn)
            queue = await notifier.recent()
            position = queue.position_of(str(cid))
            if position is not None:
                wait = queue.estimated_wait_s(position)
                conn.push(queue_position_event(position, wait))
        conn.replay(str(cid), found.replay, catch_up=named is None)

    def _turn_away(self, named: str | None, frame: ServerFrame, code: int, reason: str) -> None:
        """A hello that opens nothing here: stop listening, say why (the frame) and close."""
        self._not_following(named)
        self.conn.push(frame)
        self.conn.close(code, reason)

    def _not_following(self, named: str | None) -> None:
        if named is not None:
            self.runtime.hub.unsubscribe(self.conn, conversation_channel(named))
            self.conn.unfollow(named)

    async def dispatch(self, frame: Send | Typing | Read | End) -> None:
        runtime, cid = self.runtime, self.conversation_id
        assert cid is not None  # ready()
        if isinstance(frame, Send):
            await self.send(cid, frame)
        elif isinstance(frame, Typing):
            now = time.monotonic()
            if not typing_changes(self.typing, frame.on, now):
                return  # nothing changed for the other side
            self.typing = (frame.on, now)
            await runtime.broker.publish(conversation_channel(cid), typing_event(cid, Author.visitor, frame.on))
        elif isinstance(frame, Read):
            if frame.seq <= self.read_seq:
                return
            self.read_seq = frame.seq
            async with runtime.transaction() as session:
                seq = await service.mark_read(session, cid, frame.seq)
            await runtime.broker.publish(conversation_channel(cid), read_event(cid, Author.visitor, seq))
        elif isinstance(frame, End):
            await self.conn.sends_settled()  # the messages sent before `end` are stored (or refused) first
            async with runtime.transaction() as session:
                ended = await service.end(session, cid)
            self.conn.push(state_event(cid, ended.state, ended.counselor_alias))
            self.conn.close(CLOSE_NORMAL, "conversation ended")

    async def send(self, cid: uuid.UUID, frame: Send) -> None:
        """Hand the message to the writer and read on; the ack (or error) comes once its batch has committed."""
        await submit_send(self.runtime, self.conn, PendingMessage(cid, Author.visitor, frame.body, frame.client_id))


@router.websocket("/ws/visitor")
async def visitor_socket(websocket: WebSocket) -> None:
    runtime = await open_socket(websocket, origin_required=False)
    if runtime is None:
        return
    await websocket.accept()
    await serve_socket(runtime, VisitorSocket(runtime, socket_connection(runtime, websocket, "visitor")))


async def beat_visitors(runtime: Runtime, conns: list[Connection]) -> None:
    """The sweep's heartbeat of this process's visitor sockets: waiting visitors keep their place."""
    ids = [owner.conversation_id for c in conns if isinstance(owner := c.owner, VisitorSocket)]
    await runtime.heartbeats.visitors(cid for cid in ids if cid is not None)
