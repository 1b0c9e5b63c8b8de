"""Duty and routing against a live server: presence grace, queue order, auto-assign, capacity, transfer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.helpers import Lykta, StaffClient, eventually


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"heartbeat_s": 0.2, "sweep_interval_s": 0.2}


async def rules(lykta: Lykta, **values: Any) -> StaffClient:
    admin = await lykta.staff(role="admin", available=False)
    response = await admin.put("/api/admin/settings", values)
    assert response.status_code == 200, response.text
    return admin


async def queue_ids(staff: StaffClient) -> list[str]:
    return [item["conversation_id"] for item in (await staff.get("/api/console/queue")).json()["items"]]


async def state_of(staff: StaffClient, conversation_id: str) -> dict[str, Any]:
    response = await staff.get("/api/console/supervision")
    assert response.status_code == 200, response.text
    body = response.json()
    for item in body["active"]:
        if item["conversation_id"] == conversation_id:
            return {"state": "active", **item}
    for item in body["waiting"]:
        if item["conversation_id"] == conversation_id:
            return {"state": "waiting", **item}
    return {"state": "gone"}


async def test_console_heartbeat_keeps_counselor_on_duty_past_the_grace(lykta: Lykta) -> None:
    await rules(lykta, presence_grace_s=1)
    counselor = await lykta.staff()
    await counselor.socket()
    await asyncio.sleep(2.0)
    me = (await counselor.get("/api/console/me")).json()["counselor"]
    assert me["presence"] == "available"


async def test_counselor_gone_past_grace_goes_offline_and_chats_return_to_head_of_queue(lykta: Lykta) -> None:
    supervisor = await rules(lykta, presence_grace_s=1)
    counselor = await lykta.staff()
    console = await counselor.socket()
    earlier, mine = await lykta.visitor(), await lykta.visitor()
    newcomer = await lykta.visitor()
    assert (await counselor.claim(mine.conversation_id)).status_code == 200
    chat = await mine.socket()
    await console.close()  # the counselor's browser is gone

    await eventually(lambda: _presence_is(counselor, "offline"), timeout=6)
    back = await chat.expect("state", state="waiting", timeout=5)
    assert back["counselor_alias"] is None
    line = await chat.expect("message")
    assert line["author"] == "system" and "samtalspartner" in line["body"]  # Swedish by default
    order = await queue_ids(supervisor)
    assert order == [mine.conversation_id, earlier.conversation_id, newcomer.conversation_id]
    assert (await chat.expect("queue"))["position"] == 1


async def _presence_is(staff: StaffClient, status: str) -> bool:
    return bool((await staff.get("/api/console/me")).json()["counselor"]["presence"] == status)


async def test_urgent_goes_first_then_first_come_first_served(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    supervisor = await lykta.staff(role="supervisor", available=False)
    first, second, third = await lykta.visitor(), await lykta.visitor(), await lykta.visitor()
    assert await queue_ids(counselor) == [first.conversation_id, second.conversation_id, third.conversation_id]
    flagged = await supervisor.post(f"/api/console/conversations/{third.conversation_id}/urgent", {"urgent": True})
    assert flagged.status_code == 200 and flagged.json()["urgent"] is True
    assert await queue_ids(counselor) == [third.conversation_id, first.conversation_id, second.conversation_id]
    await counselor.claim(first.conversation_id)
    refused = await supervisor.post(f"/api/console/conversations/{first.conversation_id}/urgent", {"urgent": True})
    assert (refused.status_code, refused.json()["code"]) == (409, "not_waiting")


async def test_manual_claim_beyond_capacity_is_refused(lykta: Lykta) -> None:
    admin = await rules(lykta)
    counselor = await lykta.staff()
    await admin.http.patch(
        f"/api/admin/users/{counselor.id}", json={"capacity": 2}, headers={"X-CSRF-Token": admin.csrf}
    )
    visitors = [await lykta.visitor() for _ in range(3)]
    assert (await counselor.claim(visitors[0].conversation_id)).status_code == 200
    assert (await counselor.claim(visitors[1].conversation_id)).status_code == 200
    third = await counselor.claim(visitors[2].conversation_id)
    assert (third.status_code, third.json()["code"]) == (409, "at_capacity")


async def holder(admin: StaffClient, conversation_id: str) -> int | None:
    state = await state_of(admin, conversation_id)
    return state.get("counselor_id") if state["state"] == "active" else None


async def test_auto_assign_picks_fewest_chats_then_longest_idle(lykta: Lykta) -> None:
    admin = await rules(lykta, routing_mode="auto", accept_timeout_s=600)
    busy, idle_longest, idle_shorter = await lykta.staff(), await lykta.staff(), await lykta.staff()
    for staff in (busy, idle_longest, idle_shorter):
        await staff.socket()
    await idle_longest.presence("away")
    await idle_shorter.presence("away")
    first = await lykta.visitor()  # only `busy` is available
    await eventually(lambda: _held_by(admin, first.conversation_id, busy.id))
    await idle_longest.presence("available")
    await asyncio.sleep(0.05)
    await idle_shorter.presence("available")

    second = await lykta.visitor()  # fewest chats: both idle ones have 0; the longest idle wins
    await eventually(lambda: _held_by(admin, second.conversation_id, idle_longest.id))
    third = await lykta.visitor()
    await eventually(lambda: _held_by(admin, third.conversation_id, idle_shorter.id))
    fourth = await lykta.visitor()  # all hold one now: the one idle longest since an assignment is `busy`
    await eventually(lambda: _held_by(admin, fourth.conversation_id, busy.id))


async def _held_by(admin: StaffClient, conversation_id: str, counselor_id: int) -> bool:
    return await holder(admin, conversation_id) == counselor_id


async def test_auto_assigned_chat_not_answered_in_time_returns_to_the_queue(lykta: Lykta) -> None:
    admin = await rules(lykta, routing_mode="auto", accept_timeout_s=1)
    silent = await lykta.staff()
    await silent.socket()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await eventually(lambda: _held_by(admin, visitor.conversation_id, silent.id))
    await silent.presence("away")  # stays assigned, but does not answer
    await eventually(lambda: _queue_is(admin, [visitor.conversation_id]), timeout=6)
    line = await chat.expect("message")
    assert line["author"] == "system" and "kön" in line["body"]


async def test_auto_assigned_chat_answered_in_time_stays(lykta: Lykta) -> None:
    admin = await rules(lykta, routing_mode="auto", accept_timeout_s=1)
    counselor = await lykta.staff()
    console = await counselor.socket()
    visitor = await lykta.visitor()
    assigned = await console.expect("conversation")
    assert assigned["conversation"]["accept_by"] is not None
    cid = visitor.conversation_id
    await console.send({"type": "send", "conversation_id": cid, "client_id": "hi", "body": "Hej!"})
    await console.expect("ack")
    await asyncio.sleep(1.8)
    assert await holder(admin, cid) == counselor.id


async def test_capacity_is_never_exceeded_under_50_concurrent_arrivals(lykta: Lykta) -> None:
    admin = await rules(lykta, routing_mode="auto", accept_timeout_s=600)
    team = [await lykta.staff() for _ in range(3)]
    for staff in team:
        await staff.socket()
    await asyncio.gather(*(lykta.visitor() for _ in range(50)))

    async def settled() -> dict[str, Any] | None:
        view = (await admin.get("/api/console/supervision")).json()
        return view if len(view["active"]) == 9 else None

    view = await eventually(settled, timeout=15)
    await asyncio.sleep(0.5)  # more rounds of assignment change nothing
    view = (await admin.get("/api/console/supervision")).json()
    per_counselor: dict[int, int] = {}
    for chat in view["active"]:
        per_counselor[chat["counselor_id"]] = per_counselor.get(chat["counselor_id"], 0) + 1
    assert per_counselor == {staff.id: 3 for staff in team}
    assert len(view["waiting"]) == 41


async def test_transfer_to_a_colleague_accepted(lykta: Lykta) -> None:
    admin = await rules(lykta, accept_timeout_s=600)
    sara, kim = await lykta.staff(alias="Sara"), await lykta.staff(alias="Kim")
    kim_console = await kim.socket()
    visitor = await lykta.visitor()
    cid = visitor.conversation_id
    await sara.claim(cid)
    chat = await visitor.socket()
    colleagues = (await sara.get("/api/console/colleagues")).json()["items"]
    assert [c["alias"] for c in colleagues] == ["Kim"]
    moved = await sara.post(f"/api/console/conversations/{cid}/transfer", {"to": kim.id, "note": "needs BRIS info"})
    assert moved.status_code == 200 and moved.json()["counselor_id"] == kim.id
    offered = await kim_console.expect("conversation")
    assert offered["conversation"]["accept_by"] and offered["conversation"]["transfer_from_id"] == sara.id
    handover = await kim_console.expect("note")
    assert (handover["note"]["kind"], handover["note"]["body"]) == ("transfer", "needs BRIS info")
    assert await chat.silent("note", 0.3) and "BRIS info" not in str(chat.seen)
    pending = await chat.expect("state")  # the visitor still sees who answered until Kim accepts
    assert pending["counselor_alias"] == "Sara"
    accepted = await kim.post(f"/api/console/conversations/{cid}/accept")
    assert accepted.status_code == 200 and accepted.json()["accept_by"] is None
    assert (await chat.expect("state", counselor_alias="Kim"))["state"] == "active"
    assert await holder(admin, cid) == kim.id
    assert (await sara.get(f"/api/console/conversations/{cid}/messages")).status_code == 403


async def test_transfer_not_accepted_in_time_returns_to_the_sender(lykta: Lykta) -> None:
    admin = await rules(lykta, accept_timeout_s=1)
    sara, kim = await lykta.staff(alias="Sara"), await lykta.staff(alias="Kim")
    await sara.socket()
    visitor = await lykta.visitor()
    cid = visitor.conversation_id
    await sara.claim(cid)
    assert (await sara.post(f"/api/console/conversations/{cid}/transfer", {"to": kim.id})).status_code == 200
    assert await holder(admin, cid) == kim.id
    await eventually(lambda: _held_by(admin, cid, sara.id), timeout=6)


async def test_transfer_to_the_queue_with_a_note_the_visitor_never_sees(lykta: Lykta) -> None:
    admin = await rules(lykta)
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    cid = visitor.conversation_id
    await counselor.claim(cid)
    moved = await counselor.post(f"/api/console/conversations/{cid}/transfer", {"note": "SECRET-HANDOVER"})
    assert moved.status_code == 200 and moved.json()["state"] == "waiting"
    await chat.expect("state", state="waiting")
    assert await queue_ids(admin) == [cid]
    assert "SECRET-HANDOVER" not in str(chat.seen) and await chat.silent("note", 0.3)
    unavailable = await lykta.staff(available=False)
    await counselor.claim(cid)
    refused = await counselor.post(f"/api/console/conversations/{cid}/transfer", {"to": unavailable.id})
    assert (refused.status_code, refused.json()["code"]) == (409, "colleague_unavailable")


async def test_waiting_visitor_gone_past_grace_is_abandoned_but_may_return_within_it(lykta: Lykta) -> None:
    admin = await rules(lykta, visitor_grace_s=2)
    await lykta.staff()
    stays, leaves = await lykta.visitor(), await lykta.visitor()
    kept = await stays.socket()
    gone = await leaves.socket()
    await gone.close()
    await asyncio.sleep(1.0)
    back = await leaves.socket()  # comes back within the grace
    await back.close()
    await eventually(lambda: _queue_is(admin, [stays.conversation_id]), timeout=8)
    assert kept.ws.close_code is None


async def _queue_is(staff: StaffClient, expected: list[str]) -> bool:
    return await queue_ids(staff) == expected


async def test_idle_chat_is_closed_with_a_notice(lykta: Lykta) -> None:
    await rules(lykta, idle_close_minutes=1)
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await counselor.claim(visitor.conversation_id)
    from sqlalchemy import update

    from app.core.db import make_engine, make_sessionmaker
    from app.models import Conversation, utcnow

    engine = make_engine(lykta.server.settings.database_url)
    async with make_sessionmaker(engine)() as session:  # two minutes pass without a word
        from datetime import timedelta

        await session.exec(update(Conversation).values(last_activity_at=utcnow() - timedelta(minutes=2)))
        await session.commit()
    await engine.dispose()
    line = await chat.expect("message", timeout=5)
    assert line["author"] == "system"
    await chat.expect("state", state="closed")
