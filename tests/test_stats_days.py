"""Statistics count the service's days (Europe/Stockholm by default), not UTC's (issue 13, finding 8)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update

from app.conversations.recorder import record_presence_change
from app.core.db import make_engine, make_sessionmaker
from app.models import Conversation
from tests.helpers import Lykta
from tests.test_outreach_register import ok


async def stats(staff: Any, day: str) -> dict[str, Any]:
    data: dict[str, Any] = ok(await staff.get("/api/console/stats", **{"from": day, "to": day, "by": "none"}))
    return data


async def test_a_chat_started_after_midnight_in_stockholm_counts_on_that_day(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Sara")
    visitor = await lykta.visitor()
    # Started at 23:30 UTC on 10 March 2026: 00:30 on 11 March in Stockholm (CET, UTC+1).
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            started = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
            await session.exec(
                update(Conversation)
                .where(Conversation.id == uuid.UUID(visitor.conversation_id))  # type: ignore[arg-type]
                .values(created_at=started, queued_at=started)
            )
            await session.commit()
    finally:
        await engine.dispose()
    ok(await counselor.claim(visitor.conversation_id))
    ok(await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close", {"tags": []}))

    assert (await stats(counselor, "2026-03-11"))["overall"]["started"] == 1
    assert (await stats(counselor, "2026-03-10"))["overall"]["started"] == 0


async def test_duty_hours_split_at_stockholm_midnight(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            # 22:00-01:00 UTC is 23:00-02:00 in Stockholm: 1 h on the 10th, 2 h on the 11th (in UTC: 2 h and 1 h).
            for old, new, when in [
                ("offline", "available", datetime(2026, 3, 10, 22, tzinfo=UTC)),
                ("available", "offline", datetime(2026, 3, 11, 1, tzinfo=UTC)),
            ]:
                await record_presence_change(session, counselor.id, old, new, when)
            await session.commit()
    finally:
        await engine.dispose()
    report = ok(await counselor.get("/api/console/stats", **{"from": "2026-03-10", "to": "2026-03-11", "by": "none"}))
    assert {p["period"]: p["counselor_hours"] for p in report["periods"]} == {"2026-03-10": 1.0, "2026-03-11": 2.0}
