"""Sessions: cookie flags (Secure outside development and over TLS), idle and absolute expiry, and a
password change that ends every session of the account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from app.models import AuthSession, utcnow
from tests.helpers import PASSWORD, Lykta
from tests.test_security_support import LOGIN, account, audit, database, sign_in

NEW_PASSWORD = "a brand new passphrase"


def cookie_attributes(set_cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}


async def test_the_session_cookie_is_httponly_strict_and_not_secure_on_plain_http_in_tests(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    response = await sign_in(lykta, username)
    attributes = cookie_attributes(response.headers["set-cookie"])
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=strict" in response.headers["set-cookie"].lower()
    assert "secure" not in attributes


@pytest.mark.parametrize("settings_overrides", [{"env": "production", "totp_required": False}])
async def test_the_session_cookie_is_secure_in_production(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    response = await sign_in(lykta, username)
    assert response.status_code == 200, response.text
    assert "secure" in cookie_attributes(response.headers["set-cookie"])


@pytest.mark.parametrize("settings_overrides", [{"trusted_proxies": ["127.0.0.1"]}])
async def test_the_session_cookie_is_secure_behind_a_trusted_tls_proxy(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    origin = lykta.server.base_url.replace("http://", "https://")  # what the browser sees through the proxy
    async with lykta.http(headers={"X-Forwarded-Proto": "https", "Origin": origin}) as http:
        response = await http.post(LOGIN, json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert "secure" in cookie_attributes(response.headers["set-cookie"])


async def test_an_untrusted_forwarded_proto_changes_nothing(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    async with lykta.http(headers={"X-Forwarded-Proto": "https"}) as http:
        response = await http.post(LOGIN, json={"username": username, "password": PASSWORD})
    assert "secure" not in cookie_attributes(response.headers["set-cookie"])


async def test_a_session_ends_at_its_absolute_expiry_even_when_in_use(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    assert (await staff.get("/api/console/me")).status_code == 200
    async with database(lykta) as session:
        await session.exec(
            update(AuthSession)
            .where(AuthSession.counselor_id == staff.id)  # type: ignore[arg-type]
            .values(expires_at=utcnow() - timedelta(seconds=1), last_seen_at=utcnow())
        )
    response = await staff.get("/api/console/me")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


async def test_new_sessions_expire_after_the_configured_absolute_time(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    async with database(lykta) as session:
        (row,) = (await session.exec(select(AuthSession).where(AuthSession.counselor_id == staff.id))).all()
    hours = lykta.server.settings.session_absolute_hours
    assert abs((row.expires_at - row.created_at) - timedelta(hours=hours)) < timedelta(seconds=5)


@pytest.mark.parametrize("settings_overrides", [{"heartbeat_s": 0.2}])
async def test_changing_the_password_signs_out_every_other_session(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    here, elsewhere = await lykta.login(username), await lykta.login(username)
    console = await elsewhere.socket()
    old_csrf = here.csrf

    changed = await here.post("/api/console/password", {"current": PASSWORD, "new": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert changed.json()["csrf_token"] != old_csrf
    here.csrf = changed.json()["csrf_token"]
    assert (await here.get("/api/console/me")).status_code == 200  # this browser got a new session
    assert (await elsewhere.get("/api/console/me")).status_code == 401
    assert (await console.expect("error"))["code"] == "not_authenticated"
    await console.ws.wait_closed()
    assert console.ws.close_code == 1008

    assert (await sign_in(lykta, username, PASSWORD)).status_code == 401
    assert (await sign_in(lykta, username, NEW_PASSWORD)).status_code == 200
    stored = await account(lykta, username)
    assert utcnow() - stored.password_changed_at < timedelta(minutes=1)
    assert any(r.action == "password_changed" and r.actor_id == stored.id for r in await audit(lykta))


async def test_a_password_change_needs_the_current_password_csrf_and_a_real_new_one(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    no_csrf = await staff.http.post("/api/console/password", json={"current": PASSWORD, "new": NEW_PASSWORD})
    assert (no_csrf.status_code, no_csrf.json()["code"]) == (403, "csrf_failed")
    weak = await staff.post("/api/console/password", {"current": PASSWORD, "new": "short"})
    assert (weak.status_code, weak.json()["code"]) == (422, "weak_password")
    for _ in range(5):
        wrong = await staff.post("/api/console/password", {"current": "guess", "new": NEW_PASSWORD})
        assert (wrong.status_code, wrong.json()["code"]) == (403, "wrong_password")
    wrong = await staff.post("/api/console/password", {"current": "guess", "new": NEW_PASSWORD})
    assert wrong.status_code == 429 and int(wrong.headers["retry-after"]) > 0  # guesses wait like sign-ins
    locked = await staff.post("/api/console/password", {"current": PASSWORD, "new": NEW_PASSWORD})
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")
    signing_in = await sign_in(lykta, staff.username, PASSWORD)  # this source waits for this name everywhere
    assert (signing_in.status_code, signing_in.json()["code"]) == (429, "account_locked")
    assert (await staff.get("/api/console/me")).status_code == 200  # still signed in, password unchanged
