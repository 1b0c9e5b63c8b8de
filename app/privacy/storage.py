"""After text is deleted, make the database's files let go of it too.

SQLite (secure_delete=ON) overwrites deleted cells with zeros, but in WAL mode the pages that still
hold the text stay in the -wal file until a checkpoint copies the zeroed pages back and truncates it.
PostgreSQL keeps deleted rows as dead tuples until VACUUM; that and more is in docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings

log = logging.getLogger(__name__)
VACUUMED_TABLES = ("message", "note")
CHECKPOINT_ATTEMPTS = 8


async def checkpoint_wal(engine: AsyncEngine, attempts: int = CHECKPOINT_ATTEMPTS) -> bool:
    """PRAGMA wal_checkpoint(TRUNCATE) until it completes (another process reading can hold it up)."""
    for attempt in range(attempts):
        async with engine.connect() as connection:
            row = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        if row[0] == 0:
            return True
        await asyncio.sleep(0.05 * 2**attempt)
    log.warning("the WAL checkpoint after a purge did not complete; the next purge pass tries again")
    return False


async def vacuum(engine: AsyncEngine, tables: tuple[str, ...] = VACUUMED_TABLES) -> None:
    """VACUUM cannot run inside a transaction: an autocommit connection of its own."""
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in tables:
            await autocommit.exec_driver_sql(f"VACUUM {table}")


async def scrub_after_delete(engine: AsyncEngine, settings: Settings) -> bool:
    """Run after the deleting transaction has committed; False when the files may still hold the text."""
    try:
        if engine.dialect.name == "sqlite":
            return await checkpoint_wal(engine)
        if engine.dialect.name == "postgresql" and settings.vacuum_after_purge:
            await vacuum(engine)
    except Exception:  # the deletion itself is committed; the next pass scrubs again
        log.exception("could not scrub the database files after a purge")
        return False
    return True
