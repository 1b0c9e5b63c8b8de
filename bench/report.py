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
    "pg-2": "2 nodes, PostgreSQL + Redis",
}
ONE_NODE = ("sqlite-1", "pg-1")


def phases(results: dict[str, Any], run: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in results["runs"].get(run, {}).get("phases", [])}


def levels(results: dict[str, Any]) -> list[int]:
    found = {int(name.split("-")[1]) for run in results["runs"] for name in phases(results, run) if "latency-" in name}
    return sorted(found)


def throughput(results: dict[str, Any], run: str) -> float | None:
    phase = phases(results, run).get("throughput")
    return float(phase["messages_per_s"]) if phase else None


def _cpu(phase: dict[str, Any]) -> str:
    shares = phase.get("cpu_percent", {})
    servers = [f"{shares[k]:.0f}" for k in sorted(shares) if k.startswith(("node", "relay"))]
    parts = [f"server {'+'.join(servers)}%"] if servers else []
    for key in ("loadgen", "postgres", "redis"):
        if shares.get(key, 0) >= 1:
            parts.append(f"{key} {shares[key]:.0f}%")
    parts.append(f"machine {phase.get('machine_busy_percent', 0):.0f}%")
    return ", ".join(parts)


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue."""
    rows: list[tuple[str, str, bool | None]] = []
    relay = throughput(results, "relay")
    for run in ("sqlite-1", "pg-1", "pg-2"):
        mine = throughput(results, run)
        if mine is not None and relay:
            ratio = mine / relay
            rows.append((f"throughput ≥ 40% of the relay ({LABELS[run]})", f"{100 * ratio:.1f}%", ratio >= 0.4))
    for run in ONE_NODE:
        phase = phases(results, run).get("latency-1000")
        if phase:
            p99 = phase["latency_v2c"]["p99_ms"]
            rows.append((f"p99 < 50 ms at 1,000 conversations ({LABELS[run]})", f"{p99:.0f} ms", p99 < 50))
    idle = phases(results, "sqlite-1").get("idle")
    if idle:
        per = idle["kib_per_connection"]
        rows.append(("≤ 40 KiB per idle visitor connection (deflate off)", f"{per:.1f} KiB", per <= 40))
    one, two = throughput(results, "pg-1"), throughput(results, "pg-2")
    if one and two:
        rows.append(("2 nodes ≥ 1.6 times 1 node (PostgreSQL + Redis)", f"{two / one:.2f} times", two / one >= 1.6))
    for run in ("sqlite-1", "pg-1", "pg-2"):
        storm = phases(results, run).get("storm")
        if storm:
            ok = storm["lost"] == 0 and storm["duplicates"] == 0 and storm["failed"] == 0
            measured = f"lost {storm['lost']}, duplicates {storm['duplicates']}, failed {storm['failed']}"
            rows.append((f"reconnect storm loses nothing ({LABELS[run]})", measured, ok))
    return rows


def markdown(results: dict[str, Any]) -> str:
    runs = [r for r in LABELS if r in results["runs"]]
    relay = throughput(results, "relay")
    machine = results["machine"]
    out = [
        "# Lykta capacity benchmark",
        "",
        f"Run {results['started']} ({results['scale']} scale, {results.get('total_seconds', 0) / 60:.0f} min) on "
        f"{machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB, Python {machine['python']}, "
        f"load average at start {machine['load_average_at_start']}. One load-generator process (bench/loadgen.py) "
        "shares the 2 cores with the servers, PostgreSQL and Redis: CPU shares below are of one core; `machine` is "
        "how busy both cores were (other work on the machine included). Produced by `python -m bench.run`.",
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
        "stored) and delivered to the other side, then sends the next. The relay only forwards (nothing to "
        "acknowledge).",
        "",
        "## Latency, visitor send → counselor receive (each side writes every 5 s)",
        "",
        "| target | conversations | p50 ms | p99 ms | p99.9 ms | samples | delivered/s (offered) | CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for level in levels(results):
        for run in runs:
            phase = phases(results, run).get(f"latency-{level}")
            if not phase:
                continue
            lat = phase["latency_v2c"]
            late = f"; {phase['writers_behind']} held back" if phase.get("writers_behind") else ""
            out.append(
                f"| {LABELS[run]} | {level:,} | {lat['p50_ms']:.1f} | {lat['p99_ms']:.1f} | {lat['p999_ms']:.1f} "
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
        "| target | visitors | reconnect spread | all resumed after | median | acknowledged counselor messages "
        "| lost | duplicates | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        storm = phases(results, run).get("storm")
        if storm:
            resumed = f"{storm['all_resumed_s']:.1f} s" if storm["all_resumed_s"] is not None else "not all"
            out.append(
                f"| {LABELS[run]} | {storm['chats']:,} | {storm['spread_s']:.0f} s | {resumed} "
                f"| {storm['resume_p50_s']} s | {storm['acked_counselor_messages']:,} | {storm['lost']} "
                f"| {storm['duplicates']} | {storm['failed']} |"
            )
    out += [
        "",
        "Every visitor socket is cut without a closing handshake while counselors keep writing; each visitor "
        "reconnects at a random moment within the spread and sends `hello` with its `last_seq`. Resumed: the "
        "`state` frame came and every counselor message acknowledged before that hello has arrived. Lost: "
        "counselor messages acknowledged during the phase that the visitor never received.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---:|:---:|",
    ]
    for target, measured, met in targets(results):
        out.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")
    return "\n".join(out) + "\n"


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in LABELS if r in results["runs"]]
    colours = {"relay": "#888888", "sqlite-1": "#1f77b4", "pg-1": "#2ca02c", "pg-2": "#d62728"}
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    ax = axes[0][0]
    relay = throughput(results, "relay")
    values = [(r, throughput(results, r)) for r in runs]
    bars = [(r, v) for r, v in values if v is not None]
    ax.bar([LABELS[r] for r, _ in bars], [v for _, v in bars], color=[colours[r] for r, _ in bars])
    for i, (_r, v) in enumerate(bars):
        label = f"{v:.0f}/s" + (f"\n{100 * v / relay:.1f}% of relay" if relay else "")
        ax.annotate(label, (i, v), ha="center", va="bottom", fontsize=8)
    if relay:
        ax.axhline(0.4 * relay, color="black", linestyle="--", linewidth=1, label="target: 40% of relay")
        ax.legend(fontsize=8)
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
    ax.axhline(50, color="black", linestyle="--", linewidth=1, label="target: p99 < 50 ms at 1,000")
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
    ax.axhline(40, color="black", linestyle="--", linewidth=1, label="target: ≤ 40 KiB")
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
