"""Two-factor sign-in: enrolment with a QR code, codes within one step, no replay, recovery codes once,
mandatory enrolment, admin reset."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from app.auth.totp import recovery_hash, totp_mandatory
from app.models import RecoveryCode
from tests.conftest import make_settings
from tests.helpers import Lykta, StaffClient
from tests.test_security_support import (
    account,
    code,
    database,
    enrol,
    sign_in,
    signed_in,
    staff_with_totp,
    step_now,
)

RELAXED_LOCK = {"lockout_after": 50}  # these tests make wrong attempts on purpose


async def test_enrolment_gives_a_secret_a_uri_and_an_svg_qr_code_then_ten_recovery_codes(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    started = await staff.post("/api/console/totp/enrol")
    assert started.status_code == 200, started.text
    body = started.json()
    assert set(body) == {"secret", "otpauth_uri", "qr_svg"}
    assert body["otpauth_uri"].startswith("otpauth://totp/") and body["secret"] in body["otpauth_uri"]
    assert body["qr_svg"].startswith("<svg") and "<script" not in body["qr_svg"] and "style=" not in body["qr_svg"]
    assert (await account(lykta, staff.username)).totp_enabled is False  # pending until confirmed

    valid = {code(body["secret"], steps) for steps in (-1, 0, 1)}
    wrong_code = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    wrong = await staff.post("/api/console/totp/confirm", {"code": wrong_code})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "totp_invalid")
    confirmed = await staff.post("/api/console/totp/confirm", {"code": code(body["secret"])})
    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert confirmed.json()["counselor"]["totp_enabled"] is True

    async with database(lykta) as session:
        stored = (await session.exec(select(RecoveryCode).where(col(RecoveryCode.counselor_id) == staff.id))).all()
    assert sorted(r.code_hash for r in stored) == sorted(recovery_hash(c) for c in codes)
    assert not any(c in r.code_hash for c in codes for r in stored)  # only hashes are kept

    again = await staff.post("/api/console/totp/enrol")
    assert (again.status_code, again.json()["code"]) == (409, "totp_already_enabled")


async def test_password_alone_is_not_enough_once_totp_is_on(lykta: Lykta) -> None:
    username, secret, _codes = await staff_with_totp(lykta)
    missing = await sign_in(lykta, username)
    assert (missing.status_code, missing.json()["code"]) == (401, "totp_required")
    assert "set-cookie" not in missing.headers
    staff = await signed_in(lykta, username, totp=code(secret, 1))  # the enrolment used this step's code
    assert (await staff.get("/api/console/me")).json()["counselor"]["totp_enabled"] is True
    wrong_password = await sign_in(lykta, username, "wrong password", totp=code(secret, 1))
    assert (wrong_password.status_code, wrong_password.json()["code"]) == (401, "invalid_credentials")


@pytest.mark.parametrize("settings_overrides", [RELAXED_LOCK])
async def test_a_used_code_cannot_be_replayed_and_older_steps_stop_working(lykta: Lykta) -> None:
    username, secret, _codes = await staff_with_totp(lykta)
    first = await sign_in(lykta, username, totp=code(secret, 1))
    assert first.status_code == 200, first.text
    replay = await sign_in(lykta, username, totp=code(secret, 1))
    assert (replay.status_code, replay.json()["code"]) == (401, "totp_invalid")
    older = await sign_in(lykta, username, totp=code(secret, 0))  # valid in time, but before the used step
    assert (older.status_code, older.json()["code"]) == (401, "totp_invalid")
    assert "set-cookie" not in replay.headers and "set-cookie" not in older.headers


@pytest.mark.parametrize("settings_overrides", [RELAXED_LOCK])
async def test_codes_are_accepted_one_step_either_side_and_no_further(lykta: Lykta) -> None:
    username, secret, _codes = await staff_with_totp(lykta)
    for _ in range(5):  # a step boundary may pass during a try: then try again
        before = step_now(secret)
        too_far = await sign_in(lykta, username, totp=code(secret, 2))
        if step_now(secret) == before:
            assert (too_far.status_code, too_far.json()["code"]) == (401, "totp_invalid")
            break
    else:
        pytest.fail("no try stayed within one time step")
    assert (await sign_in(lykta, username, totp=code(secret, 1))).status_code == 200


@pytest.mark.parametrize("settings_overrides", [RELAXED_LOCK])
async def test_a_recovery_code_works_once(lykta: Lykta) -> None:
    username, _secret, codes = await staff_with_totp(lykta)
    used = await sign_in(lykta, username, recovery_code=codes[0].lower().replace("-", " "))
    assert used.status_code == 200, used.text
    assert used.json()["recovery_codes_left"] == 9
    again = await sign_in(lykta, username, recovery_code=codes[0])
    assert (again.status_code, again.json()["code"]) == (401, "totp_invalid")
    made_up = await sign_in(lykta, username, recovery_code="ABCD-EFGH-JKMN-PQRS")
    assert made_up.status_code == 401
    assert (await sign_in(lykta, username, recovery_code=codes[1])).status_code == 200


@pytest.mark.parametrize("settings_overrides", [{"totp_required": True}])
async def test_mandatory_totp_gives_a_session_that_can_only_enrol(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    staff = await signed_in(lykta, username)
    assert staff.counselor["totp_enabled"] is False
    me = await staff.get("/api/console/me")
    assert me.status_code == 200 and me.json()["totp_enrolment_required"] is True
    options = await staff.get("/api/console/sign-in-options")
    assert options.json()["totp_required"] is True

    refused: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", "/api/console/queue", None),
        ("GET", "/api/console/conversations", None),
        ("PUT", "/api/console/presence", {"status": "available"}),
        ("POST", "/api/console/password", {"current": "x", "new": "y" * 12}),
        ("GET", "/api/admin/users", None),
    ]
    for method, path, body in refused:
        response = await staff.http.request(method, path, json=body, headers={"X-CSRF-Token": staff.csrf})
        assert (response.status_code, response.json()["code"]) == (403, "totp_enrolment_required"), path
    cookie = f"lykta_session={staff.http.cookies['lykta_session']}"
    with pytest.raises(InvalidStatus) as socket_refused:
        await connect(
            f"{lykta.server.ws_url}/ws/console",
            origin=Origin(lykta.server.base_url),
            additional_headers={"Cookie": cookie},
        )
    assert socket_refused.value.response.status_code == 403

    secret, _codes = await enrol(staff)  # the same session becomes a full one
    assert (await staff.get("/api/console/queue")).status_code == 200
    assert (await staff.get("/api/console/me")).json()["totp_enrolment_required"] is False
    await staff.presence("available")
    console = await staff.socket()
    assert console.ws.close_code is None
    next_time = await sign_in(lykta, username, totp=code(secret, 1))
    assert next_time.status_code == 200 and next_time.json()["totp_enrolment_required"] is False


async def test_without_the_mandatory_setting_totp_is_optional(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    assert (await staff.get("/api/console/me")).json()["totp_enrolment_required"] is False
    options = (await staff.get("/api/console/sign-in-options")).json()
    assert options == {"password": True, "oidc": False, "totp_required": False}


@pytest.mark.parametrize(
    ("env", "values", "mandatory"),
    [
        ("production", {}, True),
        ("development", {}, False),
        ("test", {}, False),
        ("production", {"password_login": False}, False),
        ("production", {"totp_required": False}, False),
        ("test", {"totp_required": True}, True),
    ],
)
def test_when_totp_is_mandatory(env: str, values: dict[str, Any], mandatory: bool) -> None:
    assert totp_mandatory(make_settings("sqlite://", env=env, **values)) is mandatory


async def test_admin_resets_totp_and_the_user_is_signed_out_everywhere(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    username, secret, _codes = await staff_with_totp(lykta)
    user = await signed_in(lykta, username, totp=code(secret, 1))
    other = await lykta.staff(available=False)

    refused = await other.post(f"/api/admin/users/{user.id}/totp-reset")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    missing = await admin.post("/api/admin/users/999999/totp-reset")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")

    reset = await admin.post(f"/api/admin/users/{user.id}/totp-reset")
    assert reset.status_code == 200, reset.text
    assert reset.json()["totp_enabled"] is False
    assert (await user.get("/api/console/me")).status_code == 401  # signed out
    stored = await account(lykta, username)
    assert stored.totp_secret is None and stored.totp_enabled is False
    async with database(lykta) as session:
        left = (await session.exec(select(RecoveryCode).where(col(RecoveryCode.counselor_id) == user.id))).all()
    assert left == []
    again = await sign_in(lykta, username)  # password alone again (TOTP is optional in this test)
    assert again.status_code == 200


async def test_enrolment_needs_csrf_and_a_session(lykta: Lykta) -> None:
    staff: StaffClient = await lykta.staff(available=False)
    no_csrf = await staff.http.post("/api/console/totp/enrol")
    assert (no_csrf.status_code, no_csrf.json()["code"]) == (403, "csrf_failed")
    async with lykta.http() as anonymous:
        nobody = await anonymous.post("/api/console/totp/enrol", headers={"X-CSRF-Token": staff.csrf})
    assert nobody.status_code == 401
    not_started = await staff.post("/api/console/totp/confirm", {"code": "123456"})
    assert (not_started.status_code, not_started.json()["code"]) == (409, "totp_not_enrolling")
