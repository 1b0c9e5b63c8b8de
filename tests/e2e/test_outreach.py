"""Outreach in the browser: an outreach worker keeps the register (a space, an observation refused for a phone
number, then saved; the trend), writes a message template and creates a link with its QR code; a visitor opens
the link in another browser and starts a chat; the dashboard counts the open and the chat, and the CSV exports
download and parse. Admins keep the register's category and indicator lists."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from app.outreach.register import local_today
from tests.e2e.support import DESKTOP, ME_401, Browsers, claim_first, console_for, shot, sign_in, write
from tests.helpers import Lykta, eventually

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

OBSERVATION_422 = r"status of 422 .*@ http://127\.0\.0\.1:\d+/api/console/spaces/\d+/observations$"
LIST_409 = r"status of 409 .*@ http://127\.0\.0\.1:\d+/api/admin/indicators$"
SPACE = "Annonssajt X \u2013 Stockholm"  # with an en dash
TEMPLATE_BODY = "Hej! Vill du prata med någon? Chatta anonymt med socialtjänsten: {link}"


async def download_csv(page: Page, testid: str) -> tuple[bytes, list[dict[str, str]]]:
    """Clicks an export link, waits for the download and parses it (UTF-8 with a byte-order mark)."""
    async with page.expect_download() as info:
        await page.get_by_test_id(testid).click()
    download = await info.value
    path = await download.path()
    raw = Path(path).read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


async def test_register_link_visitor_and_dashboard(lykta: Lykta, browsers: Browsers) -> None:
    worker, w = await console_for(lykta, browsers, "Olle")
    worker.allow(OBSERVATION_422)
    helper = await lykta.staff(alias="Hjälp", available=False)
    today = local_today(lykta.server.settings)  # the service's day, as the page (Europe/Stockholm) sees it

    # Register a space through the form.
    await w.get_by_test_id("nav-outreach").click()
    await expect(w.get_by_test_id("outreach-register")).to_have_attribute("aria-current", "page")
    await w.get_by_test_id("space-new").click()
    form = w.get_by_test_id("space-form")
    await form.get_by_test_id("space-name").fill(SPACE)
    await form.get_by_test_id("space-category").select_option(label="Annonser om sex mot ersättning")
    await form.get_by_test_id("space-address").fill("https://annonser.example/stockholm")
    await form.get_by_test_id("space-age-gate").check()
    await form.get_by_test_id("space-save").click()
    await expect(w.get_by_test_id("space-created")).to_contain_text(SPACE)
    row = w.get_by_test_id("space-row").filter(has_text=SPACE)
    space_id = int(await row.get_attribute("data-space-id") or 0)
    assert space_id > 0
    await expect(row.get_by_test_id("space-days-since")).to_have_text("\u2013")  # never observed

    # Two earlier checks (for a trend) and a space nobody has looked at, through the API.
    for days_ago, seen, new, removed in ((14, 9, None, None), (7, 12, 4, 1)):
        body = {"day": (today - timedelta(days=days_ago)).isoformat(), "ads_seen": seen}
        body |= {"ads_new": new, "ads_removed": removed} if new is not None else {}
        assert (await helper.post(f"/api/console/spaces/{space_id}/observations", json=body)).status_code == 201
    categories = (await helper.get("/api/console/space-categories")).json()["items"]
    forum = next(c["id"] for c in categories if c["name"] == "Forum")
    other = {"name": "Forumet Y", "category_id": forum, "address": "https://forum.example/"}
    assert (await helper.post("/api/console/spaces", json=other)).status_code == 201

    # Record today's observation: a phone number in the note is refused, clearly; without it, saved.
    await row.get_by_test_id("space-open").click()
    page = w.get_by_test_id("space-page")
    await expect(page.get_by_test_id("space-title")).to_have_text(SPACE)
    obs = w.get_by_test_id("observation-form")
    await expect(obs.get_by_test_id("obs-day")).to_have_value(today.isoformat())
    await expect(obs.get_by_test_id("obs-note-hint")).to_contain_text("telefonnummer")
    await obs.get_by_test_id("obs-ads-seen").fill("14")
    await obs.get_by_test_id("obs-ads-new").fill("5")
    await obs.get_by_test_id("obs-ads-removed").fill("3")
    await obs.get_by_label("Dolda telefonnummer").check()
    await obs.get_by_label("Språk som antyder låg ålder").check()
    await obs.get_by_test_id("obs-note").fill("Ring 070-123 45 67 för mer")
    await obs.get_by_test_id("obs-save").click()
    error = obs.get_by_test_id("form-error")
    await expect(error).to_have_attribute("data-code", "personal_data")
    await expect(error).to_contain_text("ett telefonnummer")
    await expect(obs.get_by_test_id("obs-note")).to_have_attribute("aria-invalid", "true")
    await expect(obs.get_by_test_id("obs-note")).to_be_focused()
    await shot(w, "outreach-personal-data")
    await obs.get_by_test_id("obs-note").fill("Flera nya annonser med samma bilder.")
    await obs.get_by_test_id("obs-save").click()
    await expect(w.get_by_test_id("obs-saved")).to_contain_text(today.isoformat())
    await expect(error).to_have_count(0)
    rows = w.get_by_test_id("obs-row")
    await expect(rows).to_have_count(3)
    await expect(rows.first).to_have_attribute("data-day", today.isoformat())
    await expect(rows.first.get_by_test_id("obs-row-indicators")).to_have_text(
        "Dolda telefonnummer, Språk som antyder låg ålder"
    )
    chart = w.get_by_test_id("trend-svg")
    await expect(chart.locator(".line-ads_seen circle")).to_have_count(3)
    await expect(chart.locator("title")).to_have_text(f"Annonser på {SPACE} över tid")
    await expect(w.get_by_test_id("trend-table").locator("tbody tr")).to_have_count(3)
    await shot(w, "outreach-space-trend")

    # Back in the register: the latest figures; the never-observed space is listed as not observed lately.
    await w.get_by_test_id("space-back").click()
    await expect(row.get_by_test_id("space-ads-seen")).to_have_text("14")
    await expect(row.get_by_test_id("space-days-since")).to_have_text("0")
    stale = w.get_by_test_id("not-observed-row")
    await expect(stale).to_have_count(1)
    await expect(stale).to_contain_text("Forumet Y")
    await expect(stale).to_contain_text("aldrig observerad")
    await w.get_by_test_id("not-observed-days").fill("5")
    await w.get_by_test_id("not-observed-show").click()
    await expect(stale).to_have_count(1)  # today's observation keeps the first space off the list
    await shot(w, "outreach-register")

    # A message template, then a link with it.
    await w.get_by_test_id("outreach-templates").click()
    await w.get_by_test_id("template-name").fill("Första kontakt")
    await w.get_by_test_id("template-language").select_option("sv")
    await w.get_by_test_id("template-body-input").fill(TEMPLATE_BODY)
    await w.get_by_test_id("template-save").click()
    await expect(w.get_by_test_id("template-row").filter(has_text="Första kontakt")).to_have_count(1)

    # A contact made outside the chat: space, day, channel, template, answered.
    await w.get_by_test_id("outreach-contacts").click()
    contact_form = w.get_by_test_id("contact-form")
    await contact_form.get_by_test_id("contact-space").select_option(label=SPACE)
    await contact_form.get_by_test_id("contact-channel").select_option("comment")
    await contact_form.get_by_test_id("contact-template").select_option(label="Första kontakt (sv)")
    await contact_form.get_by_test_id("contact-save").click()
    await expect(contact_form.get_by_test_id("contact-created")).to_be_visible()
    contact = w.get_by_test_id("contact-row")
    await expect(contact).to_have_count(1)
    await expect(contact).to_contain_text("Kommentar")
    await contact.get_by_test_id("contact-answered").check()
    await expect(contact).to_contain_text("Ja")
    contacts = (await helper.get("/api/console/contacts")).json()["items"]
    assert [(c["channel"], c["answered"], c["day"]) for c in contacts] == [("comment", True, today.isoformat())]

    await worker.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=lykta.server.base_url)
    await w.get_by_test_id("outreach-links").click()
    link_form = w.get_by_test_id("link-form")
    await link_form.get_by_test_id("link-space").select_option(label=SPACE)
    await link_form.get_by_test_id("link-template").select_option(label="Första kontakt (sv)")
    await link_form.get_by_test_id("link-label").fill("Annonssajt X, november")
    await link_form.get_by_test_id("link-create").click()
    await expect(link_form.get_by_test_id("link-created")).to_contain_text("Annonssajt X, november")
    link = w.get_by_test_id("link-row").first
    code = await link.get_attribute("data-code")
    link_id = await link.get_attribute("data-link-id")
    assert code and len(code) == 10 and link_id
    url = f"{lykta.server.base_url}/c/{code}"
    await expect(link.get_by_test_id("link-url")).to_have_value(url)
    await expect(link.get_by_test_id("link-text")).to_have_value(TEMPLATE_BODY.replace("{link}", url))
    await expect(link.get_by_test_id("link-opens")).to_have_text("0")
    await link.get_by_test_id("link-copy").click()
    await expect(link.get_by_test_id("link-copied")).to_have_attribute("data-state", "url")
    assert await w.evaluate("navigator.clipboard.readText()") == url
    qr = link.get_by_test_id("link-qr")
    await expect(qr).to_have_attribute("src", f"/api/console/links/{link_id}/qr.svg")
    await eventually(lambda: qr.evaluate("img => img.complete && img.naturalWidth > 0"))
    await shot(w, "outreach-links-qr")
    await link.get_by_test_id("link-print").click()
    sheet = w.get_by_test_id("print-sheet")
    await expect(sheet).to_contain_text(url)
    await eventually(lambda: sheet.get_by_test_id("print-qr").evaluate("img => img.complete && img.naturalWidth > 0"))
    await w.emulate_media(media="print")
    await expect(w.get_by_test_id("print-now")).to_be_hidden()
    await expect(w.get_by_test_id("logout")).to_be_hidden()
    await shot(w, "outreach-link-print")
    await w.emulate_media(media="screen")
    await w.get_by_test_id("print-back").click()

    # A visitor opens the link in another browser and starts a chat.
    visitor = await browsers.new()
    v = visitor.page
    await v.goto(f"/c/{code}")
    await v.get_by_test_id("start-chat").click()
    await expect(v.get_by_test_id("queue-position")).to_be_visible()
    await w.get_by_test_id("link-refresh").click()
    await expect(link.get_by_test_id("link-opens")).to_have_text("1")
    await expect(link.get_by_test_id("link-conversations")).to_have_text("1")

    # The worker answers and closes it (a chat counts in the statistics once it has ended).
    await w.get_by_test_id("nav-chats").click()
    await claim_first(w)
    await write(w, "Hej! Jag heter Olle. Vad vill du prata om?")
    await expect(v.locator("[data-testid=message][data-author=counselor]")).to_have_count(1)
    await w.get_by_test_id("close").click()
    await w.get_by_test_id("wrapup-dialog").get_by_test_id("close-confirm").click()
    await expect(w.get_by_test_id("conv-state")).to_have_attribute("data-state", "closed")

    # The dashboard counts the open and the chat, overall and for the link.
    await w.get_by_test_id("nav-outreach").click()
    await w.get_by_test_id("outreach-dashboard").click()
    await expect(w.get_by_test_id("stats-view")).to_be_visible()
    await expect(w.get_by_test_id("kpi-opened")).to_have_text("1")
    await expect(w.get_by_test_id("kpi-started")).to_have_text("1")
    await expect(w.get_by_test_id("kpi-answered")).to_have_text("1")
    await expect(w.get_by_test_id("kpi-abandoned")).to_have_text("0")
    await w.get_by_test_id("stats-by").select_option("link")
    await w.get_by_test_id("stats-group").select_option("week")
    await w.get_by_test_id("stats-show").click()
    key_row = w.locator(f"[data-testid=stats-key-row][data-key='{link_id}']")
    await expect(key_row.get_by_test_id("stats-key-opened")).to_have_text("1")
    await expect(key_row.get_by_test_id("stats-key-started")).to_have_text("1")
    await expect(w.get_by_test_id("breakdown-language").locator("tbody tr")).to_have_count(1)
    await expect(w.get_by_test_id("chart-conversations-svg").locator("rect.bar")).to_have_count(1)
    await shot(w, "outreach-dashboard")

    # Bad periods are caught before asking the server.
    start = await w.get_by_test_id("stats-from").input_value()
    end = await w.get_by_test_id("stats-to").input_value()
    await w.get_by_test_id("stats-from").fill(end)
    await w.get_by_test_id("stats-to").fill(start)
    await w.get_by_test_id("stats-show").click()
    await expect(w.get_by_test_id("stats-error")).to_have_attribute("data-code", "invalid_period")
    await w.locator("[data-testid=stats-preset][data-days='30']").click()
    await expect(w.get_by_test_id("stats-error")).to_have_count(0)

    # CSV exports: the statistics (small counts suppressed), the observations, the register.
    raw, stats_rows = await download_csv(w, "export-stats")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(stats_rows[0])[:6] == ["period", "by", "key", "label", "opened", "started"]
    total = next(r for r in stats_rows if r["period"] == "total" and r["key"] == link_id)
    assert (total["by"], total["label"], total["opened"], total["started"]) == (
        "link",
        "Annonssajt X, november",
        "1",
        "<3",
    )
    _, observed = await download_csv(w, "export-observations")
    mine = sorted((r["day"], r["ads_seen"]) for r in observed if r["space_id"] == str(space_id))
    assert mine == [((today - timedelta(days=d)).isoformat(), n) for d, n in ((14, "9"), (7, "12"), (0, "14"))]
    assert all(r["note"] != "Ring 070-123 45 67 för mer" for r in observed)
    _, register = await download_csv(w, "export-spaces")
    assert {r["name"]: r["age_gate"] for r in register} == {SPACE: "yes", "Forumet Y": "no"}


async def test_admin_keeps_categories_and_indicators(lykta: Lykta, browsers: Browsers) -> None:
    (admin_name,) = await lykta.create_staff(role="admin", alias="Ada")
    console = await browsers.new(viewport=DESKTOP)
    console.allow(ME_401, LIST_409)
    c = console.page
    await sign_in(c, admin_name)
    await c.get_by_test_id("nav-admin").click()

    # Indicators: add one, refuse the same name in other case, retire a seeded one.
    await c.get_by_test_id("admin-indicators").click()
    page = c.get_by_test_id("list-page-indicators")
    await expect(page.get_by_test_id("list-row")).to_have_count(4)
    await page.get_by_test_id("new-list-name").fill("Samma bilder i flera annonser")
    await page.get_by_test_id("new-list-submit").click()
    added = page.locator("[data-testid=list-row][data-name='Samma bilder i flera annonser']")
    await expect(added).to_have_attribute("data-active", "true")
    await page.get_by_test_id("new-list-name").fill("samma BILDER i flera annonser")
    await page.get_by_test_id("new-list-submit").click()
    await expect(page.get_by_test_id("form-error").last).to_have_attribute("data-code", "duplicate_name")
    retired = page.locator("[data-testid=list-row][data-name='Uppgiven etnicitet']")
    await retired.get_by_test_id("list-toggle").click()
    await expect(retired).to_have_attribute("data-active", "false")

    # Categories: add one and rename it.
    await c.get_by_test_id("admin-categories").click()
    cats = c.get_by_test_id("list-page-space-categories")
    await cats.get_by_test_id("new-list-name").fill("Dejtingapp")
    await cats.get_by_test_id("new-list-submit").click()
    app_row = cats.locator("[data-testid=list-row][data-name='Dejtingapp']")
    await app_row.get_by_test_id("list-name").fill("Dejtingappar")
    await app_row.get_by_test_id("list-save").click()
    await expect(cats.locator("[data-testid=list-row][data-name='Dejtingappar']")).to_have_count(1)
    await shot(c, "admin-register-lists")

    # The outreach forms offer what is active: the new category and indicator, not the retired one.
    await c.get_by_test_id("nav-outreach").click()
    await c.get_by_test_id("space-new").click()
    form = c.get_by_test_id("space-form")
    await form.get_by_test_id("space-name").fill("Appen Z")
    await form.get_by_test_id("space-category").select_option(label="Dejtingappar")
    await form.get_by_test_id("space-address").fill("https://app.example/")
    await form.get_by_test_id("space-save").click()
    await c.get_by_test_id("space-row").filter(has_text="Appen Z").get_by_test_id("space-open").click()
    boxes = c.get_by_test_id("observation-form").get_by_test_id("obs-indicator")
    await expect(boxes).to_have_count(4)
    labels = await c.get_by_test_id("obs-indicators").inner_text()
    assert "Samma bilder i flera annonser" in labels and "Uppgiven etnicitet" not in labels

    # A counselor may use the register but not change its lists.
    counselor = await lykta.staff(available=False)
    assert (await counselor.get("/api/admin/indicators")).status_code == 403
