"""The visitor's network goes away and comes back: nothing is lost, nothing is doubled.

Chromium keeps open WebSockets to 127.0.0.1 when a context is set offline (checked: the socket
stayed up for seconds), so the outage is real instead: the visitor's page is served through a TCP
relay that the test cuts (connections reset, new ones refused) while the counselor, connected to
the server directly, keeps writing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Page, expect

from tests.e2e.support import Browsers, assert_ordered_once, shot, transcript
from tests.helpers import Frames, Lykta, StaffClient
from tests.live import free_port
from tests.tcp_relay import CuttableProxy

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# What Chromium logs while the relay refuses connections: expected during an outage.
OUTAGE_ERRORS = (
    r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws/visitor' failed",
    r"net::ERR_CONNECTION_(REFUSED|RESET)",
)


@pytest_asyncio.fixture(loop_scope="session")
async def proxy(lykta: Lykta) -> AsyncIterator[CuttableProxy]:
    relay = await CuttableProxy(lykta.server.port, free_port()).start()
    yield relay
    await relay.close()


async def start_chat(page: Page) -> str:
    await page.goto("/c/e2e-net")
    await page.get_by_test_id("start-chat").click()
    await expect(page.get_by_test_id("queue-position")).to_be_visible()
    conversation_id: str = await page.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor')).conversation_id")
    return conversation_id


async def write(page: Page, body: str) -> None:
    composer = page.get_by_test_id("composer")
    await composer.fill(body)
    await composer.press("Enter")
    await expect(composer).to_have_value("")


async def counselor_says(socket: Frames, conversation_id: str, body: str, n: int) -> None:
    await socket.send({"type": "send", "conversation_id": conversation_id, "client_id": f"c-{n}", "body": body})
    await socket.expect("ack", client_id=f"c-{n}")


async def api_transcript(staff: StaffClient, conversation_id: str) -> list[dict[str, Any]]:
    response = await staff.get(f"/api/console/conversations/{conversation_id}/messages", after_seq=0)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_outage_loses_and_doubles_nothing(lykta: Lykta, browsers: Browsers, proxy: CuttableProxy) -> None:
    staff = await lykta.staff(alias="Sara")
    console = await staff.socket()
    visitor = await browsers.new(base_url=proxy.base_url)
    visitor.allow(*OUTAGE_ERRORS)
    v = visitor.page
    conversation_id = await start_chat(v)
    assert (await staff.claim(conversation_id)).status_code == 200
    await expect(v.get_by_test_id("counselor-alias")).to_have_text("Sara")

    await write(v, "före avbrottet")
    await expect(v.get_by_test_id("message").last).to_have_attribute("data-mark", "delivered")
    await console.expect("message", body="före avbrottet")

    # The network starts failing one way: the message reaches the server, its ack never comes back.
    proxy.stall_downstream = True
    await write(v, "svaret kom aldrig fram")
    await console.expect("message", body="svaret kom aldrig fram")
    stalled = v.locator("[data-testid=message]", has_text="svaret kom aldrig fram")
    await expect(stalled).to_have_attribute("data-mark", "sending")

    # Then it is gone: the page says so, the visitor writes anyway, the counselor writes three times.
    await proxy.cut()
    await expect(v.get_by_test_id("reconnecting")).to_be_visible()
    await write(v, "skrivet utan nät")
    offline = v.locator("[data-testid=message]", has_text="skrivet utan nät")
    await expect(offline).to_have_attribute("data-mark", "sending")
    away = [f"medan du var borta {n}" for n in (1, 2, 3)]
    for n, body in enumerate(away):
        await counselor_says(console, conversation_id, body, n)
    await shot(v, "visitor-reconnecting")
    await asyncio.sleep(1)  # a few refused reconnect attempts
    assert await v.locator("[data-testid=message]", has_text="medan du var borta").count() == 0

    await proxy.restore()
    await expect(v.get_by_test_id("reconnecting")).to_have_count(0, timeout=15_000)
    await expect(v.locator("[data-testid=message][data-author=counselor]")).to_have_count(3)
    await expect(stalled).not_to_have_attribute("data-mark", "sending")
    await expect(offline).not_to_have_attribute("data-mark", "sending")
    await console.expect("message", body="skrivet utan nät")

    stored = await api_transcript(staff, conversation_id)
    bodies = [m["body"] for m in stored]
    # Stored once each; the offline message only reached the server after the reconnect.
    assert bodies == ["före avbrottet", "svaret kom aldrig fram", *away, "skrivet utan nät"]
    assert [m["seq"] for m in stored] == sorted({m["seq"] for m in stored})

    shown = await transcript(v)
    assert_ordered_once(shown)
    assert [(m["seq"], m["body"]) for m in shown] == [(m["seq"], m["body"]) for m in stored]
    # The counselor's socket, too, got every message once: the resend was acknowledged, not stored again.
    await console.silent("nothing-else", 0.3)  # reads whatever is still on its way
    seen = [f["seq"] for f in console.seen if f.get("type") in ("message", "ack")]
    assert sorted(seen) == [m["seq"] for m in stored]
