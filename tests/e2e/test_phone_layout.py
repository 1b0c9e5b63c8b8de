"""The visitor page on a phone (issue 13, findings 3, 4 and 6): status and start button without
scrolling, a full-height chat with the composer pinned, no horizontal scroll with text zoomed to 200%,
ending asks once, and the ended view keeps the transcript, the alternatives and a copyable code."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.e2e.support import Browsers, claim_first, console_for, end_chat, grouped, shot, write
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

PHONES = [{"width": 360, "height": 740}, {"width": 320, "height": 568}]
# Text-only zoom: the root font size doubled (every size in the pages' CSS is in rem/em), the viewport unchanged.
TEXT_ZOOM_200 = "document.documentElement.style.fontSize = '200%'"


async def no_horizontal_scroll(page: Page) -> None:
    widths = await page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: innerWidth})"
    )
    assert max(widths["doc"], widths["body"]) <= widths["view"], widths


async def inside_viewport(page: Page, testid: str) -> None:
    box = await page.get_by_test_id(testid).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    # Within a pixel (layout rounds fractions of a pixel).
    assert box["y"] >= -1 and box["y"] + box["height"] <= size["height"] + 1, (testid, box, size)
    assert box["x"] >= -1 and box["x"] + box["width"] <= size["width"] + 1, (testid, box, size)


# The sticky bar (leave quickly, language) may take at most this share of a phone's height with text at 200%.
TOP_BAR_MAX_SHARE = 0.15


async def top_bar_is_compact(page: Page) -> None:
    """The sticky bar stays at the top, one compact row, leave quickly first and within reach."""
    box = await page.locator("header.top-bar").bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["y"] <= 1 and box["height"] / size["height"] <= TOP_BAR_MAX_SHARE, (box, size)
    await inside_viewport(page, "leave-quickly")
    await inside_viewport(page, "lang-switch")


@pytest.mark.parametrize("phone", PHONES, ids=["360x740", "320x568"])
async def test_start_button_and_status_without_scrolling(
    lykta: Lykta, browsers: Browsers, phone: dict[str, int]
) -> None:
    await lykta.staff(alias="Sara")
    v = (await browsers.new(viewport=phone)).page
    await v.goto("/c/e2e-phone")
    await expect(v.get_by_test_id("status-open")).to_be_visible()
    await inside_viewport(v, "status-open")
    await inside_viewport(v, "start-chat")
    await no_horizontal_scroll(v)
    how = v.get_by_test_id("how-it-works")
    await expect(how).not_to_have_attribute("open", "")
    await how.locator("summary").click()
    await expect(how).to_contain_text("orosanmälan")  # the limits of confidentiality, one tap away
    await shot(v, f"visitor-phone-{phone['width']}")
    await v.evaluate(TEXT_ZOOM_200)
    await no_horizontal_scroll(v)
    await top_bar_is_compact(v)
    await v.evaluate("window.scrollTo(0, 600)")  # the bar is sticky: still at the top after scrolling
    assert await v.evaluate("scrollY") > 0
    await top_bar_is_compact(v)
    await v.evaluate("window.scrollTo(0, 0)")  # a full-page screenshot would draw the bar where it stuck
    await shot(v, f"visitor-phone-{phone['width']}-text-200")


@pytest.mark.parametrize("phone", PHONES, ids=["360x740", "320x568"])
async def test_chat_keeps_the_composer_pinned_and_the_ended_view_keeps_everything(
    lykta: Lykta, browsers: Browsers, phone: dict[str, int]
) -> None:
    _, c = await console_for(lykta, browsers, "Sara")
    visitor = await browsers.new(viewport=phone)
    await visitor.context.grant_permissions(["clipboard-read", "clipboard-write"])
    v = visitor.page
    await v.goto("/c/e2e-phone")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("queue-position")).to_be_visible()
    await expect(v.locator("#heading")).to_be_focused()  # not <body>
    await inside_viewport(v, "composer")
    await v.evaluate(TEXT_ZOOM_200)  # the waiting room with doubled text: the composer is on screen too
    await inside_viewport(v, "composer")
    await inside_viewport(v, "send")
    await expect(v.get_by_test_id("queue-position")).to_be_in_viewport()
    await shot(v, f"visitor-waiting-phone-{phone['width']}-text-200")
    await v.evaluate("document.documentElement.style.fontSize = ''")
    await claim_first(c)
    for n in range(8):
        await write(v, f"meddelande {n} som tar lite plats i chatten")
        await write(c, f"svar {n}")
    await inside_viewport(v, "composer")  # pinned, after many messages
    await expect(v.get_by_test_id("message").last).to_be_in_viewport()
    await no_horizontal_scroll(v)
    await shot(v, f"visitor-chat-phone-{phone['width']}")
    await v.evaluate(TEXT_ZOOM_200)
    await no_horizontal_scroll(v)
    # Doubled text: the composer and its send button stay on screen without scrolling, the bar stays compact,
    # and the transcript (not the page) scrolls to show the newest message.
    await inside_viewport(v, "composer")
    await inside_viewport(v, "send")
    await top_bar_is_compact(v)
    await write(v, "ett till meddelande med dubbel textstorlek")
    await inside_viewport(v, "composer")
    await expect(v.get_by_test_id("message").last).to_be_in_viewport()
    # Nothing but the transcript scrolls: the page and the chat's column fit the screen.
    assert await v.evaluate("scrollY") == 0
    assert await v.evaluate("(m => m.scrollHeight <= m.clientHeight + 1)(document.querySelector('main'))")
    await shot(v, f"visitor-chat-phone-{phone['width']}-text-200")
    await v.evaluate("document.documentElement.style.fontSize = ''")

    # Ending asks once: "Nej" keeps the chat, "Ja" ends it.
    await v.get_by_test_id("end-chat").click()
    await expect(v.get_by_test_id("end-cancel")).to_be_focused()
    await checkpoint_shot(v, f"visitor-end-confirm-{phone['width']}")
    await v.get_by_test_id("end-cancel").click()
    await expect(v.get_by_test_id("end-confirm")).to_have_count(0)
    await expect(v.get_by_test_id("end-chat")).to_be_focused()
    await write(c, "Hör av dig när du vill. Ta hand om dig.")
    code = await v.evaluate("JSON.parse(sessionStorage.getItem('lykta.visitor')).follow_up_code")
    await end_chat(v)

    # The ended view: the counselor's last words, the code grouped with a copy button and a plain
    # warning, and whom to call.
    await expect(v.get_by_test_id("ended-message").last).to_have_text("SaraHör av dig när du vill. Ta hand om dig.")
    shown = v.get_by_test_id("follow-up-code")
    await expect(shown).to_have_text(grouped(code))
    assert "-" in grouped(code)
    await expect(v.get_by_test_id("code-warning")).to_contain_text("Den som har koden kan läsa samtalet")
    await v.get_by_test_id("copy-code").click()
    await expect(v.get_by_test_id("copy-status")).to_have_text("Koden är kopierad.")
    assert await v.evaluate("navigator.clipboard.readText()") == grouped(code)
    await expect(v.get_by_test_id("alternative").first).to_be_visible()
    await no_horizontal_scroll(v)
    await shot(v, f"visitor-ended-phone-{phone['width']}")


async def checkpoint_shot(page: Page, name: str) -> None:
    await shot(page, name)
