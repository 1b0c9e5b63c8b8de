# ruff: noqa: F811  (the fake provider's fixtures come from tests/test_security_oidc.py)
"""OpenID Connect: an account is bound to the provider's `iss` + `sub` (at its first sign-in, or by an
admin), never matched on a name a user can change; an account with TOTP still enters its code unless the
provider says it did MFA (`amr`, or an `acr` listed as MFA); production needs a configured redirect URL."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.core.config import Settings
from tests.helpers import Lykta
from tests.test_security_oidc import CLIENT_ID, Provider, oidc_extra, provider, run_flow, settings_overrides  # noqa: F401
from tests.test_security_support import audit, code, staff_with_totp

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


async def test_an_account_is_bound_at_first_sign_in_and_a_renamed_impostor_gets_nothing(
    lykta: Lykta, provider: Provider
) -> None:
    (username,) = await lykta.create_staff()
    provider.username, provider.tamper = username, {"sub": "alice-at-the-provider"}
    _, location = await run_flow(lykta, provider)
    assert location == "/console"
    assert [e.action for e in await audit(lykta)].count("oidc_bound") == 1

    # Someone else at the provider renames themselves to the same username: not this account.
    provider.tamper = {"sub": "mallory-at-the-provider"}
    browser, location = await run_flow(lykta, provider)
    assert location == "/console#signin_error=oidc_no_account"
    assert "lykta_session" not in browser.cookies

    # The owner changes their username at the provider: still their account.
    provider.username, provider.tamper = "alice-renamed", {"sub": "alice-at-the-provider"}
    browser, location = await run_flow(lykta, provider)
    assert location == "/console"
    assert (await browser.get("/api/console/me")).json()["counselor"]["username"] == username


@pytest.mark.parametrize("oidc_extra", [{"oidc_bind_by_username": False}])
async def test_an_admin_links_and_unlinks_an_account(lykta: Lykta, provider: Provider) -> None:
    admin = await lykta.staff(role="admin", available=False)
    member = await lykta.staff(available=False)
    other = await lykta.staff(available=False)
    provider.username, provider.tamper = member.username, {"sub": "kim-at-the-provider"}
    assert (await run_flow(lykta, provider))[1] == "/console#signin_error=oidc_no_account"  # no binding by name

    headers = {"X-CSRF-Token": admin.csrf}
    linked = await admin.http.put(
        f"/api/admin/users/{member.id}/oidc", json={"subject": "kim-at-the-provider"}, headers=headers
    )
    assert linked.status_code == 200 and linked.json()["oidc_bound"] is True, linked.text
    taken = await admin.http.put(
        f"/api/admin/users/{other.id}/oidc", json={"subject": "kim-at-the-provider"}, headers=headers
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "oidc_subject_taken")
    refused = await member.http.put(
        f"/api/admin/users/{member.id}/oidc", json={"subject": "x"}, headers={"X-CSRF-Token": member.csrf}
    )
    assert refused.status_code == 403

    provider.username = "whatever-name"  # the name no longer matters
    browser, location = await run_flow(lykta, provider)
    assert location == "/console"
    assert (await browser.get("/api/console/me")).json()["counselor"]["id"] == member.id

    unlinked = await admin.http.delete(f"/api/admin/users/{member.id}/oidc", headers=headers)
    assert unlinked.status_code == 200 and unlinked.json()["oidc_bound"] is False
    assert (await run_flow(lykta, provider))[1] == "/console#signin_error=oidc_no_account"
    actions = [e.action for e in await audit(lykta)]
    assert actions.count("oidc_link") == 1 and actions.count("oidc_unlink") == 1


@pytest.mark.parametrize("oidc_extra", [{"oidc_mfa_acr_values": LOA3}])
async def test_an_account_with_totp_enters_its_code_unless_the_provider_did_mfa(
    lykta: Lykta, provider: Provider
) -> None:
    username, secret, _codes = await staff_with_totp(lykta)
    provider.username, provider.tamper = username, {"sub": "totp-user", "amr": ["pwd"]}

    browser, location = await run_flow(lykta, provider)
    assert location == "/console#signin_totp"  # one factor so far: no session yet
    assert (await browser.get("/api/console/me")).status_code == 401
    wrong = await browser.post("/api/console/oidc/second-factor", json={"totp": "000000"})
    assert (wrong.status_code, wrong.json()["code"]) == (401, "totp_invalid")
    right = await browser.post("/api/console/oidc/second-factor", json={"totp": code(secret, 1)})
    assert right.status_code == 200, right.text
    assert right.json()["counselor"]["username"] == username and right.json()["csrf_token"]
    assert (await browser.get("/api/console/me")).status_code == 200
    again = await browser.post("/api/console/oidc/second-factor", json={"totp": code(secret, 1)})
    assert (again.status_code, again.json()["code"]) == (401, "oidc_second_factor_expired")  # used up

    async with lykta.http() as stranger:  # without the cookie from the provider's round trip
        cold = await stranger.post("/api/console/oidc/second-factor", json={"totp": code(secret, 1)})
    assert (cold.status_code, cold.json()["code"]) == (401, "oidc_second_factor_expired")

    for claims in ({"amr": ["pwd", "otp"]}, {"amr": ["mfa"]}, {"acr": LOA3}):
        provider.tamper = {"sub": "totp-user", **claims}
        assert (await run_flow(lykta, provider))[1] == "/console", claims  # the provider did MFA


def test_production_refuses_to_start_without_a_redirect_url() -> None:
    base: dict[str, Any] = {
        "env": "production",
        "secret_key": "s" * 40,
        "oidc_issuer": "https://idp.example",
        "oidc_client_id": CLIENT_ID,
    }
    with pytest.raises(ValidationError, match="LYKTA_OIDC_REDIRECT_URL"):
        Settings(_env_file=None, **base)
    Settings(_env_file=None, **base, oidc_redirect_url="https://lykta.example/api/console/oidc/callback")
    Settings(_env_file=None, **{**base, "env": "development"})  # elsewhere the own origin serves


@pytest.mark.parametrize("oidc_extra", [{"oidc_redirect_url": "https://lykta.example/api/console/oidc/callback"}])
async def test_a_configured_redirect_url_ignores_the_host_header(lykta: Lykta, provider: Provider) -> None:
    async with lykta.http(headers={"Host": "evil.example"}) as http:
        start = await http.get("/api/console/oidc/start")
    assert start.status_code == 303
    assert "redirect_uri=https%3A%2F%2Flykta.example%2Fapi%2Fconsole%2Foidc%2Fcallback" in start.headers["location"]
