"""Several `lykta serve` processes on their own ports sharing one PostgreSQL database and one Redis,
as operators run them: started, killed (SIGKILL) and stopped (SIGTERM) like real nodes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.core.config import Settings
from tests.live import free_port

FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
SERVE = [sys.executable, "-m", "app.cli", "serve"]
FAST_CLUSTER = {  # timings shortened so tests see leases, heartbeats and sweeps within seconds
    "LYKTA_SWEEP_INTERVAL_S": "0.5",
    "LYKTA_LEASE_TTL_S": "3",
    "LYKTA_HEARTBEAT_S": "0.5",
}


@dataclass
class Node:
    """One `lykta serve` process; `settings` are the ones it reads from its environment."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    argv: list[str] = field(default_factory=list)  # more `lykta serve` arguments (e.g. --workers 2)

    @property
    def settings(self) -> Settings:
        values: dict[str, Any] = {
            k.removeprefix("LYKTA_").lower(): v for k, v in self.env.items() if k.startswith("LYKTA_")
        }
        return Settings(_env_file=None, **values)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> Node:
        env = {**self.env, "LYKTA_PORT": str(self.port), "LYKTA_HOST": "127.0.0.1"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*SERVE, *self.argv], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_ready(self, timeout: float = 30) -> Node:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if not self.alive or time.monotonic() > deadline:
                raise RuntimeError(f"node on {self.port} did not become ready:\n{self.log()}")
            time.sleep(0.1)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: the node dies mid-flight, as on a power cut; nothing of it runs afterwards."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as an orchestrator stops a node; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def metrics(self) -> dict[str, float]:
        """This node's /metrics as {'name{labels}': value}."""
        text = httpx.get(f"{self.base_url}/metrics", timeout=5).text
        samples: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                samples[name] = float(value)
        return samples

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):  # the node and any worker processes it started
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


class Cluster:
    """`size` nodes on one database and one broker (unique channel prefix per cluster)."""

    def __init__(self, database_url: str, broker_url: str, workdir: Path, size: int, **env: Any) -> None:
        base = {k: v for k, v in os.environ.items() if not k.startswith("LYKTA_")}
        self.env = {
            **base,
            "LYKTA_ENV": "test",
            "LYKTA_DATABASE_URL": database_url,
            "LYKTA_BROKER_URL": broker_url,
            "LYKTA_BROKER_PREFIX": f"lykta-cluster-{uuid.uuid4().hex[:10]}",
            "LYKTA_SECRET_KEY": "cluster-test-secret-" + "x" * 40,
            "LYKTA_FRONTEND_DIST": str(FRONTEND_DIST),
            **FAST_CLUSTER,
            **{f"LYKTA_{k.upper()}": str(v) for k, v in env.items()},
        }
        self.workdir = workdir / f"cluster-{uuid.uuid4().hex[:6]}"
        self.workdir.mkdir(parents=True)
        self.database_url = database_url  # the direct address (nodes may reach it through a relay)
        self.nodes = [self.new_node(i) for i in range(size)]

    def new_node(self, index: int) -> Node:
        return Node(dict(self.env), self.workdir / f"node-{index}.log")

    def start(self) -> Cluster:
        for node in self.nodes:
            node.start()
        for node in self.nodes:
            node.wait_ready()
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def logs(self) -> str:
        return "\n".join(f"--- node {i}\n{node.log()}" for i, node in enumerate(self.nodes))

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)
