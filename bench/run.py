"""Run the capacity benchmark and write its results (results.json, results.md, chart.png).

    python -m bench.run            # the full run, the measure of record: bench/results/
    python -m bench.run --quick    # a small smoke run (a few minutes): bench/results/quick/
    python -m bench.run --only relay,sqlite-1        # bench/results/full-only-relay+sqlite-1/

Only the full run of every target writes bench/results/ itself; a quick or partial run writes its own folder
beside it (ignored by git), so a smoke run never replaces the committed figures.

Targets in one run, each driven by the load generator in its own process (bench/loadgen.py):
the bare websockets relay (bench/relay.py), one Lykta node on SQLite, one node on PostgreSQL + Redis, one host with
two worker processes on PostgreSQL + Redis (`lykta serve --workers 2`), two nodes on PostgreSQL + Redis; after the
SQLite run, idle memory per visitor socket on its restarted node, with and without permessage-deflate.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.cluster import PASSWORD, REPO, Backend, Cluster, start_relay
from bench.stats import machine_cpu_seconds

log = logging.getLogger("bench")
RESULTS = REPO / "bench" / "results"
# name: (backend, nodes, worker processes per node)
CONFIGS = {
    "sqlite-1": ("sqlite", 1, 1),
    "pg-1": ("postgres", 1, 1),
    "pg-1x2": ("postgres", 1, 2),
    "pg-2": ("postgres", 2, 1),
}
MEMORY_CONFIG = "sqlite-1"  # idle memory is measured on this configuration's node after its run
PER_COUNSELOR = 20  # conversations each benchmark counselor holds at most (the admin API allows up to 20)


SCALES: dict[str, dict[str, Any]] = {
    "full": {
        "throughput": {"chats": 100, "warmup": 4, "duration": 15},
        "levels": [(100, 5, 40), (1000, 5, 25), (5000, 8, 20)],  # chats, warm-up, measured seconds
        "interval": 5.0,
        "drain": 60,
        # counselors write every 10 s during the storm (200 messages/s): the reconnects are measured, not overload
        "storm": {"chats": 2000, "spread": 5.0, "interval": 10.0, "before": 6, "after": 6},
        "idle": {"count": 5000, "warm": 100},
    },
    "ab": {  # before/after comparisons (with --app-from): the full run's phases, smaller (about 4 minutes a target)
        "throughput": {"chats": 100, "warmup": 4, "duration": 15},
        "levels": [(100, 5, 20), (500, 5, 20)],
        "interval": 5.0,
        "drain": 60,
        "storm": {"chats": 500, "spread": 5.0, "interval": 10.0, "before": 6, "after": 6},
        "idle": {"count": 1000, "warm": 50},
        "counselors": 100,  # one per conversation in the throughput phase, as in the full run
    },
    "quick": {
        "throughput": {"chats": 40, "warmup": 2, "duration": 6},
        "levels": [(20, 2, 6), (100, 2, 6), (200, 2, 6)],
        "interval": 5.0,
        "drain": 30,
        "storm": {"chats": 100, "spread": 2.0, "interval": 4.0, "before": 3, "after": 3},
        "idle": {"count": 300, "warm": 20},
    },
}


def output_dir(scale_name: str, wanted: list[str]) -> Path:
    """Where a run's results go: bench/results/ for the full run of every target (the measure of record), a folder
    of its own beside it for any other run."""
    every = ["relay", *CONFIGS]
    if scale_name == "full" and sorted(wanted) == sorted(every):
        return RESULTS
    name = scale_name if sorted(wanted) == sorted(every) else f"{scale_name}-only-{'+'.join(wanted)}"
    return RESULTS / name


def lykta_plan(scale: dict[str, Any], storm: bool = True) -> list[dict[str, Any]]:
    """Throughput, then latency level by level; the storm comes before the first level that is larger than it,
    so that it does not start in the aftermath of an overloaded level."""
    plan: list[dict[str, Any]] = [{"kind": "throughput", "name": "throughput", **scale["throughput"]}]
    storm_phase = {"kind": "storm", "name": "storm", **scale["storm"]} if storm else None
    for chats, warmup, duration in scale["levels"]:
        if storm_phase is not None and chats > storm_phase["chats"]:
            plan.append(storm_phase)
            storm_phase = None
        plan.append(
            {
                "kind": "latency",
                "name": f"latency-{chats}",
                "chats": chats,
                "interval": scale["interval"],
                "warmup": warmup,
                "duration": duration,
                "drain": scale["drain"],
            }
        )
    if storm_phase is not None:
        plan.append(storm_phase)
    return plan


def relay_plan(scale: dict[str, Any]) -> list[dict[str, Any]]:
    plan: list[dict[str, Any]] = [{"kind": "idle", "name": "idle", **scale["idle"]}]
    plan += lykta_plan(scale, storm=False)  # no storm: the relay keeps no history to resume from
    return plan


def loadgen(args: list[str], plan: list[dict[str, Any]], watch: dict[str, int], timeout: float) -> dict[str, Any]:
    """Run the load generator as its own process; its log goes to our stderr, its result is its stdout."""
    argv = [sys.executable, "-m", "bench.loadgen", *args, "--plan", json.dumps(plan)]
    argv += ["--watch", ",".join(f"{k}={v}" for k, v in watch.items())]
    done = subprocess.run(argv, cwd=REPO, stdout=subprocess.PIPE, timeout=timeout, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def phase_timeout(plan: list[dict[str, Any]]) -> float:
    return 600.0 + sum(float(p.get("warmup", 0) + p.get("duration", 0) + p.get("chats", 0) * 0.1) for p in plan)


def run_relay(scale: dict[str, Any], workdir: Path) -> dict[str, Any]:
    relay, url = start_relay(workdir)
    try:
        plan = relay_plan(scale)
        return loadgen(["--target", "relay", "--relay", url], plan, {"relay": relay.pid}, phase_timeout(plan))
    finally:
        relay.stop()


def counselors_for(scale: dict[str, Any], memory: bool) -> int:
    """Enough counselors (of 20 conversations each) for the largest phase, an even number (the same number on
    each of two nodes, and the same for a run that continues another's conversations)."""
    sizes = [chats for chats, _w, _d in scale["levels"]] + [scale["throughput"]["chats"], scale["storm"]["chats"]]
    if memory:
        sizes.append(scale["idle"]["count"] + scale["idle"]["warm"])
    count = max(2, math.ceil(int(max(sizes)) / PER_COUNSELOR), int(scale.get("counselors", 0)))
    return count + count % 2


@dataclass
class Kept:
    """A database a later configuration continues (pg-1x2 and pg-2 after pg-1): its conversations are reused, not
    restarted, which saves setting up thousands of them again."""

    backend: Backend
    state: Path
    counselors: int


def run_lykta(
    name: str, scale: dict[str, Any], workdir: Path, kept: Kept | None, keep: bool, app_from: Path | None = None
) -> tuple[dict[str, Any], Kept | None]:
    kind, size, workers = CONFIGS[name]
    idle = scale["idle"] if name == MEMORY_CONFIG else None
    state = workdir / f"conversations-{name}.json"
    args = ["--target", "lykta", "--password", PASSWORD, "--state", str(state)]
    if kept is not None and kept.backend.name == kind and kept.state.exists():
        backend, counselors = kept.backend, kept.counselors
        args += ["--resume", str(kept.state)]
    else:
        backend = Backend(kind, workdir, app_from=app_from)
        counselors = counselors_for(scale, memory=idle is not None)
        backend.recreate()
        backend.seed(counselors, PER_COUNSELOR)
    cluster = Cluster(backend, size, workers)
    handed_on: Kept | None = None
    try:
        cluster.start()
        plan = lykta_plan(scale)
        args += ["--nodes", ",".join(cluster.urls), "--counselors", str(counselors)]
        if idle is not None:
            plan.append({"kind": "grow", "name": "grow", "chats": idle["count"] + idle["warm"]})
        result = loadgen(args, plan, cluster.watch(), phase_timeout(plan))
        if idle is not None:
            result["phases"] += idle_memory(backend, cluster, idle["warm"], state)
        if keep:  # the consoles are gone until the next run connects them: keep their conversations with them
            backend.set_settings({"presence_grace_s": 3600})
            handed_on = Kept(backend, state, counselors)
        result.update(counselors=counselors, nodes=size, workers=workers, continued="--resume" in args)
        return result, handed_on
    finally:
        cluster.stop()
        if handed_on is None:
            backend.drop()


def idle_memory(backend: Backend, cluster: Cluster, warm: int, state: Path) -> list[dict[str, Any]]:
    """Idle visitor sockets for the run's conversations on a freshly started node (no heap left over from the
    load), once without and once with permessage-deflate. The counselors' consoles are gone meanwhile: a long
    presence grace keeps their conversations with them."""
    backend.set_settings({"presence_grace_s": 3600})
    phases: list[dict[str, Any]] = []
    args = ["--target", "lykta", "--resume", str(state)]
    for deflate in (False, True):
        cluster.restart(deflate=deflate)
        plan = [
            {
                "kind": "open",
                "name": "idle-deflate" if deflate else "idle",
                "warm": warm,
                "compression": "deflate" if deflate else None,
            }
        ]
        phases += loadgen([*args, "--nodes", cluster.urls[0]], plan, cluster.watch(), 900)["phases"]
    return phases


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
    }


def wait_for_quiet(limit_s: float = 240, busy_below: float = 30) -> float:
    """Other work shares this machine: wait (a bounded time) until both cores are mostly idle before a run.
    Returns how busy the machine was at the last look, in percent."""
    deadline = time.monotonic() + limit_s
    while True:
        busy0, total0 = machine_cpu_seconds()
        time.sleep(3)
        busy1, total1 = machine_cpu_seconds()
        busy = 100 * (busy1 - busy0) / max(total1 - total0, 1e-9)
        if busy < busy_below or time.monotonic() > deadline:
            return round(busy, 1)
        log.info("the machine is %.0f%% busy with other work; waiting", busy)
        time.sleep(10)


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through every `finally`: nodes, relay and databases are cleaned up


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    parser = argparse.ArgumentParser(description="Lykta capacity benchmark")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (--scale quick)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(['relay', *CONFIGS])}")
    parser.add_argument(
        "--out",
        default="",
        help="where results.json, results.md and chart.png go (default: bench/results/ for the full run of every "
        "target, bench/results/<scale>[-only-…]/ otherwise)",
    )
    parser.add_argument(
        "--app-from",
        type=Path,
        default=None,
        help="run the Lykta nodes from another copy of the code (a directory with app/ and alembic/): before/after",
    )
    parser.add_argument(
        "--wait-quiet", type=float, default=240, help="wait up to this many seconds for an idle machine before a run"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    scale_name = "quick" if args.quick else args.scale
    scale = SCALES[scale_name]
    wanted = [w for w in args.only.split(",") if w] or ["relay", *CONFIGS]
    unknown = sorted(set(wanted) - {"relay", *CONFIGS})
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    out = Path(args.out) if args.out else output_dir(scale_name, wanted)
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="lykta-bench-"))
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale_name,
        "machine": machine(),
        "loadgen_processes": 1,
        "app_from": str(args.app_from) if args.app_from else None,
        "runs": {},
    }
    t0 = time.monotonic()
    kept: Kept | None = None
    try:
        for position, name in enumerate(wanted):
            log.info("=== %s ===", name)
            quiet = wait_for_quiet(args.wait_quiet)
            started = time.monotonic()
            if name == "relay":
                run = run_relay(scale, workdir)
            else:
                keep = any(
                    CONFIGS[later][0] == CONFIGS[name][0] for later in wanted[position + 1 :] if later in CONFIGS
                )
                run, kept = run_lykta(name, scale, workdir, kept, keep, args.app_from)
            run["seconds"] = round(time.monotonic() - started, 1)
            run["machine_busy_before_percent"] = quiet
            results["runs"][name] = run
            (out / "results.json").write_text(json.dumps(results, indent=2))
    except BaseException:
        log.error("failed; server logs are in %s", workdir)
        if kept is not None:
            kept.backend.drop()
        raise
    results["total_seconds"] = round(time.monotonic() - t0, 1)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    report.write(results, out)
    shutil.rmtree(workdir, ignore_errors=True)
    log.info("done in %.0f s: %s", results["total_seconds"], out)


if __name__ == "__main__":
    main()
