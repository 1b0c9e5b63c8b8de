"""The mailbox through the real server: a letter written while closed, answered from the console, read back
with the code, written back to, and turned into a live chat once someone is on duty; claims are atomic;
a wrong code and an expired one look the same."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.privacy.followup import FLOOR_S
from tests.helpers import Lykta, Visitor
from tests.mailbox_helpers import (
    ANSWER,
    LETTER,
    WRITE_BACK,
    move_back,
    open_thread,
    stat_rows,
    thread_ids,
    visitor_post,
    write_letter,
)
from tests.test_followup import audit_rows, messy


async def test_closed_letter_answered_read_written_back_and_turned_into_a_chat(lykta: Lykta) -> None:
    async with lykta.http() as http:
        offer = (await http.get("/api/visitor/mailbox")).json()
    assert offer == {"enabled": True, "offered": True, "reason": "closed", "answer_weekdays": 2, "keep_days": 14}
    code = await write_letter(lykta, age_band="15_17", topic="health", language="sv")
    assert len(code) == 12 and code.isalnum()

    sara = await lykta.staff(alias="Sara", available=False)  # the chat stays closed while Sara answers letters
    listing = (await sara.get("/api/console/mailbox")).json()["items"]
    assert len(listing) == 1 and LETTER not in str(listing)  # the list never shows the text
    item = listing[0]
    assert (item["state"], item["letters"], item["age_band"], item["topic"]) == ("waiting", 1, "15_17", "health")
    thread_id = item["thread_id"]
    unclaimed = await sara.get(f"/api/console/mailbox/{thread_id}")
    assert (unclaimed.status_code, unclaimed.json()["code"]) == (403, "not_holder")

    claimed = await sara.post(f"/api/console/mailbox/{thread_id}/claim")
    assert claimed.status_code == 200, claimed.text
    assert [e["body"] for e in claimed.json()["entries"]] == [LETTER]
    note = await sara.post(f"/api/console/mailbox/{thread_id}/notes", {"body": "Följ upp boendet"})
    assert note.status_code == 201, note.text
    answered = await sara.post(f"/api/console/mailbox/{thread_id}/answer", {"body": ANSWER})
    assert answered.status_code == 200, answered.text
    assert answered.json()["thread"]["state"] == "answered"
    assert (await sara.get("/api/console/mailbox")).json()["items"] == []  # answered: out of the list

    seen = await open_thread(lykta, messy(code))  # typed back as people do: lower case, dashes, spaces
    assert seen.status_code == 200, seen.text
    thread = seen.json()
    assert [(e["author"], e["alias"], e["body"]) for e in thread["entries"]] == [
        ("visitor", None, LETTER),
        ("counselor", "Sara", ANSWER),
    ]
    assert (thread["state"], thread["can_write"], thread["open"]) == ("answered", True, False)
    assert "Följ upp" not in seen.text  # notes are staff-only

    back = await visitor_post(lykta, "/api/visitor/mailbox/reply", {"code": code, "body": WRITE_BACK})
    assert back.status_code == 200, back.text
    assert back.json()["state"] == "waiting" and back.json()["entries"][-1]["body"] == WRITE_BACK
    [again] = (await sara.get("/api/console/mailbox")).json()["items"]
    assert (again["thread_id"], again["letters"], again["answers"], again["answered_by_id"]) == (
        thread_id,
        2,
        1,
        sara.id,
    )
    refused = await visitor_post(lykta, "/api/visitor/mailbox/chat", {"code": code})
    assert (refused.status_code, refused.json()["code"]) == (503, "closed")  # nobody on duty yet

    await sara.presence("available")
    console = await sara.socket()
    chat = await visitor_post(lykta, "/api/visitor/mailbox/chat", {"code": code})
    assert chat.status_code == 201, chat.text
    started = chat.json()
    offered = await console.expect("conversation", timeout=5)
    data = offered["conversation"]
    assert data["conversation_id"] == started["conversation_id"]
    assert (data["state"], data["counselor_id"]) == ("active", sara.id) and data["accept_by"] is not None
    visitor = Visitor(lykta.server, started["conversation_id"], started["token"], started["follow_up_code"])
    socket = await visitor.socket()
    replayed = await socket.messages(3)
    assert [(m["author"], m["body"]) for m in replayed] == [
        ("visitor", LETTER),
        ("counselor", ANSWER),
        ("visitor", WRITE_BACK),
    ]
    gone = await open_thread(lykta, code)  # the thread lives on as the chat: its code opens nothing now
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_code")
    assert await thread_ids(lykta) == []

    [stat] = await stat_rows(lykta)
    assert (stat.letters, stat.answers, stat.read, stat.to_chat, stat.age_band) == (2, 1, True, True, "15_17")
    assert stat.answer_s is not None and stat.answer_s >= 0
    [entry] = await audit_rows(lykta, "mailbox_chat")
    assert str(entry.conversation_id) == started["conversation_id"] and entry.actor_id is None


async def test_every_console_hears_of_a_letter_and_it_sounds_only_in_opening_hours(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    console = await counselor.socket()
    await write_letter(lykta)
    event = await console.expect("mailbox", timeout=5)
    assert (event["change"], event["state"], event["notify"]) == ("letter", "waiting", True)
    assert LETTER not in str(event)

    admin = await lykta.staff(role="admin", available=False)
    another_day = (datetime.now(ZoneInfo("Europe/Stockholm")).weekday() + 3) % 7
    hours = [{"weekday": another_day, "opens": "10:00", "closes": "11:00"}]
    week = await admin.put("/api/admin/schedule", {"weekly": hours})
    assert week.status_code == 200, week.text
    await write_letter(lykta)  # outside the opening hours: the consoles update, nobody is called
    event = await console.expect("mailbox", timeout=5, change="letter")
    assert event["notify"] is False


async def test_of_concurrent_claims_exactly_one_wins(lykta: Lykta) -> None:
    await write_letter(lykta)
    names = await lykta.create_staff(count=10)
    counselors = await asyncio.gather(*(lykta.login(name) for name in names))
    [thread_id] = await thread_ids(lykta)
    responses = await asyncio.gather(*(c.post(f"/api/console/mailbox/{thread_id}/claim") for c in counselors))
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"already_claimed"}
    winner = next(c for c, r in zip(counselors, responses, strict=True) if r.status_code == 200)
    [item] = (await winner.get("/api/console/mailbox")).json()["items"]
    assert (item["state"], item["counselor_id"]) == ("claimed", winner.id)
    loser = next(c for c in counselors if c is not winner)
    refused = await loser.post(f"/api/console/mailbox/{thread_id}/answer", {"body": "Hej"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_holder")
    released = await winner.post(f"/api/console/mailbox/{thread_id}/release")
    assert released.json()["thread"]["state"] == "waiting"
    assert (await loser.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200


async def test_a_wrong_code_and_an_expired_code_get_the_same_answer_after_the_same_time(lykta: Lykta) -> None:
    expired_waiting = await write_letter(lykta, "ett")
    expired_answered = await write_letter(lykta, "två")
    counselor = await lykta.staff()
    ids = await thread_ids(lykta)
    for thread_id in ids:
        assert (await counselor.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200
    first, second = sorted(ids)
    answer = await counselor.post(f"/api/console/mailbox/{second}/answer", {"body": "svar"})
    assert answer.status_code == 200
    assert (await counselor.post(f"/api/console/mailbox/{first}/release")).status_code == 200
    assert (await open_thread(lykta, expired_waiting)).status_code == 200  # both work inside their time
    await move_back(lykta, first, waiting_since=timedelta(days=14, minutes=1))
    await move_back(lykta, second, answered_at=timedelta(days=14, minutes=1), answer_read_at=timedelta(hours=73))
    answers = []
    for code in ("ABCDEFGHJKMN", expired_waiting, expired_answered):
        started = time.monotonic()
        response = await open_thread(lykta, code)
        answers.append((response.status_code, response.json()))
        assert time.monotonic() - started >= FLOOR_S
        reply = await visitor_post(lykta, "/api/visitor/mailbox/reply", {"code": code, "body": "hallå?"})
        answers.append((reply.status_code, reply.json()))
    assert answers == [(404, {"detail": "no letter can be found with that code", "code": "unknown_code"})] * 6
    failures = [e for e in await audit_rows(lykta, "mailbox_code") if not e.success]
    assert len(failures) == 6 and all(e.actor_id is None and e.target is None for e in failures)


@pytest.mark.parametrize("settings_overrides", [{"mailbox_attempts_per_hour": 3, "conversations_per_hour": 2}])
async def test_code_attempts_and_letters_are_limited_per_source(lykta: Lykta) -> None:
    for _ in range(3):
        assert (await open_thread(lykta, "WRONGCODE234", "127.0.0.51")).status_code == 404
    limited = await open_thread(lykta, "WRONGCODE234", "127.0.0.51")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1
    assert (await open_thread(lykta, "WRONGCODE234", "127.0.0.52")).status_code == 404  # another source
    for _ in range(2):
        assert (await visitor_post(lykta, "/api/visitor/mailbox", {"body": "hej"}, "127.0.0.53")).status_code == 201
    too_many = await visitor_post(lykta, "/api/visitor/mailbox", {"body": "hej"}, "127.0.0.53")
    assert (too_many.status_code, too_many.json()["code"]) == (429, "rate_limited")
