"""Canned replies (shared by admins, personal per counselor, in sv and en) and the wrap-up tag list."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers import Lykta, StaffClient


async def delete(client: StaffClient, path: str) -> httpx.Response:
    return await client.http.delete(path, headers={"X-CSRF-Token": client.csrf})


async def add(client: StaffClient, path: str, keyword: str, language: str, body: str) -> dict[str, Any]:
    response = await client.post(path, {"keyword": keyword, "language": language, "body": body})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def listed(client: StaffClient, **params: str) -> list[tuple[str, str, str, bool]]:
    response = await client.get("/api/console/canned", **params)
    assert response.status_code == 200, response.text
    return [(r["keyword"], r["language"], r["body"], r["shared"]) for r in response.json()["items"]]


SHARED = "/api/admin/canned"
MINE = "/api/console/canned"


async def test_shared_and_personal_replies_with_override_and_language(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    sara = await lykta.staff(alias="Sara")
    kim = await lykta.staff(alias="Kim")

    greeting = await add(admin, SHARED, "hej", "sv", "Hej! Du chattar med socialtjänsten.")
    assert greeting["shared"] is True and isinstance(greeting["id"], int)
    await add(admin, SHARED, "hej", "en", "Hi! You are chatting with social services.")
    await add(admin, SHARED, "bris", "sv", "BRIS når du på 116 111.")
    mine = await add(sara, MINE, "HEJ ", "sv", "Hej, jag heter Sara.")
    assert (mine["keyword"], mine["shared"]) == ("hej", False)

    assert await listed(sara, language="sv") == [
        ("bris", "sv", "BRIS når du på 116 111.", True),
        ("hej", "sv", "Hej, jag heter Sara.", False),
    ]
    assert await listed(sara, language="en") == [("hej", "en", "Hi! You are chatting with social services.", True)]
    assert len(await listed(sara)) == 3
    assert await listed(kim, language="sv") == [
        ("bris", "sv", "BRIS når du på 116 111.", True),
        ("hej", "sv", "Hej! Du chattar med socialtjänsten.", True),
    ]
    shared = (await admin.get(SHARED)).json()["items"]
    assert [(r["keyword"], r["language"]) for r in shared] == [("hej", "en"), ("bris", "sv"), ("hej", "sv")]

    unknown = await sara.get(MINE, language="de")
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_language"

    # Deleting my own brings the shared one back.
    response = await delete(sara, f"{MINE}/{mine['id']}")
    assert response.status_code == 204, response.text
    assert ("hej", "sv", "Hej! Du chattar med socialtjänsten.", True) in await listed(sara, language="sv")


async def test_duplicates_and_invalid_input_are_refused(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    sara = await lykta.staff()
    kim = await lykta.staff()
    await add(admin, SHARED, "hej", "sv", "Hej!")
    await add(sara, MINE, "hej", "sv", "Hej från Sara")
    await add(kim, MINE, "hej", "sv", "Hej från Kim")  # another owner: no clash
    await add(sara, MINE, "hej", "en", "Hi from Sara")  # another language: no clash

    for client, path in ((admin, SHARED), (sara, MINE)):
        response = await client.post(path, {"keyword": "Hej", "language": "sv", "body": "again"})
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "duplicate_keyword"

    tack = await add(sara, MINE, "tack", "sv", "Tack för att du skrev.")
    response = await sara.put(f"{MINE}/{tack['id']}", {"keyword": "hej"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate_keyword"

    bad_bodies: list[dict[str, Any]] = [
        {"keyword": "två ord", "language": "sv", "body": "x"},
        {"keyword": "hej!", "language": "sv", "body": "x"},
        {"keyword": "", "language": "sv", "body": "x"},
        {"keyword": "k" * 33, "language": "sv", "body": "x"},
        {"keyword": "ok", "language": "sv", "body": ""},
        {"keyword": "ok", "language": "sv", "body": "x" * 2001},
        {"keyword": "ok", "language": "sv", "body": "x", "owner_id": None},
        {"keyword": "ok", "body": "x"},
    ]
    for bad in bad_bodies:
        response = await sara.post(MINE, bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["code"] == "invalid_request"
    response = await sara.post(MINE, {"keyword": "ok", "language": "de", "body": "Hallo"})
    assert response.status_code == 422 and response.json()["code"] == "unknown_language"
    response = await sara.put(f"{MINE}/{tack['id']}", {"keyword": "Bad Word"})
    assert response.status_code == 422
    assert [r[0] for r in await listed(sara, language="sv")] == ["hej", "tack"]


async def test_who_may_change_which_reply(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    supervisor = await lykta.staff(role="supervisor")
    sara = await lykta.staff()
    kim = await lykta.staff()
    shared = await add(admin, SHARED, "hej", "sv", "Hej!")
    personal = await add(sara, MINE, "tack", "sv", "Tack!")

    for client in (sara, supervisor):
        response = await client.post(SHARED, {"keyword": "x", "language": "sv", "body": "x"})
        assert response.status_code == 403 and response.json()["code"] == "forbidden", response.text
        assert (await client.put(f"{SHARED}/{shared['id']}", {"body": "mine now"})).status_code == 403
        assert (await delete(client, f"{SHARED}/{shared['id']}")).status_code == 403
        assert (await client.get(SHARED)).status_code == 403

    for path in (f"{MINE}/{personal['id']}", f"{MINE}/{shared['id']}"):
        response = await kim.put(path, {"body": "changed"})
        assert response.status_code == 403 and response.json()["code"] == "not_owner", response.text
        response = await delete(kim, path)
        assert response.status_code == 403 and response.json()["code"] == "not_owner", response.text
    response = await admin.put(f"{SHARED}/{personal['id']}", {"body": "changed"})
    assert response.status_code == 403 and response.json()["code"] == "not_shared"
    assert (await delete(sara, f"{MINE}/{shared['id']}")).status_code == 403

    response = await sara.put(f"{MINE}/{personal['id']}", {"body": "Tack för att du skrev!", "language": "en"})
    assert response.status_code == 200, response.text
    assert (response.json()["body"], response.json()["language"]) == ("Tack för att du skrev!", "en")
    response = await admin.put(f"{SHARED}/{shared['id']}", {"body": "Hej och välkommen!"})
    assert response.status_code == 200 and response.json()["shared"] is True
    assert await listed(kim) == [("hej", "sv", "Hej och välkommen!", True)]

    assert (await delete(admin, f"{SHARED}/{shared['id']}")).status_code == 204
    assert (await delete(sara, f"{MINE}/{personal['id']}")).status_code == 204
    assert await listed(sara) == []
    for response in (
        await admin.put(f"{SHARED}/{shared['id']}", {"body": "x"}),
        await delete(sara, f"{MINE}/{personal['id']}"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert (await sara.put(f"{MINE}/{2**40}", {"body": "x"})).status_code == 422


async def test_tags_are_managed_by_admins_only(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    supervisor = await lykta.staff(role="supervisor")
    counselor = await lykta.staff()

    for client in (counselor, supervisor):
        response = await client.post("/api/admin/tags", {"name": "Hot"})
        assert response.status_code == 403 and response.json()["code"] == "forbidden", response.text
        assert (await client.get("/api/admin/tags")).status_code == 403
    assert (await counselor.get("/api/console/tags")).json() == {"items": []}

    created = []
    for name in ("Hot", " Bostad ", "Droger"):
        response = await admin.post("/api/admin/tags", {"name": name})
        assert response.status_code == 201, response.text
        created.append(response.json())
    assert created[1] == {"id": created[1]["id"], "name": "Bostad", "active": True}
    hot, housing, drugs = (tag["id"] for tag in created)

    response = await admin.post("/api/admin/tags", {"name": "hot"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate_tag"
    for bad in ({"name": ""}, {"name": "x" * 65}, {"name": "x", "active": False}, {}):
        response = await admin.post("/api/admin/tags", bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid_request", bad
    response = await counselor.put(f"/api/admin/tags/{hot}", {"active": False})
    assert response.status_code == 403

    response = await admin.put(f"/api/admin/tags/{drugs}", {"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    response = await admin.put(f"/api/admin/tags/{hot}", {"name": "Hot och våld"})
    assert response.status_code == 200 and response.json()["name"] == "Hot och våld"
    response = await admin.put(f"/api/admin/tags/{housing}", {"name": "HOT OCH VÅLD"})
    assert response.status_code == 409 and response.json()["code"] == "duplicate_tag"
    response = await admin.put("/api/admin/tags/99999", {"active": True})
    assert response.status_code == 404 and response.json()["code"] == "not_found"

    active = (await counselor.get("/api/console/tags")).json()["items"]
    assert [(t["id"], t["name"]) for t in active] == [(housing, "Bostad"), (hot, "Hot och våld")]
    everything = (await admin.get("/api/admin/tags")).json()["items"]
    assert [(t["name"], t["active"]) for t in everything] == [
        ("Bostad", True),
        ("Droger", False),
        ("Hot och våld", True),
    ]
