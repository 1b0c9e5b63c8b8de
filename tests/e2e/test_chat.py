"""The whole conversation in two browsers: a counselor signs in and goes available, a visitor starts
in one tap, waits, is claimed with one click, and both write (Enter, Shift+Enter, typing, marks)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.support import (
    DESKTOP,
    Browsers,
    assert_ordered_once,
    end_chat,
    go_available,
    grouped,
    shot,
    sign_in,
    transcript,
)
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

ME_401 = r"status of 401 .*@ http://127\.0\.0\.1:\d+/api/console/me$"


async def test_visitor_and_counselor_chat(lykta: Lykta, browsers: Browsers) -> None:
    (username,) = await lykta.create_staff(alias="Sara")

    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)  # the console asks who is signed in before showing the form
    c = console.page
    await c.goto("/console")
    await expect(c.get_by_test_id("login-submit")).to_be_visible()
    await shot(c, "console-login")
    await sign_in(c, username)
    await expect(c.get_by_test_id("presence")).not_to_have_value("available")
    await go_available(c)

    visitor = await browsers.new()
    v = visitor.page
    await v.goto("/c/e2e-link")
    await expect(v.get_by_test_id("status-open")).to_be_visible()
    await shot(v, "visitor-open")
    await v.get_by_test_id("age-band").select_option("15_17")
    await v.get_by_test_id("topic").select_option("exploitation")
    await v.get_by_test_id("start-chat").click()  # one tap
    await expect(v.get_by_test_id("queue-position")).to_have_text("1")
    await expect(v.get_by_test_id("estimated-wait")).to_be_visible()

    # The visitor may write while waiting: stored (delivered), nobody has read it yet.
    v_composer = v.get_by_test_id("composer")
    await v_composer.fill("Hej, är det någon där?")
    await v_composer.press("Enter")
    v_first = v.get_by_test_id("message").first
    await expect(v_first).to_have_attribute("data-mark", "delivered")
    await expect(v_first).to_have_attribute("data-seq", re.compile(r"^\d+$"))
    await expect(v_composer).to_have_value("")
    await shot(v, "visitor-waiting")

    row = c.get_by_test_id("queue-item")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("15\u201317")  # the age band, with an en dash
    await expect(row).to_contain_text("utnyttjande")
    await expect(c.get_by_test_id("conv-tab")).to_have_count(0)
    await shot(c, "console-queue")
    await row.get_by_test_id("claim").click()  # one click

    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "active")
    await expect(c.get_by_test_id("queue-item")).to_have_count(0)
    await expect(c.get_by_test_id("conv-tab")).to_have_count(1)
    c_messages = c.get_by_test_id("message")
    await expect(c_messages.filter(has_text="Hej, är det någon där?")).to_have_count(1)

    # The visitor sees the alias, never the username; the counselor has now read the first line.
    await expect(v.get_by_test_id("counselor-alias")).to_have_text("Sara")
    await expect(v.get_by_test_id("queue-position")).to_have_count(0)
    await expect(v_first).to_have_attribute("data-mark", "seen")

    # The counselor types (typing shows on the visitor page), Shift+Enter breaks the line, Enter sends.
    c_composer = c.get_by_test_id("composer")
    await c_composer.click()
    await c_composer.press_sequentially("Hej!")
    await expect(v.get_by_test_id("typing")).to_have_text("Sara skriver …")
    await c_composer.press("Shift+Enter")
    await c_composer.press_sequentially("Jag heter Sara.")
    await expect(c_composer).to_have_value("Hej!\nJag heter Sara.")
    await expect(c_messages).to_have_count(1)  # Shift+Enter did not send
    await c_composer.press("Enter")
    await expect(c_composer).to_have_value("")

    v_counselor = v.locator("[data-testid=message][data-author=counselor]")
    await expect(v_counselor).to_have_count(1)
    await expect(v_counselor.locator(".msg-body")).to_have_text("Hej!\nJag heter Sara.")
    await expect(v_counselor.locator(".msg-who")).to_have_text("Sara")
    await expect(v.get_by_test_id("typing")).to_have_count(0)
    # The visitor's page is visible, so it reads it: delivered, then seen, on the console.
    c_own = c.locator("[data-testid=message][data-author=counselor]")
    await expect(c_own).to_have_attribute("data-mark", "seen")

    # The visitor answers: typing on the console, then the message, then its mark goes to seen.
    await v_composer.click()
    await v_composer.press_sequentially("Jag vill prata om en sak")
    await expect(c.get_by_test_id("typing")).to_be_visible()
    await v_composer.press("Enter")
    await expect(c.get_by_test_id("typing")).to_have_count(0)
    await expect(c_messages.filter(has_text="Jag vill prata om en sak")).to_have_count(1)
    v_last = v.locator("[data-testid=message][data-author=visitor]").last
    await expect(v_last).to_have_attribute("data-mark", "seen")
    await expect(c.get_by_test_id("conv-tab").get_by_test_id("unread")).to_be_hidden()
    await shot(v, "visitor-chatting")
    await shot(c, "console-conversation")

    on_visitor = await transcript(v)
    assert [m["author"] for m in on_visitor] == ["visitor", "counselor", "visitor"]
    assert_ordered_once(on_visitor)
    on_console = await transcript(c)
    assert [(m["seq"], m["body"]) for m in on_console] == [(m["seq"], m["body"]) for m in on_visitor]

    # Nothing the visitor's browser received names the counselor other than by alias.
    assert username not in await v.content()
    assert visitor.frames_in, "the visitor page received no socket frames"
    assert not [f for f in visitor.frames_in if username in f]

    # The visitor ends: the follow-up code is shown; the console says the visitor ended it.
    stored = await v.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor')).follow_up_code")
    token = await v.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor')).token")
    await end_chat(v)
    await expect(v.get_by_test_id("follow-up-code")).to_have_text(grouped(stored))
    kept = await v.evaluate("JSON.stringify(sessionStorage)")  # shown once; the tab keeps neither code nor token
    assert stored not in kept and token not in kept
    await expect(v.get_by_test_id("start-over")).to_be_visible()
    await shot(v, "visitor-ended")
    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "closed")
    await expect(c.get_by_test_id("visitor-state")).to_have_text("Besökaren har avslutat chatten.")
    await expect(c.get_by_test_id("composer")).to_be_disabled()
