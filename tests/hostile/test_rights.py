"""Finding 2, the HTTP half: rights follow a change at once. A role change, a disable, a password reset or
a TOTP reset ends every session of the account in the database and, after commit, tells its console
sockets to close (`_signed_out` on the counselor's channel); take-over and whisper go by the role in the
database."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.helpers import Lykta
from tests.test_security_support import enrol, signed_in


async def signed_out_events(lykta: Lykta, counselor_id: int) -> list[dict[str, Any]]:
    """What the server publishes on this counselor's channel from now on (a listener on its hub)."""
    from app.realtime.hub import counselor_channel

    seen: list[dict[str, Any]] = []

    async def listen() -> None:
        lykta.server.runtime().hub.add_listener(counselor_channel(counselor_id), lambda _c, event: seen.append(event))

    await lykta.server.run_in_server(listen())
    return seen


async def test_a_demoted_supervisor_s_session_ends_and_take_over_and_whisper_are_refused(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    counselor = await lykta.staff()
    supervisor = await lykta.staff(role="supervisor", available=False)
    visitor = await lykta.visitor()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    events = await signed_out_events(lykta, supervisor.id)

    demoted = await admin.http.patch(
        f"/api/admin/users/{supervisor.id}", json={"role": "counselor"}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert demoted.status_code == 200, demoted.text

    # The old session is gone from the database: every request with its cookie is refused.
    assert (await supervisor.get("/api/console/me")).status_code == 401
    take_over = await supervisor.post(f"/api/console/conversations/{visitor.conversation_id}/take-over")
    assert (take_over.status_code, take_over.json()["code"]) == (401, "not_authenticated")
    for _ in range(50):
        if events:
            break
        await asyncio.sleep(0.05)
    assert {"type": "_signed_out"} in events  # published after commit: the console sockets close

    # Signed in again, the account has the role the database says.
    again = await signed_in(lykta, supervisor.username)
    take_over = await again.post(f"/api/console/conversations/{visitor.conversation_id}/take-over")
    assert (take_over.status_code, take_over.json()["code"]) == (403, "forbidden")
    whisper = await again.post(
        f"/api/console/conversations/{visitor.conversation_id}/notes", {"kind": "whisper", "body": "psst"}
    )
    assert whisper.status_code == 403, whisper.text
    assert (await again.get("/api/console/supervision")).status_code == 403


@pytest.mark.parametrize("change", ["disable", "password", "totp_reset", "promote"])
async def test_every_change_of_rights_ends_the_account_s_sessions(lykta: Lykta, change: str) -> None:
    admin = await lykta.staff(role="admin", available=False)
    member = await lykta.staff(available=False)
    if change == "totp_reset":
        await enrol(member)
    events = await signed_out_events(lykta, member.id)
    headers = {"X-CSRF-Token": admin.csrf}
    path = f"/api/admin/users/{member.id}"
    if change == "totp_reset":
        response = await admin.post(f"{path}/totp-reset")
    else:
        body = {"disable": {"is_active": False}, "password": {"password": "another long password"}}.get(
            change, {"role": "supervisor"}
        )
        response = await admin.http.patch(path, json=body, headers=headers)
    assert response.status_code == 200, response.text
    assert (await member.get("/api/console/me")).status_code == 401
    for _ in range(50):
        if events:
            break
        await asyncio.sleep(0.05)
    assert events == [{"type": "_signed_out"}]


async def test_a_change_of_alias_or_capacity_keeps_the_sessions(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    member = await lykta.staff(available=False)
    response = await admin.http.patch(
        f"/api/admin/users/{member.id}", json={"alias": "Kim", "capacity": 4}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 200, response.text
    assert (await member.get("/api/console/me")).status_code == 200
