"""Findings 9, 11 and the HTTP half of 5: what a hostile HTTP client can do to the log, the body cap and
the server's connections. Paths are logged escaped; any body over the cap is 413 with our error body,
chunked included; half-sent requests are dropped within a bound while /healthz keeps answering."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from app.core.requestlog import MAX_BODY_BYTES
from tests.helpers import Lykta
from tests.hostile.sources import client_from


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def access_log() -> Iterator[Lines]:
    handler = Lines()
    logger = logging.getLogger("lykta.access")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


FORGED = "2026-12-02 07:00:00,000 INFO lykta.access: POST /api/console/login 200 1.0ms"


async def test_a_newline_in_the_path_cannot_forge_a_log_line(lykta: Lykta, access_log: Lines) -> None:
    async with lykta.http() as http:
        for raw in (
            "/c/abc%0a" + FORGED.replace(" ", "%20"),
            "/c/abc%0d%0a" + FORGED.replace(" ", "%20"),
            "/c/abc%1b%5b31mred%00nul",
            "/api/nothing%0a%0aGET%20/admin",
        ):
            response = await http.get(raw)
            assert response.status_code in (200, 404), raw
    for _ in range(40):  # a line is written once its answer has gone out
        logged = [m for m in access_log.messages if m.startswith("GET /")]
        if len(logged) == 4:
            break
        await asyncio.sleep(0.05)
    assert len(logged) == 4, access_log.messages
    for message in logged:
        assert not any(c in message for c in "\n\r\x1b\x00"), message
        assert FORGED not in message
    assert any(m.startswith("GET /c/abc%0A2026-12-02%2007:00:00,000%20INFO%20lykta.access:%20POST") for m in logged)
    assert any(m.startswith("GET /c/abc%1B%5B31mred%00nul 200 ") for m in logged), logged


async def chunks(total: int, size: int = 4096) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b" " * piece


@pytest.mark.parametrize("path", ["/api/visitor/conversations", "/api/console/login", "/api/visitor/follow-up"])
async def test_a_chunked_body_over_the_cap_gets_413_with_our_error_body(lykta: Lykta, path: str) -> None:
    async with lykta.http() as http:
        chunked = await http.post(
            path, content=chunks(MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json"}
        )
        declared = await http.post(
            path, content=b" " * (MAX_BODY_BYTES + 1), headers={"Content-Type": "application/json"}
        )
    for response in (chunked, declared):
        assert response.status_code == 413, response.text
        assert response.json() == {"detail": "request body too large", "code": "too_large"}


async def test_a_chunked_body_within_the_cap_is_read_as_usual(lykta: Lykta) -> None:
    await lykta.staff()

    async def body() -> AsyncIterator[bytes]:
        yield b'{"language":'
        yield b' "en"}'

    async with lykta.http() as http:
        started = await http.post(
            "/api/visitor/conversations", content=body(), headers={"Content-Type": "application/json"}
        )
        bad = await http.post(
            "/api/visitor/conversations", content=chunks(100), headers={"Content-Type": "application/json"}
        )
    assert started.status_code == 201, started.text
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_request")


# -- half-sent requests (slowloris) ----------------------------------------------------------------------

READ_BOUND_S = 1.0
SLOW = {"http_read_timeout_s": READ_BOUND_S, "http_keep_alive_s": 1.0}


async def dropped_after(port: int, first: bytes, drip: bytes = b"", every: float = 0.25, limit: float = 5.0) -> float:
    """Open a connection, send `first`, then a byte of `drip` every so often: how long until the server
    drops the connection (fails after `limit` seconds)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(first)
        await writer.drain()
        for byte in drip or b"":
            try:
                data = await asyncio.wait_for(reader.read(1024), every)
            except TimeoutError:
                writer.write(bytes([byte]))
                await writer.drain()
                continue
            assert data == b"", data  # nothing is answered to a request that never ends
            return loop.time() - started
        data = await asyncio.wait_for(reader.read(1024), limit)
        assert data == b"", data
        return loop.time() - started
    except (ConnectionResetError, BrokenPipeError):
        return loop.time() - started
    finally:
        writer.close()


async def healthz(lykta: Lykta) -> int:
    async with lykta.http() as http:
        return (await http.get("/healthz")).status_code


@pytest.mark.parametrize("settings_overrides", [SLOW])
async def test_half_sent_requests_are_dropped_within_the_bound_while_healthz_answers(lykta: Lykta) -> None:
    port = lykta.server.port
    held = [
        dropped_after(port, b""),  # says nothing at all
        dropped_after(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", drip=b"X-Slow: " + b"a" * 40),  # dribbles
        dropped_after(port, b"POST /api/visitor/conversations HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"),
        *(dropped_after(port, b"GET / HTTP/1.1\r\n") for _ in range(30)),
    ]
    waiting = asyncio.gather(*held)
    for _ in range(3):  # meanwhile the server answers everyone else
        assert await healthz(lykta) == 200
        await asyncio.sleep(0.2)
    times = await waiting
    assert all(t < READ_BOUND_S + 1.5 for t in times), times
    assert await healthz(lykta) == 200


@pytest.mark.parametrize("settings_overrides", [SLOW])
async def test_an_idle_kept_alive_connection_is_closed_and_a_websocket_is_not_cut(lykta: Lykta) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", lykta.server.port)
    try:
        writer.write(request)
        answer = await asyncio.wait_for(reader.readuntil(b'{"status":"ok"}'), 5)
        assert answer.startswith(b"HTTP/1.1 200")
        assert await asyncio.wait_for(reader.read(1024), 4) == b""  # closed after the keep-alive time
    finally:
        writer.close()

    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()  # said hello: the read deadline no longer applies
    await asyncio.sleep(READ_BOUND_S + 0.5)
    pong = await chat.ws.ping()
    await asyncio.wait_for(pong, 2)


@pytest.mark.parametrize("settings_overrides", [{**SLOW, "http_limit_concurrency": 16}])
async def test_connections_beyond_the_cap_get_503_until_the_held_ones_are_dropped(lykta: Lykta) -> None:
    port = lykta.server.port
    opened = [await asyncio.open_connection("127.0.0.1", port) for _ in range(16)]
    try:
        await asyncio.sleep(0.1)
        assert await healthz(lykta) == 503
        await asyncio.sleep(READ_BOUND_S + 0.5)  # the silent ones are dropped
        assert await healthz(lykta) == 200
    finally:
        for _, writer in opened:
            writer.close()


@pytest.mark.parametrize("settings_overrides", [{"conversations_per_hour": 3}])
async def test_conversations_started_are_capped_per_source(lykta: Lykta) -> None:
    await lykta.staff()
    async with client_from(lykta.server, "127.0.0.70") as http:
        statuses = [(await http.post("/api/visitor/conversations", json={})).status_code for _ in range(3)]
        refused = await http.post("/api/visitor/conversations", json={})
    assert statuses == [201, 201, 201]
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
    assert int(refused.headers["retry-after"]) > 0
    async with client_from(lykta.server, "127.0.0.71") as http:  # another source is not touched
        assert (await http.post("/api/visitor/conversations", json={})).status_code == 201
