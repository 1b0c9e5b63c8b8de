"""The async engine, short-lived sessions, and events published only after commit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

PENDING_EVENTS = "pending_events"
AFTER_COMMIT = "after_commit"


class Publisher(Protocol):
    """Where committed events go (app/realtime/broker.py's Broker)."""

    async def publish(self, channel: str, payload: Mapping[str, Any]) -> None: ...


def make_engine(database_url: str) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        # SQLite has one writer: one pooled connection serialises work in asyncio order instead
        # of threads fighting over the file lock (SQLITE_BUSY).
        engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=60)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(database_url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "secure_delete=ON",
        "busy_timeout=10000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False, autoflush=False)


def queue_event(session: AsyncSession, channel: str, payload: Mapping[str, Any]) -> None:
    """Remember an event (built by app/realtime/events.py) to publish once this session's transaction has committed."""
    session.info.setdefault(PENDING_EVENTS, []).append((channel, payload))


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run callback (e.g. an ack to the sender) once committed, before events are published."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


async def publish_pending(session: AsyncSession, broker: Publisher) -> None:
    for callback in session.info.pop(AFTER_COMMIT, []):
        callback()
    for channel, payload in session.info.pop(PENDING_EVENTS, []):
        await broker.publish(channel, payload)


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession], broker: Publisher
) -> AsyncIterator[AsyncSession]:
    """One transaction: commit on success, roll back on error, then publish what it queued."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            session.info.pop(PENDING_EVENTS, None)
            session.info.pop(AFTER_COMMIT, None)
            raise
        await publish_pending(session, broker)
