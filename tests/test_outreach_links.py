"""Outreach links (code, URL, QR, retire), the anonymous open counter, message templates and contacts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from app.core.db import make_engine
from app.models import LinkOpen
from tests.helpers import Lykta, StaffClient
from tests.test_outreach_register import local_today, make_space, ok, refused

TEMPLATE_SV = "Hej! Vi är socialsekreterare. Vill du prata anonymt? {link}"


async def link_open_table(lykta: Lykta) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The open counter's columns and rows, read straight from the database."""
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with engine.connect() as connection:

            def columns(sync: Connection) -> list[str]:
                return [column["name"] for column in inspect(sync).get_columns("link_open")]

            names = await connection.run_sync(columns)
            result = await connection.execute(select(col(LinkOpen.link_id), col(LinkOpen.day), col(LinkOpen.count)))
            rows = [tuple(row) for row in result.all()]
    finally:
        await engine.dispose()
    return names, rows


async def create_link(staff: StaffClient, space_id: int, **extra: Any) -> dict[str, Any]:
    link: dict[str, Any] = ok(await staff.post("/api/console/links", {"space_id": space_id, **extra}), 201)
    return link


async def open_page(lykta: Lykta, code: str) -> tuple[int, str]:
    async with lykta.http() as visitor:
        response = await visitor.get(f"/c/{code}")
    return response.status_code, response.headers["content-type"]


async def test_links_with_templates_qr_and_retiring(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    space = await make_space(worker, "Annonssajten")
    template = ok(
        await worker.post("/api/console/templates", {"name": "Första", "language": "SV", "body": TEMPLATE_SV}), 201
    )
    assert (template["language"], template["active"]) == ("sv", True)
    plain = ok(
        await worker.post("/api/console/templates", {"name": "Hi", "language": "en", "body": "Want to talk?"}), 201
    )

    link = await create_link(worker, space["id"], template_id=template["id"])
    assert re.fullmatch(r"[A-Za-z0-9]{10}", link["code"]), link
    assert link["url"] == f"{lykta.server.base_url}/c/{link['code']}"
    assert link["text"] == TEMPLATE_SV.replace("{link}", link["url"])
    assert (link["space_id"], link["space_name"], link["label"], link["template_id"]) == (
        space["id"],
        "Annonssajten",
        "Annonssajten",
        template["id"],
    )
    assert (link["opens"], link["conversations"], link["active"]) == (0, 0, True)
    other = await create_link(worker, space["id"], template_id=plain["id"], label="Kampanj mars")
    assert other["code"] != link["code"] and other["label"] == "Kampanj mars"
    assert other["text"] == f"Want to talk?\n{other['url']}"  # no {link}: the link goes after the text

    templates = ok(await worker.get("/api/console/templates", language="sv"))["items"]
    assert [t["name"] for t in templates] == ["Första"]

    qr = await worker.get(f"/api/console/links/{link['id']}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in qr.content and b"<path" in qr.content

    listed = ok(await worker.get("/api/console/links"))["items"]
    assert {item["code"] for item in listed} == {link["code"], other["code"]}
    retired = ok(await worker.post(f"/api/console/links/{link['id']}/retire"))
    assert retired["active"] is False and retired["retired_at"] is not None
    assert [item["code"] for item in ok(await worker.get("/api/console/links"))["items"]] == [other["code"]]
    with_retired = ok(await worker.get("/api/console/links", include_retired="true", space_id=space["id"]))["items"]
    assert {item["code"] for item in with_retired} == {link["code"], other["code"]}

    # bad input
    refused(await worker.post("/api/console/links", {"space_id": 999999}), 422, "unknown_space")
    refused(
        await worker.post("/api/console/links", {"space_id": space["id"], "template_id": 999999}),
        422,
        "unknown_template",
    )
    refused(
        await worker.post("/api/console/links", {"space_id": space["id"], "label": "x" * 129}), 422, "invalid_request"
    )
    refused(await worker.post("/api/console/links", {}), 422, "invalid_request")
    refused(await worker.get("/api/console/links/999999/qr.svg"), 404, "not_found")
    refused(await worker.post("/api/console/links/999999/retire"), 404, "not_found")
    refused(
        await worker.post("/api/console/templates", {"name": "X", "language": "de", "body": "Hallo"}),
        422,
        "unknown_language",
    )
    refused(
        await worker.post("/api/console/templates", {"name": "X", "language": "sv", "body": "x" * 501}),
        422,
        "invalid_request",
    )
    ok(await worker.put(f"/api/console/templates/{plain['id']}", {"active": False}))
    refused(
        await worker.post("/api/console/links", {"space_id": space["id"], "template_id": plain["id"]}),
        422,
        "unknown_template",
    )
    ok(await worker.put(f"/api/console/spaces/{space['id']}", {"active": False}))
    refused(await worker.post("/api/console/links", {"space_id": space["id"]}), 409, "space_retired")
    async with lykta.http() as anonymous:
        refused(await anonymous.get("/api/console/links"), 401, "not_authenticated")


async def test_opening_a_link_counts_once_per_request_and_keeps_nothing_else(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    space = await make_space(worker, "Sajten")
    link = await create_link(worker, space["id"])
    spare = await create_link(worker, space["id"])
    assert await link_open_table(lykta) == (["link_id", "day", "count"], [])

    served = await open_page(lykta, link["code"])
    assert served[0] in (200, 503) and served[1].startswith("text/html")  # 503 only when the pages are not built
    for _ in range(2):
        assert await open_page(lykta, link["code"]) == served
    today = datetime.now(UTC).date()
    names, rows = await link_open_table(lykta)
    assert names == ["link_id", "day", "count"]  # nothing else about the request is kept
    assert rows == [(link["id"], today, 3)]

    # Unknown, malformed and retired codes still serve the page and count nothing.
    ok(await worker.post(f"/api/console/links/{spare['id']}/retire"))
    for code in ("NoSuchCode", "x" * 40, "bad%20code", spare["code"]):
        assert await open_page(lykta, code) == served
    assert (await link_open_table(lykta))[1] == [(link["id"], today, 3)]

    listed = {
        item["code"]: item for item in ok(await worker.get("/api/console/links", include_retired="true"))["items"]
    }
    assert (listed[link["code"]]["opens"], listed[spare["code"]]["opens"]) == (3, 0)


async def test_contacts_made_outside_the_chat(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    ads = await make_space(worker, "Annonssajten")
    forum = await make_space(worker, "Forumet", "Forum")
    template = ok(
        await worker.post("/api/console/templates", {"name": "Hej", "language": "sv", "body": TEMPLATE_SV}), 201
    )
    today = local_today()
    yesterday = today - timedelta(days=1)

    first = ok(
        await worker.post(
            "/api/console/contacts",
            {"space_id": ads["id"], "day": yesterday.isoformat(), "channel": "message", "template_id": template["id"]},
        ),
        201,
    )
    assert (first["channel"], first["answered"], first["template_id"], first["worker_id"]) == (
        "message",
        False,
        template["id"],
        worker.id,
    )
    ok(
        await worker.post(
            "/api/console/contacts", {"space_id": forum["id"], "day": today.isoformat(), "channel": "post"}
        ),
        201,
    )
    answered = ok(await worker.put(f"/api/console/contacts/{first['id']}", {"answered": True}))
    assert answered["answered"] is True

    of_ads = ok(await worker.get("/api/console/contacts", space_id=ads["id"]))["items"]
    assert [(c["id"], c["day"], c["answered"]) for c in of_ads] == [(first["id"], yesterday.isoformat(), True)]
    recent = ok(await worker.get("/api/console/contacts", **{"from": today.isoformat(), "to": today.isoformat()}))
    assert [c["channel"] for c in recent["items"]] == ["post"]

    good = {"space_id": ads["id"], "day": today.isoformat(), "channel": "comment"}
    refused(await worker.post("/api/console/contacts", {**good, "channel": "phone"}), 422, "invalid_request")
    refused(await worker.post("/api/console/contacts", {**good, "space_id": 999999}), 422, "unknown_space")
    refused(await worker.post("/api/console/contacts", {**good, "handle": "@someone"}), 422, "invalid_request")
    refused(await worker.post("/api/console/contacts", {**good, "template_id": 999999}), 422, "unknown_template")
    refused(await worker.put("/api/console/contacts/999999", {"answered": True}), 404, "not_found")
    refused(await worker.get("/api/console/contacts", space_id=999999), 404, "unknown_space")
