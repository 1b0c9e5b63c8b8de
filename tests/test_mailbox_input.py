"""The mailbox's refusals, each with a clear error that loses nothing, and the admin's mailbox settings:
offered when the wait is long, switched off, the promise; the supervisors' age profile."""

from __future__ import annotations

from datetime import timedelta

from app.main import create_app
from tests.conftest import make_settings
from tests.helpers import Lykta
from tests.mailbox_helpers import LETTER, move_back, open_thread, thread_ids, visitor_post, write_letter

MISSING = "00000000-0000-4000-8000-000000000000"


async def test_bad_letters_are_refused_by_name_and_nothing_is_stored(lykta: Lykta) -> None:
    cases = [
        ({"body": "   "}, "body"),
        ({"body": "x" * 4001}, "body"),
        ({}, "body"),
        ({"body": "hej", "email": "a@b.se"}, "email"),  # nothing else is asked, nothing else is taken
        ({"body": "hej", "age_band": "12"}, "age_band"),
        ({"body": "hej", "link_code": "../x"}, "link_code"),
    ]
    for body, field in cases:
        response = await visitor_post(lykta, "/api/visitor/mailbox", body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["code"] == "invalid_request" and field in response.json()["detail"], response.text
    assert await thread_ids(lykta) == []
    code = await write_letter(lykta, "  Hej  ", language="xx", link_code="no-such-link")  # stale link: no attribution
    thread = (await open_thread(lykta, code)).json()
    assert thread["entries"][0]["body"] == "Hej"
    for bad in ({"code": ""}, {"code": "x" * 65}, {"code": code, "extra": 1}):
        response = await visitor_post(lykta, "/api/visitor/mailbox/thread", bad)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_request")


async def test_a_visitor_writes_a_few_letters_in_a_row_then_waits_for_an_answer(lykta: Lykta) -> None:
    code = await write_letter(lykta)
    for n in range(4):
        added = await visitor_post(lykta, "/api/visitor/mailbox/reply", {"code": code, "body": f"och {n}"})
        assert added.status_code == 200, added.text
    assert added.json()["can_write"] is False
    refused = await visitor_post(lykta, "/api/visitor/mailbox/reply", {"code": code, "body": "en till"})
    assert (refused.status_code, refused.json()["code"]) == (409, "too_many_letters")
    assert len((await open_thread(lykta, code)).json()["entries"]) == 5


async def test_staff_refusals(lykta: Lykta) -> None:
    await write_letter(lykta)
    [thread_id] = await thread_ids(lykta)
    counselor, colleague = await lykta.staff(available=False), await lykta.staff(available=False)
    assert (await counselor.post(f"/api/console/mailbox/{MISSING}/claim")).status_code == 404
    assert (await counselor.get("/api/console/mailbox/not-a-uuid")).status_code == 422
    early = await counselor.post(f"/api/console/mailbox/{thread_id}/answer", {"body": "svar"})
    assert (early.status_code, early.json()["code"]) == (403, "not_holder")
    assert (await counselor.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200
    empty = await counselor.post(f"/api/console/mailbox/{thread_id}/answer", {"body": " "})
    assert (empty.status_code, empty.json()["code"]) == (422, "invalid_request")
    note = await colleague.post(f"/api/console/mailbox/{thread_id}/notes", {"body": "hm"})
    assert (note.status_code, note.json()["code"]) == (403, "not_holder")
    assert (await colleague.post(f"/api/console/mailbox/{thread_id}/close")).status_code == 403
    no_csrf = await counselor.http.post(f"/api/console/mailbox/{thread_id}/answer", json={"body": "svar"})
    assert (no_csrf.status_code, no_csrf.json()["code"]) == (403, "csrf_failed")
    assert (await counselor.post(f"/api/console/mailbox/{thread_id}/answer", {"body": "svar"})).status_code == 200
    again = await counselor.post(f"/api/console/mailbox/{thread_id}/claim")
    assert (again.status_code, again.json()["code"]) == (409, "not_waiting")
    async with lykta.http() as anonymous:
        assert (await anonymous.get("/api/console/mailbox")).status_code == 401


async def test_the_admin_switches_the_mailbox_off_and_offers_it_on_long_waits(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    bad = await admin.put("/api/admin/settings", {"mailbox_answer_weekdays": 0})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_setting")
    saved = await admin.put("/api/admin/settings", {"mailbox_enabled": False, "mailbox_answer_weekdays": 3})
    assert saved.status_code == 200 and saved.json()["mailbox_answer_weekdays"] == 3
    async with lykta.http() as http:
        offer = (await http.get("/api/visitor/mailbox")).json()
    assert (offer["enabled"], offer["offered"], offer["answer_weekdays"]) == (False, False, 3)
    off = await visitor_post(lykta, "/api/visitor/mailbox", {"body": LETTER})
    assert (off.status_code, off.json()["code"]) == (403, "mailbox_off")

    await admin.put("/api/admin/settings", {"mailbox_enabled": True})
    await lykta.staff()  # open now: the mailbox is not offered ...
    async with lykta.http() as http:
        assert (await http.get("/api/visitor/mailbox")).json()["offered"] is False
        await admin.put("/api/admin/settings", {"mailbox_offer_wait_minutes": 1})  # ... unless the wait is long
        offer = (await http.get("/api/visitor/mailbox")).json()  # no history: the 3-minute default wait
    assert (offer["offered"], offer["reason"]) == (True, "long_wait")


async def test_supervisors_see_how_long_letters_have_waited(lykta: Lykta) -> None:
    for _ in range(3):
        await write_letter(lykta)
    old, older, fresh = await thread_ids(lykta)
    await move_back(lykta, old, waiting_since=timedelta(days=1, hours=1))
    await move_back(lykta, older, waiting_since=timedelta(days=9))
    counselor = await lykta.staff(available=False)
    assert (await counselor.post(f"/api/console/mailbox/{fresh}/claim")).status_code == 200
    refused = await counselor.get("/api/console/mailbox/profile")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    supervisor = await lykta.staff(role="supervisor", available=False)
    profile = (await supervisor.get("/api/console/mailbox/profile")).json()
    assert {b["key"]: b["count"] for b in profile["buckets"]} == {
        "under_1_day": 1,
        "1_to_2_days": 1,
        "2_to_7_days": 0,
        "over_7_days": 1,
    }
    assert (profile["waiting"], profile["claimed"], profile["over_promise"]) == (2, 1, 1)
    assert profile["oldest_wait_s"] >= 9 * 86400
    listing = (await supervisor.get("/api/console/mailbox")).json()["items"]
    assert [item["thread_id"] for item in listing] == [older, old, fresh]  # the oldest letter first
    assert (await supervisor.get(f"/api/console/mailbox/{old}")).status_code == 200  # supervisors read any


def thread_routes() -> list[tuple[str, str]]:
    """Every documented route with a thread id in its path: (method, path template)."""
    schema = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    return [(m.upper(), path) for path, ops in schema["paths"].items() if "{thread_id}" in path for m in sorted(ops)]


async def test_no_thread_route_lets_a_counselor_near_a_letter_a_colleague_holds(lykta: Lykta) -> None:
    routes = thread_routes()
    assert {path.rsplit("/", 1)[1] for _, path in routes} >= {"claim", "answer", "release", "close", "notes"}
    await write_letter(lykta)
    [thread_id] = await thread_ids(lykta)
    holder, other = await lykta.staff(available=False), await lykta.staff(available=False)
    assert (await holder.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200
    for method, template in routes:
        path = template.replace("{thread_id}", thread_id)
        response = await other.http.request(method, path, json={"body": "x"}, headers={"X-CSRF-Token": other.csrf})
        assert (response.status_code, response.json()["code"]) in {(403, "not_holder"), (409, "already_claimed")}, path
        assert LETTER not in response.text
    detail = (await holder.get(f"/api/console/mailbox/{thread_id}")).json()
    assert (detail["thread"]["state"], detail["thread"]["counselor_id"]) == ("claimed", holder.id)
    assert (len(detail["entries"]), detail["notes"]) == (1, [])
