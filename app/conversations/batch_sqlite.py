"""SQLite: a batch is one hop to a writer thread of its own, which runs the whole transaction there.

The thread keeps one connection to the database file (the pool's connection stays for everything else); a batch
takes the write lock at once (BEGIN IMMEDIATE), so it never has to upgrade a read and waits its turn on the busy
timeout like every other writer. Parameters go in as one JSON array per statement (`json_each`), so each statement
is the same text, prepared once, whatever the batch's size.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.engine import make_url

from app.conversations.batch import Conflict, Key, Outcome, PendingMessage, Plan, StoredMessage
from app.models import utcnow

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "secure_delete=ON", "busy_timeout=10000")
TAKE_SEQS = """
UPDATE conversation SET last_seq = last_seq + g.n, last_activity_at = ?2
FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS n FROM json_each(?1)) AS g
WHERE conversation.id = g.id AND conversation.state IN ('waiting', 'active')
RETURNING conversation.id, conversation.last_seq
"""
TAKE_SEQS_HOLDING = """
UPDATE conversation SET last_seq = last_seq + g.n, last_activity_at = ?2,
    first_answer_at = coalesce(first_answer_at, ?2),
    transfer_from_id = CASE WHEN accept_by IS NULL THEN transfer_from_id ELSE NULL END,
    accept_by = NULL
FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS n,
             json_extract(value, '$[2]') AS holder FROM json_each(?1)) AS g
WHERE conversation.id = g.id AND conversation.state = 'active'
    AND conversation.counselor_id = g.holder
RETURNING conversation.id, conversation.last_seq, conversation.counselor_id
"""
INSERT = """
INSERT INTO message (conversation_id, seq, author, counselor_id, alias, body, client_id, created_at)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
       json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'),
       json_extract(value, '$[6]'), ?2
FROM json_each(?1) WHERE true
ON CONFLICT (conversation_id, client_id) DO NOTHING
RETURNING id
"""
STORED = """
SELECT m.conversation_id, m.client_id, m.seq, m.author, m.alias, m.body, m.created_at, m.counselor_id
FROM json_each(?1) AS k
JOIN message AS m ON m.conversation_id = json_extract(k.value, '$[0]') AND m.client_id = json_extract(k.value, '$[1]')
"""


def _time(at: datetime) -> str:
    """As SQLAlchemy stores a UTC DateTime in SQLite."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class SqliteBatchStore:
    def __init__(self, database_url: str) -> None:
        path = make_url(database_url).database
        if not path or path == ":memory:":
            raise ValueError("Lykta on SQLite needs a database file (not :memory:)")
        self._path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lykta-writer")
        self._db: sqlite3.Connection | None = None

    async def write(self, batch: list[PendingMessage]) -> tuple[list[Outcome], int]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._write, batch)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._disconnect)
        self._executor.shutdown(wait=True)

    # -- in the writer thread -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            for pragma in PRAGMAS:
                db.execute(f"PRAGMA {pragma}")
            self._db = db
        return self._db

    def _disconnect(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _write(self, batch: list[PendingMessage]) -> tuple[list[Outcome], int]:
        try:
            return self._transaction(batch, check_resends=False)
        except Conflict as conflict:
            outcomes, statements = self._transaction(batch, check_resends=True)
            return outcomes, conflict.statements + statements

    def _transaction(self, batch: list[PendingMessage], check_resends: bool) -> tuple[list[Outcome], int]:
        db = self._connect()
        statements = 0
        db.execute("BEGIN IMMEDIATE")
        try:
            stored: dict[Key, StoredMessage] = {}
            if check_resends:
                stored = _stored(db, [s.key for s in batch if s.key is not None])
                statements += 1
            now = utcnow()
            plan = Plan(batch, stored, now)
            visitor_last: dict[uuid.UUID, int] = {}
            holder_last: dict[tuple[uuid.UUID, int], int] = {}
            at = _time(now)
            if plan.visitors:
                groups = orjson.dumps([[cid.hex, n] for cid, n in plan.visitors.items()]).decode()
                for cid, last in db.execute(TAKE_SEQS, (groups, at)):
                    visitor_last[uuid.UUID(hex=cid)] = last
                statements += 1
            if plan.holders:
                groups = orjson.dumps([[cid.hex, n, holder] for (cid, holder), n in plan.holders.items()]).decode()
                for cid, last, holder in db.execute(TAKE_SEQS_HOLDING, (groups, at)):
                    holder_last[(uuid.UUID(hex=cid), holder)] = last
                statements += 1
            rows = plan.rows(visitor_last, holder_last)
            if rows:
                values = [
                    [m.conversation_id.hex, m.seq, m.author, m.counselor_id, m.alias, m.body, m.client_id] for m in rows
                ]
                inserted = db.execute(INSERT, (orjson.dumps(values).decode(), at)).fetchall()
                statements += 1
                if len(inserted) != len(rows):
                    raise Conflict(statements)
            refused = plan.refused_keys()
            if refused and not check_resends:
                plan.settle_resends(_stored(db, refused))
                statements += 1
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return plan.results(), statements


def _stored(db: sqlite3.Connection, keys: list[Key]) -> dict[Key, StoredMessage]:
    if not keys:
        return {}
    found: dict[Key, StoredMessage] = {}
    params = orjson.dumps([[cid.hex, client_id] for cid, client_id in keys]).decode()
    row: Any
    for row in db.execute(STORED, (params,)):
        cid = uuid.UUID(hex=row[0])
        message = StoredMessage(cid, row[2], row[3], row[4], row[5], row[1], _parse_time(row[6]), row[7], False)
        found[(cid, row[1])] = message
    return found
