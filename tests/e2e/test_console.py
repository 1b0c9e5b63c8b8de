"""The console in a browser: a reload mid-conversation keeps the transcript whole and single, and a
claim lost to a colleague says so."""

from __future__ import annotations

import json
import re

import pytest
from playwright.async_api import Page, WebSocketRoute, expect

from tests.e2e.support import DESKTOP, Browsers, Watched, assert_ordered_once, go_available, shot, sign_in, transcript
from tests.helpers import Frames, Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

ME_401 = r"status of 401 .*@ http://127\.0\.0\.1:\d+/api/console/me$"
CLAIM_409 = r"status of 409 .*@ http://127\.0\.0\.1:\d+/api/console/conversations/[0-9a-f-]+/claim$"


async def signed_in_console(lykta: Lykta, browsers: Browsers, alias: str) -> tuple[Watched, Page]:
    (username,) = await lykta.create_staff(alias=alias)
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)
    await sign_in(console.page, username)
    await go_available(console.page)
    return console, console.page


async def visitor_says(socket: Frames, body: str, n: int) -> None:
    await socket.send({"type": "send", "client_id": f"v-{n}", "body": body})
    await socket.expect("ack", client_id=f"v-{n}")


async def console_says(page: Page, body: str) -> None:
    """Sends from the console and waits until the server has stored it (it has a seq)."""
    composer = page.get_by_test_id("composer")
    await composer.fill(body)
    await composer.press("Enter")
    await expect(composer).to_have_value("")
    mine = page.locator("[data-testid=message][data-author=counselor]", has_text=body)
    await expect(mine).to_have_attribute("data-seq", re.compile(r"^\d+$"))


async def test_reload_keeps_the_transcript_once(lykta: Lykta, browsers: Browsers) -> None:
    _, c = await signed_in_console(lykta, browsers, "Sara")
    visitor = await lykta.visitor(language="sv")
    socket = await visitor.socket()
    await visitor_says(socket, "hej", 1)

    row = c.locator(f"[data-testid=queue-item][data-conversation-id='{visitor.conversation_id}']")
    await row.get_by_test_id("claim").click()
    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "active")
    await console_says(c, "Hej, jag heter Sara.")
    await visitor_says(socket, "jag undrar en sak", 2)
    await console_says(c, "Berätta!")
    await socket.expect("message", body="Berätta!")
    messages = c.get_by_test_id("message")
    await expect(messages).to_have_count(4)
    await expect(messages.last).to_have_attribute("data-seq", "4")
    before = await transcript(c)
    assert_ordered_once(before)

    await c.reload()
    await expect(c.get_by_test_id("conv-tab")).to_have_count(1)
    await expect(c.get_by_test_id("conv-tab")).to_have_attribute("data-conversation-id", visitor.conversation_id)
    await expect(c.get_by_test_id("conv-state")).to_have_attribute("data-state", "active")
    await expect(messages).to_have_count(4)
    after = await transcript(c)
    assert [(m["seq"], m["author"], m["body"]) for m in after] == [(m["seq"], m["author"], m["body"]) for m in before]
    await expect(c.get_by_test_id("presence")).to_have_value("available")

    # The conversation goes on after the reload, both ways, still once each.
    await visitor_says(socket, "är du kvar?", 3)
    await expect(messages.filter(has_text="är du kvar?")).to_have_count(1)
    await console_says(c, "Ja, jag är kvar.")
    await socket.expect("message", body="Ja, jag är kvar.")
    await expect(messages).to_have_count(6)
    final = await transcript(c)
    assert_ordered_once(final)
    assert [m["body"] for m in final] == [
        "hej",
        "Hej, jag heter Sara.",
        "jag undrar en sak",
        "Berätta!",
        "är du kvar?",
        "Ja, jag är kvar.",
    ]


async def test_claim_lost_to_a_colleague(lykta: Lykta, browsers: Browsers) -> None:
    (username,) = await lykta.create_staff(alias="Sara")
    colleague = await lykta.staff(alias="Kim")
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401, CLAIM_409)
    c = console.page

    # Hold back queue updates to this console for a moment, so that its click lands after the
    # colleague's claim (otherwise the row vanishes first and there is nothing to click).
    hold_queue = False

    def route(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            if hold_queue and isinstance(message, str) and json.loads(message).get("type") == "queue":
                return
            ws.send(message)

        server.on_message(from_server)

    await c.route_web_socket("**/ws/console", route)
    await sign_in(c, username)
    await go_available(c)
    visitor = await lykta.visitor()
    row = c.locator(f"[data-testid=queue-item][data-conversation-id='{visitor.conversation_id}']")
    await expect(row).to_be_visible()

    hold_queue = True
    assert (await colleague.claim(visitor.conversation_id)).status_code == 200
    await row.get_by_test_id("claim").click()
    lost = row.get_by_test_id("claim-lost")
    await expect(lost).to_have_text("En kollega tog chatten.")
    await expect(row.get_by_test_id("claim")).to_be_disabled()
    await expect(c.get_by_test_id("conv-tab")).to_have_count(0)
    await shot(c, "console-claim-lost")

    # Once the queue catches up the row is gone, and the note stays above the list.
    hold_queue = False
    await lykta.visitor()  # any change to the queue
    await expect(row).to_have_count(0)
    above = c.locator(".queue > [data-testid=claim-lost]")
    await expect(above).to_have_attribute("data-conversation-id", visitor.conversation_id)
    await expect(c.get_by_test_id("queue-item")).to_have_count(1)
    await expect(c.get_by_test_id("conv-tab")).to_have_count(0)
