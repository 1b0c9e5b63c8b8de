"""Sign-in under attack: a growing wait for the source that keeps failing at one name, the same answer and
timing for a wrong user and a wrong password, a per-source limit on failures, and an audit trail that
never names an unknown user. (tests/hostile/test_signin.py: the owner still gets in, shifts sign in.)"""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest
from argon2 import PasswordHasher

from app.core import security
from tests.helpers import PASSWORD, Lykta
from tests.test_security_support import LOGIN, account, audit, change_account, sign_in

WRONG = "not the password"


def retry_after(response: object) -> int:
    return int(response.headers["retry-after"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("settings_overrides", [{"lockout_base_s": 1}])
async def test_five_failures_make_that_source_wait_for_that_name_and_each_wait_after_that_doubles(
    lykta: Lykta,
) -> None:
    (username,) = await lykta.create_staff()
    for _ in range(4):
        assert (await sign_in(lykta, username, WRONG)).status_code == 401
    fifth = await sign_in(lykta, username, WRONG)
    assert fifth.status_code == 401  # this one starts the wait; it shows from the next attempt on

    locked = await sign_in(lykta, username, WRONG)
    locked_right = await sign_in(lykta, username, PASSWORD)  # the right password changes nothing meanwhile
    for response in (locked, locked_right):
        assert (response.status_code, response.json()["code"]) == (429, "account_locked")
        assert retry_after(response) == 1
        assert "set-cookie" not in response.headers
    assert set(locked.json()) == set(locked_right.json()) == {"detail", "code", "retry_after"}

    await asyncio.sleep(1.05)  # attempts while waiting did not count: the sixth failure waits two seconds
    assert (await sign_in(lykta, username, WRONG)).status_code == 401
    assert retry_after(await sign_in(lykta, username, PASSWORD)) == 2
    await asyncio.sleep(2.05)  # the seventh: four
    assert (await sign_in(lykta, username, WRONG)).status_code == 401
    assert retry_after(await sign_in(lykta, username, PASSWORD)) == 4
    await asyncio.sleep(4.05)
    assert (await sign_in(lykta, username, PASSWORD)).status_code == 200
    assert (await sign_in(lykta, username, WRONG)).status_code == 401  # the success forgot the count
    assert (await sign_in(lykta, username, PASSWORD)).status_code == 200


@pytest.mark.parametrize("settings_overrides", [{"lockout_after": 2, "lockout_base_s": 1, "lockout_max_s": 1}])
async def test_the_wait_stops_growing_at_the_cap(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    for _ in range(2):
        assert (await sign_in(lykta, username, WRONG)).status_code == 401
    assert retry_after(await sign_in(lykta, username, WRONG)) == 1
    await asyncio.sleep(1.05)
    assert (await sign_in(lykta, username, WRONG)).status_code == 401  # the third failure: still the cap
    assert retry_after(await sign_in(lykta, username, WRONG)) == 1


async def test_an_unknown_name_locks_like_an_account_so_a_lock_reveals_nothing(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    for _ in range(5):
        wrong = await sign_in(lykta, username, WRONG)
        nobody = await sign_in(lykta, "nobody-here", WRONG)
        assert wrong.status_code == nobody.status_code == 401
        assert wrong.json() == nobody.json() == {"detail": "wrong username or password", "code": "invalid_credentials"}
    real, phantom = await sign_in(lykta, username, WRONG), await sign_in(lykta, "nobody-here", WRONG)
    assert real.status_code == phantom.status_code == 429
    assert real.json()["code"] == phantom.json()["code"] == "account_locked"
    assert abs(retry_after(real) - retry_after(phantom)) <= 1


async def test_disabled_accounts_answer_like_wrong_passwords(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    await change_account(lykta, username, is_active=False)
    disabled = await sign_in(lykta, username, PASSWORD)
    nobody = await sign_in(lykta, "nobody-at-all", PASSWORD)
    assert disabled.status_code == nobody.status_code == 401
    assert disabled.json() == nobody.json()


@pytest.mark.parametrize("settings_overrides", [{"lockout_after": 1000}])
async def test_a_wrong_user_and_a_wrong_password_take_about_as_long(
    lykta: Lykta, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a production-like hashing cost for this test, so that skipping the hash would show
    hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", hasher)
    monkeypatch.setattr(security, "_DUMMY_HASH", hasher.hash("dummy password"))
    (username,) = await lykta.create_staff()
    timings: dict[str, list[float]] = {"user": [], "password": []}
    async with lykta.http() as http:
        await http.post(LOGIN, json={"username": username, "password": WRONG})  # warm up
        for _ in range(12):
            for kind, name in (("user", "no-such-user"), ("password", username)):
                started = time.perf_counter()
                response = await http.post(LOGIN, json={"username": name, "password": WRONG})
                timings[kind].append(time.perf_counter() - started)
                assert response.status_code == 401
    user, password = statistics.median(timings["user"]), statistics.median(timings["password"])
    assert max(user, password) < 2.5 * min(user, password), timings


@pytest.mark.parametrize("settings_overrides", [{"login_attempts_per_minute": 3}])
async def test_sign_in_attempts_are_limited_per_source(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    for _ in range(3):
        assert (await sign_in(lykta, "someone", WRONG)).status_code == 401
    limited = await sign_in(lykta, username, PASSWORD)  # even the right password waits
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert 1 <= retry_after(limited) <= 20


@pytest.mark.parametrize("settings_overrides", [{"login_attempts_per_minute": 3}])
async def test_successful_sign_ins_from_one_source_do_not_count_against_it(lykta: Lykta) -> None:
    names = await lykta.create_staff(count=8)
    for name in names:
        assert (await sign_in(lykta, name, PASSWORD)).status_code == 200
    assert (await sign_in(lykta, "someone", WRONG)).status_code == 401  # failures still count


async def test_sign_ins_and_failures_are_audited_without_naming_unknown_users(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    user_id = (await account(lykta, username)).id
    await sign_in(lykta, username, WRONG)
    await sign_in(lykta, "ghost-user-name", WRONG)
    assert (await sign_in(lykta, username, PASSWORD)).status_code == 200
    rows = [r for r in await audit(lykta) if r.action.startswith("login")]
    assert [(r.action, r.actor_id, r.success) for r in rows] == [
        ("login_failed", user_id, False),
        ("login_failed", None, False),
        ("login", user_id, True),
    ]
    for row in rows:
        assert "ghost" not in f"{row.target} {row.detail}" and PASSWORD not in row.detail and WRONG not in row.detail
