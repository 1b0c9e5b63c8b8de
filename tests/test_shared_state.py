"""What every node must agree on (app/core/shared.py): the Redis implementation on its own (buckets, blocks,
daily secrets, and what it does while Redis is away), the process's cache of the daily secrets, then two
live servers sharing one Redis: a source's rate limit, a block and the source key are the same on both."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
import redis.asyncio as redis
from websockets.asyncio.client import connect
from websockets.typing import Origin

from app.core.clientaddr import (
    REFRESH_S,
    STAND_IN_RETRY_S,
    SharedDailySecrets,
    recent_days,
    shared_source_keys,
    source_keys_for,
)
from app.core.shared import SECRET_TTL_S, MemorySharedState, make_shared
from app.core.shared_redis import AWAY_S, RedisSharedState
from tests.backends import PostgresFactory, RedisServer, forget_redis_prefix, redis_url
from tests.conftest import make_settings
from tests.helpers import Frames, Lykta
from tests.live import LiveServer, free_port
from tests.test_retention import closed_with

pytestmark = pytest.mark.xdist_group("cluster")

DAY = "2026-05-01"


def new_prefix() -> str:
    return f"lykta-test-{uuid.uuid4().hex[:12]}"


@asynccontextmanager
async def redis_shared(prefix: str | None = None) -> AsyncIterator[tuple[RedisSharedState, redis.Redis]]:
    """A RedisSharedState on the machine's Redis under its own prefix, and a plain client to look at the
    keys; the prefix's keys are deleted afterwards."""
    url = redis_url()
    shared = RedisSharedState(url, prefix or new_prefix())
    client = redis.Redis.from_url(url)
    try:
        yield shared, client
    finally:
        await shared.close()
        await client.aclose()
        forget_redis_prefix(url, shared.prefix)


# --- Redis on its own ---------------------------------------------------------------------------------


async def test_a_bucket_allows_the_burst_then_refuses_with_a_wait_refills_and_expires_once_full() -> None:
    async with redis_shared() as (shared, client):
        key = f"{shared.prefix}:rate:test:k"
        assert [await shared.take("test", "k", 3, 5.0) for _ in range(3)] == [0.0, 0.0, 0.0]
        wait = await shared.take("test", "k", 3, 5.0)
        assert 0 < wait <= 0.2  # one token every 0.2 s
        assert await shared.take("test", "other", 3, 5.0) == 0.0  # per key
        assert await shared.take("other", "k", 3, 5.0) == 0.0  # per name
        assert 0 < await client.pttl(key) <= 3 / 5.0 * 1000 + 10  # no longer than until it is full
        await asyncio.sleep(wait + 0.05)
        assert await shared.take("test", "k", 3, 5.0) == 0.0  # refilled
        assert await shared.take("test", "k", 3, 5.0) > 0
        await asyncio.sleep(0.8)
        assert await client.exists(key) == 0  # full again: forgotten, and a fresh bucket is full
        assert [await shared.take("test", "k", 3, 5.0) for _ in range(3)] == [0.0, 0.0, 0.0]


async def test_takes_at_once_from_two_clients_never_exceed_the_burst() -> None:
    async with redis_shared() as (shared, _client):
        other = RedisSharedState(redis_url(), shared.prefix)
        try:
            takes = [(shared if n % 2 else other).take("race", "k", 5, 0.001) for n in range(20)]
            waits = await asyncio.gather(*takes)
        finally:
            await other.close()
        assert sum(1 for wait in waits if wait == 0.0) == 5
        assert all(wait > 900 for wait in waits if wait > 0)  # a token every 1000 s


async def test_blocks_match_any_of_the_keys_and_expire() -> None:
    async with redis_shared() as (shared, _client):
        assert not await shared.is_blocked([])
        await shared.block([], 10)
        await shared.block(["k1", "k2"], 1.0)
        assert await shared.is_blocked(["x", "k2"])
        assert not await shared.is_blocked(["x"])
        await asyncio.sleep(1.1)
        assert not await shared.is_blocked(["k1", "k2"])


async def test_a_conversations_sources_add_up_and_are_forgotten() -> None:
    async with redis_shared() as (shared, _client):
        await shared.remember_sources("c1", [], 10)
        await shared.remember_sources("c1", ["a"], 1.0)
        await shared.remember_sources("c1", ["b", "a"], 1.0)
        assert await shared.sources_of("c1") == {"a", "b"}
        assert await shared.sources_of("c2") == set()
        await asyncio.sleep(1.1)
        assert await shared.sources_of("c1") == set()


async def test_the_day_secret_is_one_per_prefix_and_day_for_every_client() -> None:
    async with redis_shared() as (one, client), redis_shared() as (elsewhere, _client):
        two = RedisSharedState(redis_url(), one.prefix)
        try:
            first, second = await asyncio.gather(one.day_secret(DAY), two.day_secret(DAY))
            assert first == second and len(first) == 32
            assert await two.day_secret(DAY) == first  # made once, kept
            assert await one.day_secret("2026-05-02") not in (first, b"")
            assert await elsewhere.day_secret(DAY) != first
            assert not one.secret_is_stand_in(DAY)
            assert SECRET_TTL_S - 60 < await client.ttl(f"{one.prefix}:secret:{DAY}") <= SECRET_TTL_S
        finally:
            await two.close()


async def test_without_redis_limits_and_blocks_fail_open_and_the_secret_is_this_processs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shared = RedisSharedState(f"redis://127.0.0.1:{free_port()}/0", new_prefix())  # nobody listens there
    try:
        with caplog.at_level(logging.WARNING, logger="app.core.shared"):
            assert [await shared.take("test", "k", 1, 0.001) for _ in range(3)] == [0.0, 0.0, 0.0]
            await shared.block(["k"], 60)
            await shared.remember_sources("c1", ["k"], 60)
            assert not await shared.is_blocked(["k"])
            assert await shared.sources_of("c1") == set()
            secret = await shared.day_secret(DAY)
            assert len(secret) == 32 and shared.secret_is_stand_in(DAY)
            assert await shared.day_secret(DAY) == secret  # the same all day, in this process
        messages = [(r.levelno, r.getMessage()) for r in caplog.records]
        assert any(level == logging.WARNING and "rate limits" in text for level, text in messages)
        assert any(level == logging.ERROR and "block could not be stored" in text for level, text in messages)
        assert any("own daily secret" in text for _level, text in messages)
    finally:
        await shared.close()


async def test_after_a_redis_restart_limits_and_the_shared_secret_come_back(own_redis: RedisServer) -> None:
    shared = RedisSharedState(own_redis.url, new_prefix())
    try:
        assert await shared.take("test", "k", 1, 0.001) == 0.0
        assert await shared.take("test", "k", 1, 0.001) > 0
        own_redis.stop()
        assert await shared.take("test", "k", 1, 0.001) == 0.0  # fails open
        stand_in = await shared.day_secret(DAY)
        assert shared.secret_is_stand_in(DAY)
        await own_redis.start()  # empty, as our Redis keeps nothing on disk
        await asyncio.sleep(AWAY_S + 0.1)
        shared_secret = await shared.day_secret(DAY)
        assert shared_secret != stand_in and not shared.secret_is_stand_in(DAY)
        assert await shared.take("test", "k", 1, 0.001) == 0.0
        assert await shared.take("test", "k", 1, 0.001) > 0  # counted in Redis again
    finally:
        await shared.close()
        own_redis.stop()


def test_the_shared_state_goes_with_the_broker_url() -> None:
    assert isinstance(make_shared("memory://"), MemorySharedState)
    for url in ("redis://127.0.0.1:6379/0", "rediss://example.org:6380/0", "unix:///run/redis.sock"):
        shared = make_shared(url, "p")
        assert isinstance(shared, RedisSharedState) and shared.prefix == "p"
    with pytest.raises(ValueError, match="unsupported"):
        make_shared("kafka://x")


# --- the process's cache of the daily secrets -----------------------------------------------------------


class Counting(MemorySharedState):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []
        self.stand_in = False

    async def day_secret(self, day: str) -> bytes:
        self.asked.append(day)
        return await super().day_secret(day)

    def secret_is_stand_in(self, day: str) -> bool:
        return self.stand_in


async def test_the_secrets_are_fetched_once_then_checked_again_now_and_then() -> None:
    shared, now = Counting(), [0.0]
    cache = SharedDailySecrets(shared, clock=lambda: now[0])
    days = recent_days()
    first = await cache.current()
    assert first == [await MemorySharedState.day_secret(shared, day) for day in days]
    assert shared.asked == days
    await asyncio.gather(*(cache.current() for _ in range(10)))
    assert shared.asked == days  # cached
    now[0] += REFRESH_S
    assert await cache.current() == first and shared.asked == days * 2  # asked again, same answer

    shared.stand_in, shared.asked = True, []
    now[0] += REFRESH_S
    await cache.current()
    now[0] += STAND_IN_RETRY_S
    await cache.current()
    assert shared.asked == days * 2  # a stand-in is asked about again soon


# --- two live servers sharing one Redis -----------------------------------------------------------------


HOSTILE, OTHER = "127.0.0.82", "127.0.0.83"


@pytest.fixture
def two_nodes(postgres_factory: PostgresFactory) -> Iterator[tuple[LiveServer, LiveServer]]:
    broker = redis_url()
    url = postgres_factory.new()
    prefix = new_prefix()
    settings = make_settings(url, broker_url=broker, broker_prefix=prefix, conversations_per_hour=2)
    nodes: list[LiveServer] = []
    try:
        nodes.extend(LiveServer(settings).start() for _ in "ab")
        yield nodes[0], nodes[1]
    finally:
        for node in nodes:
            node.stop()
        postgres_factory.drop(url)
        forget_redis_prefix(broker, prefix)


def client_of(node: LiveServer, source: str) -> httpx.AsyncClient:
    """An HTTP client of the node that connects from this local address (its source)."""
    transport = httpx.AsyncHTTPTransport(local_address=source)
    return httpx.AsyncClient(base_url=node.base_url, headers={"Origin": node.base_url}, transport=transport)


async def visitor_hello(node: LiveServer, token: str, source: str) -> Frames:
    ws = await connect(
        f"{node.ws_url}/ws/visitor", origin=Origin(node.base_url), open_timeout=5, local_addr=(source, 0)
    )
    frames = Frames(ws)
    await frames.send({"type": "hello", "token": token, "last_seq": 0})
    return frames


async def test_a_source_limit_counts_attempts_on_every_node(two_nodes: tuple[LiveServer, LiveServer]) -> None:
    node_a, node_b = two_nodes
    on_a = Lykta(node_a)
    try:
        await on_a.staff()
        async with client_of(node_a, HOSTILE) as at_a, client_of(node_b, HOSTILE) as at_b:
            for _ in range(2):
                assert (await at_a.post("/api/visitor/conversations", json={})).status_code == 201
            limited = await at_b.post("/api/visitor/conversations", json={})
            assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
            assert 1700 <= int(limited.headers["retry-after"]) <= 1800  # one conversation every 30 minutes
        async with client_of(node_b, OTHER) as other:
            assert (await other.post("/api/visitor/conversations", json={})).status_code == 201  # per source
    finally:
        await on_a.aclose()


async def test_a_block_made_on_one_node_keeps_the_source_out_of_the_other(
    two_nodes: tuple[LiveServer, LiveServer],
) -> None:
    node_a, node_b = two_nodes
    on_a = Lykta(node_a)
    sockets: list[Frames] = []
    try:
        counselor = await on_a.staff()
        async with client_of(node_a, HOSTILE) as bad_a, client_of(node_b, HOSTILE) as bad_b:
            first = (await bad_a.post("/api/visitor/conversations", json={})).json()
            second = (await bad_b.post("/api/visitor/conversations", json={})).json()  # before the block
            assert (await counselor.claim(first["conversation_id"])).status_code == 200
            blocked = await counselor.post(f"/api/console/conversations/{first['conversation_id']}/block", {"hours": 2})
            assert blocked.status_code == 200 and blocked.json()["state"] == "closed"

            again = await bad_b.post("/api/visitor/conversations", json={})
            assert (again.status_code, again.json()["code"]) == (403, "not_available")
            assert "inte tillgänglig" in (await bad_b.get("/c/anything")).text

        refused = await visitor_hello(node_b, second["token"], HOSTILE)  # its own conversation is not blocked
        sockets.append(refused)
        assert (await refused.expect("error"))["code"] == "not_available"
        assert await closed_with(refused) == 1008
        elsewhere = await visitor_hello(node_b, second["token"], OTHER)  # the same token from another source
        sockets.append(elsewhere)
        assert (await elsewhere.expect("state"))["state"] == "waiting"
        async with client_of(node_b, OTHER) as other:
            assert (await other.post("/api/visitor/conversations", json={})).status_code == 201
    finally:
        for frames in sockets:
            await frames.close()
        await on_a.aclose()


async def test_both_nodes_compute_the_same_source_key(two_nodes: tuple[LiveServer, LiveServer]) -> None:
    address = "203.0.113.7"
    keys = []
    for node in two_nodes:
        runtime = node.runtime()
        assert isinstance(runtime.shared, RedisSharedState)
        keys.append(await node.run_in_server(shared_source_keys(runtime.shared, address)))
    assert keys[0] == keys[1] and len(keys[0]) == 2 and keys[0][0] != keys[0][1]  # today's, yesterday's
    assert keys[0] != source_keys_for(address)  # not this process's own secrets
