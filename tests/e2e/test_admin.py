"""Admin pages in the browser: create a staff account (and see the server refuse a duplicate), disable
and enable it, switch routing to automatic, and keep opening hours, tags and shared replies."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.e2e.support import DESKTOP, ME_401, Browsers, shot, sign_in
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

USERS_409 = r"status of 409 .*@ http://127\.0\.0\.1:\d+/api/admin/users$"
NEW_PASSWORD = "ett långt lösenord"


async def test_admin_creates_a_user_and_sets_routing(lykta: Lykta, browsers: Browsers) -> None:
    (admin_name,) = await lykta.create_staff(role="admin", alias="Ada")
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401, USERS_409)
    c = console.page
    await sign_in(c, admin_name)
    await c.get_by_test_id("nav-admin").click()
    await expect(c.get_by_test_id("admin-users")).to_have_attribute("aria-current", "page")
    await expect(c.locator(f"[data-testid=user-row][data-username='{admin_name}']")).to_be_visible()

    # Create a supervisor through the form.
    form = c.get_by_test_id("new-user-form")
    await form.get_by_test_id("new-user-username").fill("nora.e2e")
    await form.get_by_test_id("new-user-password").fill(NEW_PASSWORD)
    await form.get_by_test_id("new-user-role").select_option("supervisor")
    await form.get_by_test_id("new-user-alias").fill("Nora")
    await form.get_by_test_id("new-user-display-name").fill("Nora Nilsson")
    await form.get_by_test_id("new-user-capacity").fill("2")
    await form.get_by_test_id("new-user-submit").click()
    await expect(form.get_by_test_id("new-user-created")).to_contain_text("nora.e2e")
    row = c.locator("[data-testid=user-row][data-username='nora.e2e']")
    await expect(row.get_by_test_id("user-role-text")).to_have_text("Arbetsledare")
    await expect(form.get_by_test_id("new-user-username")).to_have_value("")

    # The account is real: it signs in with that role, alias and capacity.
    nora = await lykta.login("nora.e2e", NEW_PASSWORD)
    assert {k: nora.counselor[k] for k in ("role", "alias", "display_name", "capacity")} == {
        "role": "supervisor",
        "alias": "Nora",
        "display_name": "Nora Nilsson",
        "capacity": 2,
    }

    # The same username again: the server's refusal shows next to the form.
    await form.get_by_test_id("new-user-username").fill("nora.e2e")
    await form.get_by_test_id("new-user-password").fill(NEW_PASSWORD)
    await form.get_by_test_id("new-user-alias").fill("Nora 2")
    await form.get_by_test_id("new-user-submit").click()
    error = form.get_by_test_id("form-error")
    await expect(error).to_have_attribute("data-code", "user_exists")
    await expect(error).to_contain_text("nora.e2e")
    await expect(c.locator("[data-testid=user-row][data-username='nora.e2e']")).to_have_count(1)

    # Edit the capacity, then disable the account (it can no longer sign in) and enable it again.
    await row.get_by_test_id("user-edit").click()
    await row.get_by_test_id("user-capacity").fill("4")
    await row.get_by_test_id("user-save").click()
    await expect(row.get_by_test_id("user-done")).to_be_visible()
    await expect(row.locator("td").nth(3)).to_have_text("4")
    await shot(c, "admin-users")
    await row.get_by_test_id("user-toggle-active").click()
    await expect(row.get_by_test_id("user-status")).to_have_text("Avstängt")
    async with lykta.http() as http:
        refused = await http.post("/api/console/login", json={"username": "nora.e2e", "password": NEW_PASSWORD})
    assert refused.status_code == 401
    await row.get_by_test_id("user-toggle-active").click()
    await expect(row.get_by_test_id("user-status")).to_have_text("Aktivt")
    assert (await lykta.login("nora.e2e", NEW_PASSWORD)).counselor["capacity"] == 4

    # Routing mode: automatic, saved on the server and shown again after a reload.
    await c.get_by_test_id("admin-settings").click()
    manual = c.get_by_test_id("setting-routing-manual")
    await expect(manual).to_be_checked()
    await c.get_by_test_id("setting-routing-auto").check()
    await c.get_by_test_id("setting-accept_timeout_s").fill("45")
    await c.get_by_test_id("settings-save").click()
    await expect(c.get_by_test_id("settings-saved")).to_be_visible()
    await shot(c, "admin-settings")
    admin = await lykta.login(admin_name)
    settings = (await admin.get("/api/admin/settings")).json()
    assert (settings["routing_mode"], settings["accept_timeout_s"]) == ("auto", 45)
    await c.reload()
    await c.get_by_test_id("nav-admin").click()
    await c.get_by_test_id("admin-settings").click()
    await expect(c.get_by_test_id("setting-routing-auto")).to_be_checked()
    await expect(c.get_by_test_id("setting-accept_timeout_s")).to_have_value("45")


async def test_admin_keeps_hours_tags_and_shared_replies(lykta: Lykta, browsers: Browsers) -> None:
    (admin_name,) = await lykta.create_staff(role="admin", alias="Ada")
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)
    c = console.page
    await sign_in(c, admin_name)
    admin = await lykta.login(admin_name)
    await c.get_by_test_id("nav-admin").click()

    # Opening hours: two weekly rows saved at once, and a holiday.
    await c.get_by_test_id("admin-hours").click()
    await c.get_by_test_id("schedule-add-row").click()
    await c.get_by_test_id("schedule-add-row").click()
    rows = c.get_by_test_id("schedule-row")
    await rows.nth(0).get_by_test_id("schedule-weekday").select_option("0")
    await rows.nth(0).get_by_test_id("schedule-opens").fill("18:00")
    await rows.nth(0).get_by_test_id("schedule-closes").fill("23:00")
    await rows.nth(1).get_by_test_id("schedule-weekday").select_option("4")
    await rows.nth(1).get_by_test_id("schedule-opens").fill("20:00")
    await rows.nth(1).get_by_test_id("schedule-closes").fill("02:00")
    await c.get_by_test_id("schedule-save").click()
    await expect(c.get_by_test_id("schedule-saved")).to_be_visible()
    await c.get_by_test_id("exception-day").fill("2026-12-24")
    await c.get_by_test_id("exception-note").fill("Julafton")
    await c.get_by_test_id("exception-add").click()
    holiday = c.locator("[data-testid=exception-row][data-day='2026-12-24']")
    await expect(holiday).to_contain_text("Julafton")
    await shot(c, "admin-hours")
    schedule = (await admin.get("/api/console/schedule")).json()
    assert schedule["weekly"] == [
        {"weekday": 0, "opens": "18:00", "closes": "23:00"},
        {"weekday": 4, "opens": "20:00", "closes": "02:00"},
    ]
    assert [(x["day"], x["closed"], x["note"]) for x in schedule["exceptions"]] == [("2026-12-24", True, "Julafton")]
    await holiday.get_by_test_id("exception-delete").click()
    await expect(holiday).to_have_count(0)
    assert (await admin.get("/api/console/schedule")).json()["exceptions"] == []

    # Tags: add, rename, deactivate; counselors then see only the active ones.
    await c.get_by_test_id("admin-tags").click()
    for count, name in enumerate(("Boende", "Hot"), start=1):
        await c.get_by_test_id("new-tag-name").fill(name)
        await c.get_by_test_id("new-tag-submit").click()
        await expect(c.get_by_test_id("tag-row")).to_have_count(count)
        await expect(c.get_by_test_id("new-tag-name")).to_have_value("")
    first = c.get_by_test_id("tag-row").nth(0)
    await first.get_by_test_id("tag-name").fill("Boende och hemlöshet")
    await first.get_by_test_id("tag-save").click()
    await expect(first.get_by_test_id("tag-save")).to_be_disabled()
    second = c.get_by_test_id("tag-row").nth(1)
    await second.get_by_test_id("tag-toggle").click()
    await expect(second).to_have_attribute("data-active", "false")
    await shot(c, "admin-tags")
    tags = (await admin.get("/api/console/tags")).json()["items"]
    assert [t["name"] for t in tags] == ["Boende och hemlöshet"]

    # Shared canned replies in Swedish and English.
    await c.get_by_test_id("admin-canned").click()
    for keyword, language, body in (
        ("hej", "sv", "Hej! Vad vill du prata om?"),
        ("hello", "en", "Hi! What is on your mind?"),
    ):
        await c.get_by_test_id("new-canned-keyword").fill(f"/{keyword}")
        await c.get_by_test_id("new-canned-language").select_option(language)
        await c.get_by_test_id("new-canned-body").fill(body)
        await c.get_by_test_id("new-canned-save").click()
        await expect(c.locator(f"[data-testid=canned-row][data-keyword='{keyword}']")).to_be_visible()
    hej = c.locator("[data-testid=canned-row][data-keyword='hej']")
    await hej.get_by_test_id("canned-edit").click()
    await hej.locator("textarea").fill("Hej! Jag heter Ada. Vad vill du prata om?")
    await hej.get_by_role("button", name="Spara").click()
    await expect(hej).to_contain_text("Jag heter Ada.")
    await shot(c, "admin-canned")
    sv = (await admin.get("/api/console/canned", language="sv")).json()["items"]
    assert [(r["keyword"], r["body"], r["shared"]) for r in sv] == [
        ("hej", "Hej! Jag heter Ada. Vad vill du prata om?", True)
    ]
    hello = c.locator("[data-testid=canned-row][data-keyword='hello']")
    await hello.get_by_test_id("canned-delete").click()
    await hello.get_by_test_id("canned-delete-confirm").click()
    await expect(hello).to_have_count(0)
    assert (await admin.get("/api/console/canned", language="en")).json()["items"] == []
