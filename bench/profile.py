"""Profile one Lykta node under load: the node runs under py-spy (sampling, 100 Hz, launched as its child since
attaching needs ptrace rights), the load generator drives a phase, and the stacks are summarised by self and total
time per function.

    python -m bench.profile                       # SQLite, saturated throughput, 100 chats for 20 s
    python -m bench.profile --backend postgres --phase latency --chats 1000

Writes bench/results/profile-<backend>-<phase>.txt (the summary; with --stacks also the raw stacks, .collapsed, for
a flame graph). Needs py-spy in the virtualenv (`pip install py-spy`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.cluster import BIN, PASSWORD, Backend, Process, spawn, wait_http
from bench.run import PER_COUNSELOR, RESULTS, loadgen
from tests.live import free_port

log = logging.getLogger("bench")


def child_pid(pid: int) -> int:
    """The process py-spy started (the node itself)."""
    for _ in range(100):
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            if children:
                return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("py-spy started no child")


IDLE_LEAVES = (
    "Condition.wait (threading.py",  # worker threads waiting for work
    "EpollSelector.select (selectors.py",  # the event loop waiting for sockets
    "_connection_worker_thread (aiosqlite/core.py:59)",  # aiosqlite's thread waiting for a statement
    "_worker (concurrent/futures/thread.py",  # a thread pool's worker waiting in its queue's get (C)
)
UVLOOP_NOTE = (
    "On uvloop the event loop is C code py-spy cannot look into: samples whose innermost Python frame is\n"
    "Runner.run (asyncio/runners.py) are uvloop's own work AND its waits for sockets (not told apart), so set the\n"
    "node's CPU share during the phase beside them.\n"
)


def summarise(collapsed: Path, top: int = 45) -> str:
    """Self and total shares of busy samples per function from py-spy's collapsed stacks ("f1;f2;f3 count").
    Samples of threads waiting for work are left out."""
    self_time: Counter[str] = Counter()
    total_time: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    samples = idle = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        raw_frames = stack.split(";")
        if any(marker in raw_frames[-1] for marker in IDLE_LEAVES):
            idle += count
            continue
        samples += count
        frames = [_short(f) for f in raw_frames]
        self_time[frames[-1]] += count
        packages[_package(frames[-1])] += count
        for frame in set(frames):
            total_time[frame] += count
    lines = [f"{samples} busy samples at 100 Hz ({idle} samples of threads waiting for work left out)", UVLOOP_NOTE]
    lines += ["self % by package (where the time is spent, whoever called)"]
    lines += [f"{100 * n / samples:6.1f}  {name}" for name, n in packages.most_common()]
    lines += ["", "self %  function"]
    lines += [f"{100 * n / samples:6.1f}  {name}" for name, n in self_time.most_common(top)]
    lines += ["", "total % function (including what it calls)"]
    lines += [f"{100 * n / samples:6.1f}  {name}" for name, n in total_time.most_common(top * 3)]
    return "\n".join(lines) + "\n"


def _package(short_frame: str) -> str:
    where = short_frame.rsplit("(", 1)[-1].rstrip(")")
    top = where.split("/", 1)[0]
    if top.endswith(".py") or top.startswith("<"):
        return "python stdlib" if not where.startswith("app/") else "app"
    return top


def _short(frame: str) -> str:
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in ("site-packages/", "python3.11/", "/work/main/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where.rsplit(':', 1)[0]})"


def main() -> None:
    parser = argparse.ArgumentParser(description="profile one Lykta node under load with py-spy")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--phase", choices=["throughput", "latency", "grow"], default="throughput")
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--per-counselor", type=int, default=1, help="conversations each counselor holds")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--stacks", action="store_true", help="also keep the raw stacks (.collapsed, megabytes)")
    parser.add_argument("--app-from", type=Path, default=None, help="run the node from another copy of the code")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if shutil.which("py-spy", path=str(BIN)) is None:
        raise SystemExit(f"py-spy is not installed: {BIN / 'python'} -m pip install py-spy")
    workdir = Path(tempfile.mkdtemp(prefix="lykta-profile-"))
    backend = Backend(args.backend, workdir, app_from=args.app_from)
    backend.recreate()
    counselors = max(2, math.ceil(args.chats / min(args.per_counselor, PER_COUNSELOR)))
    backend.seed(counselors, PER_COUNSELOR)
    port = free_port()
    name = f"profile-{args.backend}-{args.phase}"
    raw = workdir / f"{name}.collapsed"
    argv = [str(BIN / "py-spy"), "record", "--format", "raw", "--rate", "100", "--output", str(raw), "--"]
    argv += [str(BIN / "lykta"), "serve", "--port", str(port)]
    spy: Process = spawn(name, argv, backend.env(), workdir)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url, spy)
        node = child_pid(spy.pid)
        warmup = 3
        phase: dict[str, object] = {"kind": args.phase, "chats": args.chats}
        if args.phase != "grow":  # grow: only start the conversations (what setting up a phase costs)
            phase.update(warmup=warmup, duration=args.duration)
        if args.phase == "latency":
            phase["interval"] = 5.0
        loadgen_args = ["--target", "lykta", "--nodes", url, "--counselors", str(counselors), "--password", PASSWORD]
        result = loadgen(loadgen_args, [phase], {"node0": node}, 900)
        log.info("phase: %s", result["phases"][0])
    finally:
        if spy.popen.poll() is None:
            with contextlib.suppress(RuntimeError, OSError):
                os.kill(child_pid(spy.pid), signal.SIGTERM)  # py-spy writes its output when the node has exited
            try:
                spy.popen.wait(60)
            except subprocess.TimeoutExpired:
                spy.stop()
        backend.drop()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.stacks:
        shutil.copyfile(raw, out / f"{name}.collapsed")
    (out / f"{name}.txt").write_text(summarise(raw))
    log.info("wrote %s", out / f"{name}.txt")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
