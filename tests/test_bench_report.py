"""The benchmark's report judges each target from the figures: met where the figure is on the right side of the
line, not met where it is not (the benchmark itself runs in `make bench`, not here)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from bench import report

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results" / "results.json"


def _phase(results: dict[str, Any], run: str, name: str) -> dict[str, Any]:
    return next(p for p in results["runs"][run]["phases"] if p["name"] == name)


def _verdicts(results: dict[str, Any]) -> dict[str, tuple[str, bool | None]]:
    return {target: (measured, met) for target, measured, met in report.targets(results)}


def test_every_target_is_judged_from_the_committed_run() -> None:
    results = json.loads(RESULTS.read_text())
    verdicts = _verdicts(results)
    relay = _phase(results, "relay", "throughput")["messages_per_s"]
    sqlite = _phase(results, "sqlite-1", "throughput")["messages_per_s"]
    measured, met = verdicts["throughput ≥ 40% of the relay (1 node, SQLite)"]
    assert measured == f"{100 * sqlite / relay:.1f}%" and met == (sqlite / relay >= 0.4)
    assert len(verdicts) == 10  # 3 throughput ratios, 2 latencies, memory, scaling, 3 storms
    markdown = report.markdown(results)
    for target in verdicts:
        assert f"| {target} |" in markdown


def test_a_figure_across_the_line_turns_its_verdict() -> None:
    results = json.loads(RESULTS.read_text())
    better = copy.deepcopy(results)
    relay = _phase(better, "relay", "throughput")["messages_per_s"]
    _phase(better, "sqlite-1", "throughput")["messages_per_s"] = 0.5 * relay
    _phase(better, "sqlite-1", "latency-1000")["latency_v2c"]["p99_ms"] = 49.0
    _phase(better, "sqlite-1", "idle")["kib_per_connection"] = 39.5
    one = _phase(better, "pg-1", "throughput")["messages_per_s"]
    _phase(better, "pg-2", "throughput")["messages_per_s"] = 1.7 * one
    _phase(better, "pg-1", "storm")["lost"] = 1
    verdicts = _verdicts(better)
    assert verdicts["throughput ≥ 40% of the relay (1 node, SQLite)"] == ("50.0%", True)
    assert verdicts["p99 < 50 ms at 1,000 conversations (1 node, SQLite)"] == ("49 ms", True)
    assert verdicts["≤ 40 KiB per idle visitor connection (deflate off)"] == ("39.5 KiB", True)
    assert verdicts["2 nodes ≥ 1.6 times 1 node (PostgreSQL + Redis)"] == ("1.70 times", True)
    assert verdicts["reconnect storm loses nothing (1 node, PostgreSQL + Redis)"][1] is False
