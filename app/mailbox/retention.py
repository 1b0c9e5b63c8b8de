"""Mailbox retention: threads that have had their time (`expired` in app/mailbox/service.py) are deleted with
their letters and notes, in audited batches; then the database files are made to let go of the text
(SQLite: WAL checkpoint after secure_delete; PostgreSQL: VACUUM of the mailbox tables).

What stays is the thread's anonymous `mailbox_stat` row (nothing points to it any more) and the audit log.
The retention pass (app/privacy/retention.py) runs `sweep_mailbox` after the conversations.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.models import MailboxEntry, MailboxNote, MailboxThread, utcnow
from app.privacy.audit import record
from app.privacy.storage import checkpoint_wal, vacuum
from app.runtime import Runtime

log = logging.getLogger(__name__)
BATCH = 200
MAILBOX_TABLES = ("mailbox_entry", "mailbox_note", "mailbox_thread")


@dataclass
class ThreadCounts:
    threads: int = 0
    entries: int = 0
    notes: int = 0

    def __str__(self) -> str:
        return f"mailbox threads={self.threads} entries={self.entries} notes={self.notes}"


def _count(result: Any) -> int:
    return max(0, int(result.rowcount or 0))


async def delete_threads(session: AsyncSession, ids: list[uuid.UUID]) -> ThreadCounts:
    """Delete threads with their letters and notes (explicitly, not by cascade: SQLite overwrites each row)."""
    if not ids:
        return ThreadCounts()
    entries = await session.exec(delete(MailboxEntry).where(col(MailboxEntry.thread_id).in_(ids)))
    notes = await session.exec(delete(MailboxNote).where(col(MailboxNote.thread_id).in_(ids)))
    threads = await session.exec(delete(MailboxThread).where(col(MailboxThread.id).in_(ids)))
    return ThreadCounts(_count(threads), _count(entries), _count(notes))


async def expired_ids(session: AsyncSession, now: datetime, settings: Settings, limit: int = BATCH) -> list[uuid.UUID]:
    from app.mailbox.service import expired  # the rule lives with the look-up that must agree with it

    query = select(MailboxThread.id).where(expired(now, settings)).order_by(col(MailboxThread.created_at)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # several nodes may sweep at once
    return list((await session.exec(query)).all())


async def scrub_mailbox(engine: AsyncEngine, settings: Settings) -> bool:
    """After the deleting transaction committed; False when the files may still hold the text."""
    try:
        if engine.dialect.name == "sqlite":
            return await checkpoint_wal(engine)
        if engine.dialect.name == "postgresql" and settings.vacuum_after_purge:
            await vacuum(engine, MAILBOX_TABLES)
    except Exception:  # the deletion is committed; the next pass that deletes scrubs again
        log.exception("could not scrub the database files after deleting mailbox threads")
        return False
    return True


async def sweep_mailbox(runtime: Runtime, now: datetime | None = None) -> ThreadCounts:
    """Delete every thread that has had its time, in batches, each audited; then scrub the files."""
    now = now or utcnow()
    total = ThreadCounts()
    while True:
        async with runtime.transaction() as session:
            ids = await expired_ids(session, now, runtime.settings)
            counts = await delete_threads(session, ids)
            if counts.threads:
                await record(session, "mailbox_retention", detail=str(counts))
        total.threads += counts.threads
        total.entries += counts.entries
        total.notes += counts.notes
        if len(ids) < BATCH:
            break
    if total.threads:
        await scrub_mailbox(runtime.engine, runtime.settings)
        log.info("retention: deleted %s", total)
    return total
