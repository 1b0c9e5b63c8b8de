"""Hypothesis against the socket protocol: random JSON, wrong types, unknown types, huge and empty
strings, deep nesting, huge numbers, invalid UTF-8, binary frames, with and without a valid hello. The
server never fails: each connection gets error frames (never `server_error`) or a close code the protocol
names, other connections go on, and a message acknowledged before the fuzzing is there exactly once after it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tests.backends import SqliteFactory
from tests.helpers import Lykta

PROTOCOL_CLOSES = {1000, 1003, 1007, 1008, 1009, 1013}  # end, binary, invalid UTF-8, policy, too big, too slow
LOST_CLOSE = 1006  # see exchange()
BUDGET_S = 45
PRE_FUZZ = "before-fuzz"
FIELDS = ["type", "token", "last_seq", "client_id", "body", "on", "seq", "conversation_id"]
KNOWN = ["hello", "send", "typing", "read", "end", "ping", "monitor"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


INVALID_UTF8 = b"\xff\xfe"  # marks a frame that exchange() sends as text although it is not UTF-8
CLOSER = {"[": "]", '{"a": ': "}"}


def _nested(kind: str, depth: int, opener: str) -> str:
    return json.dumps({"type": kind})[:-1] + ', "on": ' + opener * depth + "1" + CLOSER[opener] * depth + "}"


def _huge(kind: str, field: str, digits: int, exponent: str) -> str:
    return json.dumps({"type": kind})[:-1] + f', "{field}": {"9" * digits}{exponent}}}'


nested = st.builds(_nested, st.sampled_from(KNOWN), st.integers(100, 12_000), st.sampled_from(list(CLOSER)))
huge_numbers = st.builds(
    _huge,
    st.sampled_from(KNOWN),
    st.sampled_from(["seq", "last_seq", "on", "body", "client_id"]),
    st.integers(20, 5000),
    st.sampled_from(["", "e400", ".5e-400", "e99999"]),
)


def frames_for(conversation_id: str) -> st.SearchStrategy[str | bytes]:
    """One inbound frame: mostly protocol-shaped objects with wrong or odd values, plus the odd rest."""
    odd: st.SearchStrategy[Any] = st.sampled_from(
        [conversation_id, PRE_FUZZ, "", " ", "x" * 4001, "c-1", -1, 0, 2**63, 1e308, True, None, [], {}]
    )
    value = st.one_of(odd, json_values, st.uuids().map(str), st.text(max_size=80))
    kind = st.one_of(st.sampled_from([*KNOWN, "shout", "HELLO", ""]), json_values)
    shaped = st.builds(
        lambda k, fields: json.dumps({**fields, "type": k}),
        kind,
        st.dictionaries(st.sampled_from(FIELDS[1:]) | st.text(max_size=6), value, max_size=5),
    )
    return st.one_of(
        shaped,
        shaped,
        json_values.map(json.dumps),
        st.text(max_size=120),
        st.just(""),
        st.just(json.dumps({"type": "send", "client_id": "huge", "body": "z" * 20_000})),  # over 16 KiB: 1009
        st.binary(max_size=32),  # 1003
        nested,  # deep nesting: invalid_json, never a RecursionError
        huge_numbers,
        st.binary(min_size=1, max_size=16).map(lambda b: INVALID_UTF8 + b),  # sent as a text frame: 1007
    )


class Failures(logging.Handler):
    """Errors the server logs (an exception in a frame handler or in the ASGI app)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message == "Invalid UTF-8 sequence received from client.":
            return  # uvicorn's protocol layer names the client's bad frame (and closes 1007): not a server failure
        self.records.append(f"{record.name}: {message}")


@pytest.fixture
def server_errors(lykta: Lykta) -> Iterator[Failures]:
    """Installed after the live server has configured logging."""
    handler = Failures()
    loggers = [logging.getLogger(name) for name in ("app", "uvicorn", "lykta")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def database_url(sqlite_factory: SqliteFactory) -> Iterator[str]:
    """SQLite only: the protocol is what is fuzzed, and the time bound counts."""
    url = sqlite_factory.new()
    yield url
    sqlite_factory.drop(url)


def ends_connection(frame: str | bytes) -> bool:
    return isinstance(frame, bytes) or len(frame) > 16 * 1024


def exchange(ws: ClientConnection, frames: list[str | bytes]) -> None:
    """Send the frames, then a ping; the server answers with pong, or has closed with a protocol code.

    A frame that ends the connection (binary, too big) is the last one sent; a close caused by an earlier
    frame (a wrong token, `end`) can still race with frames already on the wire, and the peer's reset may
    then swallow the close frame (1006): server failures are caught in the server's log instead.
    """
    received: list[dict[str, Any]] = []
    try:
        for frame in [*frames, json.dumps({"type": "ping"})]:
            if isinstance(frame, bytes) and frame.startswith(INVALID_UTF8):
                ws.send(frame, text=True)  # not UTF-8, in a text frame: the protocol layer closes 1007
                break
            ws.send(frame)
            if ends_connection(frame):
                break
        while True:
            raw = ws.recv(timeout=10)
            assert isinstance(raw, str), "the server sends text frames only"
            event = json.loads(raw)
            assert isinstance(event, dict) and isinstance(event.get("type"), str), raw
            assert not (event["type"] == "error" and event.get("code") == "server_error"), event
            received.append(event)
            if event["type"] == "pong":
                return
    except ConnectionClosed:
        pass
    ws.close()
    assert ws.close_code in PROTOCOL_CLOSES | {LOST_CLOSE}, (ws.close_code, ws.close_reason, received[-3:])


def fuzz_socket(url: str, origin: str, greet: dict[str, Any], frames: st.SearchStrategy[str | bytes], **kw: Any) -> int:
    deadline = time.monotonic() + BUDGET_S
    runs = 0

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(hello=st.booleans(), sent=st.lists(frames, min_size=1, max_size=6))
    def run(hello: bool, sent: list[str | bytes]) -> None:
        nonlocal runs
        if time.monotonic() > deadline:
            return
        runs += 1
        greeting: list[str | bytes] = [json.dumps(greet)] if hello else []
        with connect(url, origin=Origin(origin), open_timeout=5, max_size=None, **kw) as ws:
            exchange(ws, greeting + sent)

    run()
    return runs


async def test_random_frames_never_break_the_visitor_or_console_socket(lykta: Lykta, server_errors: Failures) -> None:
    supervisor = await lykta.staff(role="supervisor")
    visitor = await lykta.visitor()
    cid = visitor.conversation_id
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": PRE_FUZZ, "body": "said before the fuzzing"})
    assert (await chat.expect("ack"))["seq"] == 1
    assert (await supervisor.claim(cid)).status_code == 200
    bystander = await (await lykta.visitor()).socket()  # an unrelated chat that must keep working
    cookie = "; ".join(f"{k}={v}" for k, v in supervisor.http.cookies.items())
    base, ws_base = lykta.server.base_url, lykta.server.ws_url

    console_runs = await asyncio.to_thread(
        fuzz_socket,
        f"{ws_base}/ws/console",
        base,
        {"type": "hello", "last_seq": {cid: 0}},
        frames_for(cid),
        additional_headers={"Cookie": cookie},
    )
    visitor_runs = await asyncio.to_thread(
        fuzz_socket,
        f"{ws_base}/ws/visitor",
        base,
        {"type": "hello", "token": visitor.token, "last_seq": 0},
        frames_for(cid),
    )
    assert console_runs >= 30 and visitor_runs >= 30
    assert server_errors.records == []

    await bystander.send({"type": "send", "client_id": "still-here", "body": "hello?"})
    assert (await bystander.expect("ack"))["seq"] == 1
    transcript = (await supervisor.get(f"/api/console/conversations/{cid}/messages")).json()["items"]
    before = [m for m in transcript if m["client_id"] == PRE_FUZZ]
    assert [(m["seq"], m["body"]) for m in before] == [(1, "said before the fuzzing")]
    resumed = await visitor.socket(last_seq=0)
    state = next(f for f in resumed.seen if f["type"] == "state")
    if state["state"] in ("closed", "abandoned"):  # the fuzzing said `end`: the token gets the state, no transcript
        with contextlib.suppress(ConnectionClosed):  # ...and is closed, normally
            while True:
                assert (await resumed.next(timeout=5))["type"] != "message"
        assert resumed.ws.close_code == 1000
    else:
        first = await resumed.expect("message")
        assert (first["seq"], first["client_id"]) == (1, PRE_FUZZ)
    async with lykta.http() as http:
        assert (await http.get("/healthz")).status_code == 200
    assert uuid.UUID(cid)
