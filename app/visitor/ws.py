"""The visitor's socket: hello with the token, then send/typing/read/end; resume by seq."""

from __future__ import annotations

import logging
import uuid

from fastapi import APIRouter, WebSocket

from app.conversations.lifecycle import summary, visitor_alias
from app.conversations.messages import transcript_loader
from app.conversations.writer import PendingMessage
from app.core.clientaddr import source_keys
from app.core.errors import AppError
from app.core.ratelimit import message_limited
from app.core.runtime import Runtime, runtime_of
from app.core.security import origin_allowed
from app.models import Author, Conversation, ConversationState
from app.realtime.connections import CLOSE_NORMAL, CLOSE_POLICY, Connection
from app.realtime.hub import conversation_channel
from app.realtime.protocol import (
    End,
    Event,
    Hello,
    Ping,
    Read,
    Send,
    Typing,
    ack_event,
    error_event,
    read_event,
    state_event,
    typing_event,
    visitor_frames,
)
from app.routing.presence import visitor_alive
from app.visitor import service

log = logging.getLogger(__name__)
router = APIRouter()
KNOWN = frozenset({"hello", "send", "typing", "read", "end", "ping"})
VISITOR_EVENTS = frozenset({"message", "ack", "state", "queue", "typing", "read", "error", "pong", "service"})


class VisitorSocket:
    def __init__(self, runtime: Runtime, conn: Connection) -> None:
        self.runtime = runtime
        self.conn = conn
        self.conversation_id: uuid.UUID | None = None
        conn.transform = self.transform

    async def transform(self, event: Event) -> list[Event]:
        kind = event.get("type")
        if kind == "_resync" and self.conversation_id is not None:
            return await self.transform(await self.current_state(self.conversation_id))
        if kind not in VISITOR_EVENTS:  # staff-only events share the conversation's channel
            return []
        if kind in ("typing", "read") and event.get("author") == "visitor":
            return []  # our own signals come back through the channel
        notifier = self.runtime.notifier
        if kind == "state" and notifier is not None:
            if event["state"] == ConversationState.waiting:  # back in the queue: follow its position again
                notifier.watch_visitor(event["conversation_id"], self.conn)
                notifier.on_event("visitor", event)
            else:
                notifier.forget(self.conn)
        return [event]

    async def current_state(self, cid: uuid.UUID) -> Event:
        async with self.runtime.sessionmaker() as session:
            conversation = await session.get_one(Conversation, cid)
            data = await summary(session, conversation)
            return state_event(cid, data["state"], await visitor_alias(session, data))

    async def on_text(self, text: str) -> None:
        frame = self.conn.parse(text, visitor_frames, KNOWN)
        if frame is None:
            return
        if isinstance(frame, Ping):
            self.conn.push({"type": "pong"})
            return
        if isinstance(frame, Hello):
            await self.hello(frame)
            return
        if self.conversation_id is None:
            self.conn.reject("hello_required", "the first frame must be hello with your token")
            return
        try:
            await self.dispatch(self.conversation_id, frame)
        except AppError as exc:
            self.conn.push(error_event(exc.code, exc.message, **_client_id_of(frame)))
        except Exception as exc:  # the database may be away: say so; the client resends by client_id
            self.conn.failed(exc, **_client_id_of(frame))

    async def hello(self, frame: Hello) -> None:
        if self.conversation_id is not None:
            self.conn.reject("already_authenticated", "this socket already belongs to a conversation")
            return
        async with self.runtime.sessionmaker() as session:
            conversation = await service.by_token(session, frame.token)
            wrong = frame.conversation_id is not None and conversation is not None
            if conversation is None or (wrong and frame.conversation_id != conversation.id):
                self.conn.push(error_event("invalid_token", "this token opens no conversation"))
                self.conn.close(CLOSE_POLICY, "invalid token")
                return
            data = await summary(session, conversation)
            alias = await visitor_alias(session, data)
        cid = conversation.id
        keys = source_keys(self.conn.websocket)
        if conversation.blocked or await self.runtime.blocks.is_blocked(keys):
            self.conn.push(error_event("not_available", "the chat is not available"))
            self.conn.close(CLOSE_POLICY, "not available")
            return
        await self.runtime.blocks.remember(str(cid), keys)
        self.conversation_id = cid
        self.runtime.hub.subscribe(self.conn, conversation_channel(cid))
        self.conn.push(state_event(cid, data["state"], alias))
        notifier = self.runtime.notifier
        if data["state"] == ConversationState.waiting and notifier is not None:
            notifier.watch_visitor(str(cid), self.conn)
            queue = await notifier.current()
            position = queue.position_of(str(cid))
            if position is not None:
                wait = queue.estimated_wait_s(position)
                self.conn.push({"type": "queue", "position": position, "estimated_wait_s": wait})
        self.conn.follow(str(cid), frame.last_seq)

    async def dispatch(self, cid: uuid.UUID, frame: Send | Typing | Read | End) -> None:
        runtime = self.runtime
        if isinstance(frame, Send):
            if message_limited(self.conn, client_id=frame.client_id):
                return
            client_id = frame.client_id
            await runtime.messages.append(
                PendingMessage(
                    cid,
                    Author.visitor,
                    frame.body,
                    client_id,
                    stored=lambda message: self.conn.push(ack_event(cid, client_id, message.seq)),
                )
            )
        elif isinstance(frame, Typing):
            await runtime.broker.publish(conversation_channel(cid), typing_event(cid, Author.visitor, frame.on))
        elif isinstance(frame, Read):
            async with runtime.transaction() as session:
                seq = await service.mark_read(session, cid, frame.seq)
            await runtime.broker.publish(conversation_channel(cid), read_event(cid, Author.visitor, seq))
        elif isinstance(frame, End):
            async with runtime.transaction() as session:
                data = await service.end(session, cid)
            self.conn.push(state_event(cid, data["state"], data["counselor_alias"]))
            self.conn.close(CLOSE_NORMAL, "conversation ended")


def _client_id_of(frame: object) -> dict[str, str]:
    client_id = getattr(frame, "client_id", None)
    return {"client_id": client_id} if isinstance(client_id, str) else {}


@router.websocket("/ws/visitor")
async def visitor_socket(websocket: WebSocket) -> None:
    runtime = runtime_of(websocket)
    if not origin_allowed(websocket, runtime.settings, required=False):
        await websocket.close(CLOSE_POLICY)
        return
    await websocket.accept()

    conn = Connection(websocket, runtime.settings, transcript_loader(runtime.sessionmaker))
    handler = VisitorSocket(runtime, conn)

    async def alive() -> None:
        if handler.conversation_id is not None:
            await visitor_alive(runtime, handler.conversation_id)

    try:
        await conn.serve(handler.on_text, heartbeat=alive, kind="visitor")
    finally:
        runtime.hub.unsubscribe_all(conn)
        if runtime.notifier is not None:
            runtime.notifier.forget(conn)
