"""Rate limits on hostile volume: conversations per source per hour, messages per socket per second
(with a burst), and the defaults outside the test environment."""

from __future__ import annotations

import asyncio

import pytest

from app.core.clientaddr import shared_source_keys
from app.limits import Limits
from app.realtime.budget import BudgetRates, Rate
from tests.conftest import make_settings
from tests.helpers import Lykta

MESSAGES = {"messages_per_second": 2, "message_burst": 3}


@pytest.mark.parametrize("settings_overrides", [{"conversations_per_hour": 3}])
async def test_new_conversations_are_limited_per_source_per_hour(lykta: Lykta) -> None:
    await lykta.staff()
    for _ in range(3):
        await lykta.visitor()
    async with lykta.http() as http:
        limited = await http.post("/api/visitor/conversations", json={})
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert 1100 <= int(limited.headers["retry-after"]) <= 1200  # one conversation every 20 minutes
    assert limited.json()["retry_after"] == int(limited.headers["retry-after"])
    assert "set-cookie" not in limited.headers

    # the bucket is the shared state's (Redis on PostgreSQL), under the key every node computes for the source
    server, address = lykta.server, "127.0.0.1"
    shared = server.runtime().shared
    key = (await server.run_in_server(shared_source_keys(shared, address)))[0]
    assert await server.run_in_server(shared.take("conversations", key, 3, 3 / 3600)) > 1000


@pytest.mark.parametrize("settings_overrides", [MESSAGES])
async def test_visitor_messages_beyond_the_burst_get_rate_limited_frames_and_are_not_stored(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    for i in range(5):
        await chat.send({"type": "send", "client_id": f"m{i}", "body": f"message {i}"})
    acks = [await chat.expect("ack") for _ in range(3)]
    errors = [await chat.expect("error") for _ in range(2)]
    assert [a["client_id"] for a in acks] == ["m0", "m1", "m2"]
    assert [(e["code"], e["client_id"]) for e in errors] == [("rate_limited", "m3"), ("rate_limited", "m4")]
    assert all(e["retry_after"] >= 1 for e in errors)

    await asyncio.sleep(errors[0]["retry_after"])
    await chat.send({"type": "send", "client_id": "m3", "body": "message 3"})  # the resend goes through
    assert (await chat.expect("ack", client_id="m3"))["seq"] == 4
    assert (await chat.silent("error", 0.3)) is True
    await counselor.claim(visitor.conversation_id)
    stored = (await counselor.get(f"/api/console/conversations/{visitor.conversation_id}/messages")).json()
    assert [m["client_id"] for m in stored["items"]] == ["m0", "m1", "m2", "m3"]


@pytest.mark.parametrize("settings_overrides", [MESSAGES])
async def test_console_messages_are_limited_per_socket(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    await counselor.claim(visitor.conversation_id)
    console = await counselor.socket()
    cid = visitor.conversation_id
    for i in range(4):
        await console.send({"type": "send", "conversation_id": cid, "client_id": f"c{i}", "body": "hej"})
    assert [(await console.expect("ack"))["client_id"] for _ in range(3)] == ["c0", "c1", "c2"]
    limited = await console.expect("error")
    assert (limited["code"], limited["client_id"], limited["conversation_id"]) == ("rate_limited", "c3", cid)
    other = await counselor.socket()  # another socket has its own allowance
    await other.send({"type": "send", "conversation_id": cid, "client_id": "o1", "body": "hej"})
    assert (await other.expect("ack", client_id="o1"))["seq"] == 4


def test_limits_are_on_by_default_outside_tests_and_off_in_tests() -> None:
    production = Limits(make_settings("sqlite://", env="production"))
    assert production.login is not None and production.login.burst == 10
    assert production.conversations is not None and production.conversations.burst == 20
    assert production.follow_up is not None and production.follow_up.burst == 10
    budgets = BudgetRates(make_settings("sqlite://", env="production"))
    assert budgets.rate("send") == Rate(5, 20) and budgets.rate("typing") == Rate(2, 6)
    tests = Limits(make_settings("sqlite://"))
    assert tests.login is tests.conversations is tests.follow_up is None
    assert BudgetRates(make_settings("sqlite://")).rate("send") is None
    off = Limits(make_settings("sqlite://", env="production", conversations_per_hour=0))
    assert off.conversations is None
