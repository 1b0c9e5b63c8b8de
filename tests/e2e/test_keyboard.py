"""Keyboard-only journeys with focus asserted at each step (issue 13, finding 5): a visitor starts,
writes, sends, ends and leaves; a counselor skips the header, claims, answers and closes. State
changes are announced in polite live regions."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.e2e.support import DESKTOP, ME_401, Browsers, checkpoint, go_available, sign_in
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def focused(page: Page) -> str:
    """The focused element's test id (or tag#id), to assert where focus is."""
    found: str = await page.evaluate(
        "() => { const e = document.activeElement; return e?.dataset?.testid ?? `${e?.tagName}#${e?.id}`; }"
    )
    return found


async def tab_to(page: Page, testid: str, limit: int = 40) -> None:
    """Presses Tab until the element with this test id has focus (no mouse)."""
    for _ in range(limit):
        if await focused(page) == testid:
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"{testid} not reached with Tab (at {await focused(page)})")


async def test_visitor_and_counselor_without_a_mouse(lykta: Lykta, browsers: Browsers) -> None:
    (username,) = await lykta.create_staff(alias="Sara")
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)
    c = console.page
    await sign_in(c, username)
    await go_available(c)
    await c.evaluate("document.activeElement.blur()")

    v = (await browsers.new()).page
    await v.goto("/c/e2e-keys")
    await expect(v.get_by_test_id("status-open")).to_be_visible()
    await v.keyboard.press("Tab")
    assert await focused(v) == "leave-quickly"  # first on the page
    await tab_to(v, "start-chat")
    await v.keyboard.press("Enter")
    await expect(v.get_by_test_id("queue-position")).to_be_visible()
    await expect(v.locator("#heading")).to_be_focused()  # not <body>
    await expect(v.get_by_test_id("chat-announcement")).to_have_text("Din plats i kön: 1")
    await tab_to(v, "composer")
    await v.keyboard.type("Hej, jag skriver med tangentbordet")
    await v.keyboard.press("Enter")
    await expect(v.get_by_test_id("message").filter(has_text="med tangentbordet")).to_have_count(1)
    assert await focused(v) == "composer"

    # The console announces the new chat; the skip link passes the header; Enter claims.
    await expect(c.get_by_test_id("queue-announcement")).to_have_text(re.compile(r"^Ny i kön: Chatt [0-9a-f]{6}$"))
    await c.keyboard.press("Tab")
    assert await focused(c) == "skip-link"
    await c.keyboard.press("Enter")
    await expect(c.locator("main")).to_be_focused()
    await c.keyboard.press("Tab")
    assert await focused(c) == "claim"
    await c.keyboard.press("Enter")
    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "active")
    await expect(c.get_by_test_id("composer")).to_be_focused()  # focus follows the claim
    await c.keyboard.type("Hej! Jag heter Sara.")
    await c.keyboard.press("Enter")
    await expect(v.get_by_test_id("message").filter(has_text="Jag heter Sara.")).to_have_count(1)
    await expect(v.get_by_test_id("chat-announcement")).to_have_text("Du chattar med Sara")
    assert await focused(v) == "composer"  # the visitor's focus was not moved while they wrote
    await checkpoint(c, "console-keyboard-claimed")

    # The visitor ends (asks once) and leaves, all from the keyboard.
    await v.keyboard.press("Shift+Tab")
    for _ in range(10):
        if await focused(v) == "end-chat":
            break
        await v.keyboard.press("Shift+Tab")
    assert await focused(v) == "end-chat"
    await v.keyboard.press("Enter")
    await expect(v.get_by_test_id("end-cancel")).to_be_focused()
    await v.keyboard.press("Shift+Tab")
    assert await focused(v) == "end-confirm"
    await v.keyboard.press("Enter")
    await expect(v.get_by_test_id("follow-up-code")).to_be_visible()
    await expect(v.locator("#heading")).to_be_focused()
    await checkpoint(v, "visitor-keyboard-ended")
    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "closed")
    await v.keyboard.press("Shift+Tab")
    await tab_to(v, "leave-quickly")
    async with v.expect_navigation():
        await v.keyboard.press("Enter")
    assert v.url.endswith("/healthz")
