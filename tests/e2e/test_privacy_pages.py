"""Privacy in the browser: a visitor comes back with the follow-up code and the chat goes on with its
transcript; a counselor purges a conversation (its text is gone, also from the API); an admin sees the
purge in the audit log; a supervisor's transcript export downloads a text file."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.support import (
    DESKTOP,
    Browsers,
    claim_first,
    console_for,
    end_chat,
    grouped,
    shot,
    transcript,
    visitor_page,
    write,
)
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_visitor_returns_with_follow_up_code(lykta: Lykta, browsers: Browsers) -> None:
    _console, c = await console_for(lykta, browsers, "Sara")
    visitor = await visitor_page(browsers, "e2e-link")
    v = visitor.page
    await write(v, "Första gången jag skriver")
    await claim_first(c)
    await write(c, "Hej, jag heter Sara.")
    await expect(v.get_by_test_id("message").filter(has_text="Hej, jag heter Sara.")).to_be_visible()
    code = await v.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor')).follow_up_code")
    await end_chat(v)
    await expect(v.get_by_test_id("follow-up-code")).to_have_text(grouped(code))
    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "closed")

    # A new browser context (nothing in sessionStorage): the code is typed on the start view.
    back = await browsers.new()
    back.allow(r"status of 404 .*/api/visitor/(mailbox/thread|follow-up)$")  # the wrong code: a letter's, then a chat's
    b = back.page
    await b.goto("/c/e2e-link")
    await expect(b.get_by_test_id("status-open")).to_be_visible()
    await b.get_by_test_id("follow-up-toggle").click()
    await b.get_by_test_id("follow-up-input").fill("WRONG-CODE-1234")
    await b.get_by_test_id("follow-up-submit").click()
    await expect(b.get_by_test_id("follow-up-error")).to_be_visible()
    await b.get_by_test_id("follow-up-input").fill(code.lower())  # case does not matter
    await shot(b, "visitor-follow-up-entry")
    await b.get_by_test_id("follow-up-submit").click()

    # The chat opens with the earlier transcript and a line saying it was reopened.
    await expect(b.get_by_test_id("composer")).to_be_visible()
    await expect(b.get_by_test_id("message").filter(has_text="Första gången jag skriver")).to_be_visible()
    await expect(b.get_by_test_id("message").filter(has_text="Hej, jag heter Sara.")).to_be_visible()
    await expect(b.get_by_test_id("message").filter(has_text="uppföljningskoden")).to_be_visible()
    stored = await b.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor'))")
    assert stored["follow_up_code"] != code and stored["token"]
    await write(b, "Jag är tillbaka")
    bodies = [m["body"] for m in await transcript(b)]
    assert bodies.index("Första gången jag skriver") < bodies.index("Jag är tillbaka")
    await shot(b, "visitor-follow-up-resumed")


async def test_purge_now_then_audit_log(lykta: Lykta, browsers: Browsers) -> None:
    counselor, c = await console_for(lykta, browsers, "Nora")
    visitor = await lykta.visitor(language="sv")
    socket = await visitor.socket()
    await socket.send({"type": "send", "client_id": "c-1", "body": "Något känsligt"})
    await socket.expect("ack")
    conversation_id = await claim_first(c)
    assert conversation_id == visitor.conversation_id
    await expect(c.get_by_test_id("message").filter(has_text="Något känsligt")).to_be_visible()

    await c.get_by_test_id("purge").click()
    dialog = c.get_by_test_id("purge-dialog")
    await expect(dialog).to_be_visible()
    await dialog.get_by_test_id("purge-cancel").click()
    await expect(dialog).to_have_count(0)
    await expect(c.get_by_test_id("message")).not_to_have_count(0)  # cancelled: nothing happened
    await c.get_by_test_id("purge").click()
    await c.get_by_test_id("purge-confirm").click()
    await expect(c.get_by_test_id("purged")).to_be_visible()
    await expect(c.get_by_test_id("message")).to_have_count(0)
    await expect(c.get_by_test_id("composer")).to_have_count(0)
    await shot(c, "console-purged")

    # The API no longer has it either.
    supervisor = await lykta.staff(role="supervisor", available=False)
    messages = await supervisor.get(f"/api/console/conversations/{conversation_id}/messages")
    assert messages.status_code == 404 or messages.json().get("items") == [], messages.text
    exported = await supervisor.post(f"/api/console/conversations/{conversation_id}/export")
    assert exported.status_code == 404, exported.text

    _admin, a = await console_for(lykta, browsers, "Admin", role="admin")
    await a.get_by_test_id("nav-admin").click()
    await a.get_by_test_id("admin-audit").click()
    await expect(a.get_by_test_id("audit-table")).to_be_visible()
    row = a.locator(f"[data-testid=audit-row][data-action=purge][data-conversation-id='{conversation_id}']")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("conversations=1")
    # Filter by action: only purge rows.
    await expect(row).to_contain_text("Raderade text")  # events in Swedish, not "purge"
    await expect(a.get_by_test_id("audit-action").locator("option[value=claim]")).to_have_text("Tog chatten")
    await expect(a.get_by_test_id("audit-actor").locator("option", has_text="(Nora)")).to_have_count(1)  # by name
    await a.get_by_test_id("audit-action").select_option("purge")
    await a.get_by_test_id("audit-apply").click()
    await expect(a.locator("[data-testid=audit-row]:not([data-action=purge])")).to_have_count(0)
    await expect(a.get_by_test_id("audit-row")).to_have_count(1)
    await a.get_by_test_id("audit-reset").click()
    await expect(a.locator("[data-testid=audit-row][data-action=claim]")).not_to_have_count(0)
    await shot(a, "console-audit-log")
    assert counselor.problems() == []


async def test_supervisor_exports_transcript(lykta: Lykta, browsers: Browsers) -> None:
    _console, s = await console_for(lykta, browsers, "Vera", role="supervisor")
    visitor = await lykta.visitor(language="sv")
    socket = await visitor.socket()
    await socket.send({"type": "send", "client_id": "c-1", "body": "Rad ett"})
    await socket.expect("ack")
    await claim_first(s)
    async with s.expect_download() as info:
        await s.get_by_test_id("export").click()
    download = await info.value
    assert re.fullmatch(r"lykta-transcript-[0-9a-f]{8}-\d{8}T\d{4}Z\.txt", download.suggested_filename)
    path = await download.path()
    text = path.read_text(encoding="utf-8")
    assert "Rad ett" in text and visitor.conversation_id in text
    await expect(s.get_by_test_id("export-notice")).to_contain_text("loggad")
    assert DESKTOP
