"""What one process holds for its life: settings, engine, broker, shared state, local hub.

main.py builds it at start-up and keeps it in `app.state`; a route or socket finds it with `runtime_of`.
It holds the features' process-wide objects too (blocks, heartbeats, the queue notifier), so it sits in
the features' layer, above conversations and realtime (the layers: pyproject.toml's import-linter).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from app.cluster.lease import Leadership
from app.conversations.writer import MessageWriter, make_store
from app.core.config import Settings
from app.core.db import unit_of_work
from app.core.shared import MemorySharedState, SharedState
from app.privacy.blocks import Blocklist
from app.realtime.broker import Broker
from app.realtime.budget import BudgetRates
from app.realtime.hub import Hub
from app.realtime.sweep import SocketSweep
from app.routing.notifier import QueueNotifier
from app.routing.presence import Heartbeats


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    broker: Broker
    hub: Hub = field(default_factory=Hub)
    notifier: QueueNotifier | None = None
    shared: SharedState = field(default_factory=MemorySharedState)  # what every node must agree on
    leadership: Leadership | None = None

    @property
    def blocks(self) -> Blocklist:
        """Blocks of chats' sources, kept in the shared state."""
        return Blocklist(self.shared)

    def leads(self) -> bool:
        """True when this node runs the cluster's background work (always, without a lease)."""
        return self.leadership is None or self.leadership.is_leader

    @cached_property
    def messages(self) -> MessageWriter:
        """Stores the sockets' messages in shared transactions (group commit)."""
        return MessageWriter(make_store(self.engine, self.settings.database_url), self.broker)

    @cached_property
    def sockets(self) -> SocketSweep:
        """Every open socket of this process, swept by one loop (hello deadline, idle, heartbeats)."""
        return SocketSweep(self.settings)

    @cached_property
    def budgets(self) -> BudgetRates:
        """What each frame type may cost a socket."""
        return BudgetRates(self.settings)

    @cached_property
    def heartbeats(self) -> Heartbeats:
        """Sockets' signs of life, written in batches."""
        return Heartbeats(self.sessionmaker)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with unit_of_work(self.sessionmaker, self.broker) as session:
            yield session


def runtime_of(conn: HTTPConnection) -> Runtime:
    runtime = conn.app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime
