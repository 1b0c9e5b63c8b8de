"""Claims are atomic in the database: of many concurrent claims exactly one wins."""

from __future__ import annotations

import asyncio

from tests.helpers import Lykta


async def test_twenty_concurrent_claims_exactly_one_wins(lykta: Lykta) -> None:
    names = await lykta.create_staff(count=20)
    counselors = await asyncio.gather(*(lykta.login(name) for name in names))
    await counselors[0].presence("available")
    visitor = await lykta.visitor()

    responses = await asyncio.gather(*(c.claim(visitor.conversation_id) for c in counselors))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 19, [r.text for r in responses if r.status_code not in (200, 409)]
    losers = [r.json() for r in responses if r.status_code == 409]
    assert {body["code"] for body in losers} == {"already_claimed"}
    winner = next(c for c, r in zip(counselors, responses, strict=True) if r.status_code == 200)
    mine = await winner.get("/api/console/conversations")
    assert [c["conversation_id"] for c in mine.json()["items"]] == [visitor.conversation_id]
    for other in counselors:
        if other is not winner:
            theirs = await other.get("/api/console/conversations")
            assert theirs.json()["items"] == []


async def test_claim_of_unknown_conversation_is_404(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    response = await counselor.claim("00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_a_claim_lost_tells_the_console_who_lost(lykta: Lykta) -> None:
    first, second = await lykta.staff(), await lykta.staff()
    visitor = await lykta.visitor()
    assert (await first.claim(visitor.conversation_id)).status_code == 200
    lost = await second.claim(visitor.conversation_id)
    assert lost.status_code == 409
    assert "someone else" in lost.json()["detail"]
