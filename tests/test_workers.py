"""`lykta serve --workers N`: several processes share one port and serve one chat between them (Redis broker);
with the in-memory broker, which reaches only its own process, more than one worker is refused."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import pytest

from tests.cluster import SERVE
from tests.conftest import MakeCluster
from tests.helpers import Clients

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("cluster")]
CHATS = 12


def test_more_than_one_worker_with_the_in_memory_broker_is_refused(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LYKTA_")}
    env |= {
        "LYKTA_ENV": "test",
        "LYKTA_SECRET_KEY": "x" * 40,
        "LYKTA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/w.db",
    }
    done = subprocess.run([*SERVE, "--workers", "2"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--workers 2 needs a broker" in done.stderr and "LYKTA_BROKER_URL" in done.stderr
    bad = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--workers", "0"], env=env, capture_output=True)
    assert bad.returncode == 2


async def test_two_workers_serve_one_chat_across_their_processes(make_cluster: MakeCluster) -> None:
    cluster = await make_cluster(0)
    node = cluster.new_node(0)
    node.argv = ["--workers", "2"]
    cluster.nodes.append(node)
    await asyncio.to_thread(lambda: node.start().wait_ready())
    clients = Clients(node)
    try:
        staff = [await clients.staff() for _ in range(CHATS // 3)]  # three chats each (their capacity)
        visitors = [await clients.visitor() for _ in range(CHATS)]
        consoles = [await s.socket() for s in staff]
        chats = [await v.socket() for v in visitors]
        for i, visitor in enumerate(visitors):
            assert (await staff[i // 3].claim(visitor.conversation_id)).status_code == 200
        for i, (visitor, chat) in enumerate(zip(visitors, chats, strict=True)):
            console, cid = consoles[i // 3], visitor.conversation_id
            await chat.send({"type": "send", "client_id": f"v{i}", "body": f"from visitor {i}"})
            await console.send({"type": "send", "conversation_id": cid, "client_id": f"c{i}", "body": f"to {i}"})
        for i, (visitor, chat) in enumerate(zip(visitors, chats, strict=True)):
            got = await chat.expect("message", timeout=10, client_id=f"c{i}")
            assert got["body"] == f"to {i}"
            seen = await consoles[i // 3].expect("message", timeout=10, client_id=f"v{i}")
            assert (seen["body"], seen["conversation_id"]) == (f"from visitor {i}", visitor.conversation_id)
        # the sockets were spread over both processes (the log names the process of each opened socket)
        pids = set(re.findall(r"\[(\d+)\] uvicorn\.error: connection open", node.log()))
        assert len(pids) == 2, node.log()[-2000:]
    finally:
        await clients.aclose()
        node.terminate()
