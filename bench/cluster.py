"""Lykta nodes and the relay as real subprocesses; the benchmark database (SQLite file or `lykta_bench` on
PostgreSQL, recreated each run) and its counselors; cleanup of everything started."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.backends import forget_redis_prefix
from tests.live import free_port

log = logging.getLogger("bench")
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "lykta_bench"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "bench-password-0123456789"


@dataclass
class Backend:
    """Where a cluster keeps its data: one SQLite file, or PostgreSQL with Redis between the nodes."""

    name: str  # "sqlite" or "postgres"
    workdir: Path
    prefix: str = field(default_factory=lambda: f"bench-{uuid.uuid4().hex[:8]}")
    app_from: Path | None = None  # run the nodes from another copy of the code (its app/ and alembic/)

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.workdir / 'bench.db'}" if self.name == "sqlite" else PG_URL

    @property
    def broker_url(self) -> str:
        return "memory://" if self.name == "sqlite" else REDIS_URL

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LYKTA_")}
        env.update(
            LYKTA_ENV="development",
            LYKTA_DATABASE_URL=self.database_url,
            LYKTA_BROKER_URL=self.broker_url,
            LYKTA_BROKER_PREFIX=self.prefix,
            LYKTA_CONVERSATIONS_PER_HOUR="0",
            LYKTA_MESSAGES_PER_SECOND="0",
            LYKTA_LOGIN_ATTEMPTS_PER_MINUTE="0",
            LYKTA_FOLLOW_UP_ATTEMPTS_PER_HOUR="0",
            LYKTA_WS_PER_SOURCE="0",  # every benchmark socket comes from 127.0.0.1: no cap on sockets per source
            LYKTA_RETENTION_HOURS="72",
        )
        if self.app_from is not None:
            env["PYTHONPATH"] = str(self.app_from)
        return env

    def recreate(self) -> None:
        """A fresh, migrated database."""
        if self.name == "sqlite":
            self.remove_sqlite_files()
        else:
            asyncio.run(
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)", f"CREATE DATABASE {PG_BENCH_DB}")
            )
        subprocess.run([str(BIN / "lykta"), "migrate"], env=self.env(), check=True, capture_output=True, cwd=REPO)

    def seed(
        self, counselors: int, capacity: int, prefix: str = "bench-c", settings: dict[str, object] | None = None
    ) -> None:
        asyncio.run(_seed(self.database_url, counselors, capacity, prefix, settings or {}))

    def set_settings(self, settings: dict[str, object]) -> None:
        """Service settings (as an admin sets them in the console) while the nodes run."""
        asyncio.run(_set_settings(self.database_url, settings))

    def drop(self) -> None:
        if self.name == "postgres":
            with contextlib.suppress(Exception):
                asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)"))
            forget_redis_prefix(REDIS_URL, self.prefix)
        else:
            self.remove_sqlite_files()

    def remove_sqlite_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.workdir / 'bench.db'}{suffix}").unlink(missing_ok=True)


async def _pg_admin(*statements: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _set_settings(url: str, settings: dict[str, object]) -> None:
    from app.core.db import make_engine, make_sessionmaker
    from app.models.duty import ServiceSetting

    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            for key, value in settings.items():
                row = await session.get(ServiceSetting, key)
                if row is None:
                    session.add(ServiceSetting(key=key, value=value))
                else:
                    row.value = value
                    session.add(row)
            await session.commit()
    finally:
        await engine.dispose()


async def _seed(url: str, counselors: int, capacity: int, prefix: str, settings: dict[str, object]) -> None:
    """Counselor accounts with the given capacity (above the admin API's 20: the benchmark's counselors hold many
    conversations each). Their password hash uses cheap argon2 parameters so that signing in costs the server
    little; verification reads the parameters from the hash."""
    from argon2 import PasswordHasher

    from app.core.db import make_engine, make_sessionmaker
    from app.models import Counselor, Role
    from app.models.duty import ServiceSetting

    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            for i in range(counselors):
                name = f"{prefix}{i}"
                session.add(
                    Counselor(
                        username=name,
                        display_name=name,
                        alias=f"Bench {i}",
                        password_hash=password_hash,
                        role=Role.counselor,
                        capacity=capacity,
                    )
                )
            for key, value in settings.items():
                session.add(ServiceSetting(key=key, value=value))
            await session.commit()
    finally:
        await engine.dispose()


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    log_from: int = 0  # where this process's lines begin in its log (a restarted node appends to the same file)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (a supervisor ends its workers), then SIGKILL to the process's own group: it was started in a
        session of its own, so that reaches its workers too and nothing else."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # workers left behind by a supervisor that was killed


def spawn(name: str, argv: list[str], env: dict[str, str], workdir: Path) -> Process:
    log_path = workdir / f"{name}.log"
    with log_path.open("ab") as out:
        log_from = out.tell()
        popen = subprocess.Popen(argv, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return Process(name, popen, log_path, log_from)


def wait_http(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited; see {process.log_path}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not start within {timeout} s; see {process.log_path}")


STARTED = b"Application startup complete"  # uvicorn's log line, once per worker


def wait_workers(process: Process, workers: int, timeout: float = 60) -> None:
    """Until every worker has started (else the first sockets would all land on the first one up)."""
    deadline = time.monotonic() + timeout
    while process.log_path.read_bytes()[process.log_from :].count(STARTED) < workers:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited; see {process.log_path}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{process.name}: not all {workers} workers started within {timeout} s")
        time.sleep(0.2)


@dataclass
class Cluster:
    """`lykta serve` processes sharing one backend (deflate: the same app through uvicorn's CLI with
    --ws-per-message-deflate, since `lykta serve` always turns it off). With workers > 1 each node is
    `lykta serve --workers N`: a supervisor and N worker processes on one port, the kernel spreading connections
    over the workers, the broker (Redis) between them."""

    backend: Backend
    size: int
    workers: int = 1
    deflate: bool = False
    nodes: list[Process] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    def start(self) -> None:
        if not self.ports:
            self.ports = [free_port() for _ in range(self.size)]
        env = self.backend.env()
        for i, port in enumerate(self.ports):
            if self.deflate:
                argv = [str(BIN / "uvicorn"), "app.main:create_app", "--factory", "--host", "127.0.0.1"]
                argv += ["--port", str(port), "--ws", "websockets-sansio", "--ws-per-message-deflate", "true"]
                argv += ["--ws-max-size", "16384", "--no-access-log", "--backlog", "4096"]
            else:
                argv = [str(BIN / "lykta"), "serve", "--port", str(port)]
                if self.workers > 1:
                    argv += ["--workers", str(self.workers)]
            self.nodes.append(spawn(f"{self.backend.name}-node{i}-{port}", argv, env, self.backend.workdir))
        for url, process in zip(self.urls, self.nodes, strict=True):
            wait_http(url, process)
            if self.workers > 1:
                wait_workers(process, self.workers)
        log.info(
            "%d node(s) of %d worker(s) up on %s (%s)", self.size, self.workers, ",".join(self.urls), self.backend.name
        )

    def stop(self) -> None:
        for process in self.nodes:
            process.stop()
        self.nodes = []

    def restart(self, deflate: bool = False) -> None:
        self.stop()
        self.deflate = deflate
        self.start()

    def watch(self) -> dict[str, int]:
        """The nodes' processes by name; the load generator counts each with every process below it."""
        return {f"node{i}": p.pid for i, p in enumerate(self.nodes)}


def start_relay(workdir: Path) -> tuple[Process, str]:
    port = free_port()
    process = spawn(
        f"relay-{port}", [sys.executable, "-m", "bench.relay", "--port", str(port)], {**os.environ}, workdir
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return process, f"ws://127.0.0.1:{port}"
        time.sleep(0.1)
    process.stop()
    raise RuntimeError("the relay did not start")
