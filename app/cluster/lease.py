"""Work that must run once across the cluster (duty sweeps, retention, opening-hours clock) runs on the
node that holds a lease row in the shared database; the others stand by and take over when it lapses.

The lease is a conditional UPDATE (holder is me, or it has expired), which is atomic on PostgreSQL and on
SQLite's single writer. The holder renews every `ttl/3`; a holder that cannot renew stops at once, so two
nodes overlap at most for one round that was already running (every duty rule is a conditional change).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.metrics import LEADER
from app.models import ClusterLease, utcnow
from app.realtime.broker import Broker
from app.realtime.events import lease_released_event

log = logging.getLogger(__name__)
DUTIES = "duties"
CLUSTER_CHANNEL = "cluster"


def node_id() -> str:
    return f"{socket.gethostname()[:48]}:{os.getpid()}:{secrets.token_hex(4)}"


async def hold(
    sessionmaker: async_sessionmaker[AsyncSession], name: str, holder: str, ttl_s: float, now: datetime
) -> bool:
    """Take or renew the lease `name` for `holder`; False while another node holds it."""
    expires = now + timedelta(seconds=ttl_s)
    async with sessionmaker() as session:
        taken = await session.exec(
            update(ClusterLease)
            .where(
                col(ClusterLease.name) == name,
                or_(col(ClusterLease.holder) == holder, col(ClusterLease.expires_at) < now),
            )
            .values(holder=holder, expires_at=expires)
        )
        if taken.rowcount == 1:
            await session.commit()
            return True
        if await session.get(ClusterLease, name) is not None:
            return False
        session.add(ClusterLease(name=name, holder=holder, expires_at=expires))
        try:
            await session.commit()
        except IntegrityError:  # another node created it first
            return False
        return True


async def give_up(sessionmaker: async_sessionmaker[AsyncSession], name: str, holder: str) -> None:
    """Let the lease lapse now (on shutdown), so another node takes over without waiting for the ttl."""
    async with sessionmaker() as session:
        await session.exec(
            update(ClusterLease)
            .where(col(ClusterLease.name) == name, col(ClusterLease.holder) == holder)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()


class Leadership:
    """This node's claim on the cluster's background work, renewed in the background."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], ttl_s: float, name: str = DUTIES) -> None:
        self.sessionmaker = sessionmaker
        self.ttl_s = ttl_s
        self.name = name
        self.holder = node_id()
        self.is_leader = False
        self.changed = asyncio.Event()
        self._poked = asyncio.Event()

    def poke(self, _channel: str, payload: dict[str, Any]) -> None:
        """Another node gave the lease up: try for it now rather than at the next round."""
        if payload.get("type") == "lease_released" and payload.get("holder") != self.holder:
            self._poked.set()

    async def renew(self) -> bool:
        try:
            held = await hold(self.sessionmaker, self.name, self.holder, self.ttl_s, utcnow())
        except Exception as exc:  # cannot confirm the lease: stop leading until we can
            log.warning("lease renewal failed (%s); standing by", type(exc).__name__)
            held = False
        if held != self.is_leader:
            log.info("this node %s the cluster's background work", "now runs" if held else "no longer runs")
            self.is_leader = held
            LEADER.set(1 if held else 0)
            self.changed.set()
        return held

    async def run(self) -> None:
        while True:
            await self.renew()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poked.wait(), self.ttl_s / 3)
            self._poked.clear()

    async def release(self, broker: Broker) -> None:
        """Give the lease up (on shutdown) and tell the other nodes, so one takes over at once."""
        if self.is_leader:
            self.is_leader = False
            LEADER.set(0)
            with contextlib.suppress(Exception):
                await give_up(self.sessionmaker, self.name, self.holder)
                await broker.publish(CLUSTER_CHANNEL, lease_released_event(self.holder))
