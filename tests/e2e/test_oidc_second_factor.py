"""After e-ID (OpenID Connect) without MFA, an account with two-step sign-in enters its code on the
sign-in page before the console opens; a wrong code is refused there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.async_api import expect

from tests.e2e.support import DESKTOP, ME_401, Browsers, checkpoint
from tests.helpers import Lykta
from tests.test_security_oidc import CLIENT_ID, CLIENT_SECRET, Provider
from tests.test_security_support import code, staff_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
def provider() -> Iterator[Provider]:
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture
def settings_overrides(port: int, provider: Provider) -> dict[str, Any]:
    return {
        "exit_url": f"http://127.0.0.1:{port}/healthz",
        "oidc_issuer": provider.issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
    }


async def test_after_e_id_an_account_with_totp_enters_its_code(
    lykta: Lykta, browsers: Browsers, provider: Provider
) -> None:
    username, secret, _codes = await staff_with_totp(lykta)
    provider.username, provider.tamper = username, {"sub": "e2e-subject", "amr": ["pwd"]}
    watched = await browsers.new(viewport=DESKTOP)
    watched.allow(ME_401, r"status of 401 .*/api/console/oidc/second-factor$")
    page = watched.page
    await page.goto("/console")
    await page.get_by_test_id("login-oidc").click()

    await expect(page.get_by_test_id("login-totp")).to_be_visible()  # back from the provider: the code is due
    await expect(page.get_by_test_id("login-username")).to_have_count(0)
    assert "signin_totp" not in page.url  # the fragment is cleared
    await page.get_by_test_id("login-totp").fill("000000" if code(secret, 1) != "000000" else "111111")
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("login-error")).to_have_text("Engångskoden stämmer inte.")
    await checkpoint(page, "console-oidc-second-factor")  # axe (WCAG A/AA) on the code step
    await page.get_by_test_id("login-totp").fill(code(secret, 1))
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("presence")).to_be_visible()
