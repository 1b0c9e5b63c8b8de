"""The follow-up code: back to the same conversation within the window, with a new token and code;
wrong codes learn nothing, not even from the time they take, and guessing is limited."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from app.core.clientaddr import shared_source_keys
from app.models import AuditEntry
from app.privacy.followup import FLOOR_S, REOPENED
from tests.helpers import Lykta, StaffClient, Visitor
from tests.test_retention import SENTENCE, chat_with_text, closed_with, end_before, hello_refused, in_server

LIMITED = {"follow_up_attempts_per_hour": 10}


def messy(code: str) -> str:
    """The code as a person might type it back: lower case, in groups, with spaces and dashes."""
    lower = code.lower()
    return f" {lower[:4]}-{lower[4:8]} {lower[8:]} "


async def follow_up(lykta: Lykta, code: str, source: str | None = None) -> httpx.Response:
    transport = httpx.AsyncHTTPTransport(local_address=source) if source else None
    async with lykta.http(transport=transport) as http:
        return await http.post("/api/visitor/follow-up", json={"code": code})


async def ended_chat(lykta: Lykta) -> tuple[StaffClient, Visitor, Any]:
    counselor, visitor, chat = await chat_with_text(lykta)
    closed = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")
    assert closed.status_code == 200
    assert (await chat.expect("state", state="closed"))["state"] == "closed"
    return counselor, visitor, chat


async def audit_rows(lykta: Lykta, action: str) -> list[AuditEntry]:
    from sqlmodel import select

    async def read(session: Any) -> list[AuditEntry]:
        return list((await session.exec(select(AuditEntry).where(AuditEntry.action == action))).all())

    rows: list[AuditEntry] = await in_server(lykta, read)
    return rows


async def test_the_code_reopens_the_conversation_for_the_same_counselor_with_a_new_token(lykta: Lykta) -> None:
    counselor, visitor, old_chat = await ended_chat(lykta)
    console = await counselor.socket()
    response = await follow_up(lykta, messy(visitor.follow_up_code))
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"conversation_id", "token", "follow_up_code"}
    assert body["conversation_id"] == visitor.conversation_id
    assert body["token"] != visitor.token and body["follow_up_code"] != visitor.follow_up_code

    assert (await old_chat.expect("error"))["code"] == "invalid_token"  # the open old socket is closed
    assert await closed_with(old_chat) == 1008
    assert await hello_refused(lykta, visitor.token)  # and the old token opens nothing

    offered = await console.expect("conversation", timeout=5)
    data = offered["conversation"]
    assert data["conversation_id"] == visitor.conversation_id and data["state"] == "active"
    assert data["counselor_id"] == counselor.id and data["accept_by"] is not None  # offered, to be accepted

    again = Visitor(lykta.server, body["conversation_id"], body["token"], body["follow_up_code"])
    chat = await again.socket()
    bodies = [m["body"] for m in await chat.messages(3)]  # the earlier conversation, then the system line
    assert bodies[0] == SENTENCE and bodies[2] == REOPENED["sv"]
    accepted = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/accept")
    assert accepted.status_code == 200, accepted.text

    old_code = await follow_up(lykta, visitor.follow_up_code)
    assert (old_code.status_code, old_code.json()["code"]) == (404, "unknown_code")
    [entry] = [e for e in await audit_rows(lykta, "follow_up") if e.success]
    assert entry.conversation_id == uuid.UUID(visitor.conversation_id) and entry.actor_id is None


async def test_with_the_counselor_away_it_waits_at_the_head_of_the_queue(lykta: Lykta) -> None:
    counselor, visitor, _chat = await ended_chat(lykta)
    colleague = await lykta.staff()
    newcomer = await lykta.visitor()
    await counselor.presence("away")
    response = await follow_up(lykta, visitor.follow_up_code)
    assert response.status_code == 200, response.text
    queue = (await colleague.get("/api/console/queue")).json()["items"]
    assert [item["conversation_id"] for item in queue] == [visitor.conversation_id, newcomer.conversation_id]
    assert queue[0]["returning"] is True


async def test_wrong_expired_and_open_codes_all_get_the_same_404_after_the_same_time(lykta: Lykta) -> None:
    _counselor, expired, _chat = await ended_chat(lykta)
    await end_before(lykta, expired.conversation_id, 73)  # past the default 72 h window
    still_open = await lykta.visitor()
    blocker = await lykta.staff()
    blocked = await lykta.visitor()
    assert (await blocker.claim(blocked.conversation_id)).status_code == 200
    assert (await blocker.post(f"/api/console/conversations/{blocked.conversation_id}/block")).status_code == 200
    codes = ["ABCDEFGHJKMN", expired.follow_up_code, still_open.follow_up_code, blocked.follow_up_code]
    for code in codes:
        started = time.monotonic()
        response = await follow_up(lykta, code, "127.0.0.41")  # this test's own address is blocked now
        elapsed = time.monotonic() - started
        assert (response.status_code, response.json()["code"]) == (404, "unknown_code"), code
        assert elapsed >= FLOOR_S >= 0.2, (code, elapsed)

    failures = [e for e in await audit_rows(lykta, "follow_up") if not e.success]
    assert len(failures) == len(codes)
    server = lykta.server
    keys = await server.run_in_server(shared_source_keys(server.runtime().shared, "127.0.0.41"))  # the server's keys
    for entry in failures:
        assert entry.actor_id is None and entry.conversation_id is None and entry.target is None
        assert not any(key in entry.detail for key in keys) and "127.0.0" not in entry.detail


@pytest.mark.parametrize("settings_overrides", [LIMITED])
async def test_attempts_are_limited_per_source_with_retry_after(lykta: Lykta) -> None:
    await lykta.staff()
    for _ in range(10):
        assert (await follow_up(lykta, "WRONGCODE234", "127.0.0.21")).status_code == 404
    limited = await follow_up(lykta, "WRONGCODE234", "127.0.0.21")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1
    assert (await follow_up(lykta, "WRONGCODE234", "127.0.0.22")).status_code == 404  # another source


@pytest.mark.parametrize("settings_overrides", [LIMITED])
async def test_only_wrong_codes_count_towards_the_limit(lykta: Lykta) -> None:
    for _ in range(12):  # right codes, one after another from one source: each reopens, none is refused
        _counselor, visitor, _chat = await ended_chat(lykta)
        assert (await follow_up(lykta, visitor.follow_up_code, "127.0.0.23")).status_code == 200
    assert (await follow_up(lykta, "WRONGCODE234", "127.0.0.23")).status_code == 404


async def test_no_follow_up_while_nobody_is_on_duty(lykta: Lykta) -> None:
    counselor, visitor, _chat = await ended_chat(lykta)
    await counselor.presence("offline")
    response = await follow_up(lykta, visitor.follow_up_code)
    assert (response.status_code, response.json()["code"]) == (503, "closed")
    await counselor.presence("available")
    assert (await follow_up(lykta, visitor.follow_up_code)).status_code == 200  # the code was not used up
