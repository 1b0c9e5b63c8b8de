"""The mapping register: spaces, observations over time, trends, "not observed lately", admin lists, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.helpers import Lykta, StaffClient

SEEDED_CATEGORIES = {
    "Annonser om sex mot ersättning",
    "Sugardejting",
    "HBTQ-gemenskap",
    "Sociala medier",
    "Forum",
    "Annat",
}
SEEDED_INDICATORS = {
    "Dolda telefonnummer",
    "Betonar pålitlighet",
    "Uppgiven etnicitet",
    "Språk som antyder låg ålder",
}


def local_today() -> date:
    """The service's date (Europe/Stockholm), which observation days and "days since" are counted in."""
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code, response.text


async def list_ids(staff: StaffClient, path: str) -> dict[str, int]:
    return {item["name"]: item["id"] for item in ok(await staff.get(path))["items"]}


async def make_space(
    staff: StaffClient, name: str, category: str = "Annonser om sex mot ersättning", **extra: Any
) -> dict[str, Any]:
    categories = await list_ids(staff, "/api/console/space-categories")
    body = {"name": name, "category_id": categories[category], "address": f"https://ads.example/{name}", **extra}
    space: dict[str, Any] = ok(await staff.post("/api/console/spaces", body), 201)
    return space


async def observe(staff: StaffClient, space_id: int, day: date, ads: int, **extra: Any) -> dict[str, Any]:
    body = {"day": day.isoformat(), "ads_seen": ads, **extra}
    observation: dict[str, Any] = ok(await staff.post(f"/api/console/spaces/{space_id}/observations", body), 201)
    return observation


def parse_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_spaces_observations_trend_and_not_observed_lately(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    today = local_today()
    indicators = await list_ids(worker, "/api/console/indicators")
    assert set(indicators) == SEEDED_INDICATORS
    assert set(await list_ids(worker, "/api/console/space-categories")) == SEEDED_CATEGORIES

    ads = await make_space(worker, "Annonssajten", age_gate=True, notes="Escort section, Stockholm")
    assert (ads["category"]["name"], ads["age_gate"], ads["active"]) == ("Annonser om sex mot ersättning", True, True)
    assert ads["latest_observation"] is None and ads["days_since_observed"] is None
    sugar = await make_space(worker, "Sugarsajten", "Sugardejting")
    forum = await make_space(worker, "Forumet", "Forum")
    never = await make_space(worker, "Aldrig sedd", "Annat")

    await observe(worker, ads["id"], today - timedelta(days=30), 12)
    await observe(worker, ads["id"], today - timedelta(days=20), 15, ads_new=5, ads_removed=2)
    last = await observe(
        worker,
        ads["id"],
        today - timedelta(days=2),
        11,
        ads_new=1,
        ads_removed=5,
        note="Several ads with youthful wording",
        indicators=[indicators["Språk som antyder låg ålder"], indicators["Dolda telefonnummer"]],
    )
    assert last["observer_id"] == worker.id
    assert [i["name"] for i in last["indicators"]] == ["Dolda telefonnummer", "Språk som antyder låg ålder"]
    await observe(worker, sugar["id"], today - timedelta(days=40), 30)
    await observe(worker, forum["id"], today - timedelta(days=15), 4)

    listed = {s["name"]: s for s in ok(await worker.get("/api/console/spaces"))["items"]}
    assert list(listed) == ["Aldrig sedd", "Annonssajten", "Forumet", "Sugarsajten"]
    latest = listed["Annonssajten"]["latest_observation"]
    assert (latest["id"], latest["day"], latest["ads_seen"], latest["ads_new"], latest["ads_removed"]) == (
        last["id"],
        (today - timedelta(days=2)).isoformat(),
        11,
        1,
        5,
    )
    assert len(latest["indicators"]) == 2
    assert listed["Annonssajten"]["days_since_observed"] == 2
    assert listed["Sugarsajten"]["latest_observation"]["ads_seen"] == 30

    trend = ok(await worker.get(f"/api/console/spaces/{ads['id']}/trend"))
    assert [(p["day"], p["ads_seen"], p["ads_new"], p["ads_removed"], p["indicators"]) for p in trend["points"]] == [
        ((today - timedelta(days=30)).isoformat(), 12, None, None, 0),
        ((today - timedelta(days=20)).isoformat(), 15, 5, 2, 0),
        ((today - timedelta(days=2)).isoformat(), 11, 1, 5, 2),
    ]
    windowed = await worker.get(
        f"/api/console/spaces/{ads['id']}/trend", **{"from": (today - timedelta(days=25)).isoformat()}
    )
    assert [p["ads_seen"] for p in ok(windowed)["points"]] == [15, 11]
    history = ok(await worker.get(f"/api/console/spaces/{ads['id']}/observations"))["items"]
    assert [o["note"] for o in history] == ["", "", "Several ads with youthful wording"]

    stale = ok(await worker.get("/api/console/spaces/not-observed"))
    assert stale["days"] == 14
    assert [s["name"] for s in stale["items"]] == ["Aldrig sedd", "Sugarsajten", "Forumet"]  # never seen, then oldest
    assert [s["days_since_observed"] for s in stale["items"]] == [None, 40, 15]
    longer = ok(await worker.get("/api/console/spaces/not-observed", days=30))
    assert [s["name"] for s in longer["items"]] == ["Aldrig sedd", "Sugarsajten"]

    # An observation corrected; a space retired drops out of the lists and takes no new observations.
    fixed = ok(await worker.put(f"/api/console/observations/{last['id']}", {"ads_seen": 10, "indicators": []}))
    assert (fixed["ads_seen"], fixed["indicators"], fixed["ads_new"]) == (10, [], 1)
    retired = ok(await worker.put(f"/api/console/spaces/{never['id']}", {"active": False}))
    assert retired["active"] is False
    stale = ok(await worker.get("/api/console/spaces/not-observed"))
    assert [s["name"] for s in stale["items"]] == ["Sugarsajten", "Forumet"]
    assert "Aldrig sedd" not in {s["name"] for s in ok(await worker.get("/api/console/spaces"))["items"]}
    everything = ok(await worker.get("/api/console/spaces", include_retired="true"))["items"]
    assert "Aldrig sedd" in {s["name"] for s in everything}
    refused(
        await worker.post(f"/api/console/spaces/{never['id']}/observations", {"day": today.isoformat(), "ads_seen": 1}),
        409,
        "space_retired",
    )


async def test_register_refuses_bad_input_with_clear_codes(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    space = await make_space(worker, "Sajten")
    today = local_today().isoformat()
    categories = await list_ids(worker, "/api/console/space-categories")
    good = {"name": "X", "category_id": categories["Forum"], "address": "https://forum.example/"}
    observations = f"/api/console/spaces/{space['id']}/observations"

    refused(
        await worker.post("/api/console/spaces/999999/observations", {"day": today, "ads_seen": 1}),
        404,
        "unknown_space",
    )
    refused(await worker.get("/api/console/spaces/999999/trend"), 404, "unknown_space")
    refused(await worker.put("/api/console/spaces/999999", {"name": "Y"}), 404, "unknown_space")
    refused(await worker.post("/api/console/spaces", {**good, "category_id": 999999}), 422, "unknown_category")
    refused(await worker.post("/api/console/spaces", {**good, "name": "x" * 129}), 422, "invalid_request")
    refused(await worker.post("/api/console/spaces", {**good, "notes": "n" * 2001}), 422, "invalid_request")
    refused(
        await worker.post("/api/console/spaces", {**good, "address": "javascript:alert(1)"}), 422, "invalid_address"
    )
    refused(
        await worker.post("/api/console/spaces", {**good, "address": "https://x/" + "a" * 500}), 422, "invalid_request"
    )
    refused(await worker.post("/api/console/spaces", {**good, "photo": "base64..."}), 422, "invalid_request")

    refused(await worker.post(observations, {"day": today, "ads_seen": 1, "note": "n" * 1001}), 422, "invalid_request")
    refused(await worker.post(observations, {"day": today, "ads_seen": -1}), 422, "invalid_request")
    refused(await worker.post(observations, {"day": "2026-02-30", "ads_seen": 1}), 422, "invalid_request")
    future = (local_today() + timedelta(days=5)).isoformat()
    refused(await worker.post(observations, {"day": future, "ads_seen": 1}), 422, "invalid_day")
    refused(
        await worker.post(observations, {"day": today, "ads_seen": 1, "indicators": [999999]}), 422, "unknown_indicator"
    )
    for note in ("ring 070-123 45 67", "skriv till tjej99@example.com", "profilen @sweetgirl_19"):
        refused(await worker.post(observations, {"day": today, "ads_seen": 1, "note": note}), 422, "personal_data")
    refused(await worker.post("/api/console/spaces", {**good, "notes": "kontakt +46701234567"}), 422, "personal_data")

    await observe(worker, space["id"], local_today(), 3, note="Prices in 2026-11 ads went up")  # a date is fine
    refused(await worker.post(observations, {"day": today, "ads_seen": 4}), 409, "already_observed")
    refused(await worker.get("/api/console/spaces/not-observed", days=0), 422, "invalid_request")
    refused(await worker.get("/api/console/spaces/not-observed", days="lots"), 422, "invalid_request")
    refused(await worker.get(observations, **{"from": "2026-03-01", "to": "2026-02-01"}), 422, "invalid_period")

    async with lykta.http() as anonymous:
        refused(await anonymous.get("/api/console/spaces"), 401, "not_authenticated")


async def test_categories_and_indicators_are_admin_managed(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    supervisor = await lykta.staff(role="supervisor", available=False)
    counselor = await lykta.staff(available=False)

    for path in ("/api/admin/space-categories", "/api/admin/indicators"):
        for staff in (counselor, supervisor):
            refused(await staff.get(path), 403, "forbidden")
            refused(await staff.post(path, {"name": "Dating apps"}), 403, "forbidden")
            refused(await staff.put(f"{path}/1", {"active": False}), 403, "forbidden")
        created = ok(await admin.post(path, {"name": "  Dating apps "}), 201)
        assert (created["name"], created["active"]) == ("Dating apps", True)
        refused(await admin.post(path, {"name": "dating APPS"}), 409, "duplicate_name")
        refused(await admin.post(path, {"name": ""}), 422, "invalid_request")
        refused(await admin.put(f"{path}/999999", {"active": False}), 404, "not_found")
        renamed = ok(await admin.put(f"{path}/{created['id']}", {"name": "Dating app"}))
        assert renamed["name"] == "Dating app"

    categories = await list_ids(counselor, "/api/console/space-categories")
    indicators = await list_ids(counselor, "/api/console/indicators")
    assert set(categories) == SEEDED_CATEGORIES | {"Dating app"}
    assert set(indicators) == SEEDED_INDICATORS | {"Dating app"}

    ok(await admin.put(f"/api/admin/space-categories/{categories['Dating app']}", {"active": False}))
    ok(await admin.put(f"/api/admin/indicators/{indicators['Dating app']}", {"active": False}))
    assert "Dating app" not in await list_ids(counselor, "/api/console/space-categories")
    assert "Dating app" not in await list_ids(counselor, "/api/console/indicators")
    admin_view = ok(await admin.get("/api/admin/indicators"))["items"]
    assert {"id": indicators["Dating app"], "name": "Dating app", "active": False} in admin_view

    body = {"name": "App", "category_id": categories["Dating app"], "address": "https://app.example/"}
    refused(await counselor.post("/api/console/spaces", body), 422, "unknown_category")
    space = await make_space(counselor, "Sajten")
    refused(
        await counselor.post(
            f"/api/console/spaces/{space['id']}/observations",
            {"day": local_today().isoformat(), "ads_seen": 1, "indicators": [indicators["Dating app"]]},
        ),
        422,
        "unknown_indicator",
    )


async def test_register_exports_as_csv(lykta: Lykta) -> None:
    worker = await lykta.staff(available=False)
    indicators = await list_ids(worker, "/api/console/indicators")
    ads = await make_space(worker, "Annonssajten, Göteborg", notes='=HYPERLINK("http://evil")')
    forum = await make_space(worker, "Forumet", "Forum", age_gate=True)
    await observe(worker, ads["id"], date(2026, 3, 1), 8)
    await observe(
        worker,
        ads["id"],
        date(2026, 3, 8),
        10,
        ads_new=3,
        ads_removed=1,
        note='New wording: "trygg", "diskret"',
        indicators=[indicators["Uppgiven etnicitet"], indicators["Betonar pålitlighet"]],
    )
    await observe(worker, forum["id"], date(2026, 4, 2), 2)

    spaces = parse_csv(await worker.get("/api/console/export/spaces.csv"))
    assert list(spaces[0]) == [
        "id",
        "name",
        "category",
        "address",
        "age_gate",
        "notes",
        "active",
        "created_at",
        "last_observed",
        "last_ads_seen",
        "days_since_observed",
    ]
    by_name = {row["name"]: row for row in spaces}
    assert set(by_name) == {"Annonssajten, Göteborg", "Forumet"}
    first = by_name["Annonssajten, Göteborg"]
    assert (first["category"], first["age_gate"], first["last_observed"], first["last_ads_seen"]) == (
        "Annonser om sex mot ersättning",
        "no",
        "2026-03-08",
        "10",
    )
    assert first["notes"] == '\'=HYPERLINK("http://evil")'  # a formula is defused, not run
    assert by_name["Forumet"]["age_gate"] == "yes"

    rows = parse_csv(
        await worker.get("/api/console/export/observations.csv", **{"from": "2026-03-01", "to": "2026-03-31"})
    )
    assert [(r["day"], r["space"], r["ads_seen"], r["ads_new"], r["ads_removed"]) for r in rows] == [
        ("2026-03-01", "Annonssajten, Göteborg", "8", "", ""),
        ("2026-03-08", "Annonssajten, Göteborg", "10", "3", "1"),
    ]
    assert rows[1]["indicators"] == "Betonar pålitlighet; Uppgiven etnicitet"
    assert rows[1]["note"] == 'New wording: "trygg", "diskret"'
    assert rows[1]["category"] == "Annonser om sex mot ersättning" and rows[1]["observer_id"] == str(worker.id)
    everything = parse_csv(await worker.get("/api/console/export/observations.csv"))
    assert [r["space"] for r in everything][-1] == "Forumet" and len(everything) == 3
    refused(
        await worker.get("/api/console/export/observations.csv", **{"from": "2026-04-01", "to": "2026-03-01"}),
        422,
        "invalid_period",
    )


def test_personal_data_guard_refuses_numbers_but_not_times_or_dates() -> None:
    from app.outreach.register import PHONE

    for phone in ("070-123 45 67", "+46 70 123 45 67", "0701234567", "08-123 456 78"):
        assert PHONE.search(f"ring {phone} sa annonsen"), phone
    for harmless in ("Kollade 08.30-10.00", "Kontroll 01.12.2026", "2026-12-01", "kl 08-30"):
        assert not PHONE.search(harmless), harmless
