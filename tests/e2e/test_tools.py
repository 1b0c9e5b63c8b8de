"""Counselor tools in the browser: canned replies from `/keyword`, internal notes, back to the queue
(returning, with a system line for the visitor), wrap-up on close, the urgent flag, and block."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.e2e.support import Browsers, claim_first, console_for, shot, visitor_page, write
from tests.helpers import Lykta, eventually

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def test_canned_notes_requeue_and_wrap_up(lykta: Lykta, browsers: Browsers) -> None:
    admin = await lykta.staff(role="admin", available=False)
    for name in ("Boende", "Hot"):
        assert (await admin.post("/api/admin/tags", {"name": name})).status_code == 201
    replies = {"hej": "Hej! Jag heter Sara. Vad vill du prata om?", "oro": "Det du berättar gör mig orolig för dig."}
    for keyword, body in replies.items():
        created = await admin.post("/api/admin/canned", {"keyword": keyword, "language": "sv", "body": body})
        assert created.status_code == 201, created.text
    english = {"keyword": "hej", "language": "en", "body": "Hi, in English"}
    assert (await admin.post("/api/admin/canned", english)).status_code == 201

    _, sara = await console_for(lykta, browsers, "Sara")
    visitor = await visitor_page(browsers, "e2e-tools")
    v = visitor.page
    conversation_id = await claim_first(sara)

    # `/h` lists the Swedish /hej (not the English one); Tab inserts its body, Enter then sends.
    composer = sara.get_by_test_id("composer")
    await composer.press_sequentially("/h")
    suggestions = sara.get_by_test_id("canned-suggestion")
    await expect(suggestions).to_have_count(1)
    await expect(suggestions).to_have_attribute("data-keyword", "hej")
    await expect(composer).to_have_attribute("aria-expanded", "true")
    await shot(sara, "console-canned")
    await composer.press("Tab")
    await expect(composer).to_have_value(replies["hej"])
    await expect(suggestions).to_have_count(0)
    await composer.press("Enter")
    await expect(v.get_by_test_id("message").filter(has_text=replies["hej"])).to_have_count(1)

    # Mid-sentence: Enter on the suggestion inserts rather than sends.
    await composer.press_sequentially("Okej. /or")
    await expect(suggestions).to_have_attribute("data-keyword", "oro")
    await composer.press("Enter")
    await expect(composer).to_have_value(f"Okej. {replies['oro']}")
    await expect(v.get_by_test_id("message")).to_have_count(1)
    await composer.press("Enter")
    await expect(v.get_by_test_id("message").filter(has_text=replies["oro"])).to_have_count(1)

    # An internal note: shown, stored, never sent to the visitor.
    await sara.get_by_test_id("note-input").fill("Verkar vara under 18, ingen plats att sova.")
    await sara.get_by_test_id("note-add").click()
    await expect(sara.get_by_test_id("note")).to_have_attribute("data-kind", "note")
    stored = (await admin.get(f"/api/console/conversations/{conversation_id}/notes")).json()["items"]
    assert [(n["kind"], n["body"], n["author_alias"]) for n in stored] == [
        ("note", "Verkar vara under 18, ingen plats att sova.", "Sara")
    ]
    assert not any("ingen plats att sova" in frame for frame in visitor.frames_in)

    # Back to the queue through the transfer dialog: the row says returning, the visitor reads a
    # neutral system line.
    await sara.get_by_test_id("transfer").click()
    await sara.get_by_test_id("transfer-to").select_option("queue")
    await sara.get_by_test_id("transfer-submit").click()
    await expect(sara.get_by_test_id("conv-tab")).to_have_count(0)
    row = sara.locator(f"[data-testid=queue-item][data-conversation-id='{conversation_id}']")
    await expect(row.get_by_test_id("returning")).to_have_text("Tillbaka i kön")
    system = v.locator("[data-testid=message][data-author=system]")
    await expect(system).to_contain_text("tillbaka i kön")
    await expect(v.get_by_test_id("queue-position")).to_have_text("1")
    await shot(v, "visitor-system-line")

    # Claimed again; the system line is set apart in the console too. Close with a wrap-up.
    await row.get_by_test_id("claim").click()
    await expect(sara.locator("[data-testid=message][data-author=system]")).to_have_count(1)
    await sara.get_by_test_id("close").click()
    dialog = sara.get_by_test_id("wrapup-dialog")
    await dialog.get_by_label("Boende").check()
    await dialog.get_by_test_id("wrapup-topic").select_option("relationships")
    await shot(sara, "console-wrap-up")
    await dialog.get_by_test_id("close-confirm").click()
    await expect(dialog).to_have_count(0)
    await expect(sara.get_by_test_id("conv-state")).to_have_attribute("data-state", "closed")
    await expect(v.get_by_test_id("follow-up-code")).to_be_visible()
    wrap = (await admin.get(f"/api/console/conversations/{conversation_id}/wrap-up")).json()
    assert ([t["name"] for t in wrap["tags"]], wrap["topic"]) == (["Boende"], "relationships")


async def test_urgent_flag_and_block(lykta: Lykta, browsers: Browsers) -> None:
    _, sara = await console_for(lykta, browsers, "Sara", role="supervisor")  # urgent is for supervisors
    first = await lykta.visitor()
    visitor = await visitor_page(browsers, "e2e-block")
    v = visitor.page
    rows = sara.get_by_test_id("queue-item")
    await expect(rows).to_have_count(2)
    second_id = await rows.nth(1).get_attribute("data-conversation-id")
    assert second_id and second_id != first.conversation_id

    # Flag the second urgent: it moves first, with the badge; the flag can be taken back.
    await rows.nth(1).get_by_test_id("flag-urgent").click()
    await expect(rows.first).to_have_attribute("data-conversation-id", second_id)
    await expect(rows.first.get_by_test_id("urgent")).to_be_visible()
    await expect(rows.first.get_by_test_id("flag-urgent")).to_have_attribute("aria-pressed", "true")
    await shot(sara, "console-queue-urgent")
    colleague = await lykta.staff(available=False)
    queue = (await colleague.get("/api/console/queue")).json()["items"]
    assert [(i["conversation_id"], i["urgent"]) for i in queue] == [(second_id, True), (first.conversation_id, False)]

    # Claim it and block for two hours: the chat ends for both, and the page is closed to that source.
    await rows.first.get_by_test_id("claim").click()
    await write(v, "du är så söt")
    await sara.get_by_test_id("block").click()
    dialog = sara.get_by_test_id("block-dialog")
    await dialog.get_by_test_id("block-hours").fill("2")
    await shot(sara, "console-block")
    await dialog.get_by_test_id("block-confirm").click()
    await expect(sara.get_by_test_id("conv-state")).to_have_attribute("data-state", "closed")
    await expect(v.get_by_test_id("start-over")).to_be_visible()

    async def refused() -> bool:
        async with lykta.http() as http:
            response = await http.post("/api/visitor/conversations", json={})
        return response.status_code == 403

    assert await eventually(refused)
    await v.goto("/c/e2e-block")
    await expect(v.get_by_text("Chatten är inte tillgänglig.")).to_be_visible()
