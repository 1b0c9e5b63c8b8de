"""Duty in the browser: a supervisor monitors a chat live and whispers to the counselor (never to the
visitor), and a counselor transfers a chat to a colleague, who accepts it and carries on."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.support import Browsers, claim_first, console_for, shot, visitor_page, write
from tests.helpers import Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_supervisor_monitors_and_whispers(lykta: Lykta, browsers: Browsers) -> None:
    _, sara = await console_for(lykta, browsers, "Sara")
    _, lea = await console_for(lykta, browsers, "Lea", role="supervisor")
    visitor = await visitor_page(browsers, "e2e-monitor")
    v = visitor.page
    await write(v, "Hej, jag behöver prata.")
    conversation_id = await claim_first(sara)
    await write(sara, "Hej! Jag heter Sara.")
    await expect(v.get_by_test_id("message").filter(has_text="Hej! Jag heter Sara.")).to_have_count(1)

    # The overview lists the chat with its counselor, and Sara among the staff.
    await lea.get_by_test_id("nav-supervision").click()
    active = lea.locator(f"[data-testid=sup-active][data-conversation-id='{conversation_id}']")
    await expect(active.get_by_test_id("sup-counselor-alias")).to_have_text("Sara")
    staff = lea.get_by_test_id("sup-counselor").filter(has_text="Sara")
    await expect(staff.get_by_test_id("sup-presence")).to_have_text("Tillgänglig")
    await expect(staff.get_by_test_id("sup-load")).to_have_text(re.compile(r"^1 av \d+$"))
    await shot(lea, "console-supervision")

    # Monitor: a read-only tab with the transcript so far, then live from both sides.
    await active.get_by_test_id("monitor").click()
    tab = lea.locator(f"[data-testid=conv-tab][data-conversation-id='{conversation_id}']")
    await expect(tab).to_have_attribute("data-monitoring", "true")
    lines = lea.get_by_test_id("message")
    await expect(lines.filter(has_text="Hej, jag behöver prata.")).to_have_count(1)
    await expect(lines.filter(has_text="Hej! Jag heter Sara.")).to_have_count(1)
    await write(v, "Jag är 16.")
    await expect(lines.filter(has_text="Jag är 16.")).to_have_attribute("data-author", "visitor")
    await write(sara, "Tack för att du berättar.")
    await expect(lines.filter(has_text="Tack för att du berättar.")).to_have_attribute("data-author", "counselor")

    # No way to write to the visitor: no composer, no send; only the whisper box.
    await expect(lea.get_by_test_id("composer")).to_have_count(0)
    await expect(lea.get_by_test_id("send")).to_have_count(0)
    await expect(lea.get_by_test_id("stop-monitor")).to_be_visible()
    whisper = "Fråga om hon har någonstans att sova i natt."
    await lea.get_by_test_id("whisper-input").fill(whisper)
    await lea.get_by_test_id("whisper-send").click()
    await expect(lea.get_by_test_id("whisper-input")).to_have_value("")
    mine = lea.get_by_test_id("note").filter(has_text=whisper)
    await expect(mine).to_have_attribute("data-kind", "whisper")
    await shot(lea, "console-monitoring")

    # Sara sees the whisper, set apart as one; the visitor sees nothing of it.
    seen = sara.get_by_test_id("note").filter(has_text=whisper)
    await expect(seen).to_have_attribute("data-kind", "whisper")
    await expect(seen).to_contain_text("Lea")
    await shot(sara, "console-whisper-received")
    await write(v, "Är du kvar?")
    await expect(sara.get_by_test_id("message").filter(has_text="Är du kvar?")).to_have_count(1)
    await expect(v.get_by_text(whisper)).to_have_count(0)
    assert not any(whisper in frame for frame in visitor.frames_in)
    assert [m for m in await v.get_by_test_id("message").all_inner_texts() if whisper in m] == []

    # Stop monitoring: the tab goes, and the chat goes on without the supervisor.
    await lea.get_by_test_id("stop-monitor").click()
    await expect(tab).to_have_count(0)
    await write(sara, "Jag är kvar.")
    await expect(v.get_by_test_id("message").filter(has_text="Jag är kvar.")).to_have_count(1)
    await expect(lea.get_by_test_id("message").filter(has_text="Jag är kvar.")).to_have_count(0)


async def test_transfer_to_a_colleague_who_accepts(lykta: Lykta, browsers: Browsers) -> None:
    _, sara = await console_for(lykta, browsers, "Sara")
    _, kim = await console_for(lykta, browsers, "Kim")
    visitor = await visitor_page(browsers, "e2e-transfer")
    v = visitor.page
    await write(v, "Hej, kan jag prata med någon?")
    await expect(kim.get_by_test_id("queue-item")).to_have_count(1)
    conversation_id = await claim_first(sara)
    await write(sara, "Hej, det är Sara.")
    await expect(v.get_by_test_id("counselor-alias")).to_have_text("Sara")

    # Sara transfers to Kim with an internal note.
    await sara.get_by_test_id("transfer").click()
    dialog = sara.get_by_test_id("transfer-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_test_id("transfer-to")).to_have_value(re.compile(r"^\d+$"))
    kim_id = await dialog.locator("option", has_text="Kim").get_attribute("value")
    await dialog.get_by_test_id("transfer-to").select_option(value=kim_id)
    await dialog.get_by_test_id("transfer-note").fill("Vill prata om boende, 16 år.")
    await shot(sara, "console-transfer-dialog")
    await dialog.get_by_test_id("transfer-submit").click()
    await expect(dialog).to_have_count(0)
    await expect(sara.get_by_test_id("conv-tab")).to_have_count(0)

    # Kim is offered the chat: the transcript, the note, an Accept button and a countdown.
    tab = kim.locator(f"[data-testid=conv-tab][data-conversation-id='{conversation_id}']")
    await expect(tab).to_be_visible()
    offer = kim.get_by_test_id("accept-offer")
    await expect(offer).to_be_visible()
    countdown = kim.get_by_test_id("accept-countdown")
    await expect(countdown).to_have_text(re.compile(r"^\d+:\d\d$"))
    first = int(await countdown.get_attribute("data-seconds") or "0")
    assert 0 < first <= 60
    await expect(countdown).not_to_have_attribute("data-seconds", str(first))  # it ticks
    note = kim.get_by_test_id("note").filter(has_text="Vill prata om boende, 16 år.")
    await expect(note).to_have_attribute("data-kind", "transfer")
    await expect(kim.get_by_test_id("message").filter(has_text="Hej, det är Sara.")).to_have_count(1)
    await shot(kim, "console-transfer-offer")
    await kim.get_by_test_id("accept").click()
    await expect(offer).to_have_count(0)
    await expect(kim.get_by_test_id("conv-state")).to_have_attribute("data-state", "active")

    # The visitor carries on with Kim; Sara no longer has the chat.
    await expect(v.get_by_test_id("counselor-alias")).to_have_text("Kim")
    await write(v, "Hej Kim!")
    await expect(kim.get_by_test_id("message").filter(has_text="Hej Kim!")).to_have_count(1)
    await write(kim, "Hej! Jag har läst vad du och Sara skrev.")
    kim_line = v.get_by_test_id("message").filter(has_text="Jag har läst vad du och Sara skrev.")
    await expect(kim_line).to_contain_text("Kim")
    await expect(sara.get_by_test_id("conv-tab")).to_have_count(0)
    await expect(sara.get_by_test_id("message")).to_have_count(0)
    await expect(sara.get_by_test_id("queue-item")).to_have_count(0)


async def test_supervisor_flags_urgent_and_takes_over(lykta: Lykta, browsers: Browsers) -> None:
    _, sara = await console_for(lykta, browsers, "Sara")
    _, lea = await console_for(lykta, browsers, "Lea", role="supervisor")
    await lykta.visitor()
    visitor = await visitor_page(browsers, "e2e-take-over")
    v = visitor.page
    await write(v, "Hej?")

    # From the overview: the newest waiting chat is flagged urgent and moves first in Sara's queue.
    await lea.get_by_test_id("nav-supervision").click()
    waiting = lea.get_by_test_id("sup-waiting")
    await expect(waiting).to_have_count(2)
    newest = waiting.nth(1)
    conversation_id = await newest.get_attribute("data-conversation-id")
    await newest.get_by_test_id("flag-urgent").click()
    await expect(waiting.first).to_have_attribute("data-conversation-id", conversation_id or "")
    await expect(waiting.first.get_by_test_id("flag-urgent")).to_have_attribute("aria-pressed", "true")
    rows = sara.get_by_test_id("queue-item")
    await expect(rows.first).to_have_attribute("data-conversation-id", conversation_id or "")
    await expect(rows.first.get_by_test_id("urgent")).to_be_visible()
    await expect(sara.get_by_test_id("flag-urgent")).to_have_count(0)  # urgent is for supervisors

    # Sara answers it; Lea takes it over from the overview and carries on with the visitor.
    await rows.first.get_by_test_id("claim").click()
    await write(sara, "Hej, det är Sara.")
    active = lea.locator(f"[data-testid=sup-active][data-conversation-id='{conversation_id}']")
    await active.get_by_test_id("take-over").click()
    await expect(lea.get_by_test_id("nav-chats")).to_have_attribute("aria-current", "page")
    tab = lea.locator(f"[data-testid=conv-tab][data-conversation-id='{conversation_id}']")
    await expect(tab).to_be_visible()
    await expect(tab).not_to_have_attribute("data-monitoring", "true")
    notice = sara.get_by_test_id("moved-notice")
    await expect(notice).to_have_attribute("data-conversation-id", conversation_id or "")
    await expect(notice).to_contain_text("ligger nu hos Lea")
    await expect(sara.get_by_test_id("conv-tab")).to_have_count(0)
    await shot(sara, "console-taken-over")
    await expect(v.get_by_test_id("counselor-alias")).to_have_text("Lea")
    await write(lea, "Hej, jag heter Lea och tar över härifrån.")
    await expect(v.get_by_test_id("message").filter(has_text="jag heter Lea")).to_contain_text("Lea")
    await write(v, "Okej!")
    await expect(lea.get_by_test_id("message").filter(has_text="Okej!")).to_have_count(1)
