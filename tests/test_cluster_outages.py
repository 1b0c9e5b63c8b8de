"""Outages under a live chat across two nodes: Redis restarted (delivery resumes, nothing acknowledged is
lost) and PostgreSQL unreachable (sends are refused with a clear error, resent by the client, stored once)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.backends import RedisServer
from tests.cluster import Node
from tests.conftest import MakeCluster
from tests.helpers import Clients, Frames, StaffClient, Visitor
from tests.live import free_port
from tests.tcp_relay import CuttableProxy

pytestmark = pytest.mark.xdist_group("cluster")


async def readiness(node: Node) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{node.base_url}/readyz")
    return response.status_code, response.json()


async def chat_across(a: Node, b: Node) -> tuple[Clients, Clients, Visitor, Frames, StaffClient, Frames]:
    """A visitor on node A, their counselor's console on node B, one message each way."""
    on_a, on_b = Clients(a), Clients(b)
    counselor = await on_b.staff(alias="Sara")
    console = await counselor.socket()
    visitor = await on_a.visitor()
    chat = await visitor.socket()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    await chat.expect("state", state="active")
    await send(chat, "v0", "hej")
    assert (await console.expect("message"))["body"] == "hej"
    await send(console, "c0", "hej hej", conversation_id=visitor.conversation_id)
    assert (await chat.expect("message", seq=2))["body"] == "hej hej"
    assert await console.silent("message", 0.3) and await chat.silent("message", 0.3)  # own ones come as acks
    return on_a, on_b, visitor, chat, counselor, console


async def send(frames: Frames, client_id: str, body: str, **extra: Any) -> dict[str, Any]:
    await frames.send({"type": "send", "client_id": client_id, "body": body, **extra})
    return await frames.expect("ack", client_id=client_id, timeout=10)


async def test_redis_restarted_mid_chat_delivery_resumes_and_nothing_is_lost(
    make_cluster: MakeCluster, own_redis: RedisServer
) -> None:
    a, b = (await make_cluster(2, broker_url=own_redis.url)).nodes
    on_a, on_b, visitor, chat, _counselor, console = await chat_across(a, b)
    cid = visitor.conversation_id
    try:
        own_redis.stop()
        for i in range(1, 4):  # stored and acknowledged while Redis is away; the other node hears nothing yet
            await send(chat, f"v{i}", f"under avbrottet {i}")
        await send(console, "c1", "jag hör dig", conversation_id=cid)
        status, ready = await readiness(a)
        assert status == 200 and ready["broker"].startswith("error")  # reported; the node still serves
        assert await console.silent("message", 0.5)

        await own_redis.start()  # same port, empty: nodes resubscribe and their sockets catch up
        caught_up = [await console.expect("message", timeout=15) for _ in range(3)]
        assert [m["body"] for m in caught_up] == [f"under avbrottet {i}" for i in range(1, 4)]
        from_counselor = await chat.expect("message", author="counselor", timeout=15)
        assert from_counselor["body"] == "jag hör dig"
        await send(chat, "v4", "efter")
        assert (await console.expect("message", body="efter"))["seq"] == 7
        while not await console.silent("message", 0.5):  # read what is left: nothing may come twice
            pass
        at_counselor = [m["seq"] for m in console.seen if m.get("type") == "message"]
        acked = [m["seq"] for m in console.seen if m.get("type") == "ack"]
        assert at_counselor == sorted(set(at_counselor))  # every message once, in order
        assert sorted(at_counselor + acked) == list(range(1, 8))  # the visitor's as messages, its own as acks
        assert (await readiness(a))[0] == 200
    finally:
        await on_a.aclose()
        await on_b.aclose()


async def test_postgres_unreachable_sends_fail_clearly_and_the_resend_is_stored_once(
    make_cluster: MakeCluster,
) -> None:
    relay = await CuttableProxy(5432, free_port()).start()
    try:
        a, b = (await make_cluster(2, db_port=relay.port)).nodes
        on_a, on_b, visitor, chat, counselor, console = await chat_across(a, b)
        cid = visitor.conversation_id
        try:
            await relay.cut()
            await chat.send({"type": "send", "client_id": "v-out", "body": "hör du mig?"})
            refused = await chat.expect("error", timeout=15)
            assert (refused["code"], refused["client_id"]) == ("unavailable", "v-out")
            assert refused["retry_after"] > 0
            async with on_a.http() as http:
                answer = await http.post("/api/visitor/conversations", json={})
            assert answer.status_code == 503 and answer.json()["code"] == "unavailable"
            assert int(answer.headers["Retry-After"]) > 0
            status, ready = await readiness(a)
            assert status == 503 and ready["database"].startswith("error")

            await relay.restore()
            ack = await send(chat, "v-out", "hör du mig?")  # the client's resend, same client_id
            assert (await console.expect("message", seq=ack["seq"]))["body"] == "hör du mig?"
            await send(chat, "v-out", "hör du mig?")  # resent again: still one
            response = await counselor.get(f"/api/console/conversations/{cid}/messages")
            stored = [m["client_id"] for m in response.json()["items"]]
            assert stored == ["v0", "c0", "v-out"]
        finally:
            await on_a.aclose()
            await on_b.aclose()
    finally:
        await relay.close()
