"""Percentiles and process figures (CPU time and RSS from /proc) shared by the load generator and the runner."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary_ms(seconds: list[float]) -> dict[str, Any]:
    """Count, p50, p99, p99.9 and max of latencies given in seconds, in milliseconds."""
    values = sorted(seconds)
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 2),
        "p99_ms": round(percentile(values, 0.99) * 1000, 2),
        "p999_ms": round(percentile(values, 0.999) * 1000, 2),
        "max_ms": round((values[-1] if values else 0.0) * 1000, 2),
    }


def rss_kib(pid: int) -> int:
    """Resident set size of a process (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def command_cpu_seconds(comm: str) -> float:
    """CPU time of every process with this command name (e.g. all of PostgreSQL's backends)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == comm:
                    total += cpu_seconds(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return total


GROUPS = {"postgres": "postgres", "redis": "redis-server"}


@dataclass
class CpuWatch:
    """CPU share of named processes, and of PostgreSQL and Redis, over a window (100 = one core busy)."""

    pids: dict[str, int]
    _start: dict[str, float] | None = None
    _t0: float = 0.0

    def start(self, now: float) -> None:
        self._t0 = now
        self._start = self._sample()

    def stop(self, now: float) -> dict[str, float]:
        if self._start is None or now <= self._t0:
            return {}
        elapsed, end = now - self._t0, self._sample()
        shares = {name: round(100 * (end[name] - self._start[name]) / elapsed, 1) for name in end}
        return {name: share for name, share in shares.items() if share > 0 or name in self.pids}

    def _sample(self) -> dict[str, float]:
        values = {name: self._cpu(pid) for name, pid in self.pids.items()}
        values.update({name: command_cpu_seconds(comm) for name, comm in GROUPS.items()})
        return values

    @staticmethod
    def _cpu(pid: int) -> float:
        try:
            return cpu_seconds(pid)
        except (OSError, IndexError, ValueError):
            return 0.0


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, from /proc/stat."""
    parts = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS
