"""Time-driven duty rules: presence grace, unanswered assignments, visitors gone while waiting, idle chats,
auto-assignment. They run on the node holding the cluster lease (app/cluster/lease.py); each is a conditional
change besides, so a round overlapping a hand-over does no harm."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations import lifecycle
from app.conversations.messages import append_message
from app.conversations.notices import notice
from app.conversations.recorder import record_presence_change
from app.core.db import queue_event
from app.core.metrics import BACKGROUND_RUNS
from app.models import Author, Conversation, ConversationState, Counselor, Presence, utcnow
from app.realtime.events import presence_event, queue_changed_event
from app.realtime.hub import QUEUE_CHANNEL, STAFF_CHANNEL, counselor_channel
from app.routing import service_settings
from app.routing.assign import assign_one
from app.runtime import Runtime

log = logging.getLogger(__name__)
MAX_ASSIGNMENTS_PER_ROUND = 200


@dataclass
class SweepReport:
    offline: list[int] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)
    idle_closed: list[str] = field(default_factory=list)
    assigned: int = 0


async def requeue(session: AsyncSession, conversation: Conversation, notice_key: str) -> None:
    """Back to the head of the queue (ahead of newcomers) with a line telling the visitor why."""
    holder = await lifecycle.release(session, conversation, priority=1)
    await append_message(session, conversation.id, author=Author.system, body=notice(notice_key, conversation.language))
    await lifecycle.announce(session, conversation, holders={holder})


async def sweep_presence(session: AsyncSession, grace_s: int, now: datetime, report: SweepReport) -> None:
    stale = now - timedelta(seconds=grace_s)
    gone = (
        await session.exec(
            select(Counselor).where(
                Counselor.presence != Presence.offline,
                or_(col(Counselor.seen_at).is_(None), col(Counselor.seen_at) < stale),
            )
        )
    ).all()
    for counselor in gone:
        assert counselor.id is not None
        await record_presence_change(session, counselor.id, counselor.presence, Presence.offline, now)
        counselor.presence, counselor.presence_changed_at = Presence.offline, now
        session.add(counselor)
        event = presence_event(counselor.id, Presence.offline)
        queue_event(session, counselor_channel(counselor.id), event)
        queue_event(session, STAFF_CHANNEL, event)
        report.offline.append(counselor.id)
        for conversation in await lifecycle.held_by(session, counselor.id):
            await requeue(session, conversation, "counselor_left")
            report.requeued.append(str(conversation.id))
    if gone:
        queue_event(session, QUEUE_CHANNEL, queue_changed_event())


async def sweep_unaccepted(session: AsyncSession, now: datetime, report: SweepReport) -> None:
    """An assignment or transfer not taken in time goes back: a transfer to its sender, else the queue."""
    late = (
        await session.exec(
            select(Conversation).where(
                Conversation.state == ConversationState.active,
                col(Conversation.accept_by).is_not(None),
                col(Conversation.accept_by) < now,
            )
        )
    ).all()
    for conversation in late:
        sender = conversation.transfer_from_id
        if sender is not None:
            back = await session.get(Counselor, sender)
            if back is not None and back.presence == Presence.available:
                holder = conversation.counselor_id
                conversation.counselor_id, conversation.accept_by = sender, None
                conversation.transfer_from_id = None
                session.add(conversation)
                await lifecycle.announce(session, conversation, holders={holder})
                report.requeued.append(str(conversation.id))
                continue
        await requeue(session, conversation, "returned_to_queue")
        report.requeued.append(str(conversation.id))


async def sweep_waiting_visitors(session: AsyncSession, grace_s: int, now: datetime, report: SweepReport) -> None:
    stale = now - timedelta(seconds=grace_s)
    gone = (
        await session.exec(
            select(Conversation).where(
                Conversation.state == ConversationState.waiting, col(Conversation.visitor_seen_at) < stale
            )
        )
    ).all()
    for conversation in gone:
        await lifecycle.finish(session, conversation)
        await lifecycle.announce(session, conversation, holders=set())
        report.abandoned.append(str(conversation.id))


async def sweep_idle(session: AsyncSession, minutes: int, now: datetime, report: SweepReport) -> None:
    stale = now - timedelta(minutes=minutes)
    idle = (
        await session.exec(
            select(Conversation).where(
                Conversation.state == ConversationState.active, col(Conversation.last_activity_at) < stale
            )
        )
    ).all()
    for conversation in idle:
        await append_message(
            session, conversation.id, author=Author.system, body=notice("idle_closed", conversation.language)
        )
        await lifecycle.finish(session, conversation)
        await lifecycle.announce(session, conversation, holders=set())
        report.idle_closed.append(str(conversation.id))


async def sweep_once(runtime: Runtime, now: datetime | None = None) -> SweepReport:
    """One round of every rule, each in its own short transaction."""
    now = now or utcnow()
    report = SweepReport()
    async with runtime.sessionmaker() as session:
        rules = await service_settings.load(session)
    async with runtime.transaction() as session:
        await sweep_presence(session, rules.presence_grace_s, now, report)
    async with runtime.transaction() as session:
        await sweep_unaccepted(session, now, report)
    async with runtime.transaction() as session:
        await sweep_waiting_visitors(session, rules.visitor_grace_s, now, report)
    async with runtime.transaction() as session:
        await sweep_idle(session, rules.idle_close_minutes, now, report)
    if rules.routing_mode == "auto":
        report.assigned = await assign_all(runtime, rules.accept_timeout_s)
    return report


async def assign_all(runtime: Runtime, accept_timeout_s: int) -> int:
    assigned = 0
    for _ in range(MAX_ASSIGNMENTS_PER_ROUND):
        async with runtime.transaction() as session:
            if await assign_one(session, accept_timeout_s) is None:
                break
        assigned += 1
    return assigned


class Sweeper:
    """Runs sweep_once every interval, and sooner when the queue or presence changes."""

    def __init__(self, runtime: Runtime, interval_s: float) -> None:
        self.runtime = runtime
        self.interval_s = interval_s
        self._wake = asyncio.Event()

    def wake(self, _channel: str, _payload: object) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval_s)
            self._wake.clear()
            if not self.runtime.leads():
                continue
            try:
                BACKGROUND_RUNS.labels("duty").inc()
                await sweep_once(self.runtime)
            except Exception:
                log.exception("sweep failed; trying again next round")
