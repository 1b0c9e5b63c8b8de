"""PostgreSQL: a batch is a few prepared statements on the driver's (asyncpg) connection, arrays in, no ORM.

The batch's conversations are locked first, in one order (by id), so that two nodes' batches over the same
conversations wait for each other instead of deadlocking; then one UPDATE per kind takes the seqs
(`UPDATE ... FROM unnest(...) RETURNING`) and one INSERT stores every row.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.conversations.batch import Conflict, Key, Outcome, PendingMessage, Plan, StoredMessage
from app.models import utcnow

LOCK = "SELECT id FROM conversation WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE"
TAKE_SEQS = """
UPDATE conversation AS c SET last_seq = c.last_seq + g.n, last_activity_at = $3
FROM unnest($1::uuid[], $2::int[]) AS g(id, n)
WHERE c.id = g.id AND c.state IN ('waiting', 'active')
RETURNING c.id, c.last_seq
"""
TAKE_SEQS_HOLDING = """
UPDATE conversation AS c SET last_seq = c.last_seq + g.n, last_activity_at = $4,
    first_answer_at = coalesce(c.first_answer_at, $4),
    transfer_from_id = CASE WHEN c.accept_by IS NULL THEN c.transfer_from_id ELSE NULL END,
    accept_by = NULL
FROM unnest($1::uuid[], $2::int[], $3::int[]) AS g(id, n, holder)
WHERE c.id = g.id AND c.state = 'active' AND c.counselor_id = g.holder
RETURNING c.id, c.last_seq, c.counselor_id
"""
INSERT = """
INSERT INTO message (conversation_id, seq, author, counselor_id, alias, body, client_id, created_at)
SELECT g.*, $8::timestamptz
FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[]) AS g
ON CONFLICT (conversation_id, client_id) DO NOTHING
RETURNING id
"""
STORED = """
SELECT m.conversation_id, m.client_id, m.seq, m.author, m.alias, m.body, m.created_at, m.counselor_id
FROM unnest($1::uuid[], $2::text[]) AS k(cid, client_id)
JOIN message AS m ON m.conversation_id = k.cid AND m.client_id = k.client_id
"""


class PostgresBatchStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def close(self) -> None:
        return None

    async def write(self, batch: list[PendingMessage]) -> tuple[list[Outcome], int]:
        async with self._engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            try:
                return await self._transaction(raw, batch, check_resends=False)
            except Conflict as conflict:
                outcomes, statements = await self._transaction(raw, batch, check_resends=True)
                return outcomes, conflict.statements + statements

    @staticmethod
    async def _transaction(db: Any, batch: list[PendingMessage], check_resends: bool) -> tuple[list[Outcome], int]:
        async with db.transaction():
            cids = sorted({s.conversation_id for s in batch})
            await db.execute(LOCK, cids)
            statements = 1
            stored: dict[Key, StoredMessage] = {}
            if check_resends:
                stored = await _stored(db, [s.key for s in batch if s.key is not None])
                statements += 1
            now = utcnow()
            plan = Plan(batch, stored, now)
            visitor_last: dict[uuid.UUID, int] = {}
            holder_last: dict[tuple[uuid.UUID, int], int] = {}
            if plan.visitors:
                rows = await db.fetch(TAKE_SEQS, list(plan.visitors), list(plan.visitors.values()), now)
                visitor_last = {row[0]: row[1] for row in rows}
                statements += 1
            if plan.holders:
                groups = list(plan.holders)
                rows = await db.fetch(
                    TAKE_SEQS_HOLDING, [g[0] for g in groups], list(plan.holders.values()), [g[1] for g in groups], now
                )
                holder_last = {(row[0], row[2]): row[1] for row in rows}
                statements += 1
            messages = plan.rows(visitor_last, holder_last)
            if messages:
                columns: list[list[Any]] = [[], [], [], [], [], [], []]
                for m in messages:
                    values = (m.conversation_id, m.seq, m.author, m.counselor_id, m.alias, m.body, m.client_id)
                    for column, value in zip(columns, values, strict=True):
                        column.append(value)
                inserted = await db.fetch(INSERT, *columns, now)
                statements += 1
                if len(inserted) != len(messages):
                    raise Conflict(statements)
            refused = plan.refused_keys()
            if refused and not check_resends:
                plan.settle_resends(await _stored(db, refused))
                statements += 1
        return plan.results(), statements


async def _stored(db: Any, keys: list[Key]) -> dict[Key, StoredMessage]:
    if not keys:
        return {}
    rows = await db.fetch(STORED, [k[0] for k in keys], [k[1] for k in keys])
    return {
        (row[0], row[1]): StoredMessage(row[0], row[2], row[3], row[4], row[5], row[1], row[6], row[7], False)
        for row in rows
    }
