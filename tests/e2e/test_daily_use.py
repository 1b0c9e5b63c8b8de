"""Daily use (issue 13): the counselor's transcript follows new messages, a reader who scrolled up
is offered "Nya meddelanden ↓" instead of being pulled down."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Page, expect

from tests.e2e.support import Browsers, checkpoint, claim_first, console_for, shot
from tests.helpers import Frames, Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

SCROLL = """el => ({top: el.scrollTop, height: el.scrollHeight, view: el.clientHeight})"""


async def visitor_says(frames: Frames, body: str) -> None:
    client_id = str(uuid.uuid4())
    await frames.send({"type": "send", "client_id": client_id, "body": body})
    await frames.expect("ack", client_id=client_id)


async def at_bottom(page: Page) -> bool:
    box = await page.get_by_test_id("transcript").evaluate(SCROLL)
    return bool(box["height"] - box["top"] - box["view"] <= 2)


async def test_console_transcript_follows_new_messages_unless_the_reader_scrolled_up(
    lykta: Lykta, browsers: Browsers
) -> None:
    _, c = await console_for(lykta, browsers, "Sara")
    visitor = await lykta.visitor()
    frames = await visitor.socket()
    await expect(c.get_by_test_id("queue-item")).to_have_count(1)
    await claim_first(c)
    for n in range(1, 16):
        await visitor_says(frames, f"rad {n}: jag vet inte vad jag ska göra")
    await visitor_says(frames, "han vet var jag bor")
    newest = c.get_by_test_id("message").filter(has_text="han vet var jag bor")
    await expect(newest).to_be_visible()
    box = await c.get_by_test_id("transcript").evaluate(SCROLL)
    assert box["height"] > box["view"], "the transcript must overflow for this test to mean anything"
    assert await at_bottom(c), box
    await expect(newest).to_be_in_viewport()
    await expect(c.get_by_test_id("new-messages")).to_have_count(0)
    await shot(c, "console-transcript-follows")

    # The counselor scrolls up to reread: a new line does not pull them down; a button offers it.
    await c.get_by_test_id("transcript").evaluate("el => { el.scrollTop = 0; }")
    await visitor_says(frames, "är du kvar?")
    jump = c.get_by_test_id("new-messages")
    await expect(jump).to_have_text("Nya meddelanden ↓")
    assert (await c.get_by_test_id("transcript").evaluate(SCROLL))["top"] == 0
    await checkpoint(c, "console-new-messages-button")
    await jump.click()
    await expect(jump).to_have_count(0)
    assert await at_bottom(c)
    await expect(c.get_by_test_id("message").filter(has_text="är du kvar?")).to_be_in_viewport()

    # Scrolling back down by hand also clears the offer; the counselor's own reply always shows.
    await c.get_by_test_id("transcript").evaluate("el => { el.scrollTop = 0; }")
    composer = c.get_by_test_id("composer")
    await composer.fill("Ja, jag är här.")
    await composer.press("Enter")
    await expect(c.get_by_test_id("message").filter(has_text="Ja, jag är här.")).to_be_in_viewport()
    assert await at_bottom(c)
