"""The wait estimate comes from recent real waits and the counselors on duty, checked on a known history."""

from __future__ import annotations

import uuid
from datetime import timedelta

from app.core.db import make_engine, make_sessionmaker
from app.core.security import token_hash
from app.models import Conversation, ConversationState, utcnow
from app.routing.queue import QueueSnapshot
from tests.helpers import Lykta

WAITS_S = [60, 120, 180, 240, 600]  # median 180 s
STALE_WAIT_S = 5000  # claimed more than a day ago: not recent, ignored


def test_estimate_shares_the_typical_wait_between_counselors_on_duty() -> None:
    queue = QueueSnapshot(items=[], available=2, typical_wait_s=180)
    assert [queue.estimated_wait_s(p) for p in (1, 2, 3, 4)] == [90, 180, 270, 360]
    nobody = QueueSnapshot(items=[], available=0, typical_wait_s=180)
    assert nobody.estimated_wait_s(2) == 360


async def seed_history(database_url: str) -> None:
    engine = make_engine(database_url)
    now = utcnow()
    async with make_sessionmaker(engine)() as session:
        for i, wait in enumerate([*WAITS_S, STALE_WAIT_S]):
            claimed = now - timedelta(hours=30 if wait == STALE_WAIT_S else 1, minutes=i)
            session.add(
                Conversation(
                    visitor_token_hash=token_hash(uuid.uuid4().hex),
                    state=ConversationState.closed,
                    queued_at=claimed - timedelta(seconds=wait),
                    claimed_at=claimed,
                    closed_at=claimed + timedelta(minutes=10),
                )
            )
        await session.commit()
    await engine.dispose()


async def test_waiting_visitors_see_position_and_the_estimate_from_history(lykta: Lykta) -> None:
    await seed_history(lykta.server.settings.database_url)
    await lykta.staff()
    await lykta.staff()
    first, second = await lykta.visitor(), await lykta.visitor()
    chat = await second.socket()
    assert await chat.expect("queue") == {"type": "queue", "position": 2, "estimated_wait_s": 180}
    async with lykta.http() as http:
        status = (await http.get("/api/visitor/status")).json()
    assert status["queue_length"] == 2 and status["estimated_wait_s"] == 270  # a newcomer would be third
    ahead = await first.socket()
    await ahead.send({"type": "end"})
    assert await chat.expect("queue", position=1) == {"type": "queue", "position": 1, "estimated_wait_s": 90}
