"""Several `lykta serve` processes on one PostgreSQL and one Redis: any node serves any socket, a claim
race across nodes has one winner, and a node that dies (SIGKILL) or stops (SIGTERM) loses nothing."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
import uuid
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.backends import PostgresFactory
from tests.conftest import MakeCluster
from tests.helpers import Clients, Frames, StaffClient, Visitor, eventually

pytestmark = pytest.mark.xdist_group("cluster")


async def send_acked(chat: Frames, client_id: str, body: str, **extra: Any) -> int:
    await chat.send({"type": "send", "client_id": client_id, "body": body, **extra})
    return int((await chat.expect("ack", client_id=client_id))["seq"])


async def transcript(counselor: StaffClient, conversation_id: str) -> list[dict[str, Any]]:
    response = await counselor.get(f"/api/console/conversations/{conversation_id}/messages")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def active_chat(on_visitor: Clients, counselor: StaffClient) -> tuple[Visitor, Frames]:
    visitor = await on_visitor.visitor()
    chat = await visitor.socket()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    await chat.expect("state", state="active")
    return visitor, chat


async def test_cross_node_chat_queue_and_presence_agree(make_cluster: MakeCluster) -> None:
    a, b = (await make_cluster(2)).nodes
    on_a, on_b = Clients(a), Clients(b)
    try:
        watcher = await on_b.staff(alias="Watcher")
        console_b = await watcher.socket()
        counselor = await on_a.staff(alias="Sara", available=False)
        await counselor.presence("available")  # set through node A, seen by a console on node B
        presence = await console_b.expect("presence", counselor_id=counselor.id)
        assert presence["status"] == "available"

        visitor = await on_a.visitor()
        chat = await visitor.socket()
        on_node_a = await chat.expect("queue")
        assert on_node_a["position"] == 1
        same_visitor_on_b = await Visitor(b, visitor.conversation_id, visitor.token, visitor.follow_up_code).socket()
        assert await same_visitor_on_b.expect("queue") == on_node_a  # position and wait estimate agree
        queue = await console_b.expect("queue")
        while visitor.conversation_id not in [i["conversation_id"] for i in queue["items"]]:
            queue = await console_b.expect("queue")
        for client in (counselor, watcher):  # the queue both nodes answer is the same
            listed = (await client.get("/api/console/queue")).json()
            assert [i["conversation_id"] for i in listed["items"]] == [visitor.conversation_id]

        assert (await watcher.claim(visitor.conversation_id)).status_code == 200  # claimed on node B
        assert (await chat.expect("state", state="active"))["counselor_alias"] == "Watcher"
        await send_acked(chat, "v1", "hej från nod A")
        assert (await console_b.expect("message"))["body"] == "hej från nod A"
        cid = visitor.conversation_id
        await send_acked(console_b, "c1", "svar från nod B", conversation_id=cid)
        assert (await chat.expect("message", seq=2))["body"] == "svar från nod B"
    finally:
        await on_a.aclose()
        await on_b.aclose()


async def test_twenty_counselors_on_three_nodes_race_for_one_claim(make_cluster: MakeCluster) -> None:
    nodes = (await make_cluster(3)).nodes
    sides = [Clients(node) for node in nodes]
    try:
        counselors = [await sides[i % 3].staff() for i in range(20)]
        visitor = await sides[0].visitor()
        answers = await asyncio.gather(*(c.claim(visitor.conversation_id) for c in counselors))
        codes = sorted(r.status_code for r in answers)
        assert codes == [200] + [409] * 19, codes
        assert {r.json()["code"] for r in answers if r.status_code == 409} == {"already_claimed"}
        winner = next(c for c, r in zip(counselors, answers, strict=True) if r.status_code == 200)
        held = (await winner.get("/api/console/conversations")).json()
        assert [c["conversation_id"] for c in held["items"]] == [visitor.conversation_id]
    finally:
        for side in sides:
            await side.aclose()


async def test_sigkill_mid_conversation_clients_resume_on_another_node(make_cluster: MakeCluster) -> None:
    """Both sides on node A write while it is killed; they reconnect to node B, resend what was not
    acknowledged (same client_id) and every acknowledged message is stored and delivered once."""
    a, b = (await make_cluster(2)).nodes
    on_a, on_b = Clients(a), Clients(b)
    try:
        counselor = await on_a.staff(alias="Sara")
        visitor, chat = await active_chat(on_a, counselor)
        cid = visitor.conversation_id
        console = await counselor.socket()
        acked: dict[str, int] = {}
        sent: list[str] = []

        async def write(frames: Frames, prefix: str, **extra: Any) -> None:
            for i in range(200):
                client_id = f"{prefix}{i}"
                sent.append(client_id)
                try:
                    acked[client_id] = await send_acked(frames, client_id, f"{prefix} {i}", **extra)
                except (ConnectionClosed, TimeoutError):
                    return

        writers = [asyncio.create_task(write(chat, "v")), asyncio.create_task(write(console, "c", conversation_id=cid))]
        await eventually(lambda: _true(len(acked) >= 20), timeout=20)  # mid-conversation
        a.kill()
        await asyncio.gather(*writers)
        assert len(acked) >= 20

        # the clients come back through node B with what they last saw, and resend what had no ack
        visitor_b = Visitor(b, cid, visitor.token, visitor.follow_up_code)
        seen_by_visitor = max([m["seq"] for m in chat.seen if m.get("type") == "message"] or [0])
        chat_b = await visitor_b.socket(last_seq=seen_by_visitor)
        counselor_b = await on_b.login(counselor.username)
        console_b = await counselor_b.socket(last_seq={cid: 0})
        unacked = [c for c in sent if c not in acked]
        for client_id in unacked:
            frames, extra = (chat_b, {}) if client_id.startswith("v") else (console_b, {"conversation_id": cid})
            acked[client_id] = await send_acked(
                frames, client_id, client_id.replace("v", "v ").replace("c", "c "), **extra
            )

        stored = await transcript(counselor_b, cid)
        by_client = {m["client_id"]: m["seq"] for m in stored if m.get("client_id")}
        assert sorted(by_client) == sorted(sent), "every message sent is stored"
        assert len(stored) == len(set(m["seq"] for m in stored)) == len(sent)
        assert all(by_client[k] == v for k, v in acked.items()), "an acknowledged seq never changes"
        # the visitor has, across both sockets, every message once and in order: the counselor's as messages, its
        # own as acks (or replayed as messages to the new socket)
        everything = [m["seq"] for m in stored]
        from_counselor = {m["seq"] for m in stored if m["author"] == "counselor"}
        while not from_counselor <= _seqs(chat, chat_b):
            await chat_b.expect("message", timeout=10)
        at_visitor = [int(m["seq"]) for s in (chat, chat_b) for m in s.seen if m.get("type") == "message"]
        assert at_visitor == sorted(set(at_visitor))
        acked_at_visitor = {int(m["seq"]) for s in (chat, chat_b) for m in s.seen if m.get("type") == "ack"}
        assert sorted(set(at_visitor) | acked_at_visitor) == everything
    finally:
        await on_a.aclose()
        await on_b.aclose()


def _seqs(*sockets: Frames) -> set[int]:
    return {int(m["seq"]) for s in sockets for m in s.seen if m.get("type") == "message"}


async def _true(value: bool) -> bool:
    return value


async def test_sigterm_drains_with_1012_and_clients_resume_elsewhere(make_cluster: MakeCluster) -> None:
    """SIGTERM: the node closes its sockets with 1012 (reconnect), finishes what it was writing, gives up
    the lease at once and shuts down cleanly; the clients resume on the other node with nothing lost or doubled."""
    cluster = await make_cluster(2, lease_ttl_s=60)  # a lease left to lapse would take a minute
    leaders = sorted(cluster.nodes, key=lambda node: -node.metrics()["lykta_leader"])
    a, b = leaders  # stop the node that holds the lease
    on_a, on_b = Clients(a), Clients(b)
    try:
        assert [a.metrics()["lykta_leader"], b.metrics()["lykta_leader"]] == [1.0, 0.0]
        counselor = await on_a.staff(alias="Sara")
        visitor, chat = await active_chat(on_a, counselor)
        cid = visitor.conversation_id
        console = await counselor.socket()
        await send_acked(chat, "v1", "före")
        await chat.send({"type": "send", "client_id": "v2", "body": "i samma stund"})  # in flight at SIGTERM
        code = await asyncio.to_thread(a.terminate)
        assert code in (0, -signal.SIGTERM), a.log()  # uvicorn re-raises the signal once it has shut down
        for frames in (chat, console):
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await frames.next(timeout=5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert "Application shutdown complete" in a.log()

        chat_b = await Visitor(b, cid, visitor.token, visitor.follow_up_code).socket(last_seq=1)
        assert await send_acked(chat_b, "v2", "i samma stund") == 2  # stored once, whether or not A had
        counselor_b = await on_b.login(counselor.username)
        assert [m["client_id"] for m in await transcript(counselor_b, cid)] == ["v1", "v2"]
        await eventually(lambda: _true(b.metrics().get("lykta_leader") == 1.0), timeout=5)
    finally:
        await on_a.aclose()
        await on_b.aclose()


def test_nodes_that_start_together_migrate_one_after_another(postgres_factory: PostgresFactory) -> None:
    """Two `lykta migrate` at once on an empty database (as two containers starting): both succeed."""
    name = f"lykta_t_{uuid.uuid4().hex[:12]}"
    postgres_factory._execute(f'CREATE DATABASE "{name}"')
    url = postgres_factory.url_for(name)
    try:
        env = {"LYKTA_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
        started = time.monotonic()
        runs = [
            subprocess.Popen([sys.executable, "-m", "app.cli", "migrate"], env=env, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        errors = [run.communicate(timeout=120)[1] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], errors
        assert time.monotonic() - started < 120
    finally:
        postgres_factory.drop(url)
