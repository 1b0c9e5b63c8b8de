"""What the visitor's and the console's sockets share: the connection each is served on, and a send handed to the
process's writer, whose ack (or error) goes back on the socket once its batch has committed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.websockets import WebSocket

from app.conversations.batch import Outcome, PendingMessage, StoredMessage
from app.conversations.messages import transcript_loader
from app.core.clientaddr import source_keys
from app.core.errors import AppError
from app.realtime.connections import Connection
from app.realtime.events import SendAbout, ack_event, error_event

if TYPE_CHECKING:
    from app.runtime import Runtime


def socket_connection(runtime: Runtime, websocket: WebSocket, kind: str) -> Connection:
    """An accepted socket's connection, registered with the process's sweep under its source's key."""
    conn = Connection(
        websocket, runtime.settings, transcript_loader(runtime.sessionmaker), runtime.budgets, runtime.sockets, kind
    )
    keys = source_keys(websocket)
    conn.source = keys[0] if keys else ""  # today's key: the cap on open sockets counts per source
    return conn


async def serve_socket(runtime: Runtime, conn: Connection, on_text: Callable[[str], Awaitable[None]]) -> None:
    """Serve until the socket closes, then forget it everywhere it listened."""
    try:
        await conn.serve(on_text)
    finally:
        runtime.hub.unsubscribe_all(conn)  # the queue notifier's channels too


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
