"""Resource referrals and the mailbox's statistics count the service's day (Europe/Stockholm), not UTC's
(issue 13, finding 8): an event at 23:30 UTC in winter is 00:30 on the next day in Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import col, select

from app.mailbox import service as mailbox
from app.mailbox.schemas import LetterIn
from app.models import ResourceReferral
from app.resources.service import count_referral
from tests.helpers import Lykta
from tests.mailbox_helpers import stat_rows
from tests.test_outreach_register import ok
from tests.test_retention import in_server

LATE_IN_WINTER = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)  # 00:30 on 15 January in Stockholm (CET, UTC+1)
STOCKHOLM_DAY, UTC_DAY = date(2026, 1, 15), date(2026, 1, 14)


async def test_a_card_sent_at_2330_utc_in_winter_counts_on_the_next_stockholm_day(lykta: Lykta) -> None:
    supervisor = await lykta.staff(role="supervisor", available=False)
    admin = await lykta.staff(role="admin", available=False)
    bris = next(r for r in ok(await admin.get("/api/admin/resources"))["items"] if r["name"] == "BRIS")

    async def send_and_read(session: Any) -> list[tuple[int, date, int]]:
        await count_referral(session, bris["id"], at=LATE_IN_WINTER)
        await session.flush()
        found = await session.exec(select(ResourceReferral).where(col(ResourceReferral.resource_id) == bris["id"]))
        return [(r.resource_id, r.day, r.count) for r in found.all()]

    assert await in_server(lykta, send_and_read) == [(bris["id"], STOCKHOLM_DAY, 1)]
    for day, expected in ((STOCKHOLM_DAY, [{"resource_id": bris["id"], "name": "BRIS", "count": 1}]), (UTC_DAY, [])):
        report = ok(await supervisor.get("/api/console/stats", **{"from": day.isoformat(), "to": day.isoformat()}))
        assert report["referrals"] == expected, day


async def test_a_letter_written_at_2330_utc_in_winter_counts_on_the_next_stockholm_day(lykta: Lykta) -> None:
    letter = LetterIn(body="Jag skriver mitt i natten för att jag inte kan sova")

    async def write(session: Any) -> None:
        await mailbox.write_letter(session, letter, lykta.server.settings, now=LATE_IN_WINTER)

    await in_server(lykta, write)
    assert [row.day for row in await stat_rows(lykta)] == [STOCKHOLM_DAY]
