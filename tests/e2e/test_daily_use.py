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


async def test_queue_and_tabs_give_triage(lykta: Lykta, browsers: Browsers) -> None:
    _, c = await console_for(lykta, browsers, "Sara")
    young = await lykta.visitor(age_band="under_15", topic="exploitation")
    young_frames = await young.socket()
    await visitor_says(young_frames, "han vet var jag bor\nhjälp")
    older = await lykta.visitor(age_band="18_24")
    await older.socket()

    rows = c.get_by_test_id("queue-item")
    await expect(rows).to_have_count(2)
    young_row = rows.filter(has=c.locator(f"[data-conversation-id='{young.conversation_id}']")).or_(
        c.locator(f"[data-testid=queue-item][data-conversation-id='{young.conversation_id}']")
    )
    await expect(young_row.get_by_test_id("queue-preview")).to_have_text("Skrev: han vet var jag bor")
    await expect(young_row.get_by_test_id("under-15")).to_have_text("Under 15")
    older_row = c.locator(f"[data-testid=queue-item][data-conversation-id='{older.conversation_id}']")
    await expect(older_row.get_by_test_id("under-15")).to_have_count(0)
    await expect(older_row.get_by_test_id("queue-preview")).to_have_count(0)
    # One short id format: the row's reference is the tab's, and every "Ta chatten" has its own name.
    ref = young.conversation_id.replace("-", "")[:6]
    await expect(young_row.get_by_test_id("queue-ref")).to_have_text(f"Chatt {ref}")
    names = [await b.get_attribute("aria-label") for b in await c.get_by_test_id("claim").all()]
    assert len(set(names)) == 2 and all(n and n.startswith("Ta chatten ") for n in names), names
    await shot(c, "console-queue-triage")

    await young_row.get_by_test_id("claim").click()
    tab = c.locator(f"[data-testid=conv-tab][data-conversation-id='{young.conversation_id}']")
    await expect(tab).to_contain_text(f"Chatt {ref}")
    await expect(tab).to_contain_text("under 15")
    await expect(tab.get_by_test_id("tab-under-15")).to_be_visible()
    awaiting = tab.get_by_test_id("tab-awaiting")
    await expect(awaiting).to_contain_text("väntar på svar")
    first = int(await awaiting.get_attribute("data-seconds") or "-1")
    assert first >= 0
    await expect(awaiting).not_to_have_attribute("data-seconds", str(first))  # it ticks
    await shot(c, "console-tab-awaiting")

    composer = c.get_by_test_id("composer")
    await composer.fill("Hej, jag heter Sara. Jag läser.")
    await composer.press("Enter")
    await expect(awaiting).to_have_count(0)  # answered
    await visitor_says(young_frames, "tack")
    await expect(awaiting).to_be_visible()  # waiting again, from the new line


HIDE_TAB = """() => {
    Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
    document.dispatchEvent(new Event("visibilitychange"));
}"""
SHOW_TAB = """() => {
    Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "visible"});
    document.dispatchEvent(new Event("visibilitychange"));
}"""


async def test_a_reply_in_a_background_tab_gives_a_neutral_title_cue(lykta: Lykta, browsers: Browsers) -> None:
    _, c = await console_for(lykta, browsers, "Sara")
    v = (await browsers.new()).page
    await v.goto("/c/e2e-title")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("queue-position")).to_be_visible()
    await claim_first(c)
    assert await v.title() == "Lykta"
    await v.evaluate(HIDE_TAB)
    composer = c.get_by_test_id("composer")
    await composer.fill("Hej, jag finns här.")
    await composer.press("Enter")
    await expect(v).to_have_title("(1) Lykta")  # no chat words in the tab's title
    await v.evaluate(SHOW_TAB)
    await expect(v).to_have_title("Lykta")


async def test_the_staff_title_set_by_an_admin_is_what_the_visitor_is_promised(
    lykta: Lykta, browsers: Browsers
) -> None:
    await lykta.create_staff(alias="Sara")  # a counselor account, listed with its role
    _, c = await console_for(lykta, browsers, "Admin", role="admin")
    await c.get_by_test_id("nav-admin").click()
    await c.get_by_test_id("admin-users").click()
    role = c.get_by_test_id("user-role-text")
    await expect(role.filter(has_text="Socialsekreterare")).to_have_count(1)  # as visitors are promised
    await c.get_by_test_id("admin-settings").click()
    title = c.get_by_test_id("setting-staff_title")
    await expect(title).to_have_value("socialsekreterare")
    await title.select_option("kurator")
    await c.get_by_test_id("settings-save").click()
    await expect(c.get_by_test_id("settings-saved")).to_be_visible()

    v = (await browsers.new()).page
    await v.goto("/c/e2e-title")
    await expect(v.locator("h1")).to_have_text("Prata anonymt med en kurator")
    await v.get_by_test_id("how-it-works").locator("summary").click()
    await expect(v.get_by_test_id("how-it-works")).to_contain_text("Det är kuratorer med tystnadsplikt som svarar.")
    await shot(v, "visitor-open-kurator")
    await c.reload()  # the console names its staff the same way
    await c.get_by_test_id("nav-admin").click()
    await c.get_by_test_id("admin-users").click()
    await expect(role.filter(has_text="Kurator")).to_have_count(1)
