"""The measured phases: saturated throughput, paced latency, the reconnect storm and idle memory.

Every phase is bounded in time; every figure is measured inside a window after a warm-up, while the CPU share of
the watched processes (servers, relay, this load generator, PostgreSQL, Redis) is sampled over the same window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.clients import Compression, RelayPeer, Tracker, Visitor, body_of, now
from bench.pools import Chat, LyktaPool, Pool, bounded
from bench.stats import CpuWatch, machine_cpu_seconds, rss_kib, summary_ms

log = logging.getLogger("bench.loadgen")


@dataclass
class Context:
    pool: Pool
    tracker: Tracker
    watch: dict[str, int]
    body: str = field(default_factory=lambda: body_of(64))
    phase_no: int = 0
    run: str = field(default_factory=lambda: secrets.token_hex(3))

    def tag(self) -> str:
        """A client_id prefix unique to this phase of this run: a client_id used before in a conversation (by a
        run that continues it) would only be acknowledged again, not stored."""
        self.phase_no += 1
        return f"{self.run}p{self.phase_no}"

    def cpu(self) -> Window:
        return Window(CpuWatch({"loadgen": os.getpid(), **self.watch}))


@dataclass
class Window:
    watch: CpuWatch
    t0: float = 0.0
    busy0: tuple[float, float] = (0.0, 0.0)

    def start(self) -> None:
        self.t0 = now()
        self.watch.start(self.t0)
        self.busy0 = machine_cpu_seconds()

    def stop(self, completed: int | None = None) -> dict[str, Any]:
        """The window's length and CPU shares; with a message count, the servers' CPU time per message."""
        t1 = now()
        busy, total = machine_cpu_seconds()
        shares = self.watch.stop(t1)
        machine = 100 * (busy - self.busy0[0]) / max(total - self.busy0[1], 1e-9)
        seconds = t1 - self.t0
        result: dict[str, Any] = {
            "seconds": round(seconds, 2),
            "cpu_percent": shares,
            "machine_busy_percent": round(machine, 1),
        }
        if self.watch.per_process:  # a node of several processes (--workers): each one's share, root first
            result["server_processes"] = {name: list(each.values()) for name, each in self.watch.per_process.items()}
        if completed:
            server = sum(v for k, v in shares.items() if k.startswith(("node", "relay")))
            result["server_cpu_ms_per_message"] = round(10 * server * seconds / completed, 3)
        return result


@dataclass
class Running:
    """Writers stop between messages when told: never cancelled inside a send (websockets then closes the
    connection), and a cancellation alone can be swallowed by wait_for on Python 3.11."""

    on: bool = True
    stopped: asyncio.Event = field(default_factory=asyncio.Event)
    died: int = 0

    async def pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopped.wait(), max(seconds, 0.0))

    async def stop(self, tasks: list[asyncio.Task[None]], grace: float = 35) -> None:
        self.on = False
        self.stopped.set()
        _done, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self.died = sum(1 for t in tasks if not t.cancelled() and t.exception() is not None)


async def _measure(
    ctx: Context, running: Running, tasks: list[asyncio.Task[None]], warmup: float, duration: float
) -> dict[str, Any]:
    """Let the writers warm up, count and time what completes over `duration` seconds, then stop the writers."""
    tracker = ctx.tracker
    await asyncio.sleep(warmup)
    window = ctx.cpu()
    window.start()
    tracker.counting = tracker.recording = True
    await asyncio.sleep(duration)
    tracker.counting = tracker.recording = False
    measured = window.stop(tracker.completed)
    await running.stop(tasks)
    return measured


async def _drain(tracker: Tracker, seconds: float) -> int:
    """Wait (a bounded time) for every message still in flight, so that the next phase starts on an idle server;
    the ones left are forgotten. Returns how many of those were sent in the measured window."""
    deadline = now() + seconds
    while tracker.inflight and now() < deadline:  # noqa: ASYNC110 (polls a dict the readers empty)
        await asyncio.sleep(0.1)
    recorded = sum(1 for s in tracker.inflight.values() if s.record)
    tracker.inflight.clear()
    return recorded


async def throughput(ctx: Context, chats: int, warmup: float, duration: float) -> dict[str, Any]:
    """Closed loop: in every chat each side sends, waits until its message is acknowledged and delivered, repeats."""
    await ctx.pool.ensure(chats)
    tracker, tag, body = ctx.tracker, ctx.tag(), ctx.body
    tracker.reset()

    running = Running()

    async def loop(chat: Chat, side: str) -> None:
        direction = "v2c" if side == "v" else "c2v"
        n = 0
        while running.on:
            n += 1
            client_id = f"{tag}{side}{chat.index}-{n}"
            item = tracker.sent(client_id, direction, chat.index, chat.needs_ack, wait=True)
            await chat.send(side, client_id, body)
            assert item.done is not None
            await asyncio.wait([item.done], timeout=30)
            if not item.done.done():
                acked = "acked" if item.acked else "not-acked"
                delivered = "delivered" if item.delivered else "not-delivered"
                tracker.errors[f"timeout-{direction}-{acked}-{delivered}"] += 1
                tracker.inflight.pop(client_id, None)

    tasks = [asyncio.create_task(loop(c, s)) for c in ctx.pool.chats[:chats] for s in ("v", "c")]
    measured = await _measure(ctx, running, tasks, warmup, duration)
    undelivered = await _drain(tracker, 30)
    return {
        "chats": chats,
        "messages_per_s": round(tracker.completed / measured["seconds"], 1),
        "completed": tracker.completed,
        "undelivered": undelivered,
        "latency_v2c": summary_ms(tracker.latency["v2c"]),
        "latency_ack": summary_ms(tracker.latency["ack"]),
        "errors": dict(tracker.errors),
        "writers_died": running.died,
        **measured,
    }


async def latency(
    ctx: Context, chats: int, interval: float, warmup: float, duration: float, drain: float = 90
) -> dict[str, Any]:
    """Paced: each side of every chat writes every `interval` seconds (random phase), with one message in flight
    at most (as a person waits for the tick before writing more). A message held back by a late one is timed from
    when it was due, so an overloaded server shows in the latencies (no coordinated omission)."""
    await ctx.pool.ensure(chats)
    tracker, tag, body = ctx.tracker, ctx.tag(), ctx.body
    tracker.reset()
    behind = [0]
    running = Running()

    async def writer(chat: Chat, side: str) -> None:
        direction = "v2c" if side == "v" else "c2v"
        await running.pause(random.uniform(0, interval))
        due, n = now(), 0
        while running.on:
            n += 1
            client_id = f"{tag}{side}{chat.index}-{n}"
            item = tracker.sent(client_id, direction, chat.index, chat.needs_ack, wait=True, at=due)
            await chat.send(side, client_id, body)
            due += interval
            await running.pause(due - now())
            assert item.done is not None
            if running.on and not item.done.done():
                behind[0] += 1
                while running.on and not item.done.done():
                    await asyncio.wait([item.done], timeout=1)

    tasks = [asyncio.create_task(writer(c, s)) for c in ctx.pool.chats[:chats] for s in ("v", "c")]
    measured = await _measure(ctx, running, tasks, warmup, duration)
    t_drain = now()
    undelivered = await _drain(tracker, drain)
    drained_s = now() - t_drain
    return {
        "chats": chats,
        "offered_per_s": round(2 * chats / interval, 1),
        "messages_per_s": round(tracker.completed / measured["seconds"], 1),
        "latency_v2c": summary_ms(tracker.latency["v2c"]),
        "latency_c2v": summary_ms(tracker.latency["c2v"]),
        "latency_ack": summary_ms(tracker.latency["ack"]),
        "undelivered": undelivered,
        "drain_s": round(drained_s, 1),
        "writers_behind": behind[0],
        "writers_died": running.died,
        "errors": dict(tracker.errors),
        **measured,
    }


async def storm(
    ctx: Context, chats: int, spread: float, interval: float, before: float, after: float, drain: float = 30
) -> dict[str, Any]:
    """Counselors keep writing; every visitor socket is cut at once, then each reconnects within `spread` seconds
    with `hello` and its `last_seq`. Resumed: the state frame arrived and every counselor message acknowledged before
    the hello has arrived. Lost: acknowledged counselor messages the visitor never received; duplicates too. The
    target is measured from the last reconnect: `resumed_after_last_reconnect_s`."""
    pool = ctx.pool
    assert isinstance(pool, LyktaPool)
    await pool.ensure(chats)
    tracker, tag, body = ctx.tracker, ctx.tag(), ctx.body
    tracker.reset()
    selected = pool.lykta_chats[:chats]
    for counselor in pool.counselors:
        counselor.acked_seqs.clear()
        counselor.acked_at.clear()
        counselor.track_seqs = True
    for chat in selected:
        chat.visitor.counselor_seqs.clear()

    running = Running()

    async def writer(chat: Chat) -> None:  # paced as in `latency`: one message in flight
        await running.pause(random.uniform(0, interval))
        due, n = now(), 0
        while running.on:
            n += 1
            client_id = f"{tag}c{chat.index}-{n}"
            item = tracker.sent(client_id, "c2v", chat.index, True, wait=True, at=due)
            await chat.send("c", client_id, body)
            due += interval
            await running.pause(due - now())
            assert item.done is not None
            while running.on and not item.done.done():
                await asyncio.wait([item.done], timeout=1)

    writers = [asyncio.create_task(writer(c)) for c in selected]
    await asyncio.sleep(before)
    window = ctx.cpu()
    window.start()
    t_drop = now()
    for chat in selected:
        chat.visitor.drop()
    resumed: list[float] = []
    reconnects: list[float] = []
    failures: list[str] = []

    async def come_back(visitor: Visitor, acked: dict[str, list[int]]) -> None:
        await asyncio.sleep(random.uniform(0, spread))
        reconnects.append(now() - t_drop)
        target = max(acked.get(visitor.conversation_id, [0]))
        try:
            with contextlib.suppress(Exception):
                await visitor.close()
            await visitor.connect(pool.compression)
            visitor.resilient = True
            await visitor.caught_up(target, 90)
            resumed.append(now() - t_drop)
        except Exception as exc:
            failures.append(type(exc).__name__)

    returns = [come_back(c.visitor, c.counselor.acked_seqs) for c in selected]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*returns), spread + 90)
    measured = window.stop()
    await asyncio.sleep(after)
    await running.stop(writers)
    await _drain(tracker, drain)
    lost = duplicates = acked_total = 0
    when_lost: Counter[str] = Counter()  # when a lost message's ack came, against its visitor's last hello
    lost_sample: list[list[int]] = []
    for chat in selected:
        acked = set(chat.counselor.acked_seqs.get(chat.conversation_id, []))
        received = chat.visitor.counselor_seqs
        acked_total += len(acked)
        missing = acked - set(received)
        lost += len(missing)
        duplicates += sum(n - 1 for n in received.values() if n > 1)
        for seq in missing:
            at = chat.counselor.acked_at.get((chat.conversation_id, seq), 0.0)
            visitor = chat.visitor
            when_lost[
                "before the hello"
                if at < visitor.hello_at
                else "between the hello and its state"
                if at <= visitor.state_at
                else "after the state"
            ] += 1
            if len(lost_sample) < 10:  # ms from the hello to the ack, and to the state
                lost_sample.append(
                    [round(1000 * (at - visitor.hello_at)), round(1000 * (visitor.state_at - visitor.hello_at))]
                )
    for counselor in pool.counselors:
        counselor.track_seqs = False
    all_resumed = max(resumed) if resumed and len(resumed) == len(selected) else None
    last_reconnect = max(reconnects, default=0.0)
    return {
        "chats": chats,
        "spread_s": spread,
        "resumed": len(resumed),
        "failed": len(failures),
        "failures": sorted(set(failures)),
        "all_resumed_s": round(all_resumed, 2) if all_resumed is not None else None,
        "last_reconnect_s": round(last_reconnect, 2),
        "resumed_after_last_reconnect_s": round(all_resumed - last_reconnect, 2) if all_resumed is not None else None,
        "resume_p50_s": round(statistics.median(resumed), 2) if resumed else None,
        "acked_counselor_messages": acked_total,
        "lost": lost,
        "lost_acked": dict(when_lost),
        "lost_sample_ms": lost_sample,
        "duplicates": duplicates,
        "writers_died": running.died,
        "errors": dict(tracker.errors),
        **measured,
    }


async def sample_rss(pid: int, samples: int = 5, every: float = 0.4) -> int:
    values = []
    for _ in range(samples):
        values.append(rss_kib(pid))
        await asyncio.sleep(every)
    return int(statistics.median(values))


async def idle_memory(
    sockets: list[Any], pid: int, warm: int, compression: Compression, settle: float = 5
) -> dict[str, Any]:
    """RSS of the server before and after the given sockets (visitors or relay peers) connect and say hello."""
    first, rest = sockets[:warm], sockets[warm:]

    async def open_one(i: int, group: list[Any]) -> None:
        await group[i].connect(compression)

    await bounded(len(first), lambda i: open_one(i, first), 64)
    await asyncio.sleep(settle)
    before = await sample_rss(pid)
    t0 = now()
    await bounded(len(rest), lambda i: open_one(i, rest), 64)
    opened_s = now() - t0
    await asyncio.sleep(settle)
    after = await sample_rss(pid)
    still = sum(1 for s in sockets if s.open)
    await bounded(len(sockets), lambda i: sockets[i].close(), 256)
    return {
        "connections": len(rest),
        "compression": compression or "off",
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": round((after - before) / max(len(rest), 1), 1),
        "open_s": round(opened_s, 1),
        "still_open": still,
    }


def relay_idle_sockets(url: str, count: int, tracker: Tracker) -> list[RelayPeer]:
    return [RelayPeer(url, 1_000_000 + i, "a", tracker) for i in range(count)]
