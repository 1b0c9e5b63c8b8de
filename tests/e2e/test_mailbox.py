"""The mailbox in Chromium: a visitor who finds the chat closed writes a letter and is shown a code; in a new
browser (nothing kept from the first) the code brings back the answer, the visitor writes back and, once
someone is on duty, continues as a live chat. A counselor answers a letter from the console's mailbox with a
canned reply and a note; a new letter shows up live; a supervisor sees how long letters have waited."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.e2e.support import DESKTOP, ME_401, Browsers, go_available, shot, sign_in
from tests.helpers import Lykta
from tests.mailbox_helpers import ANSWER, LETTER, WRITE_BACK, thread_ids, visitor_post, write_letter

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


async def enter_code(page: Page, code: str) -> None:
    await page.goto("/c/e2e-mailbox")
    await page.get_by_test_id("follow-up-toggle").click()
    await page.get_by_test_id("follow-up-input").fill(code.lower())  # as people type it back
    await page.get_by_test_id("follow-up-submit").click()
    await expect(page.get_by_test_id("mailbox-thread")).to_be_visible()


async def test_a_visitor_writes_while_closed_and_reads_the_answer_in_a_new_browser(
    lykta: Lykta, browsers: Browsers
) -> None:
    first = await browsers.new()
    v = first.page
    await v.goto("/c/e2e-mailbox")
    await expect(v.get_by_test_id("status-closed")).to_be_visible()
    offer = v.get_by_test_id("mailbox-offer")
    await expect(offer).to_contain_text("Vi svarar inom 2 vardagar")
    await shot(v, "visitor-mailbox-closed")
    await offer.get_by_test_id("write-to-us").click()
    await v.get_by_test_id("letter-body").fill(LETTER)
    await v.get_by_test_id("letter-age").select_option("15_17")
    await shot(v, "visitor-mailbox-write")
    await v.get_by_test_id("letter-send").click()
    shown = v.get_by_test_id("mailbox-code")
    await expect(shown).to_have_text(CODE)
    code = (await shown.inner_text()).strip()
    await expect(v.locator("main")).to_contain_text("Skriv ner koden")
    await shot(v, "visitor-mailbox-code")
    assert code.replace("-", "") not in str(await v.evaluate("JSON.stringify(sessionStorage)"))  # memory only
    await v.get_by_test_id("mailbox-done").click()
    await expect(v.get_by_test_id("status-closed")).to_be_visible()

    sara = await lykta.staff(alias="Sara", available=False)
    [thread_id] = await thread_ids(lykta)
    assert (await sara.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200
    assert (await sara.post(f"/api/console/mailbox/{thread_id}/answer", {"body": ANSWER})).status_code == 200

    later = await browsers.new()  # another browser context: nothing of the first visit is there
    r = later.page
    await enter_code(r, code)
    letters = r.get_by_test_id("letter")
    await expect(letters).to_have_count(2)
    await expect(letters.nth(0)).to_contain_text(LETTER)
    await expect(letters.nth(1)).to_contain_text(ANSWER)
    await expect(letters.nth(1)).to_contain_text("Sara")
    await expect(r.get_by_test_id("mailbox-chat-offer")).to_have_count(0)  # still closed
    await r.get_by_test_id("mailbox-reply").fill(WRITE_BACK)
    await r.get_by_test_id("mailbox-reply-send").click()
    await expect(letters).to_have_count(3)
    await expect(r.get_by_test_id("mailbox-waiting")).to_be_visible()
    await shot(r, "visitor-mailbox-thread")

    wrong = await browsers.new()
    w = wrong.page
    wrong.allow(r"status of 404")  # the wrong code's answer
    await w.goto("/c/e2e-mailbox")
    await w.get_by_test_id("follow-up-toggle").click()
    await w.get_by_test_id("follow-up-input").fill("ABCD-EFGH-JKMN")
    await w.get_by_test_id("follow-up-submit").click()
    await expect(w.get_by_test_id("follow-up-error")).to_contain_text("Koden fungerar inte")

    await sara.presence("available")  # open now: the thread can become a live chat, offered to Sara
    chat = await browsers.new()
    c = chat.page
    await enter_code(c, code)
    await c.get_by_test_id("mailbox-chat").click()
    messages = c.get_by_test_id("message")
    await expect(messages).to_have_count(3)
    await expect(messages.nth(1)).to_contain_text(ANSWER)
    await expect(c.get_by_test_id("counselor-alias")).to_have_text("Sara")
    await shot(c, "visitor-mailbox-chat")


async def test_a_counselor_answers_a_letter_from_the_mailbox(lykta: Lykta, browsers: Browsers) -> None:
    await write_letter(lykta, LETTER, age_band="18_24", topic="violence")
    (username,) = await lykta.create_staff(alias="Sara")
    sara = await lykta.login(username)
    canned = await sara.post("/api/console/canned", {"keyword": "tack", "language": "sv", "body": ANSWER})
    assert canned.status_code == 201, canned.text
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401)
    p = console.page
    await sign_in(p, username)
    await go_available(p)
    await expect(p.get_by_test_id("mailbox-count")).to_have_text("1")
    await p.get_by_test_id("nav-mailbox").click()
    row = p.get_by_test_id("letter-item")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("våld")
    await expect(row).not_to_contain_text(LETTER)  # the list never shows the text
    await row.get_by_test_id("letter-claim").click()
    pane = p.get_by_test_id("letter-pane")
    await expect(pane.get_by_test_id("letter-entry")).to_contain_text(LETTER)
    await pane.get_by_test_id("letter-note-input").fill("Ring Socialjouren om hon hör av sig igen")
    await pane.get_by_test_id("letter-note-add").click()
    await expect(pane.get_by_test_id("letter-note")).to_have_count(1)
    composer = pane.get_by_test_id("composer")
    await composer.fill("/tack")
    await expect(pane.get_by_test_id("canned-suggestion")).to_have_count(1)
    await composer.press("Enter")  # takes the canned reply
    await expect(composer).to_have_value(ANSWER)
    await shot(p, "console-mailbox-answering")
    await composer.press("Enter")  # sends it
    await expect(pane).to_have_attribute("data-state", "answered")
    await expect(pane.get_by_test_id("letter-entry")).to_have_count(2)
    await expect(row).to_have_count(0)
    await expect(p.get_by_test_id("mailbox-count")).to_have_count(0)

    await visitor_post(lykta, "/api/visitor/mailbox", {"body": "Ett nytt brev"})  # arrives while the view is open
    await expect(row).to_have_count(1)
    await expect(p.get_by_test_id("mailbox-count")).to_have_text("1")
    await shot(p, "console-mailbox")

    (boss,) = await lykta.create_staff(role="supervisor", alias="Chefen")
    supervisor = await browsers.new(viewport=DESKTOP)
    supervisor.allow(ME_401)
    s = supervisor.page
    await sign_in(s, boss)
    await s.get_by_test_id("nav-mailbox").click()
    await expect(s.get_by_test_id("profile-under_1_day")).to_have_text("1")
    await shot(s, "console-mailbox-supervisor")
