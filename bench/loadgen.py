"""The load generator: its own process, one asyncio loop, plain `websockets` clients and `json`.

    python -m bench.loadgen --target lykta --nodes http://127.0.0.1:8101 --counselors 20 --plan '[…]'
    python -m bench.loadgen --target relay --relay ws://127.0.0.1:8765 --plan '[…]'

The plan is a JSON list of phases run in order on one pool of chats (it grows as phases need more):
`{"kind": "throughput", "chats", "warmup", "duration"}`, `{"kind": "latency", "chats", "interval", "warmup",
"duration"}`, `{"kind": "storm", "chats", "spread", "interval", "before", "after"}`, `{"kind": "grow", "chats"}`,
`{"kind": "idle", "count", "warm", "compression"}` (relay: idle sockets) and `{"kind": "open", "warm", "compression"}`
(Lykta: idle visitor sockets, on a restarted node, for the conversations of --resume).
Results: one JSON object on stdout.
Like the page, every socket sends a `ping` frame every 20 s. It runs on uvloop (as the nodes and the relay do): it
shares the machine's cores with what it measures, and every CPU cycle it saves is one the servers can have.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import uvloop

from bench import scenarios
from bench.clients import REVIVALS, Node, Socket, Tracker, Visitor
from bench.pools import LyktaPool, Pool, RelayPool
from bench.stats import rss_kib

log = logging.getLogger("bench.loadgen")
PING_EVERY_S = 20.0


async def keepalive(pool: Pool) -> None:
    """A `ping` frame on every socket every 20 s, spread over the interval (as the pages do)."""
    step = 0.5
    slices = int(PING_EVERY_S / step)
    tick = 0
    while True:
        await asyncio.sleep(step)
        sockets: list[Socket] = pool.sockets()
        for sock in sockets[tick % slices :: slices]:
            sock.ping()
        tick += 1


async def run_lykta(args: argparse.Namespace, plan: list[dict[str, Any]], watch: dict[str, int]) -> dict[str, Any]:
    nodes = [Node(url) for url in args.nodes.split(",")]
    tracker = Tracker()
    usernames = [f"{args.username_prefix}{i}" for i in range(args.counselors)]
    resume = _load(Path(args.resume)) if args.resume else None
    pool = LyktaPool(nodes, usernames, args.password, tracker, resume=resume)
    if any(p["kind"] != "open" for p in plan):
        t0 = time.monotonic()
        await pool.start()
        log.info("%d counselors signed in (%.1f s)", len(pool.counselors), time.monotonic() - t0)
    ctx = scenarios.Context(pool, tracker, watch)
    try:
        results = await run_plan(ctx, plan, args)
    finally:
        if args.state and pool.lykta_chats:  # the conversations, for a later run on the same database
            _save(Path(args.state), pool.state())
        await pool.aclose()
    return {"phases": results}


async def run_plan(
    ctx: scenarios.Context, plan: list[dict[str, Any]], args: argparse.Namespace
) -> list[dict[str, Any]]:
    """The phases in order, every socket kept alive meanwhile."""
    pinger = asyncio.create_task(keepalive(ctx.pool))
    results: list[dict[str, Any]] = []
    try:
        for phase in plan:
            results.append(await run_phase(ctx, phase, args))
    finally:
        pinger.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pinger
    return results


async def run_phase(ctx: scenarios.Context, phase: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    kind = phase["kind"]
    options = {k: v for k, v in phase.items() if k not in ("kind", "name")}
    log.info("phase %s %s", kind, options)
    t0 = time.monotonic()
    revived = REVIVALS.copy()
    if kind == "throughput":
        result = await scenarios.throughput(ctx, **options)
    elif kind == "latency":
        result = await scenarios.latency(ctx, **options)
    elif kind == "storm":
        result = await scenarios.storm(ctx, **options)
    elif kind == "grow":
        await ctx.pool.ensure(options["chats"])
        result = {"chats": len(ctx.pool.chats)}
    elif kind == "open":
        result = await open_idle(ctx, args, **options)
    elif kind == "idle":
        url = args.relay
        sockets = scenarios.relay_idle_sockets(url, options["count"] + options["warm"], ctx.tracker)
        result = await scenarios.idle_memory(sockets, ctx.watch["relay"], options["warm"], options.get("compression"))
    else:
        raise ValueError(f"unknown phase {kind}")
    result = {"kind": kind, "name": phase.get("name", kind), "phase_s": round(time.monotonic() - t0, 1), **result}
    result["sockets_ended_by_server"] = dict(REVIVALS - revived)  # and came back, by close code
    if isinstance(ctx.pool, LyktaPool) and ctx.pool.failures:
        result["setup_failures"] = len(ctx.pool.failures)
        result["setup_failure_sample"] = ctx.pool.failures[:3]
    result["loadgen_rss_kib"] = rss_kib(os.getpid())
    log.info("result %s", json.dumps(result))
    return result


async def open_idle(
    ctx: scenarios.Context, args: argparse.Namespace, warm: int, compression: str | None = None
) -> dict[str, Any]:
    """Idle visitor sockets (hello, then nothing) on a freshly started server: its RSS before and after."""
    pool = ctx.pool
    assert isinstance(pool, LyktaPool)
    visitors = []
    for i, entry in enumerate(pool.resume):
        visitor = Visitor(i, pool.nodes[0], entry["conversation"], entry["token"], ctx.tracker)
        visitor.held.resume_at(entry["seq"])  # resume where it was: hello replays nothing
        visitors.append(visitor)
    pid = ctx.watch["node0"]
    return await scenarios.idle_memory(visitors, pid, warm, "deflate" if compression == "deflate" else None)


def _save(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data))


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


async def run_relay(args: argparse.Namespace, plan: list[dict[str, Any]], watch: dict[str, int]) -> dict[str, Any]:
    tracker = Tracker()
    pool = RelayPool(args.relay, tracker)
    ctx = scenarios.Context(pool, tracker, watch)
    try:
        results = await run_plan(ctx, plan, args)
    finally:
        await pool.aclose()
    return {"phases": results}


def main() -> None:
    parser = argparse.ArgumentParser(description="Lykta benchmark load generator")
    parser.add_argument("--target", choices=["lykta", "relay"], required=True)
    parser.add_argument("--nodes", default="", help="comma-separated http://host:port of the Lykta nodes")
    parser.add_argument("--relay", default="", help="ws://host:port of the relay")
    parser.add_argument("--counselors", type=int, default=1)
    parser.add_argument("--username-prefix", default="bench-c")
    parser.add_argument("--password", default="")
    parser.add_argument("--plan", required=True, help="JSON list of phases")
    parser.add_argument("--watch", default="", help="name=pid,… processes whose CPU share is reported")
    parser.add_argument("--state", default="", help="write the conversations here at the end (for a later run)")
    parser.add_argument("--resume", default="", help="continue the conversations a previous run wrote (--state)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s loadgen: %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    plan = json.loads(args.plan)
    watch = {k: int(v) for k, v in (item.split("=") for item in args.watch.split(",") if item)}
    runner = run_lykta if args.target == "lykta" else run_relay
    results = uvloop.run(runner(args, plan, watch))
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
