"""The benchmark's report judges each target of issue 17 from the figures of a results file of its own (written here,
never bench/results/: a benchmark run must not change what these tests read), and a quick or partial run writes
beside the full run's results, never over them. The benchmark itself runs in `make bench`, not here."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any

from bench import report, run
from bench.clients import Held
from bench.stats import cpu_seconds, tree_cpu_seconds


def _latency(p99: float, c2v_p99: float | None = None) -> dict[str, Any]:
    def summary(value: float) -> dict[str, Any]:
        return {"n": 400, "p50_ms": value / 3, "p99_ms": value, "p999_ms": value * 1.2, "max_ms": value * 1.3}

    return {"latency_v2c": summary(p99), "latency_c2v": summary(c2v_p99 if c2v_p99 is not None else p99)}


def _throughput(rate: float, cpu_ms: float, shares: dict[str, float] | None = None) -> dict[str, Any]:
    return {
        "kind": "throughput",
        "name": "throughput",
        "chats": 100,
        "messages_per_s": rate,
        "completed": int(rate * 15),
        "undelivered": 0,
        "errors": {},
        "writers_died": 0,
        "server_cpu_ms_per_message": cpu_ms,
        "cpu_percent": shares or {"node0": 95.0, "loadgen": 40.0},
        "machine_busy_percent": 90.0,
        **_latency(20.0),
    }


def _level(chats: int, p99: float, c2v_p99: float | None = None) -> dict[str, Any]:
    return {
        "kind": "latency",
        "name": f"latency-{chats}",
        "chats": chats,
        "offered_per_s": 2 * chats / 5,
        "messages_per_s": 2 * chats / 5,
        "undelivered": 0,
        "writers_behind": 0,
        "writers_died": 0,
        "errors": {},
        "cpu_percent": {"node0": 30.0},
        "machine_busy_percent": 40.0,
        **_latency(p99, c2v_p99),
    }


def _storm(chats: int = 2000, after: float = 3.0) -> dict[str, Any]:
    return {
        "kind": "storm",
        "name": "storm",
        "chats": chats,
        "spread_s": 5.0,
        "resumed": chats,
        "failed": 0,
        "all_resumed_s": 4.9 + after,
        "last_reconnect_s": 4.9,
        "resumed_after_last_reconnect_s": after,
        "resume_p50_s": 2.6,
        "acked_counselor_messages": 900,
        "lost": 0,
        "duplicates": 0,
        "writers_died": 0,
        "errors": {},
    }


def _idle(name: str, kib: float) -> dict[str, Any]:
    return {
        "kind": "open",
        "name": name,
        "connections": 5000,
        "rss_before_kib": 100_000,
        "rss_after_kib": int(100_000 + 5000 * kib),
        "kib_per_connection": kib,
    }


def _lykta(rate: float, cpu_ms: float, p99_1000: float, shares: dict[str, float] | None = None) -> dict[str, Any]:
    phases = [_throughput(rate, cpu_ms, shares), _level(100, 10.0), _storm(), _level(1000, p99_1000)]
    return {"phases": phases}


def full_run() -> dict[str, Any]:
    """A full-scale results file: every target measured, every one met."""
    sqlite = _lykta(4000, 0.25, 30.0)
    sqlite["phases"] += [_idle("idle", 24.0), _idle("idle-deflate", 60.0)]
    workers = {"node0": 160.0, "loadgen": 30.0}
    two = _lykta(5000, 0.36, 25.0, workers)
    two["phases"][0]["server_processes"] = {"node0": [0.1, 80.0, 79.9]}
    return {
        "started": "2026-12-02T08:00:00+00:00",
        "scale": "full",
        "machine": {
            "cpus": 2,
            "cpu_model": "AMD EPYC",
            "memory_gib": 23.5,
            "python": "3.11.7",
            "load_average_at_start": [0.5, 0.4, 0.3],
        },
        "total_seconds": 2400,
        "runs": {
            "relay": {"phases": [_idle("idle", 16.0), _throughput(20000, 0.05, {"relay": 99.0}), _level(1000, 5.0)]},
            "sqlite-1": sqlite,
            "pg-1": _lykta(3500, 0.32, 40.0),
            "pg-1x2": two,
            "pg-2": _lykta(4500, 0.40, 20.0, {"node0": 80.0, "node1": 80.0}),
        },
    }


def _phase(results: dict[str, Any], run_name: str, name: str) -> dict[str, Any]:
    return next(p for p in results["runs"][run_name]["phases"] if p["name"] == name)


def _verdicts(results: dict[str, Any]) -> dict[str, tuple[str, bool | None]]:
    return {target: (measured, met) for target, measured, met in report.targets(results)}


CPU_SQLITE = "server CPU per message ≤ 0.30 ms (1 node, SQLite)"
CPU_PG = "server CPU per message ≤ 0.35 ms (1 node, PostgreSQL + Redis)"
P99_SQLITE = "p99 < 50 ms at 1,000 conversations, both directions (1 node, SQLite)"
P99_PG = "p99 < 50 ms at 1,000 conversations, both directions (1 node, PostgreSQL + Redis)"
IDLE = "≤ 30 KiB per idle visitor socket (deflate off)"
STORM = "reconnect storm: 2,000 visitors all resumed within 5 s of the last reconnect, 0 lost, 0 duplicated"
WORKERS_CPU = "2 workers ≤ 1.2 times 1 worker's CPU per message (PostgreSQL + Redis)"
WORKERS_DELIVERED = "2 workers: every message delivered across the two processes"


def test_every_target_of_the_full_run_is_judged_from_its_figure() -> None:
    results = full_run()
    verdicts = _verdicts(results)
    assert verdicts[CPU_SQLITE] == ("0.25 ms (4000 msg/s, 20.0% of the relay)", True)
    assert verdicts[CPU_PG] == ("0.32 ms (3500 msg/s, 17.5% of the relay)", True)
    assert verdicts[P99_SQLITE] == ("30 ms visitor → counselor, 30 ms counselor → visitor", True)
    assert verdicts[P99_PG][1] is True
    assert verdicts[IDLE] == ("24.0 KiB (5,000 sockets)", True)
    for label in ("1 node, SQLite", "1 node, PostgreSQL + Redis", "1 host, 2 workers, PostgreSQL + Redis"):
        assert verdicts[f"{STORM} ({label})"] == (
            "all resumed 3.0 s after the last reconnect; lost 0, duplicated 0, failed 0",
            True,
        )
    measured, met = verdicts[WORKERS_CPU]
    assert met is True
    assert measured.startswith("1.12 times (0.36 ms against 0.32 ms; 2 cores shared")
    assert "server 160% (node0: 0 + 80 + 80 by process)" in measured  # the supervisor and each worker
    assert verdicts[WORKERS_DELIVERED] == (
        "75,000 messages completed at saturation; nothing undelivered, lost or duplicated",
        True,
    )
    assert len(verdicts) == 11  # 2 CPU, 2 latencies, memory, 4 storms, 2 for the workers
    markdown = report.markdown(results)
    for target in verdicts:
        assert f"| {target} |" in markdown
    assert "| 1 host, 2 workers, PostgreSQL + Redis | 5000 |" in markdown


def test_a_figure_across_the_line_turns_its_verdict() -> None:
    worse = full_run()
    _phase(worse, "sqlite-1", "throughput")["server_cpu_ms_per_message"] = 0.31
    _phase(worse, "pg-1", "throughput")["server_cpu_ms_per_message"] = 0.36
    _phase(worse, "sqlite-1", "latency-1000")["latency_c2v"]["p99_ms"] = 50.0  # one direction is enough to miss
    _phase(worse, "sqlite-1", "idle")["kib_per_connection"] = 30.5
    _phase(worse, "pg-1", "storm")["resumed_after_last_reconnect_s"] = 5.2
    _phase(worse, "sqlite-1", "storm")["duplicates"] = 1
    _phase(worse, "pg-2", "storm")["lost"] = 1
    _phase(worse, "pg-1x2", "throughput")["server_cpu_ms_per_message"] = 0.44  # 1.22 times pg-1's 0.36
    _phase(worse, "pg-1x2", "latency-100")["undelivered"] = 2
    verdicts = _verdicts(worse)
    assert verdicts[CPU_SQLITE] == ("0.31 ms (4000 msg/s, 20.0% of the relay)", False)
    assert verdicts[CPU_PG][1] is False
    assert verdicts[P99_SQLITE] == ("30 ms visitor → counselor, 50 ms counselor → visitor", False)
    assert verdicts[P99_PG][1] is True
    assert verdicts[IDLE] == ("30.5 KiB (5,000 sockets)", False)
    assert verdicts[f"{STORM} (1 node, PostgreSQL + Redis)"][1] is False
    assert verdicts[f"{STORM} (1 node, SQLite)"][1] is False
    assert verdicts[f"{STORM} (2 nodes, PostgreSQL + Redis)"][1] is False
    assert verdicts[f"{STORM} (1 host, 2 workers, PostgreSQL + Redis)"][1] is True
    assert verdicts[WORKERS_CPU][0].startswith("1.22 times") and verdicts[WORKERS_CPU][1] is False
    assert verdicts[WORKERS_DELIVERED] == ("75,000 messages completed at saturation; 2 undelivered", False)
    assert "| no |" in report.markdown(worse)


def test_a_quick_run_says_what_it_did_not_measure() -> None:
    quick = full_run()
    quick["scale"] = "quick"
    for run_name in ("sqlite-1", "pg-1"):
        phases = quick["runs"][run_name]["phases"]
        phases[:] = [p for p in phases if p["name"] != "latency-1000"]
    storm = _phase(quick, "pg-1", "storm")
    storm.update(chats=100)
    verdicts = _verdicts(quick)
    assert verdicts[P99_SQLITE] == ("not measured (largest level 100: 10 / 10 ms)", None)
    assert verdicts[f"{STORM} (1 node, PostgreSQL + Redis)"] == (
        "all resumed 3.0 s after the last reconnect; lost 0, duplicated 0, failed 0 (at 100 visitors, not 2,000)",
        True,
    )
    markdown = report.markdown(quick)
    assert f"| {P99_SQLITE} | not measured (largest level 100: 10 / 10 ms) | not measured |" in markdown
    assert "at quick scale: the full run is the measure of record" in markdown


def test_a_storm_where_someone_never_came_back_is_not_met() -> None:
    results = full_run()
    _phase(results, "pg-1", "storm").update(resumed=1999, all_resumed_s=None, resumed_after_last_reconnect_s=None)
    measured, met = _verdicts(results)[f"{STORM} (1 node, PostgreSQL + Redis)"]
    assert (measured, met) == ("not all resumed; lost 0, duplicated 0, failed 0", False)


def test_only_the_full_run_of_every_target_writes_the_results_of_record() -> None:
    every = ["relay", *run.CONFIGS]
    assert "pg-1x2" in run.CONFIGS and run.CONFIGS["pg-1x2"] == ("postgres", 1, 2)
    assert run.output_dir("full", every) == run.RESULTS
    assert run.output_dir("full", list(reversed(every))) == run.RESULTS
    others = {
        run.output_dir("quick", every),
        run.output_dir("ab", every),
        run.output_dir("quick", ["relay", "sqlite-1"]),
        run.output_dir("full", ["sqlite-1"]),
    }
    assert run.RESULTS not in others and len(others) == 4
    for folder in others:
        assert folder.parent == run.RESULTS  # beside the full run's files, in a folder of its own
    assert run.output_dir("quick", every) == run.RESULTS / "quick"
    assert run.output_dir("full", ["sqlite-1"]) == run.RESULTS / "full-only-sqlite-1"


def test_the_resume_point_is_where_every_seq_before_it_is_held() -> None:
    held = Held()
    held.add(2)  # this side's own message, acknowledged before the other side's seq 1 arrived
    assert held.last == 0  # resuming from 2 would skip seq 1
    held.add(1)
    assert held.last == 2
    held.add(4)
    held.add(2)  # a repeat changes nothing
    assert held.last == 2
    held.add(3)
    assert held.last == 4
    resumed = Held()
    resumed.add(7)
    resumed.resume_at(5)  # a conversation continued from an earlier run: everything up to 5 is held
    assert resumed.last == 5
    resumed.add(6)
    assert resumed.last == 7


SPIN = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\ntime.sleep(30)"
BURNER = f"""
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", {SPIN!r}])
print(child.pid, flush=True)
time.sleep(30)
"""


def test_a_node_s_cpu_counts_every_process_below_it() -> None:
    """A `--workers` node is a supervisor and its workers: their CPU time is the node's."""
    parent = subprocess.Popen([sys.executable, "-c", BURNER], stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        for _ in range(300):
            if cpu_seconds(child) >= 0.4:
                break
            time.sleep(0.1)
        assert cpu_seconds(child) >= 0.4
        assert tree_cpu_seconds(parent.pid) >= cpu_seconds(parent.pid) + 0.4
    finally:
        if child:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        parent.kill()
        parent.wait()
        assert parent.stdout is not None
        parent.stdout.close()
