"""The visitor page without a counselor in the loop: leave quickly, the closed state, the language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Page, expect

from tests.e2e.support import DESKTOP, Browsers, shot
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

NARROW = {"width": 320, "height": 568}
FIRST_FOCUSABLE = """[...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .find(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0)?.dataset.testid"""
STORED_KEYS = "Object.keys(sessionStorage).filter(k => k.toLowerCase().includes('lykta'))"


async def test_leave_quickly_leaves_no_chat_behind(lykta: Lykta, browsers: Browsers) -> None:
    await lykta.staff(alias="Sara")
    visitor = await browsers.new(viewport=NARROW)
    v = visitor.page
    exit_url = f"{lykta.server.base_url}/healthz"
    # Where the visitor came from (the ad); then the chat link, as a new history entry.
    await v.goto("/readyz")
    await v.goto("/c/e2e-leave")
    await expect(v.get_by_test_id("status-open")).to_be_visible()

    # The first thing Tab reaches, and fully on screen without scrolling at 320 px.
    await v.keyboard.press("Tab")
    assert await v.evaluate("document.activeElement.dataset.testid") == "leave-quickly"
    assert await v.evaluate(FIRST_FOCUSABLE) == "leave-quickly"
    leave = v.get_by_test_id("leave-quickly")
    box = await leave.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= NARROW["width"] and box["y"] + box["height"] <= NARROW["height"]
    assert await v.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    on_top = await leave.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"
    )
    assert on_top, "something covers the leave button"

    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("queue-position")).to_be_visible()
    composer = v.get_by_test_id("composer")
    await composer.fill("något jag inte vill att någon ser")
    await composer.press("Enter")
    await expect(v.get_by_test_id("message")).to_have_attribute("data-mark", "delivered")
    await composer.fill("ett utkast")
    assert await v.evaluate(STORED_KEYS), "the chat keeps nothing in sessionStorage?"
    # Still the first focusable element in the chat, and in view (the bar stays on top).
    assert await v.evaluate(FIRST_FOCUSABLE) == "leave-quickly"
    await v.mouse.wheel(0, 2000)
    box = await leave.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= NARROW["height"]

    entries = await v.evaluate("history.length")
    await leave.click()
    await v.wait_for_url(exit_url)
    assert await v.evaluate(STORED_KEYS) == []
    assert await v.evaluate("history.length") == entries  # the chat's entry was replaced, not left behind
    assert "något jag inte vill" not in await v.content()

    await v.go_back()
    assert v.url == f"{lykta.server.base_url}/readyz"
    await v.go_forward()
    assert v.url == exit_url
    assert await v.evaluate(STORED_KEYS) == []


async def test_escape_twice_leaves(lykta: Lykta, browsers: Browsers) -> None:
    v = (await browsers.new()).page
    await v.goto("/c/e2e-esc")
    await expect(v.get_by_test_id("status-closed")).to_be_visible()
    await v.keyboard.press("Escape")
    await v.keyboard.press("Escape")
    await v.wait_for_url(f"{lykta.server.base_url}/healthz")
    assert await v.evaluate(STORED_KEYS) == []


async def schedule_elsewhere(lykta: Lykta) -> bool:
    """Sets weekly opening hours on another weekday than today; False while the route does not exist."""
    admin = await lykta.staff(role="admin", available=False)
    other_day = (dt.datetime.now(ZoneInfo("Europe/Stockholm")).weekday() + 3) % 7
    response = await admin.put(
        "/api/admin/schedule", {"weekly": [{"weekday": other_day, "opens": "18:00", "closes": "23:00"}]}
    )
    if response.status_code in (404, 405):
        return False
    assert response.status_code in (200, 204), response.text
    return True


async def test_closed_shows_next_opening_and_alternatives(lykta: Lykta, browsers: Browsers) -> None:
    await schedule_elsewhere(lykta)
    async with lykta.http() as http:
        status = (await http.get("/api/visitor/status", params={"link": "e2e-closed"})).json()
    assert status["open"] is False

    v = (await browsers.new()).page
    await v.goto("/c/e2e-closed")
    await expect(v.get_by_test_id("status-closed")).to_have_text("Chatten är stängd just nu")
    await expect(v.get_by_test_id("start-chat")).to_have_count(0)
    await expect_alternatives(v)
    if status["next_opening"]:
        when = v.get_by_test_id("next-opening")
        await expect(when).to_be_visible()
        await expect(when.locator("time")).to_have_attribute("datetime", status["next_opening"])
        await expect(when).to_contain_text("18:00")
    else:  # no opening hours on this server yet: the page says it does not know
        await expect(v.get_by_test_id("next-opening")).to_have_count(0)
        await expect(v.get_by_text("Vi vet inte just nu när chatten öppnar igen.")).to_be_visible()
    await shot(v, "visitor-closed")


async def expect_alternatives(v: Page) -> None:
    alternatives = v.get_by_test_id("alternative")
    await expect(alternatives).to_have_count(3)
    hrefs = [await alternatives.nth(i).get_attribute("href") for i in range(3)]
    assert hrefs == ["tel:112", "tel:0850840000", "tel:116111"]
    await expect(alternatives.first).to_contain_text("Ring 112")


async def test_closes_when_the_last_counselor_goes(lykta: Lykta, browsers: Browsers) -> None:
    staff = await lykta.staff(alias="Sara")
    visitor = await browsers.new()
    visitor.allow(r"status of 503 .*@ http://127\.0\.0\.1:\d+/api/visitor/conversations$")
    v = visitor.page
    await v.goto("/c/e2e-closing")
    await expect(v.get_by_test_id("status-open")).to_be_visible()
    await staff.presence("offline")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("status-closed")).to_be_visible()
    await expect_alternatives(v)
    assert await v.evaluate(STORED_KEYS) == []


async def test_swedish_by_default_english_after_the_switch(lykta: Lykta, browsers: Browsers) -> None:
    staff = await lykta.staff(alias="Sara")
    v = (await browsers.new()).page
    await v.goto("/c/e2e-lang")
    await expect(v.get_by_test_id("status-open")).to_have_text("Chatten är öppen nu")
    assert await v.evaluate("document.documentElement.lang") == "sv"
    await expect(v.get_by_test_id("leave-quickly")).to_have_text("Lämna sidan snabbt")
    await expect(v.locator("h1")).to_have_text("Prata anonymt med en socialsekreterare")
    await expect(v.get_by_test_id("start-chat")).to_have_text("Starta chatten")
    await expect(v.get_by_test_id("age-band").locator("option").nth(1)).to_have_text("Under 15 år")

    await v.get_by_test_id("lang-switch").click()
    await expect(v.get_by_test_id("status-open")).to_have_text("The chat is open now")
    assert await v.evaluate("document.documentElement.lang") == "en"
    await expect(v.get_by_test_id("leave-quickly")).to_have_text("Leave quickly")
    await expect(v.locator("h1")).to_have_text("Talk anonymously with a social worker")
    await expect(v.get_by_test_id("start-chat")).to_have_text("Start chat")
    await expect(v.get_by_test_id("lang-switch")).to_have_text("Svenska")
    await shot(v, "visitor-open-en")

    # The choice holds for this tab, and the counselor learns which language to answer in.
    await v.reload()
    await expect(v.get_by_test_id("start-chat")).to_have_text("Start chat")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_role("heading", name="You are in the queue")).to_be_visible()
    queue = (await staff.get("/api/console/queue")).json()["items"]
    assert [item["language"] for item in queue] == ["en"]

    await v.get_by_test_id("lang-switch").click()
    await expect(v.get_by_role("heading", name="Du står i kön")).to_be_visible()
    await expect(v.get_by_test_id("end-chat")).to_have_text("Avsluta chatten")

    # The console too: Swedish first, English on request.
    console = await browsers.new(viewport=DESKTOP)
    console.allow(r"status of 401 .*@ http://127\.0\.0\.1:\d+/api/console/me$")
    c = console.page
    await c.goto("/console")
    await expect(c.locator("h1")).to_have_text("Logga in på chattjouren")
    await expect(c.get_by_test_id("login-submit")).to_have_text("Logga in")
    await c.get_by_test_id("lang-switch").click()
    await expect(c.locator("h1")).to_have_text("Sign in to chat duty")
    await expect(c.get_by_test_id("login-submit")).to_have_text("Sign in")
