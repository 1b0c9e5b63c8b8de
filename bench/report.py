"""bench/results/results.md (tables, targets met or not) and chart.png from results.json.

python -m bench.report [bench/results]     # redraw from an existing results.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

LABELS = {
    "relay": "bare relay",
    "sqlite-1": "1 node, SQLite",
    "pg-1": "1 node, PostgreSQL + Redis",
    "pg-1x2": "1 host, 2 workers, PostgreSQL + Redis",
    "pg-2": "2 nodes, PostgreSQL + Redis",
}
ONE_NODE = ("sqlite-1", "pg-1")
# the targets of issue 17 (the full `make bench` is the measure of record)
CPU_MS_PER_MESSAGE = {"sqlite-1": 0.30, "pg-1": 0.35}
P99_MS, P99_LEVEL = 50.0, 1000
IDLE_KIB = 30.0
STORM_VISITORS, STORM_WITHIN_S = 2000, 5.0
WORKERS, WORKERS_RATIO = ("pg-1", "pg-1x2"), 1.2
VERDICT = {True: "yes", False: "no", None: "not measured"}


def phases(results: dict[str, Any], run: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in results["runs"].get(run, {}).get("phases", [])}


def levels(results: dict[str, Any]) -> list[int]:
    found = {int(name.split("-")[1]) for run in results["runs"] for name in phases(results, run) if "latency-" in name}
    return sorted(found)


def throughput(results: dict[str, Any], run: str) -> float | None:
    phase = phases(results, run).get("throughput")
    return float(phase["messages_per_s"]) if phase else None


def cpu_per_message(results: dict[str, Any], run: str) -> float | None:
    phase = phases(results, run).get("throughput")
    value = phase.get("server_cpu_ms_per_message") if phase else None
    return float(value) if value is not None else None


def _server_share(phase: dict[str, Any]) -> float:
    return float(sum(v for k, v in phase.get("cpu_percent", {}).items() if k.startswith(("node", "relay"))))


def _cpu(phase: dict[str, Any]) -> str:
    shares = phase.get("cpu_percent", {})
    servers = [f"{shares[k]:.0f}" for k in sorted(shares) if k.startswith(("node", "relay"))]
    parts = [f"server {'+'.join(servers)}%"] if servers else []
    for name, each in sorted(phase.get("server_processes", {}).items()):
        parts[-1:] = [f"{parts[-1]} ({name}: {' + '.join(f'{v:.0f}' for v in each)} by process)"]
    for key in ("loadgen", "postgres", "redis"):
        if shares.get(key, 0) >= 1:
            parts.append(f"{key} {shares[key]:.0f}%")
    parts.append(f"machine {phase.get('machine_busy_percent', 0):.0f}%")
    return ", ".join(parts)


def delivery_problems(results: dict[str, Any], run: str) -> dict[str, int]:
    """What went wrong with delivery in any phase of a run: errors and timeouts, messages never delivered, writers
    that died, storm messages lost or duplicated."""
    found: dict[str, int] = {}
    for phase in phases(results, run).values():
        counts = {
            "errors": sum(phase.get("errors", {}).values()),
            "undelivered": phase.get("undelivered", 0),
            "writers died": phase.get("writers_died", 0),
            "lost": phase.get("lost", 0),
            "duplicated": phase.get("duplicates", 0),
            "storm failures": phase.get("failed", 0) if phase.get("kind") == "storm" else 0,
        }
        for key, value in counts.items():
            if value:
                found[key] = found.get(key, 0) + int(value)
    return found


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of issue 17; met is None where this run did not measure it."""
    rows: list[tuple[str, str, bool | None]] = []
    relay = throughput(results, "relay")
    for run, limit in CPU_MS_PER_MESSAGE.items():
        per, rate = cpu_per_message(results, run), throughput(results, run)
        if per is not None and rate is not None:
            ratio = f", {100 * rate / relay:.1f}% of the relay" if relay else ""
            measured = f"{per:.2f} ms ({rate:.0f} msg/s{ratio})"
            rows.append((f"server CPU per message ≤ {limit:.2f} ms ({LABELS[run]})", measured, per <= limit))
    for run in ONE_NODE:
        if run not in results["runs"]:
            continue
        target = f"p99 < {P99_MS:.0f} ms at {P99_LEVEL:,} conversations, both directions ({LABELS[run]})"
        phase = phases(results, run).get(f"latency-{P99_LEVEL}")
        if phase:
            v2c, c2v = phase["latency_v2c"]["p99_ms"], phase["latency_c2v"]["p99_ms"]
            measured = f"{v2c:.0f} ms visitor → counselor, {c2v:.0f} ms counselor → visitor"
            rows.append((target, measured, v2c < P99_MS and c2v < P99_MS))
            continue
        measured_levels = [lv for lv in levels(results) if f"latency-{lv}" in phases(results, run)]
        if measured_levels:
            top = phases(results, run)[f"latency-{measured_levels[-1]}"]
            v2c, c2v = top["latency_v2c"]["p99_ms"], top["latency_c2v"]["p99_ms"]
            measured = f"not measured (largest level {measured_levels[-1]:,}: {v2c:.0f} / {c2v:.0f} ms)"
            rows.append((target, measured, None))
    idle = phases(results, "sqlite-1").get("idle")
    if idle:
        per = idle["kib_per_connection"]
        measured = f"{per:.1f} KiB ({idle['connections']:,} sockets)"
        rows.append((f"≤ {IDLE_KIB:.0f} KiB per idle visitor socket (deflate off)", measured, per <= IDLE_KIB))
    for run in LABELS:
        storm = phases(results, run).get("storm")
        if storm:
            rows.append(_storm_row(run, storm))
    one, two = (cpu_per_message(results, run) for run in WORKERS)
    if one and two:
        phase = phases(results, WORKERS[1])["throughput"]
        cores = results["machine"]["cpus"]
        measured = (
            f"{two / one:.2f} times ({two:.2f} ms against {one:.2f} ms; {cores} cores shared with the load "
            f"generator and the databases: {_cpu(phase)})"
        )
        target = f"2 workers ≤ {WORKERS_RATIO} times 1 worker's CPU per message (PostgreSQL + Redis)"
        rows.append((target, measured, two / one <= WORKERS_RATIO))
    if WORKERS[1] in results["runs"]:
        problems = delivery_problems(results, WORKERS[1])
        completed = phases(results, WORKERS[1]).get("throughput", {}).get("completed", 0)
        found = ", ".join(f"{n} {what}" for what, n in problems.items()) or "nothing undelivered, lost or duplicated"
        measured = f"{completed:,} messages completed at saturation; {found}"
        rows.append(("2 workers: every message delivered across the two processes", measured, not problems))
    return rows


def _storm_row(run: str, storm: dict[str, Any]) -> tuple[str, str, bool | None]:
    target = (
        f"reconnect storm: {STORM_VISITORS:,} visitors all resumed within {STORM_WITHIN_S:.0f} s of the last "
        f"reconnect, 0 lost, 0 duplicated ({LABELS[run]})"
    )
    after = storm.get("resumed_after_last_reconnect_s")
    counts = f"lost {storm['lost']}, duplicated {storm['duplicates']}, failed {storm['failed']}"
    scale = "" if storm["chats"] >= STORM_VISITORS else f" (at {storm['chats']:,} visitors, not {STORM_VISITORS:,})"
    if after is None:
        resumed = "not all resumed" if "last_reconnect_s" in storm else "not measured from the last reconnect"
        met = False if "last_reconnect_s" in storm else None
        return target, f"{resumed}; {counts}{scale}", met
    ok = after <= STORM_WITHIN_S and storm["lost"] == 0 and storm["duplicates"] == 0 and storm["failed"] == 0
    return target, f"all resumed {after:.1f} s after the last reconnect; {counts}{scale}", ok


def markdown(results: dict[str, Any]) -> str:
    runs = [r for r in LABELS if r in results["runs"]]
    relay = throughput(results, "relay")
    machine = results["machine"]
    out = [
        "# Lykta capacity benchmark",
        "",
        f"Run {results['started']} ({results['scale']} scale, {results.get('total_seconds', 0) / 60:.0f} min) on "
        f"{machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, Python {machine['python']}, "
        f"load average at start {machine['load_average_at_start']}. One load-generator process (bench/loadgen.py, "
        f"on uvloop) shares the {machine['cpus']} cores with the servers, PostgreSQL and Redis: CPU shares below are "
        "of one core, a node's share sums all its processes (a `--workers` supervisor and its workers); `machine` is "
        "how busy all cores were (other work on the machine included). Produced by `python -m bench.run`"
        + (
            "."
            if results["scale"] == "full"
            else f" at {results['scale']} scale: the full run is the measure of record."
        ),
        "",
        "## Saturated throughput (acknowledged and delivered messages per second)",
        "",
        "| target | messages/s | vs relay | server CPU per message | latency p50 / p99 (ms) | CPU during the window |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for run in runs:
        phase = phases(results, run).get("throughput")
        if not phase:
            continue
        ratio = f"{100 * phase['messages_per_s'] / relay:.1f}%" if relay else "-"
        lat = phase["latency_v2c"]
        per = phase.get("server_cpu_ms_per_message")
        cost = f"{per:.2f} ms" if per is not None else "-"
        out.append(
            f"| {LABELS[run]} | {phase['messages_per_s']:.0f} | {ratio} | {cost} "
            f"| {lat['p50_ms']:.0f} / {lat['p99_ms']:.0f} | {_cpu(phase)} |"
        )
    chats = next((p["chats"] for r in runs if (p := phases(results, r).get("throughput"))), 0)
    out += [
        "",
        f"Closed loop over {chats} chats: each side sends, waits until its message is acknowledged (Lykta: `ack`, "
        "stored; the sender gets the ack, not its own message) and delivered to the other side, then sends the next. "
        "The relay (on uvloop, as the nodes) only forwards (nothing to acknowledge).",
        "",
        "## Latency, visitor send → counselor receive (each side writes every 5 s)",
        "",
        "| target | conversations | p50 ms | p99 ms | p99.9 ms | counselor → visitor p99 ms | samples "
        "| delivered/s (offered) | CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for level in levels(results):
        for run in runs:
            phase = phases(results, run).get(f"latency-{level}")
            if not phase:
                continue
            lat = phase["latency_v2c"]
            late = f"; {phase['writers_behind']} held back" if phase.get("writers_behind") else ""
            c2v = phase.get("latency_c2v", {}).get("p99_ms")
            out.append(
                f"| {LABELS[run]} | {level:,} | {lat['p50_ms']:.1f} | {lat['p99_ms']:.1f} | {lat['p999_ms']:.1f} "
                f"| {'-' if c2v is None else f'{c2v:.1f}'} "
                f"| {lat['n']:,} | {phase['messages_per_s']:.0f} ({phase['offered_per_s']:.0f}{late}) "
                f"| {_cpu(phase)} |"
            )
    out += [
        "",
        "A writer keeps one message in flight; a message held back by a late one is timed from when it was due "
        "(no coordinated omission). Delivered/s counts both directions.",
        "",
        "## Memory per idle connection",
        "",
        "| server | sockets | RSS before → after (MiB) | KiB per connection |",
        "|---|---:|---:|---:|",
    ]
    for run, name, label in (
        ("sqlite-1", "idle", "Lykta node, permessage-deflate off (as configured)"),
        ("sqlite-1", "idle-deflate", "Lykta node, permessage-deflate on (clients negotiate it)"),
        ("relay", "idle", "bare relay"),
    ):
        phase = phases(results, run).get(name)
        if phase:
            out.append(
                f"| {label} | {phase['connections']:,} | {phase['rss_before_kib'] / 1024:.1f} → "
                f"{phase['rss_after_kib'] / 1024:.1f} | {phase['kib_per_connection']:.1f} |"
            )
    out += [
        "",
        "RSS (VmRSS) of a freshly started server after a warm-up of sockets, then after the measured visitors "
        "opened their socket and said `hello` (Lykta: with their conversation's `last_seq`, so nothing is "
        "replayed), divided by their number.",
        "",
        "## Reconnect storm",
        "",
        "| target | visitors | reconnect spread | all resumed after | after the last reconnect | median "
        "| acknowledged counselor messages | lost | duplicates | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        storm = phases(results, run).get("storm")
        if storm:
            resumed = f"{storm['all_resumed_s']:.1f} s" if storm["all_resumed_s"] is not None else "not all"
            after = storm.get("resumed_after_last_reconnect_s")
            out.append(
                f"| {LABELS[run]} | {storm['chats']:,} | {storm['spread_s']:.0f} s | {resumed} "
                f"| {'-' if after is None else f'{after:.1f} s'} "
                f"| {storm['resume_p50_s']} s | {storm['acked_counselor_messages']:,} | {storm['lost']} "
                f"| {storm['duplicates']} | {storm['failed']} |"
            )
    out += [
        "",
        "Every visitor socket is cut without a closing handshake while counselors keep writing; each visitor "
        "reconnects at a random moment within the spread and sends `hello` with its `last_seq`. Resumed: the "
        "`state` frame came and every counselor message acknowledged before that hello has arrived; the target "
        "counts from the last visitor's reconnect. Lost: counselor messages acknowledged during the phase that the "
        "visitor never received.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---:|:---:|",
    ]
    for target, measured, met in targets(results):
        out.append(f"| {target} | {measured} | {VERDICT[met]} |")
    return "\n".join(out) + "\n"


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in LABELS if r in results["runs"]]
    colours = {"relay": "#888888", "sqlite-1": "#1f77b4", "pg-1": "#2ca02c", "pg-1x2": "#9467bd", "pg-2": "#d62728"}
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    ax = axes[0][0]
    relay = throughput(results, "relay")
    values = [(r, throughput(results, r)) for r in runs]
    bars = [(r, v) for r, v in values if v is not None]
    ax.bar([LABELS[r] for r, _ in bars], [v for _, v in bars], color=[colours[r] for r, _ in bars])
    for i, (_r, v) in enumerate(bars):
        label = f"{v:.0f}/s" + (f"\n{100 * v / relay:.1f}% of relay" if relay else "")
        ax.annotate(label, (i, v), ha="center", va="bottom", fontsize=8)
    ax.set_title("Saturated throughput (acknowledged + delivered messages/s)")
    ax.tick_params(axis="x", labelsize=8, rotation=10)

    ax = axes[0][1]
    for run in runs:
        points = [(lv, phases(results, run).get(f"latency-{lv}")) for lv in levels(results)]
        xs = [lv for lv, p in points if p]
        for key, style in (("p99_ms", "-"), ("p50_ms", ":")):
            ys = [max(p["latency_v2c"][key], 0.1) for _lv, p in points if p]
            if xs:
                name = f"{LABELS[run]} {key[:3]}"
                ax.plot(xs, ys, style, marker="o", color=colours[run], label=name)
    ax.axhline(P99_MS, color="black", linestyle="--", linewidth=1, label="target: p99 < 50 ms at 1,000")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("concurrent conversations (each side writes every 5 s)")
    ax.set_ylabel("visitor → counselor latency (ms)")
    ax.set_title("Latency p50 (dotted) and p99 (solid)")
    ax.legend(fontsize=7)

    ax = axes[1][0]
    items = []
    for run, name, label in (
        ("sqlite-1", "idle", "Lykta\ndeflate off"),
        ("sqlite-1", "idle-deflate", "Lykta\ndeflate on"),
        ("relay", "idle", "bare relay"),
    ):
        phase = phases(results, run).get(name)
        if phase:
            items.append((label, phase["kib_per_connection"]))
    ax.bar([i[0] for i in items], [i[1] for i in items], color=["#1f77b4", "#9ecae1", "#888888"][: len(items)])
    for i, (_label, v) in enumerate(items):
        ax.annotate(f"{v:.1f} KiB", (i, v), ha="center", va="bottom", fontsize=8)
    ax.axhline(IDLE_KIB, color="black", linestyle="--", linewidth=1, label=f"target: ≤ {IDLE_KIB:.0f} KiB")
    ax.legend(fontsize=8)
    ax.set_title("Server memory per idle connection")

    ax = axes[1][1]
    storms = [(r, s) for r in runs if (s := phases(results, r).get("storm"))]
    ax.bar(
        [LABELS[r] for r, _ in storms],
        [s["all_resumed_s"] or 0 for _, s in storms],
        color=[colours[r] for r, _ in storms],
    )
    for i, (_r, s) in enumerate(storms):
        ax.annotate(f"lost {s['lost']}, dup {s['duplicates']}", (i, s["all_resumed_s"] or 0), ha="center", va="bottom")
    if storms:
        ax.set_title(f"Reconnect storm: {storms[0][1]['chats']:,} visitors within {storms[0][1]['spread_s']:.0f} s")
    ax.set_ylabel("seconds until all resumed")
    ax.tick_params(axis="x", labelsize=8, rotation=10)
    fig.suptitle(f"Lykta capacity, {results['started']} ({results['machine']['cpus']} CPUs, shared with the load)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(results: dict[str, Any], out: Path) -> None:
    (out / "results.md").write_text(markdown(results))
    chart(results, out / "chart.png")


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results")
    write(json.loads((folder / "results.json").read_text()), folder)
