"""The socket half of issue 12: every frame type within a budget (a flood closes the flooder 1008, never the
counselor on the other side), a socket that never says hello closed, open sockets capped per source, a demoted
supervisor refused `monitor` at once and closed, frames that break parsers answered `invalid_json`, and an ended
conversation's token given its state but not its transcript."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from app.core.db import make_engine, make_sessionmaker
from app.models import Counselor, Role
from tests.helpers import OPENED, Frames, Lykta

BUDGETS = {"typing_per_second": 2, "read_per_second": 5, "ping_per_second": 1, "ws_budget_strikes": 20}


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {**BUDGETS, "ws_hello_seconds": 1.0, "ws_per_source": 6}


async def closed_with(frames: Frames, within: float = 10) -> int | None:
    """Read until the server closes the socket; its close code."""
    try:
        async with asyncio.timeout(within):
            while True:
                await frames.ws.recv()
    except ConnectionClosed:
        return frames.ws.close_code
    except TimeoutError:
        return None


@pytest.mark.parametrize(
    "flood",
    [
        [{"type": "typing", "on": n % 2 == 0} for n in range(10_000)],
        [{"type": "read", "seq": n} for n in range(1, 10_001)],
        [{"type": "ping"} for _ in range(10_000)],
    ],
    ids=["typing", "read", "ping"],
)
async def test_a_flood_closes_the_flooder_and_never_the_counselor(lykta: Lykta, flood: list[dict[str, Any]]) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    console = await counselor.socket()
    flooder = await visitor.socket()
    frames = [json.dumps(f) for f in flood]
    try:
        for frame in frames:
            await flooder.ws.send(frame)
    except ConnectionClosed:
        pass  # closed while still flooding
    assert await closed_with(flooder) == 1008
    # the counselor's console was never closed, and still answers; so does the server
    await console.send({"type": "ping"})
    await console.expect("pong")
    typing = [f for f in console.seen if f["type"] == "typing"]
    assert len(typing) <= 10  # collapsed to changes and capped: a handful, not thousands
    async with lykta.http() as http:
        assert (await http.get("/healthz")).status_code == 200
    assert (await visitor.socket()).ws.close_code is None  # the visitor may come back, within budget


async def test_a_socket_that_never_says_hello_is_closed(lykta: Lykta) -> None:
    assert type(lykta.server.settings).model_fields["ws_hello_seconds"].default == 10.0  # the default
    silent = Frames(await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin(lykta.server.base_url)))
    OPENED.append(silent)
    assert await closed_with(silent, within=5) == 1008  # after ws_hello_seconds (1 s here)


async def test_open_sockets_are_capped_per_source(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    kept = [await visitor.socket() for _ in range(6)]
    extra = Frames(await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin(lykta.server.base_url)))
    OPENED.append(extra)
    assert await closed_with(extra) == 1013  # try again later
    await kept[0].close()
    await asyncio.sleep(0.2)
    again = await visitor.socket()  # a place came free
    assert again.ws.close_code is None


async def test_a_demoted_supervisor_is_refused_monitor_at_once_and_closed(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    supervisor = await lykta.staff(role="supervisor")  # on duty, so that a chat can start
    visitor = await lykta.visitor()
    console = await supervisor.socket()
    # the role changes in the database behind the socket's back (another node, a script): monitor asks the database
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            await session.exec(update(Counselor).where(col(Counselor.id) == supervisor.id).values(role=Role.counselor))
            await session.commit()
    finally:
        await engine.dispose()
    await console.send({"type": "monitor", "conversation_id": visitor.conversation_id})
    assert (await console.expect("error"))["code"] == "forbidden"
    # through the admin page, the change also ends the sessions: the open console is closed at once
    other = await lykta.staff(role="supervisor", available=False)
    second = await other.socket()
    demoted = await admin.http.patch(
        f"/api/admin/users/{other.id}", json={"role": "counselor"}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert demoted.status_code == 200, demoted.text
    assert (await second.expect("error"))["code"] == "not_authenticated"
    assert await closed_with(second) == 1008


@pytest.mark.parametrize(
    "frame",
    [
        "[" * 8000,
        '{"type": "send", "client_id": "x", "body": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"type": "read", "seq": 1' + "0" * 5000 + "}",
        '{"type": "read", "seq": 1e400}',
        '{"type": "typing", "on": true, "on": false, "x": ' + "9" * 4000 + "}",
    ],
    ids=["deep-array", "deep-body", "huge-int", "huge-float", "duplicate-keys-huge"],
)
async def test_frames_that_break_parsers_get_an_error_and_the_socket_stays(lykta: Lykta, frame: str) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send(frame)
    error = await chat.expect("error")
    assert error["code"] in ("invalid_json", "invalid_frame")
    await chat.send({"type": "send", "client_id": "after", "body": "still here"})
    assert (await chat.expect("ack"))["client_id"] == "after"


async def test_invalid_utf8_in_a_text_frame_closes_that_socket_only(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    bystander = await (await lykta.visitor()).socket()
    await chat.ws.send(b'{"type": "ping", "x": "\xff\xfe"}', text=True)
    assert await closed_with(chat) == 1007  # invalid data, by the protocol layer
    await bystander.send({"type": "ping"})
    await bystander.expect("pong")


async def test_an_ended_conversation_s_token_gets_its_state_and_no_transcript(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "v1", "body": "something private"})
    await chat.expect("ack")
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    closed = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")
    assert closed.status_code == 200
    again = await visitor.socket(last_seq=0)
    state = next(f for f in again.seen if f["type"] == "state")
    assert state["state"] == "closed"
    assert await closed_with(again) == 1000
    assert not [f for f in again.seen if f["type"] == "message"]
    assert "something private" not in json.dumps(again.seen)
