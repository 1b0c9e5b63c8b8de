"""Issue 16 in Chromium: a resource card in the visitor's chat, the feedback step, the directory admin page,
and the period report printed to PDF (screenshots under test-results/screenshots/)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect
from sqlmodel import select

from app.core.db import make_engine, make_sessionmaker
from app.models import ConversationStat
from tests.e2e.support import Browsers, claim_first, console_for, end_chat, shot, visitor_page
from tests.helpers import Lykta
from tests.test_stats_report import PERIOD, seed

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def feedback_rows(lykta: Lykta) -> list[tuple[str | None, str | None, str | None]]:
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            rows = (await session.exec(select(ConversationStat))).all()
            return [(r.feedback_helped, r.feedback_again, r.feedback_found) for r in rows]
    finally:
        await engine.dispose()


async def test_a_card_in_the_chat_then_feedback_in_one_tap_or_skipped(lykta: Lykta, browsers: Browsers) -> None:
    _console, c = await console_for(lykta, browsers, "Sara")
    visitor = await visitor_page(browsers, "e2e-link")
    v = visitor.page
    await claim_first(c)

    await c.get_by_test_id("resource-picker-open").click()
    await c.get_by_test_id("resource-search").fill("bris")
    item = c.get_by_test_id("resource-item")
    await expect(item).to_have_count(1)
    await shot(c, "console-resource-picker")
    await item.get_by_test_id("resource-send").click()
    await expect(c.get_by_test_id("resource-sent")).to_contain_text("BRIS")

    card = v.get_by_test_id("resource-card")
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("BRIS")
    await expect(card.get_by_test_id("resource-card-phone")).to_have_attribute("href", "tel:116111")
    web = card.get_by_test_id("resource-card-web")
    await expect(web).to_have_attribute("href", "https://www.bris.se")
    await expect(web).to_have_attribute("target", "_blank")
    await expect(web).to_have_attribute("rel", "noopener noreferrer")
    await expect(v.get_by_test_id("leave-quickly")).to_be_visible()
    await shot(v, "visitor-resource-card")

    await end_chat(v)  # "Avsluta chatten" asks once (issue 13)
    feedback = v.get_by_test_id("feedback")
    await expect(feedback).to_be_visible()
    await expect(v.get_by_test_id("follow-up-code")).to_be_visible()  # the ended view is still all there
    await shot(v, "visitor-feedback")
    await feedback.get_by_test_id("feedback-helped").get_by_text("Ja", exact=True).click()
    await feedback.get_by_test_id("feedback-send").click()
    await expect(v.get_by_test_id("feedback-thanks")).to_be_visible()
    assert await feedback_rows(lykta) == [("yes", None, None)]

    # Leaving quickly works on the ended page too.
    await v.get_by_test_id("leave-quickly").click()
    await expect(v).to_have_url(re.compile(r"/healthz$"))

    # A second visitor skips in one tap: nothing is stored, the question is gone.
    second = await visitor_page(browsers, "e2e-link")
    await claim_first(c)
    await end_chat(second.page)
    await second.page.get_by_test_id("feedback-skip").click()
    await expect(second.page.get_by_test_id("feedback")).to_have_count(0)
    await expect(second.page.get_by_test_id("start-over")).to_be_visible()
    assert sorted(await feedback_rows(lykta), key=str) == sorted([("yes", None, None), (None, None, None)], key=str)

    # The dashboard shows the answers for the period, overall and per link (exact for staff; "<3" in exports).
    await c.get_by_test_id("nav-outreach").click()
    await c.get_by_test_id("outreach-dashboard").click()
    helped = c.get_by_test_id("breakdown-feedback-helped")
    await expect(helped.locator("tr[data-key=yes] td").first).to_have_text("1")
    await c.get_by_test_id("stats-by").select_option("link")
    await c.get_by_test_id("stats-show").click()
    answered = c.get_by_test_id("stats-key-feedback")
    await expect(answered.filter(has_text="1")).to_have_count(1)
    await shot(c, "outreach-dashboard-feedback")


async def test_the_directory_admin_page(lykta: Lykta, browsers: Browsers) -> None:
    console, a = await console_for(lykta, browsers, "Admin", role="admin")
    console.allow(r"status of 422 .*/api/admin/resources$")  # the refused resource below, shown by the form
    await a.get_by_test_id("nav-admin").click()
    await a.get_by_test_id("admin-resources").click()
    rows = a.get_by_test_id("resource-row")
    await expect(rows).to_have_count(5)  # the seeded examples
    await a.get_by_test_id("new-resource-name").fill("Tjejjouren")
    await a.get_by_test_id("new-resource-phone").fill("+46 8 123 45")
    await a.get_by_test_id("new-resource-url").fill("https://example.org/jour")
    await a.get_by_test_id("new-resource-submit").click()
    await expect(rows).to_have_count(6)
    await a.get_by_test_id("new-resource-name").fill("Fel")
    await a.get_by_test_id("new-resource-phone").fill("ring mig")
    await a.get_by_test_id("new-resource-submit").click()
    await expect(a.get_by_test_id("form-error")).to_be_visible()  # the server's 422, shown by the form
    await shot(a, "admin-resources")


async def test_the_period_report_renders_and_prints(lykta: Lykta, browsers: Browsers) -> None:
    await seed(lykta)
    _console, p = await console_for(lykta, browsers, "Lead", role="supervisor")
    await p.get_by_test_id("nav-outreach").click()
    await p.get_by_test_id("outreach-report").click()
    await p.get_by_test_id("report-from").fill(PERIOD["from"])
    await p.get_by_test_id("report-to").fill(PERIOD["to"])
    await p.get_by_test_id("report-make").click()
    report = p.get_by_test_id("period-report")
    await expect(report).to_be_visible()
    for section in ("register", "contacts", "links", "chats", "feedback", "referrals", "hours"):
        await expect(p.get_by_test_id(f"report-{section}")).to_be_visible()
    await expect(p.get_by_test_id("report-caveat")).to_be_visible()
    await expect(p.get_by_test_id("report-figure-started")).to_have_text("9")
    await expect(p.get_by_test_id("report-figure-blocked")).to_have_text("<3")
    await expect(p.locator("svg.report-svg")).to_have_count(3)
    await shot(p, "period-report")

    pdf = await p.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 8, pages  # the cover and seven sections, one A4 page each
    await p.emulate_media(media="print")
    assert not await p.get_by_test_id("report-make").is_visible()  # the form stays off the paper
    assert not await p.get_by_test_id("nav-outreach").is_visible()
    await p.emulate_media(media="screen")
