"""What an idle visitor socket holds on the server, by allocation site (tracemalloc).

    python -m bench.socket_memory [--sockets 500]

A Lykta server runs in this process (SQLite, in-memory broker) with tracemalloc on; a child process opens the
sockets, says hello on each and keeps them idle, so that the snapshot difference holds only the server's side. Prints
the allocation sites that grew, per socket, largest first.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from tests.conftest import make_settings
from tests.helpers import Clients
from tests.live import LiveServer

CHILD = """
import asyncio, json, sys
from websockets.asyncio.client import connect
async def main():
    url, origin, tokens = sys.argv[1], sys.argv[2], json.loads(sys.stdin.read())
    sockets = []
    for token in tokens:
        ws = await connect(url, origin=origin, compression=None, ping_interval=None)
        await ws.send(json.dumps({"type": "hello", "token": token, "last_seq": 0}))
        await ws.recv()
        sockets.append(ws)
    print("open", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
"""


async def visitors(server: LiveServer, count: int) -> list[str]:
    clients = Clients(server)
    await clients.staff()
    tokens = [(await clients.visitor()).token for _ in range(count)]
    await clients.aclose()
    return tokens


def hold(server: LiveServer, tokens: list[str]) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, f"{server.ws_url}/ws/visitor", server.base_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(json.dumps(tokens))
    child.stdin.close()
    assert child.stdout.readline().strip() == "open"
    return child


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lykta-memory-"))
    url = f"sqlite+aiosqlite:///{workdir}/memory.db"
    subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env={"LYKTA_DATABASE_URL": url}, check=True)
    tracemalloc.start(6)
    server = LiveServer(make_settings(url, ws_per_source=0)).start()
    try:
        tokens = asyncio.run(visitors(server, args.sockets + 20))
        warm = hold(server, tokens[:20])  # the first sockets pay for imports and caches
        tokens = tokens[20:]
        time.sleep(1)
        gc.collect()
        before = tracemalloc.take_snapshot()
        child = hold(server, tokens)
        time.sleep(2)
        gc.collect()
        after = tracemalloc.take_snapshot()
        child.kill()
        warm.kill()
    finally:
        server.stop()
    filters = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(filters).compare_to(before.filter_traces(filters), "traceback")
    grown = [s for s in stats if s.size_diff > 0]
    total = sum(s.size_diff for s in grown)
    print(f"{args.sockets} idle visitor sockets: {total / args.sockets / 1024:.1f} KiB each (Python heap, tracemalloc)")
    for stat in sorted(grown, key=lambda s: s.size_diff, reverse=True)[: args.top]:
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(list(stat.traceback)[-4:]))
        print(f"{stat.size_diff / args.sockets:8.0f} B/socket  {where}")


if __name__ == "__main__":
    main()
