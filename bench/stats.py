"""Percentiles and process figures (CPU time and RSS from /proc) shared by the load generator and the runner."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class ProcStat:
    comm: str
    ppid: int
    cpu: float  # user + system seconds of the process itself
    children_cpu: float  # of its children that have exited and been waited for


def processes() -> dict[int, ProcStat]:
    """Every process of the machine, from one pass over /proc."""
    found: dict[int, ProcStat] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
            comm = text[text.index("(") + 1 : text.rindex(")")]
            fields = text.rsplit(")", 1)[1].split()
            found[int(entry.name)] = ProcStat(
                comm,
                int(fields[1]),
                (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
                (int(fields[13]) + int(fields[14])) / CLOCK_TICKS,
            )
        except (OSError, IndexError, ValueError):
            continue
    return found


def tree(pid: int, table: dict[int, ProcStat]) -> list[int]:
    """A process and every process below it (a uvicorn supervisor and its workers), root first."""
    children: dict[int, list[int]] = {}
    for child, stat in table.items():
        children.setdefault(stat.ppid, []).append(child)
    found, todo = [], [pid] if pid in table else []
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_cpu(pid: int, table: dict[int, ProcStat]) -> dict[int, float]:
    """CPU seconds of each process of pid's tree; the root's figure includes its exited children, so a worker that
    ends within a window keeps its share."""
    pids = tree(pid, table)
    return {p: table[p].cpu + (table[p].children_cpu if p == pid else 0.0) for p in pids}


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and every process below it."""
    return sum(tree_cpu(pid, processes()).values())


def command_cpu_seconds(comm: str, table: dict[int, ProcStat] | None = None) -> float:
    """CPU time of every process with this command name (e.g. all of PostgreSQL's backends)."""
    return sum(stat.cpu for stat in (table or processes()).values() if stat.comm == comm)


GROUPS = {"postgres": "postgres", "redis": "redis-server"}


@dataclass
class CpuWatch:
    """CPU share of named processes with everything below them (a node started with --workers is a supervisor and
    its worker processes: all of them count), and of PostgreSQL and Redis, over a window (100 = one core busy)."""

    pids: dict[str, int]
    _start: dict[str, float] | None = None
    _start_each: dict[str, dict[int, float]] = field(default_factory=dict)
    _t0: float = 0.0
    per_process: dict[str, dict[int, float]] = field(default_factory=dict)

    def start(self, now: float) -> None:
        self._t0 = now
        self._start, self._start_each = self._sample()

    def stop(self, now: float) -> dict[str, float]:
        """Shares by name; `per_process` then holds the share of each process of a tree with more than one."""
        if self._start is None or now <= self._t0:
            return {}
        elapsed = now - self._t0
        end, end_each = self._sample()
        shares = {name: round(100 * (end[name] - self._start[name]) / elapsed, 1) for name in end}
        self.per_process = {}
        for name, each in end_each.items():
            before = self._start_each.get(name, {})
            if len(each) > 1:
                self.per_process[name] = {
                    pid: round(100 * (cpu - before.get(pid, 0.0)) / elapsed, 1) for pid, cpu in each.items()
                }
        return {name: share for name, share in shares.items() if share > 0 or name in self.pids}

    def _sample(self) -> tuple[dict[str, float], dict[str, dict[int, float]]]:
        table = processes()
        each = {name: tree_cpu(pid, table) for name, pid in self.pids.items()}
        values = {name: sum(cpus.values()) for name, cpus in each.items()}
        values.update({name: command_cpu_seconds(comm, table) for name, comm in GROUPS.items()})
        return values, each


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, from /proc/stat."""
    parts = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS
