"""The ceiling: a bare `websockets` relay. Client A's frame is forwarded to client B, nothing else.

Protocol: the first frame is `{"type": "hello", "pair": "…", "side": "a"|"b"}`, answered with `{"type": "state"}`
once registered; every later frame goes unchanged to the other side of the pair (dropped while it is not there).
No parsing, no storage, no acknowledgement. Same socket settings as Lykta's server: no compression, 16 KiB frames,
a protocol ping every 20 s. It runs on uvloop, the event loop Lykta's nodes run on (`app/server.py`), so that the
ratio of a node to the relay is measured against the real ceiling of a Python websockets server, not against the
slower default asyncio loop.

Run: `python -m bench.relay --port 8765` (prints `ready` on stdout once listening).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal

import uvloop
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

STATE = json.dumps({"type": "state"})
OTHER = {"a": "b", "b": "a"}


class Relay:
    def __init__(self) -> None:
        self.peers: dict[tuple[str, str], ServerConnection] = {}

    async def handle(self, ws: ServerConnection) -> None:
        try:
            hello = json.loads(await ws.recv())
            pair, side = str(hello["pair"]), str(hello["side"])
            if side not in OTHER:
                raise ValueError(side)
        except (ValueError, KeyError, TypeError, ConnectionClosed):
            await ws.close(1008)
            return
        key, other = (pair, side), (pair, OTHER[side])
        self.peers[key] = ws
        try:
            await ws.send(STATE)
            async for frame in ws:
                peer = self.peers.get(other)
                if peer is not None:
                    with contextlib.suppress(ConnectionClosed):
                        await peer.send(frame)
        except ConnectionClosed:
            pass
        finally:
            if self.peers.get(key) is ws:
                del self.peers[key]


async def main(host: str, port: int, deflate: bool) -> None:
    relay = Relay()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    async with serve(
        relay.handle,
        host,
        port,
        compression="deflate" if deflate else None,
        max_size=16 * 1024,
        ping_interval=20,
        ping_timeout=20,
        backlog=4096,
    ):
        print("ready", flush=True)
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="bare websockets relay (the benchmark's ceiling)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deflate", action="store_true", help="negotiate permessage-deflate")
    args = parser.parse_args()
    uvloop.run(main(args.host, args.port, args.deflate))
