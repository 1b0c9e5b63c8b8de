"""The Redis broker carries events between processes: a visitor on one node and a counselor on another
chat as if on one node."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.backends import PostgresFactory, skip_or_fail
from tests.conftest import make_settings
from tests.helpers import Lykta
from tests.live import LiveServer

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def two_nodes(postgres_factory: PostgresFactory) -> Iterator[tuple[LiveServer, LiveServer]]:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        skip_or_fail("Redis is not reachable")
    url = postgres_factory.new()
    prefix = f"lykta-test-{uuid.uuid4().hex[:8]}"
    nodes = tuple(LiveServer(make_settings(url, broker_url=REDIS_URL, broker_prefix=prefix)).start() for _ in "ab")
    yield nodes[0], nodes[1]
    for node in nodes:
        node.stop()
    postgres_factory.drop(url)


async def test_visitor_on_one_node_and_counselor_on_another(two_nodes: tuple[LiveServer, LiveServer]) -> None:
    node_a, node_b = two_nodes
    on_a, on_b = Lykta(node_a), Lykta(node_b)
    try:
        counselor = await on_b.staff(alias="Sara")
        console = await counselor.socket()
        visitor = await on_a.visitor()
        queue = await console.expect("queue")
        while not queue["items"]:  # the new arrival on node A reaches node B's queue
            queue = await console.expect("queue")
        chat = await visitor.socket()
        assert (await counselor.claim(visitor.conversation_id)).status_code == 200
        assert (await chat.expect("state", state="active"))["counselor_alias"] == "Sara"
        await chat.send({"type": "send", "client_id": "v1", "body": "från nod A"})
        assert (await console.expect("message"))["body"] == "från nod A"
        cid = visitor.conversation_id
        await console.send({"type": "send", "conversation_id": cid, "client_id": "c1", "body": "från nod B"})
        assert (await chat.expect("message", seq=2))["body"] == "från nod B"
        await chat.send({"type": "typing", "on": True})
        assert (await console.expect("typing"))["author"] == "visitor"
        async with on_a.http() as http:
            ready = (await http.get("/readyz")).json()
        assert ready == {"ready": True, "database": "ok", "broker": "ok"}
    finally:
        await on_a.aclose()
        await on_b.aclose()
