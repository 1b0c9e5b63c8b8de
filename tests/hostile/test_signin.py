"""Findings 4 and 6: whoever knows a username cannot keep its owner out, and a shift behind one office
address signs in. Failures count per source and username (a growing wait for that source) and per
username (a bounded slowing, never a refusal); successes never count; an admin can unlock."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from tests.helpers import PASSWORD, Lykta, StaffClient
from tests.hostile.sources import address, client_from
from tests.test_security_support import LOGIN, audit, code, enrol, staff_with_totp

WRONG = "not the password"
LIMITS_ON = {"login_attempts_per_minute": 10, "login_delay_max_s": 1.5}  # the per-source default, on in tests


async def attempt(lykta: Lykta, source: str, username: str, password: str, **extra: Any) -> httpx.Response:
    async with client_from(lykta.server, source) as http:
        return await http.post(LOGIN, json={"username": username, "password": password, **extra})


@pytest.mark.parametrize("settings_overrides", [LIMITS_ON])
async def test_the_owner_signs_in_after_an_attacker_s_failures_from_one_and_from_twenty_sources(
    lykta: Lykta,
) -> None:
    username, secret, _codes = await staff_with_totp(lykta)

    # One source guesses on: after five failures it waits, however right its later guesses are.
    answers = [(await attempt(lykta, "127.0.0.2", username, WRONG)).status_code for _ in range(8)]
    assert answers == [401] * 5 + [429] * 3
    right_from_there = await attempt(lykta, "127.0.0.2", username, PASSWORD, totp=code(secret, 1))
    assert (right_from_there.status_code, right_from_there.json()["code"]) == (429, "account_locked")

    # Twenty more sources guess three times each: the name is slowed for everyone, nobody is refused.
    async def guesses(n: int) -> list[int]:
        return [(await attempt(lykta, address(1, n), username, WRONG)).status_code for _ in range(3)]

    spread = await asyncio.gather(*(guesses(n) for n in range(20)))
    assert all(statuses == [401, 401, 401] for statuses in spread), spread

    started = time.monotonic()
    owner = await attempt(lykta, "127.0.0.3", username, PASSWORD, totp=code(secret, 1))
    assert owner.status_code == 200, owner.text
    assert time.monotonic() - started < LIMITS_ON["login_delay_max_s"] + 2  # at most the bounded slowing

    # The success forgot the name's count: the owner's next attempt is not slowed.
    started = time.monotonic()
    again = await attempt(lykta, "127.0.0.3", username, PASSWORD)
    assert (again.status_code, again.json()["code"]) == (401, "totp_required")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("settings_overrides", [LIMITS_ON])
async def test_an_admin_unlocks_an_account_and_the_unlock_is_audited(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    admin = await lykta.staff(role="admin", available=False)
    counselor = await lykta.staff(available=False)
    for _ in range(5):
        assert (await attempt(lykta, "127.0.0.4", username, WRONG)).status_code == 401
    locked = await attempt(lykta, "127.0.0.4", username, PASSWORD)
    assert (locked.status_code, locked.json()["code"]) == (429, "account_locked")

    user_id = next(u["id"] for u in (await admin.get("/api/admin/users")).json()["items"] if u["username"] == username)
    refused = await counselor.post(f"/api/admin/users/{user_id}/unlock")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    missing = await admin.post("/api/admin/users/999999/unlock")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    unlocked = await admin.post(f"/api/admin/users/{user_id}/unlock")
    assert unlocked.status_code == 200, unlocked.text
    assert unlocked.json()["username"] == username

    assert (await attempt(lykta, "127.0.0.4", username, PASSWORD)).status_code == 200
    entries = [e for e in await audit(lykta) if e.action == "user_unlock"]
    assert [(e.actor_id, e.target) for e in entries] == [(admin.id, str(user_id))]


@pytest.mark.parametrize("settings_overrides", [LIMITS_ON])
async def test_thirty_counselors_behind_one_address_sign_in_within_a_minute_totp_included(lykta: Lykta) -> None:
    names = await lykta.create_staff(count=30)
    secrets: dict[str, str] = {}
    for n, name in enumerate(names):  # enrolled beforehand, each from a desk of its own
        async with client_from(lykta.server, address(2, n)) as http:
            client = StaffClient(lykta.server, http, name)
            signed = await http.post(LOGIN, json={"username": name, "password": PASSWORD})
            assert signed.status_code == 200, signed.text
            client.csrf = signed.json()["csrf_token"]
            secrets[name], _ = await enrol(client)

    office = "127.0.0.5"
    started = time.monotonic()
    for n, name in enumerate(names):
        if n % 10 == 0:  # three of them mistype their password first
            typo = await attempt(lykta, office, name, WRONG)
            assert typo.status_code == 401
        first = await attempt(lykta, office, name, PASSWORD)  # the password, then the code: two requests
        assert (first.status_code, first.json()["code"]) == (401, "totp_required"), first.text
        second = await attempt(lykta, office, name, PASSWORD, totp=code(secrets[name], 1))
        assert second.status_code == 200, (n, second.text)
    assert time.monotonic() - started < 60
