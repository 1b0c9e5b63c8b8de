"""Finding 10: a block lasted at most about 48 hours although 1-168 are accepted, because it was held
only under today's and yesterday's source keys. Now a block keeps the daily secrets its keys were made
with for as long as it lasts. The clock is moved through the daily-secret mechanism (the days every
source key is made for), not by sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core import clientaddr
from tests.helpers import Lykta
from tests.hostile.sources import client_from

BLOCKED, OTHER = "127.0.0.60", "127.0.0.61"


def days_from(offset: int) -> object:
    """recent_days() as the server computes it `offset` days from now."""

    def recent_days(days: int = clientaddr.KEY_DAYS) -> list[str]:
        today = datetime.now(UTC).date() + timedelta(days=offset)
        return [(today - timedelta(days=n)).isoformat() for n in range(days)]

    return recent_days


async def start_from(lykta: Lykta, source: str) -> tuple[int, dict[str, str]]:
    async with client_from(lykta.server, source) as http:
        response = await http.post("/api/visitor/conversations", json={})
    return response.status_code, response.json()


async def test_a_72_hour_block_still_blocks_on_day_3(lykta: Lykta, monkeypatch: pytest.MonkeyPatch) -> None:
    counselor = await lykta.staff()
    status, started = await start_from(lykta, BLOCKED)
    assert status == 201, started
    assert (await counselor.claim(started["conversation_id"])).status_code == 200
    blocked = await counselor.post(f"/api/console/conversations/{started['conversation_id']}/block", {"hours": 72})
    assert blocked.status_code == 200, blocked.text
    assert (await start_from(lykta, BLOCKED))[0] == 403

    for day in (1, 2):  # day 2 and day 3 of the block: new daily secrets, the block's own are kept
        monkeypatch.setattr(clientaddr, "recent_days", days_from(day))
        status, body = await start_from(lykta, BLOCKED)
        assert (status, body.get("code")) == (403, "not_available"), (day, body)
        assert (await start_from(lykta, OTHER))[0] == 201  # everyone else still gets in
