"""Staff sign-in in the browser with mandatory TOTP: enrol through the page (QR, key, code, recovery
codes shown once), then sign in with a code; a recovery code works once; a wrong code is refused."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from playwright.async_api import Page, expect

from tests.e2e.support import DESKTOP, ME_401, Browsers, shot
from tests.helpers import PASSWORD, Lykta

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def settings_overrides(port: int) -> dict[str, Any]:
    return {"exit_url": f"http://127.0.0.1:{port}/healthz", "totp_required": True}


async def password_step(page: Page, username: str) -> None:
    await page.goto("/console")
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(PASSWORD)
    await page.get_by_test_id("login-submit").click()


async def test_enrol_totp_then_sign_in_with_code(lykta: Lykta, browsers: Browsers) -> None:
    (username,) = await lykta.create_staff(alias="Tove")
    watched = await browsers.new(viewport=DESKTOP)
    watched.allow(ME_401, r"status of 401 .*/api/console/login$", r"status of 422 .*/api/console/totp/confirm$")
    page = watched.page
    await page.goto("/console")
    await expect(page.get_by_test_id("login-oidc")).to_have_count(0)  # OpenID Connect is not set up
    await password_step(page, username)

    # Enrolment is the only way on: QR as an image, the key as text, a code to confirm.
    await expect(page.get_by_test_id("enrol-page")).to_be_visible()
    qr = page.get_by_test_id("totp-qr")
    await expect(qr).to_be_visible()
    assert (await qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert await qr.evaluate("img => img.naturalWidth > 0")
    secret = (await page.get_by_test_id("totp-secret").inner_text()).replace(" ", "")
    assert secret == await page.get_by_test_id("totp-secret").get_attribute("data-secret")
    await shot(page, "console-totp-enrol")
    await page.get_by_test_id("enrol-code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    await page.get_by_test_id("enrol-confirm").click()
    await expect(page.get_by_test_id("enrol-code-error")).to_be_visible()
    await page.get_by_test_id("enrol-code").fill(pyotp.TOTP(secret).now())
    await page.get_by_test_id("enrol-confirm").click()

    codes = page.get_by_test_id("recovery-code")
    await expect(codes).to_have_count(10)
    recovery = await codes.all_inner_texts()
    await expect(page.get_by_test_id("enrol-done")).to_be_disabled()
    await shot(page, "console-recovery-codes")
    await page.get_by_test_id("codes-saved").check()
    await page.get_by_test_id("enrol-done").click()
    await expect(page.get_by_test_id("presence")).to_be_visible()
    await page.get_by_test_id("logout").click()

    # Signing in again asks for a code. The enrolment code's time step is used up (no replay), so the
    # next step's code, which the server accepts as well (one step of clock drift either side).
    await password_step(page, username)
    await expect(page.get_by_test_id("login-totp")).to_be_visible()
    await page.get_by_test_id("login-totp").fill("000000")
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("login-error")).to_have_text("Engångskoden stämmer inte.")
    await page.get_by_test_id("login-totp").fill(pyotp.TOTP(secret).at(time.time() + 30))
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("presence")).to_be_visible()
    await page.get_by_test_id("logout").click()

    # A recovery code instead of the app.
    await password_step(page, username)
    await page.get_by_test_id("login-use-recovery").click()
    await page.get_by_test_id("login-totp").fill(recovery[0])
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("presence")).to_be_visible()


async def test_lockout_shows_retry_after(lykta: Lykta, browsers: Browsers) -> None:
    (username,) = await lykta.create_staff()
    watched = await browsers.new(viewport=DESKTOP)
    watched.allow(ME_401, r"status of (401|429) .*/api/console/login$")
    page = watched.page
    await page.goto("/console")
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill("wrong password")
    for _ in range(6):
        await page.get_by_test_id("login-submit").click()
        await expect(page.get_by_test_id("login-submit")).to_be_enabled()
    await expect(page.get_by_test_id("login-error")).to_contain_text("Försök igen om")
