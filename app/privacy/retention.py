"""Retention: a conversation's text goes `retention_hours` after it ended (0: at once), with its row.

The conversation row is deleted, not kept stripped: its token and follow-up hashes, link, coarse answers
and exact times are all it has, and exact times can be joined with other records. Its messages, notes and
tag links go with it. What stays is anonymous: the `conversation_stat` row written at close and the audit
log, which never holds text, and holds a conversation's id only as long as the conversation's retention:
the pass that deletes a conversation drops its id from the audit entries about it, and entries about a
conversation that is already gone (purged at once) lose it once they are older than the retention window.
Without the id, an entry's exact time can no longer be joined with that conversation's statistics row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.metrics import BACKGROUND_RUNS
from app.feedback.service import forget_unused_keys, stale_before
from app.mailbox.retention import sweep_mailbox
from app.models import AuditEntry, Conversation, ConversationState, ConversationTag, Message, Note, utcnow
from app.privacy.audit import record
from app.privacy.sockets import queue_revocation, watch_revocations
from app.privacy.storage import scrub_after_delete
from app.realtime.hub import QUEUE_CHANNEL
from app.runtime import Runtime

log = logging.getLogger(__name__)
ENDED = (ConversationState.closed, ConversationState.abandoned)
BATCH = 200


@dataclass
class PurgeCounts:
    conversations: int = 0
    messages: int = 0
    notes: int = 0
    scrubbed: bool | None = None  # None: nothing was deleted, so nothing to scrub

    def __iadd__(self, other: PurgeCounts) -> PurgeCounts:
        self.conversations += other.conversations
        self.messages += other.messages
        self.notes += other.notes
        return self

    def __str__(self) -> str:
        return f"conversations={self.conversations} messages={self.messages} notes={self.notes}"


def _count(result: Any) -> int:
    return max(0, int(result.rowcount or 0))


async def delete_conversations(session: AsyncSession, ids: list[uuid.UUID]) -> PurgeCounts:
    """Delete ended conversations with their text; open sockets of their visitors close after commit."""
    if not ids:
        return PurgeCounts()
    messages = await session.exec(delete(Message).where(col(Message.conversation_id).in_(ids)))
    notes = await session.exec(delete(Note).where(col(Note.conversation_id).in_(ids)))
    await session.exec(delete(ConversationTag).where(col(ConversationTag.conversation_id).in_(ids)))
    gone = await session.exec(
        delete(Conversation).where(col(Conversation.id).in_(ids), col(Conversation.state).in_(ENDED))
    )
    for conversation_id in ids:
        queue_revocation(session, conversation_id, "purged")
    return PurgeCounts(_count(gone), _count(messages), _count(notes))


async def forget_audit_ids(session: AsyncSession, ids: list[uuid.UUID], cutoff: datetime) -> int:
    """Drop conversation ids from the audit log: those of the conversations deleted now, and those of
    entries older than the retention window whose conversation is gone. Returns the entries changed."""
    changed = 0
    if ids:
        result = await session.exec(
            update(AuditEntry).where(col(AuditEntry.conversation_id).in_(ids)).values(conversation_id=None)
        )
        changed += _count(result)
    gone = ~exists().where(col(Conversation.id) == col(AuditEntry.conversation_id))
    result = await session.exec(
        update(AuditEntry)
        .where(col(AuditEntry.conversation_id).is_not(None), col(AuditEntry.at) <= cutoff, gone)
        .values(conversation_id=None)
    )
    return changed + _count(result)


async def expired(session: AsyncSession, cutoff: datetime, limit: int = BATCH) -> list[uuid.UUID]:
    query = (
        select(Conversation.id)
        .where(col(Conversation.state).in_(ENDED), col(Conversation.closed_at) <= cutoff)
        .order_by(col(Conversation.closed_at))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # several nodes sweep at once: each takes others
    return list((await session.exec(query)).all())


async def retention_pass(runtime: Runtime, now: datetime | None = None, *, scrub: bool = False) -> PurgeCounts:
    """Delete every conversation that ended before the retention window, in batches, each audited;
    then scrub the files (also when `scrub`, e.g. an earlier scrub did not complete)."""
    cutoff = (now or utcnow()) - timedelta(hours=runtime.settings.retention_hours)
    total = PurgeCounts()
    while True:
        async with runtime.transaction() as session:
            ids = await expired(session, cutoff)
            counts = await delete_conversations(session, ids)
            await forget_audit_ids(session, ids, cutoff)
            await forget_unused_keys(session, stale_before(cutoff.date()))  # feedback nobody gave (app/feedback)
            if counts.conversations:
                await record(session, "retention", detail=str(counts))
        total += counts
        if len(ids) < BATCH:
            break
    if total.conversations or scrub:
        total.scrubbed = await scrub_after_delete(runtime.engine, runtime.settings)
    await sweep_mailbox(runtime, now)  # letters past their time (app/mailbox/retention.py), scrubbed there
    return total


class RetentionSweeper:
    """Runs retention_pass every interval; with retention 0 also right after a conversation ends.

    It also installs this node's listener that closes visitor sockets of purged or reopened conversations.
    """

    def __init__(self, runtime: Runtime, interval_s: float | None = None) -> None:
        self.runtime = runtime
        self.interval_s = interval_s or runtime.settings.sweep_interval_s
        self._wake = asyncio.Event()
        self._unscrubbed = False
        watch_revocations(runtime.hub)
        if runtime.settings.retention_hours == 0:
            runtime.hub.add_listener(QUEUE_CHANNEL, self.wake)  # an end changes the queue: sweep now

    def wake(self, _channel: str, _payload: object) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                if self.runtime.leads():  # one node of the cluster sweeps
                    BACKGROUND_RUNS.labels("retention").inc()
                    counts = await retention_pass(self.runtime, scrub=self._unscrubbed)
                    self._unscrubbed = counts.scrubbed is False
                    if counts.conversations:
                        log.info("retention: deleted %s", counts)
            except Exception:
                log.exception("retention pass failed; trying again next round")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval_s)
            self._wake.clear()
