"""The `lykta` command as an operator runs it: migrate, create-user, demo, serve."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import free_port

LYKTA = [sys.executable, "-m", "app.cli"]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    port = free_port()
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("LYKTA_")},
        "LYKTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'lykta.db'}",
        "LYKTA_PORT": str(port),
    }


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LYKTA, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60)


@pytest.fixture
def served(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    assert run(env, "migrate").returncode == 0
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([*LYKTA, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{env['LYKTA_PORT']}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
        time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=15)
    log.close()


def test_migrate_create_user_and_refuse_duplicates(env: dict[str, str]) -> None:
    migrated = run(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert run(env, "migrate").returncode == 0  # twice is fine
    created = run(
        env,
        "create-user",
        "anna",
        "--role",
        "supervisor",
        "--alias",
        "Sara",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "supervisor 'anna'" in created.stdout and "'Sara'" in created.stdout
    again = run(env, "create-user", "anna", "--password-stdin", stdin="a long enough password\n")
    assert again.returncode != 0 and "exists already" in again.stderr


def test_demo_gives_a_counselor_and_a_link_that_work(served: str, env: dict[str, str]) -> None:
    demo = run(env, "demo")
    assert demo.returncode == 0, demo.stderr
    password = re.search(r"password: (\S+)", demo.stdout)
    link = re.search(r"(/c/[A-Za-z0-9_-]{8,})", demo.stdout)
    assert password and link, demo.stdout
    with httpx.Client(base_url=served, headers={"Origin": served}) as http:
        login = http.post("/api/console/login", json={"username": "demo", "password": password.group(1)})
        assert login.status_code == 200, login.text
        csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
        assert http.put("/api/console/presence", json={"status": "available"}, headers=csrf).status_code == 200
        assert http.get(link.group(1)).status_code in (200, 503)  # 503 only while the pages are unbuilt
        code = link.group(1).rsplit("/", 1)[1]
        started = http.post("/api/visitor/conversations", json={"link_code": code})
        assert started.status_code == 201
        queue = http.get("/api/console/queue").json()["items"]
        assert queue[0]["link_label"] == "Demo link"


def test_default_secret_is_refused_outside_development(env: dict[str, str]) -> None:
    refused = run({**env, "LYKTA_ENV": "production"}, "migrate")
    assert refused.returncode != 0
    assert "LYKTA_SECRET_KEY" in refused.stderr
    allowed = run({**env, "LYKTA_ENV": "production", "LYKTA_SECRET_KEY": "s" * 40}, "migrate")
    assert allowed.returncode == 0, allowed.stderr


def dockerfile_command(instruction: str) -> list[str]:
    """The JSON-array command of the Dockerfile's CMD or HEALTHCHECK line."""
    import json

    text = (Path(__file__).resolve().parent.parent / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith(instruction))
    return list(json.loads(line[line.index("[") :]))


def test_the_container_commands_migrate_serve_and_pass_the_health_check(env: dict[str, str], tmp_path: Path) -> None:
    """Docker has no engine here: run the image's exact CMD and HEALTHCHECK on this machine instead."""
    port = env["LYKTA_PORT"]
    container_env = {
        **env,
        "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '')}",
        "LYKTA_ENV": "production",
        "LYKTA_SECRET_KEY": "c" * 48,
        "LYKTA_HOST": "127.0.0.1",
    }
    log = (tmp_path / "container.log").open("w")
    process = subprocess.Popen(dockerfile_command("CMD"), env=container_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = [part.replace(":8000/", f":{port}/") for part in dockerfile_command("HEALTHCHECK")]
        health[0] = sys.executable  # "python" inside the image
        deadline = time.monotonic() + 30
        while subprocess.run(health, capture_output=True, timeout=10).returncode != 0:
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "container.log").read_text()
            time.sleep(0.2)
        headers = httpx.get(f"http://127.0.0.1:{port}/healthz").headers
        assert "strict-transport-security" not in headers  # plain HTTP here; TLS ends at the proxy
    finally:
        process.terminate()
        assert process.wait(timeout=15) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once drained
        log.close()
