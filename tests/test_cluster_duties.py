"""Background work runs once across the cluster (lease), moves when its node dies, and presence outlives a
dead node: its counselors go offline only after the grace, and their chats return to the queue once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from app.core.db import make_engine, make_sessionmaker
from app.models import Author, Conversation, Counselor, Message, Presence, utcnow
from tests.cluster import Cluster, Node
from tests.conftest import MakeCluster
from tests.helpers import Clients, Frames, StaffClient, Visitor, eventually

pytestmark = pytest.mark.xdist_group("cluster")


async def in_database(cluster: Cluster, statement: Any) -> list[Any]:
    """Run one statement on the cluster's database (the test's own connection); rows of a SELECT."""
    engine = make_engine(cluster.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            result = await session.exec(statement)
            rows = list(result.all()) if statement.is_select else []
            await session.commit()
            return rows
    finally:
        await engine.dispose()


def runs(node: Node, job: str) -> float:
    return node.metrics().get(f'lykta_background_runs_total{{job="{job}"}}', 0.0)


def leaders(cluster: Cluster) -> list[Node]:
    return [node for node in cluster if node.alive and node.metrics().get("lykta_leader") == 1.0]


async def idle_chat(on: Clients, counselor: StaffClient) -> Visitor:
    visitor = await on.visitor()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    return visitor


async def backdate_activity(cluster: Cluster, conversation_id: str) -> None:
    long_ago = utcnow() - timedelta(hours=3)
    await in_database(
        cluster,
        update(Conversation)
        .where(col(Conversation.id) == uuid.UUID(conversation_id))
        .values(last_activity_at=long_ago),
    )


async def system_lines(cluster: Cluster, conversation_id: str) -> list[str]:
    query = select(Message.body).where(
        col(Message.conversation_id) == uuid.UUID(conversation_id), col(Message.author) == Author.system
    )
    return await in_database(cluster, query)


async def state_of(cluster: Cluster, conversation_id: str) -> str:
    query = select(Conversation.state).where(col(Conversation.id) == uuid.UUID(conversation_id))
    (state,) = await in_database(cluster, query)
    return str(state)


async def test_background_work_runs_once_with_three_nodes_and_moves_when_its_node_dies(
    make_cluster: MakeCluster,
) -> None:
    cluster = await make_cluster(3)
    sides = [Clients(node) for node in cluster]
    try:
        await asyncio.sleep(2)  # a few sweep rounds (every 0.5 s)
        (leader,) = leaders(cluster)
        standby = [node for node in cluster if node is not leader]
        for job in ("duty", "retention", "opening_clock"):
            assert runs(leader, job) > 0, job
            assert [runs(node, job) for node in standby] == [0.0, 0.0], job

        counselor = await sides[0].staff()
        visitor = await idle_chat(sides[1], counselor)
        await backdate_activity(cluster, visitor.conversation_id)
        await eventually(lambda: _is(cluster, visitor.conversation_id, "closed"), timeout=10)
        assert len(await system_lines(cluster, visitor.conversation_id)) == 1  # one idle-close notice

        leader.kill()  # power cut: nobody gives the lease up; it lapses after its ttl (3 s here)
        survivors = [side for side, node in zip(sides, cluster, strict=True) if node is not leader]
        (successor,) = await eventually(lambda: _list(leaders(cluster)), timeout=10)
        assert successor in standby
        before = runs(successor, "duty")
        counselor_2 = await survivors[0].login(counselor.username)
        second = await idle_chat(survivors[1], counselor_2)
        await backdate_activity(cluster, second.conversation_id)
        await eventually(lambda: _is(cluster, second.conversation_id, "closed"), timeout=10)
        assert len(await system_lines(cluster, second.conversation_id)) == 1
        assert runs(successor, "duty") > before
        assert [runs(node, "duty") for node in cluster if node.alive and node is not successor] == [0.0]
    finally:
        for side in sides:
            await side.aclose()


async def test_presence_outlives_a_dead_node_and_its_chats_requeue_once(make_cluster: MakeCluster) -> None:
    """Two counselors' consoles are on node A when it dies. One reconnects to node B within the grace and
    keeps duty and chats; the other is offline only after the grace, and their chat returns to the queue
    once (one system line, not one per surviving node)."""
    cluster = await make_cluster(3)
    a, b, c = cluster.nodes
    on_a, on_b, on_c = Clients(a), Clients(b), Clients(c)
    try:
        admin = await on_b.staff(role="admin", available=False)
        assert (await admin.put("/api/admin/settings", {"presence_grace_s": 4})).status_code == 200
        stays, leaves = await on_a.staff(alias="Stays"), await on_a.staff(alias="Leaves")
        kept, dropped = await idle_chat(on_b, stays), await idle_chat(on_c, leaves)
        watcher: Frames = await dropped.socket()  # the dropped chat's visitor is on node C
        for staff in (stays, leaves):
            await staff.socket()
        a.kill()
        killed_at = asyncio.get_running_loop().time()

        stays_b = await on_b.login(stays.username)
        await stays_b.socket()  # back within the grace, on another node
        assert await presence_of(cluster, leaves.id) == Presence.available  # not offline at once
        await asyncio.sleep(max(0.0, killed_at + 2.0 - asyncio.get_running_loop().time()))
        assert await presence_of(cluster, leaves.id) == Presence.available  # still on duty 2 s after the death
        await eventually(lambda: _offline(cluster, leaves.id), timeout=15)
        # not before the grace (4 s) counted from the last heartbeat (every 0.5 s), give or take a sweep round
        assert asyncio.get_running_loop().time() - killed_at >= 2.5
        notice = await watcher.expect("message", timeout=5)
        assert notice["author"] == "system"
        assert (await watcher.expect("state", timeout=5))["state"] == "waiting"
        await asyncio.sleep(2)  # more sweep rounds on every node: still one notice
        assert await system_lines(cluster, kept.conversation_id) == []
        assert len(await system_lines(cluster, dropped.conversation_id)) == 1
        assert await state_of(cluster, dropped.conversation_id) == "waiting"
        assert await presence_of(cluster, stays.id) == Presence.available
        held = (await stays_b.get("/api/console/conversations")).json()["items"]
        assert [item["conversation_id"] for item in held] == [kept.conversation_id]
    finally:
        for side in (on_a, on_b, on_c):
            await side.aclose()


async def presence_of(cluster: Cluster, counselor_id: int) -> Presence:
    (presence,) = await in_database(cluster, select(Counselor.presence).where(col(Counselor.id) == counselor_id))
    return Presence(presence)


async def _offline(cluster: Cluster, counselor_id: int) -> bool:
    return await presence_of(cluster, counselor_id) == Presence.offline


async def _is(cluster: Cluster, conversation_id: str, state: str) -> bool:
    return await state_of(cluster, conversation_id) == state


async def _list(nodes: list[Node]) -> list[Node] | None:
    return nodes or None
