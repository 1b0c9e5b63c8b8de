"""Issue 16 on the real wire: anonymous feedback only on the statistics row, resource cards, the directory."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from app.core.db import make_engine, make_sessionmaker
from app.core.security import token_hash
from app.models import ConversationStat, ResourceReferral
from tests.helpers import Lykta, StaffClient, Visitor
from tests.test_outreach_register import local_today, ok, refused


async def db_rows(lykta: Lykta, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with engine.connect() as connection:
            return [dict(row._mapping) for row in (await connection.execute(sa.text(sql), params)).all()]
    finally:
        await engine.dispose()


async def stat_rows(lykta: Lykta) -> list[ConversationStat]:
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return list((await session.exec(select(ConversationStat))).all())
    finally:
        await engine.dispose()


async def chat(lykta: Lykta) -> tuple[StaffClient, Visitor]:
    staff = await lykta.staff()
    visitor = await lykta.visitor(language="en")
    ok(await staff.claim(visitor.conversation_id))
    return staff, visitor


async def test_feedback_goes_only_onto_the_anonymous_statistics_row(lykta: Lykta) -> None:
    staff, visitor = await chat(lykta)
    async with lykta.http() as http:
        refused(await http.post("/api/visitor/feedback/form", json={"token": visitor.token}), 409, "not_ended")
        refused(
            await http.post("/api/visitor/feedback", json={"token": visitor.token, "helped": "yes"}), 409, "not_ended"
        )
        socket = await visitor.socket()
        await socket.send({"type": "end"})
        await socket.expect("state", state="closed")

        form = ok(await http.post("/api/visitor/feedback/form", json={"token": visitor.token}))
        assert form == {"open": True, "found_guess": None}  # no link: no guess
        # bad input is named, and loses nothing
        refused(await http.post("/api/visitor/feedback", json={"token": visitor.token}), 422, "empty_feedback")
        bad = await http.post("/api/visitor/feedback", json={"token": visitor.token, "helped": "very"})
        assert bad.status_code == 422
        free_text = await http.post("/api/visitor/feedback", json={"token": visitor.token, "comment": "hi"})
        assert free_text.status_code == 422  # never free text
        refused(await http.post("/api/visitor/feedback", json={"token": "x" * 43, "helped": "yes"}), 404, "not_found")

        (before,) = await stat_rows(lykta)
        assert before.feedback_key == token_hash("feedback:" + visitor.token)
        conversation = (await db_rows(lykta, "SELECT * FROM conversation"))[0]
        assert conversation["feedback_key"] is None  # the key left the conversation for the statistics row
        assert before.feedback_key not in {str(v) for v in conversation.values()}

        answers = {"token": visitor.token, "helped": "partly", "again": "yes", "found": "search"}
        done = await http.post("/api/visitor/feedback", json=answers)
        assert done.status_code == 204, done.text
        refused(await http.post("/api/visitor/feedback", json=answers), 409, "feedback_closed")  # once only
        assert ok(await http.post("/api/visitor/feedback/form", json={"token": visitor.token}))["open"] is False

    (row,) = await stat_rows(lykta)
    assert (row.feedback_helped, row.feedback_again, row.feedback_found, row.feedback_key) == (
        "partly",
        "yes",
        "search",
        None,
    )
    # the schema: the statistics row holds no conversation id and no time of day
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with engine.connect() as connection:
            columns = await connection.run_sync(lambda c: sa.inspect(c).get_columns("conversation_stat"))
            foreign = await connection.run_sync(lambda c: sa.inspect(c).get_foreign_keys("conversation_stat"))
    finally:
        await engine.dispose()
    assert {c["name"] for c in columns} >= {"feedback_helped", "feedback_again", "feedback_found"}
    assert not [c for c in columns if "conversation" in c["name"] or isinstance(c["type"], sa.DateTime)]
    assert {f["referred_table"] for f in foreign} <= {"link", "space"}

    # after the purge nothing is left that could tie the answers to the chat, and the token opens nothing
    supervisor = await lykta.staff(role="supervisor", available=False)
    ok(await supervisor.post(f"/api/console/conversations/{visitor.conversation_id}/purge"))
    assert await db_rows(lykta, "SELECT id FROM conversation") == []
    async with lykta.http() as http:
        refused(await http.post("/api/visitor/feedback/form", json={"token": visitor.token}), 404, "not_found")
    (kept,) = await stat_rows(lykta)
    assert kept.feedback_helped == "partly"
    del staff


async def test_feedback_guess_from_the_link_and_the_dashboard_and_export(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    categories = {c["name"]: c["id"] for c in ok(await worker.get("/api/console/space-categories"))["items"]}
    space = ok(
        await worker.post(
            "/api/console/spaces",
            {
                "name": "Sajt",
                "category_id": categories["Annonser om sex mot ersättning"],
                "address": "https://ads.example/x",
            },
        ),
        201,
    )
    link = ok(await worker.post("/api/console/links", {"space_id": space["id"], "label": "L1"}), 201)
    staff = await lykta.staff()
    visitor = await lykta.visitor(link_code=link["code"])
    ok(await staff.claim(visitor.conversation_id))
    ok(await staff.post(f"/api/console/conversations/{visitor.conversation_id}/close"))
    async with lykta.http() as http:
        form = ok(await http.post("/api/visitor/feedback/form", json={"token": visitor.token}))
        assert form == {"open": True, "found_guess": "our_link"}
        done = await http.post("/api/visitor/feedback", json={"token": visitor.token, "helped": "yes"})
        assert done.status_code == 204
    today = local_today().isoformat()  # statistics days are the service's (Europe/Stockholm)
    stats = ok(await worker.get("/api/console/stats", **{"from": today, "to": today}, by="space"))
    assert stats["totals"][0]["feedback"] == {"answered": 1, "helped:yes": 1}
    assert stats["totals"][0]["label"] == "Sajt"
    csv = (await worker.get("/api/console/export/stats.csv", **{"from": today, "to": today}, by="space")).text
    header, first = csv.lstrip("\ufeff").splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    assert cells["feedback:answered"] == "<3" and cells["feedback:helped:yes"] == "<3"


async def test_a_card_arrives_as_a_card_and_is_counted(lykta: Lykta) -> None:
    staff, visitor = await chat(lykta)
    resources = ok(await staff.get("/api/console/resources", q="bris"))["items"]
    assert [r["name"] for r in resources] == ["BRIS"]  # the seeded directory, searched
    bris = resources[0]
    socket = await visitor.socket()
    path = f"/api/console/conversations/{visitor.conversation_id}/resources/{bris['id']}"
    sent = ok(await staff.post(path, {"client_id": "card-1"}), 201)
    assert sent["created"] is True
    frame = await socket.expect("message", author="counselor")
    assert frame["card"]["name"] == "BRIS"
    assert (frame["card"]["phone"], frame["card"]["url"]) == ("116 111", "https://www.bris.se")
    assert "Phone: 116 111" in frame["body"] and "https://www.bris.se" in frame["body"]  # readable as text too
    again = ok(await staff.post(path, {"client_id": "card-1"}), 201)  # a repeat sends nothing new
    assert (again["seq"], again["created"]) == (sent["seq"], False)
    assert await socket.silent("message")

    # a reconnect replays the card; the console's transcript has it
    resumed = await visitor.socket()
    assert (await resumed.expect("message"))["card"]["name"] == "BRIS"
    transcript = ok(await staff.get(f"/api/console/conversations/{visitor.conversation_id}/messages"))
    items = transcript["items"] if isinstance(transcript, dict) else transcript
    assert [m["card"]["name"] for m in items if m.get("card")] == ["BRIS"]

    # only the holder sends cards
    other = await lykta.staff()
    refused(await other.post(path), 403, "not_holder")
    refused(await staff.post(f"/api/console/conversations/{visitor.conversation_id}/resources/99999"), 404, "not_found")

    # counted per resource and day, and nothing else
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            referrals = list((await session.exec(select(ResourceReferral))).all())
    finally:
        await engine.dispose()
    assert [(r.resource_id, r.count) for r in referrals] == [(bris["id"], 1)]
    today = local_today().isoformat()  # statistics days are the service's (Europe/Stockholm)
    stats = ok(await staff.get("/api/console/stats", **{"from": today, "to": today}))
    assert stats["referrals"] == [{"resource_id": bris["id"], "name": "BRIS", "count": 1}]


async def test_the_directory_admin_routes_refuse_counselors(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    supervisor = await lykta.staff(role="supervisor", available=False)
    admin = await lykta.staff(role="admin", available=False)
    new = {"name": "Tjejjouren", "phone": "+46 8 123 45", "url": "https://example.org/jour", "region": "Stockholm"}
    for staff in (counselor, supervisor):
        refused(await staff.get("/api/admin/resources"), 403, "forbidden")
        refused(await staff.post("/api/admin/resources", new), 403, "forbidden")
        refused(await staff.put("/api/admin/resources/1", {"active": False}), 403, "forbidden")
    seeded = {r["name"] for r in ok(await admin.get("/api/admin/resources"))["items"]}
    assert {"BRIS", "1177", "Socialjouren", "Stödcentrum för unga brottsoffer"} <= seeded
    assert any("UMO" in name for name in seeded)
    made = ok(await admin.post("/api/admin/resources", new), 201)
    refused(await admin.post("/api/admin/resources", {**new, "name": "tjejjouren"}), 409, "duplicate_name")
    for bad in (
        {"name": "X", "url": "javascript:alert(1)"},
        {"name": "X", "url": "http://plain.example"},
        {"name": "X", "phone": "call me"},
        {"name": ""},
        {"name": "X", "extra": 1},
    ):
        response = await admin.post("/api/admin/resources", bad)
        assert response.status_code == 422, (bad, response.text)
    retired = ok(await admin.put(f"/api/admin/resources/{made['id']}", {"active": False, "phone": None}))
    assert (retired["active"], retired["phone"], retired["url"]) == (False, None, new["url"])
    assert "Tjejjouren" not in {r["name"] for r in ok(await counselor.get("/api/console/resources"))["items"]}
    staff, visitor = await chat(lykta)
    path = f"/api/console/conversations/{visitor.conversation_id}/resources/{made['id']}"
    refused(await staff.post(path), 409, "resource_inactive")
    refused(await staff.http.post(path, json={}), 403, "csrf_failed")  # CSRF like every change
