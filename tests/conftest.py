"""Live servers per test on SQLite and PostgreSQL (async tests run through pytest-asyncio, auto mode)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.config import Settings
from app.core.security import use_cheap_hashing_for_tests
from tests.backends import (
    PostgresFactory,
    RedisServer,
    SqliteFactory,
    forget_redis_prefix,
    redis_url,
    skip_or_fail,
)
from tests.cluster import Cluster
from tests.helpers import Lykta
from tests.live import LiveServer

BACKENDS = ["sqlite", "postgres"]
use_cheap_hashing_for_tests()


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    return str(getattr(request.config, "workerinput", {}).get("workerid", "main"))


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory: pytest.TempPathFactory) -> SqliteFactory:
    return SqliteFactory(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def postgres_factory(worker_id_safe: str) -> PostgresFactory:
    return PostgresFactory(f"{worker_id_safe}_{os.getpid()}")


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, sqlite_factory: SqliteFactory, postgres_factory: PostgresFactory
) -> Iterator[str]:
    factory = sqlite_factory if request.param == "sqlite" else postgres_factory
    url = factory.new()
    yield url
    factory.drop(url)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """SQLite runs with the in-memory broker, PostgreSQL with Redis (the two shapes Lykta is deployed in)."""
    values: dict[str, Any] = {
        "env": "test",
        "database_url": database_url,
        "broker_url": "memory://",
        "secret_key": "test-secret-" + "x" * 40,
        "frontend_dist": str(Path(__file__).resolve().parent.parent / "frontend" / "dist"),
    }
    if database_url.startswith("postgresql"):
        values["broker_url"] = redis_url()
        values["broker_prefix"] = f"lykta-test-{uuid.uuid4().hex[:12]}"  # servers of parallel tests never cross
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Override in a test module to start its servers with other settings."""
    return {}


@pytest.fixture
def server(database_url: str, settings_overrides: dict[str, Any]) -> Iterator[LiveServer]:
    live = LiveServer(make_settings(database_url, **settings_overrides)).start()
    yield live
    live.stop()
    if live.settings.broker_url != "memory://":
        forget_redis_prefix(live.settings.broker_url, live.settings.broker_prefix)


@pytest.fixture
async def lykta(server: LiveServer) -> AsyncIterator[Lykta]:
    handle = Lykta(server)
    yield handle
    await handle.aclose()


MakeCluster = Callable[..., Awaitable[Cluster]]


@pytest.fixture
def make_cluster(postgres_factory: PostgresFactory, tmp_path: Path) -> Iterator[MakeCluster]:
    """Start `size` `lykta serve` processes on a fresh PostgreSQL database and Redis; settings as keywords.
    `broker_url` and `db_port` (a relay in front of PostgreSQL) may be given; nodes are killed at the end."""
    made: list[tuple[Cluster, str]] = []

    def start(size: int, broker_url: str | None, db_port: int | None, settings: dict[str, Any]) -> Cluster:
        url = postgres_factory.new()
        node_url = url.replace(":5432/", f":{db_port}/") if db_port else url
        cluster = Cluster(node_url, broker_url or redis_url(), tmp_path, size, **settings)
        cluster.database_url = url
        made.append((cluster, url))
        return cluster.start()

    async def make(size: int, *, broker_url: str | None = None, db_port: int | None = None, **settings: Any) -> Cluster:
        return await asyncio.to_thread(start, size, broker_url, db_port, settings)

    yield make
    for cluster, url in made:
        cluster.stop()
        postgres_factory.drop(url)


@pytest.fixture
async def own_redis() -> AsyncIterator[RedisServer]:
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    server = RedisServer()
    await server.start()
    yield server
    server.stop()
