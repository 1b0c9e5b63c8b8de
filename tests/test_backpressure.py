"""A socket that cannot keep up is closed (1013) instead of growing the server's memory, and resumes
from its last seq with nothing lost; heartbeats answer at the application level too."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.typing import Origin

from tests.conftest import make_settings
from tests.helpers import OPENED, Frames, Lykta
from tests.live import LiveServer

MESSAGES = 200  # ~800 KB: far more than the small socket buffers below and the transport hold
BODY = "x" * 3900


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # small, so that the reader that stops overflows it soon (200 frames of 4 KB), yet with room for the console,
    # which reads everything but shares this process (and its GIL) with the server and gets two frames a message
    return {"ws_outbound_queue": 32}


@pytest.fixture
def server(database_url: str, settings_overrides: dict[str, Any]) -> Iterator[LiveServer]:
    """A server whose sockets have a small kernel send buffer, so a reader that stops is felt soon."""
    live = LiveServer(make_settings(database_url, **settings_overrides), send_buffer=16384).start()
    yield live
    live.stop()


async def test_a_reader_that_stops_is_closed_1013_and_resumes_without_loss(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    await counselor.claim(visitor.conversation_id)
    console = await counselor.socket()

    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect((lykta.server.host, lykta.server.port))
    slow = Frames(
        await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin(lykta.server.base_url), sock=raw, max_queue=1)
    )
    OPENED.append(slow)  # closed when the test ends, however it ends
    await slow.send({"type": "hello", "token": visitor.token, "last_seq": 0})
    await slow.expect("state")  # ...and then it never reads again

    acked: set[str] = set()

    async def drain_console() -> None:  # the counselor reads everything that comes back
        while len(acked) < MESSAGES:
            frame = await console.next(timeout=60)
            if frame["type"] == "ack":
                acked.add(frame["client_id"])

    reader = asyncio.create_task(drain_console())
    for i in range(MESSAGES):
        await console.send(
            {"type": "send", "conversation_id": visitor.conversation_id, "client_id": f"m{i}", "body": BODY}
        )
    await asyncio.wait_for(reader, 120)

    async def closed_by_server() -> int | None:
        while True:  # read what was buffered until the close frame
            try:
                await asyncio.wait_for(slow.ws.recv(), 5)
            except Exception:
                return slow.ws.close_code

    assert await asyncio.wait_for(closed_by_server(), 30) == 1013

    resumed = await visitor.socket(last_seq=0)
    seqs = [m["seq"] for m in await resumed.messages(MESSAGES, timeout=10)]
    assert seqs == list(range(1, MESSAGES + 1))


async def test_application_ping_gets_pong(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send({"type": "ping"})
    assert (await chat.expect("pong"))["type"] == "pong"
