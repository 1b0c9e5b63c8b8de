"""The visitor page when the schedule closes the service: someone waiting is told at once, with the
next opening and the alternatives; a chat already under way carries on untouched.

The `service` frame is put into the real socket by a Playwright route (the opening clock that sends it
ticks every 15 s, too slow for a browser test); everything else goes to and from the server."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import WebSocketRoute, expect

from tests.e2e.support import Browsers, shot
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

CLOSED = {
    "type": "service",
    "open": False,
    "next_opening": "2026-11-24T17:00:00Z",
    "alternatives": [
        {"name": {"sv": "Socialjouren", "en": "Out-of-hours social services"}, "phone": "08-123 45 67"},
        {"name": {"sv": "BRIS", "en": "BRIS (children and young people)"}, "phone": "116 111"},
    ],
}


async def test_service_closing_while_waiting_and_while_chatting(lykta: Lykta, browsers: Browsers) -> None:
    sara = await lykta.staff(alias="Sara")
    visitor = await browsers.new()
    v = visitor.page
    routes: list[WebSocketRoute] = []

    def relay(ws: WebSocketRoute) -> None:
        ws.connect_to_server()
        routes.append(ws)

    await v.route_web_socket("**/ws/visitor", relay)
    await v.goto("/c/e2e-service")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("queue-position")).to_have_text("1")
    assert routes, "the visitor socket did not go through the route"

    # Waiting: told that the service is closing, when it opens, and whom to call meanwhile.
    routes[-1].send(json.dumps(CLOSED))
    notice = v.get_by_test_id("service-closed")
    await expect(notice).to_contain_text("Chatten stänger nu")
    await expect(notice.get_by_test_id("next-opening")).to_contain_text("24 november")
    calls = notice.get_by_test_id("alternative")
    await expect(calls).to_have_count(2)
    await expect(calls.nth(1)).to_have_attribute("href", "tel:116111")
    await expect(v.get_by_test_id("queue-position")).to_have_text("1")  # still in the queue
    await expect(v.get_by_test_id("composer")).to_be_enabled()
    await shot(v, "visitor-service-closed")

    # Open again: the notice goes.
    routes[-1].send(json.dumps({"type": "service", "open": True, "next_opening": None, "alternatives": []}))
    await expect(notice).to_have_count(0)

    # Under way: a closing service changes nothing on the page.
    conversation_id = await v.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor')).conversation_id")
    assert (await sara.claim(conversation_id)).status_code == 200
    await expect(v.get_by_test_id("counselor-alias")).to_have_text("Sara")
    routes[-1].send(json.dumps(CLOSED))
    await v.get_by_test_id("composer").fill("Är ni kvar?")
    await v.get_by_test_id("composer").press("Enter")
    await expect(v.get_by_test_id("message").filter(has_text="Är ni kvar?")).to_have_attribute("data-mark", "delivered")
    await expect(notice).to_have_count(0)
