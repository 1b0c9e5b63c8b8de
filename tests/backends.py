"""Databases for the live servers: a fresh SQLite file or PostgreSQL database per test."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from app.cli import alembic_config
from tests.live import free_port

PG_ADMIN_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def require_services() -> bool:
    return os.environ.get("LYKTA_REQUIRE_SERVICES") == "1"


def pg_admin_url() -> str:
    return os.environ.get("LYKTA_TEST_DATABASE_URL", PG_ADMIN_DEFAULT)


def _reachable(url: str) -> bool:
    parts = urlsplit(url.replace("+asyncpg", ""))
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=1):
            return True
    except OSError:
        return False


REDIS_DEFAULT = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """The broker for the PostgreSQL runs; reachable, or the test skips (fails under LYKTA_REQUIRE_SERVICES)."""
    url = os.environ.get("LYKTA_TEST_BROKER_URL", REDIS_DEFAULT)
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return url
    except OSError:
        skip_or_fail("Redis is not reachable")
        raise


def forget_redis_prefix(url: str, prefix: str) -> None:
    """Delete what a test's servers kept in Redis under their prefix (daily secrets live three days)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except (redis.RedisError, OSError):
        pass  # Redis went away with the test: nothing of ours is left there either
    finally:
        client.close()


def skip_or_fail(reason: str) -> None:
    if require_services():
        pytest.fail(f"{reason} (LYKTA_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def migrate(url: str) -> None:
    from alembic import command

    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)  # type: ignore[attr-defined]
    config.attributes["configure_logger"] = False  # type: ignore[attr-defined]
    command.upgrade(config, "head")  # type: ignore[arg-type]


class SqliteFactory:
    """Migrates one template file per worker, then copies it for each test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "template.db"

    def new(self) -> str:
        if not self.template.exists():
            migrate(f"sqlite+aiosqlite:///{self.template}")
        path = self.root / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite+aiosqlite:///{path}"

    def drop(self, url: str) -> None:
        path = Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresFactory:
    """Migrates one template database per worker; each test gets a copy (CREATE DATABASE … TEMPLATE)."""

    def __init__(self, worker: str) -> None:
        self.admin_url = pg_admin_url()
        self.template = f"lykta_tpl_{worker}"
        self._ready = False

    def _execute(self, *statements: str) -> None:
        import asyncio

        from sqlalchemy.ext.asyncio import create_async_engine

        async def run() -> None:
            engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            try:
                async with engine.connect() as connection:
                    for statement in statements:
                        await connection.execute(text(statement))
            finally:
                await engine.dispose()

        asyncio.run(run())

    def url_for(self, name: str) -> str:
        base = self.admin_url.rsplit("/", 1)[0]
        return f"{base}/{name}"

    def new(self) -> str:
        if not _reachable(self.admin_url):
            skip_or_fail("PostgreSQL is not reachable")
        if not self._ready:
            self._execute(
                f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
                f'CREATE DATABASE "{self.template}"',
            )
            migrate(self.url_for(self.template))
            self._ready = True
        name = f"lykta_t_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.url_for(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class RedisServer:
    """A redis-server of this test's own, so restarting it disturbs no other test."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        args = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        for _ in range(100):
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
