"""Console shortcuts listed in a help dialog, and opt-in desktop notifications (issue 13, finding 9)."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import expect

from tests.e2e.support import DESKTOP, ME_401, Browsers, claim_first, console_for, go_available, shot, sign_in
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# The browser's Notification API, recorded (headless Chromium shows nothing one could read back).
RECORD_NOTIFICATIONS = """
window.__notifications = [];
window.Notification = class {
  static permission = "default";
  static requestPermission() { window.Notification.permission = "granted"; return Promise.resolve("granted"); }
  constructor(title, options) { window.__notifications.push({title, body: options?.body ?? null}); }
  close() {}
};
"""
HIDE_TAB = """() => {
    Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
    document.dispatchEvent(new Event("visibilitychange"));
}"""


async def test_shortcuts_switch_chats_write_and_claim_and_are_listed(lykta: Lykta, browsers: Browsers) -> None:
    _, c = await console_for(lykta, browsers, "Sara")
    visitors = [await lykta.visitor() for _ in range(3)]
    for v in visitors:
        await v.socket()
    await expect(c.get_by_test_id("queue-item")).to_have_count(3)
    first = await claim_first(c)
    await expect(c.get_by_test_id("queue-item")).to_have_count(2)
    second = await claim_first(c)
    await expect(c.get_by_test_id("queue-item")).to_have_count(1)
    tab = "[data-testid=conv-tab][data-conversation-id='{}']"
    await expect(c.locator(tab.format(second))).to_have_attribute("aria-current", "true")

    await c.keyboard.press("Alt+ArrowDown")  # wraps to the first tab
    await expect(c.locator(tab.format(first))).to_have_attribute("aria-current", "true")
    await expect(c.locator(f"#composer-{first}")).to_be_focused()
    await c.keyboard.press("Alt+ArrowUp")
    await expect(c.locator(tab.format(second))).to_have_attribute("aria-current", "true")
    await c.evaluate("document.activeElement.blur()")
    await c.keyboard.press("Alt+KeyW")
    await expect(c.locator(f"#composer-{second}")).to_be_focused()

    await c.keyboard.press("Alt+KeyN")  # the next in the queue
    await expect(c.get_by_test_id("queue-item")).to_have_count(0)
    await expect(c.get_by_test_id("conv-tab")).to_have_count(3)

    await c.get_by_test_id("composer").first.evaluate("el => el.blur()")
    await c.keyboard.press("?")
    dialog = c.get_by_test_id("shortcuts-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("Nästa chatt")
    await expect(dialog).to_contain_text("Alt + N")
    await shot(c, "console-shortcuts")
    await c.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)
    # "?" typed in the composer is a character, not the dialog.
    composer = c.locator(f"#composer-{visitors[2].conversation_id}")
    await composer.focus()
    await c.keyboard.press("?")
    await expect(composer).to_have_value("?")
    await expect(dialog).to_have_count(0)


async def test_desktop_notifications_only_after_opting_in_and_never_with_the_text(
    lykta: Lykta, browsers: Browsers
) -> None:
    (username,) = await lykta.create_staff(alias="Sara")
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)
    await console.context.add_init_script(RECORD_NOTIFICATIONS)
    c = console.page
    await sign_in(c, username)
    await go_available(c)
    toggle = c.get_by_test_id("desktop-toggle")
    await expect(toggle).to_have_attribute("aria-pressed", "false")
    visitor = await lykta.visitor()
    frames = await visitor.socket()
    await claim_first(c)
    await c.evaluate(HIDE_TAB)

    async def says(body: str) -> None:
        client_id = str(uuid.uuid4())
        await frames.send({"type": "send", "client_id": client_id, "body": body})
        await frames.expect("ack", client_id=client_id)

    await says("första")
    await expect(c.get_by_test_id("message").filter(has_text="första")).to_have_count(1)
    assert await c.evaluate("window.__notifications") == []  # not opted in: nothing on the desktop

    await toggle.click()
    await expect(toggle).to_have_attribute("aria-pressed", "true")
    await says("han vet var jag bor")
    await expect(c.get_by_test_id("message").filter(has_text="han vet var jag bor")).to_have_count(1)
    notes = await c.evaluate("window.__notifications")
    assert notes == [{"title": "Nytt meddelande", "body": None}], notes  # generic: a locked screen may show it


async def test_own_canned_replies_page_and_a_searchable_picker(lykta: Lykta, browsers: Browsers) -> None:
    console, c = await console_for(lykta, browsers, "Sara")
    console.allow(r"status of 409 .*/api/console/canned$")  # the duplicate below, refused on purpose
    await c.get_by_test_id("nav-canned").click()
    page = c.get_by_test_id("my-canned")
    await expect(page.get_by_role("heading", name="Mina snabbsvar")).to_be_visible()
    await c.get_by_test_id("my-canned-keyword").fill("boende")
    await c.get_by_test_id("my-canned-body").fill("Vi kan hjälpa dig att hitta ett tryggt boende i natt.")
    await c.get_by_test_id("my-canned-save").click()
    await expect(c.get_by_test_id("my-canned-notice")).to_have_text("/boende är tillagt.")
    await expect(c.get_by_test_id("my-canned-item")).to_have_count(1)
    # The same word in the same language again: a clear error, nothing lost.
    await c.get_by_test_id("my-canned-keyword").fill("boende")
    await c.get_by_test_id("my-canned-body").fill("Något annat")
    await c.get_by_test_id("my-canned-save").click()
    await expect(c.get_by_test_id("my-canned-error")).to_have_text(
        "Du har redan ett snabbsvar med det ordet på det språket."
    )
    await expect(c.get_by_test_id("my-canned-body")).to_have_value("Något annat")
    await shot(c, "console-my-canned")

    await c.get_by_test_id("nav-chats").click()
    visitor = await lykta.visitor(language="sv")
    await visitor.socket()
    await claim_first(c)
    await c.get_by_test_id("composer").fill("Hej!")
    await c.get_by_test_id("canned-picker-open").click()
    picker = c.get_by_test_id("canned-picker")
    await expect(c.get_by_test_id("canned-search")).to_be_focused()
    await c.get_by_test_id("canned-search").fill("tryggt")  # by the text, not only the word
    await expect(picker.get_by_test_id("canned-pick")).to_have_count(1)
    await shot(c, "console-canned-picker")
    await picker.get_by_test_id("canned-pick").click()
    await expect(picker).to_have_count(0)
    composer = c.get_by_test_id("composer")
    await expect(composer).to_have_value("Hej! Vi kan hjälpa dig att hitta ett tryggt boende i natt.")
    await expect(composer).to_be_focused()
    # The slash word finds it too (the composer's cache was refreshed).
    await composer.fill("/boe")
    await expect(c.get_by_test_id("canned-suggestion").filter(has_text="/boende")).to_have_count(1)
