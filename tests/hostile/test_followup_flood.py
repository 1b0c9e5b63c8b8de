"""Finding 3: anyone could stop every visitor from resuming by using up a follow-up limit shared by all
sources. Now only wrong codes count, per source: twenty exhausted sources leave a real visitor's code
working, and their own next guesses are refused."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers import Lykta
from tests.hostile.sources import address, client_from
from tests.test_followup import ended_chat

PER_SOURCE = 10
WRONG_CODE = "WRONGCODE234"


@pytest.mark.parametrize("settings_overrides", [{"follow_up_attempts_per_hour": PER_SOURCE}])
async def test_twenty_exhausted_sources_leave_a_real_visitor_s_code_working(lykta: Lykta) -> None:
    _counselor, visitor, _chat = await ended_chat(lykta)

    async def guesses(n: int) -> list[int]:
        async with client_from(lykta.server, address(3, n)) as http:
            statuses = []
            for _ in range(PER_SOURCE + 2):
                response = await http.post("/api/visitor/follow-up", json={"code": WRONG_CODE})
                statuses.append(response.status_code)
            return statuses

    flood = await asyncio.gather(*(guesses(n) for n in range(20)))
    assert all(statuses == [404] * PER_SOURCE + [429, 429] for statuses in flood), flood

    async with client_from(lykta.server, "127.0.0.9") as http:
        resumed = await http.post("/api/visitor/follow-up", json={"code": visitor.follow_up_code})
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["conversation_id"] == visitor.conversation_id
