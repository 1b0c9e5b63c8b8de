"""The audit log records who did what to which conversation or setting, never text or passwords; admins
read it. The transcript export is for supervisors and audited. No log line carries text or the source."""

from __future__ import annotations

from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.typing import Origin

from tests.helpers import PASSWORD, Frames, Lykta, StaffClient, eventually
from tests.test_followup import follow_up
from tests.test_privacy_logs import AGENT, REFERRER, SOURCE, Collect, collected  # noqa: F401 (fixture)
from tests.test_retention import NOTE, SENTENCE, chat_with_text

NEW_PASSWORD = "Tangerine-Lighthouse-42"


async def audit(admin: StaffClient, **params: Any) -> list[dict[str, Any]]:
    response = await admin.get("/api/console/audit", **params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


SIGN_IN = ("login", "logout", "password", "totp")  # recorded by app/auth, tested there


def actions(items: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    return [(item["action"], item["actor_id"]) for item in items if not item["action"].startswith(SIGN_IN)]


def mine(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if not item["action"].startswith(SIGN_IN)]


async def conversation_path(staff: StaffClient, cid: str, action: str, body: Any = None) -> dict[str, Any]:
    response = await staff.post(f"/api/console/conversations/{cid}/{action}", body)
    assert response.status_code == 200, (action, response.text)
    data: dict[str, Any] = response.json()
    return data


async def test_every_action_on_a_conversation_is_audited_with_its_actor_and_no_text(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    supervisor = await lykta.staff(role="supervisor")
    colleague = await lykta.staff()
    counselor, visitor, _chat = await chat_with_text(lykta)
    cid = visitor.conversation_id
    await conversation_path(counselor, cid, "release")
    await conversation_path(counselor, cid, "claim")
    await conversation_path(counselor, cid, "transfer", {"to": colleague.id, "note": SENTENCE})
    await conversation_path(colleague, cid, "accept")
    await conversation_path(supervisor, cid, "take-over")
    console = await supervisor.socket()
    await console.send({"type": "monitor", "conversation_id": cid, "on": True})
    await console.expect("conversation", monitoring=True)
    await conversation_path(supervisor, cid, "close")
    export = await supervisor.post(f"/api/console/conversations/{cid}/export")
    assert export.status_code == 200
    flagged = await lykta.visitor()
    await conversation_path(supervisor, flagged.conversation_id, "urgent", {"urgent": True})  # supervisors flag
    await conversation_path(counselor, flagged.conversation_id, "claim")
    await conversation_path(counselor, flagged.conversation_id, "block", {"hours": 2})
    await conversation_path(supervisor, cid, "purge")

    items = await audit(admin, conversation=cid)
    assert actions(items) == [  # newest first
        ("purge", supervisor.id),
        ("export", supervisor.id),
        ("close", supervisor.id),
        ("monitor", supervisor.id),
        ("take_over", supervisor.id),
        ("accept", colleague.id),
        ("transfer", counselor.id),
        ("claim", counselor.id),
        ("release", counselor.id),
        ("claim", counselor.id),
    ]
    by_action = {item["action"]: item for item in items}
    assert by_action["transfer"]["target"] == str(colleague.id)
    assert by_action["take_over"]["target"] == str(colleague.id)
    assert by_action["export"]["actor"] == supervisor.counselor["display_name"]
    flagged_items = await audit(admin, conversation=flagged.conversation_id)
    assert actions(flagged_items) == [("block", counselor.id), ("claim", counselor.id), ("urgent", supervisor.id)]
    assert flagged_items[0]["detail"] == "2 h" and flagged_items[2]["detail"] == "on"
    everything = str(await audit(admin, limit=1000))
    assert SENTENCE not in everything and NOTE not in everything and "Västerbron" not in everything


async def test_admin_changes_and_follow_ups_are_audited_and_passwords_never(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin")  # on duty, so follow-ups are heard
    assert (await follow_up(lykta, "WRONGCODE234")).status_code == 404
    created = await admin.post(
        "/api/admin/users", {"username": "greta", "password": "first password!", "role": "counselor", "alias": "G"}
    )
    assert created.status_code == 201
    user_id = created.json()["id"]
    patched = await admin.http.patch(
        f"/api/admin/users/{user_id}",
        json={"role": "supervisor", "alias": "Gr", "password": NEW_PASSWORD},
        headers={"X-CSRF-Token": admin.csrf},
    )
    assert patched.status_code == 200
    assert (await admin.put("/api/admin/settings", {"accept_timeout_s": 30})).status_code == 200
    week = {"weekly": [{"weekday": 0, "opens": "18:00", "closes": "23:00"}]}
    assert (await admin.put("/api/admin/schedule", week)).status_code == 200
    exception = {"day": "2030-12-24", "closed": True}
    assert (await admin.post("/api/admin/schedule/exceptions", exception)).status_code == 200
    deleted = await admin.http.delete("/api/admin/schedule/exceptions/2030-12-24", headers={"X-CSRF-Token": admin.csrf})
    assert deleted.status_code == 200

    items = mine(await audit(admin))
    assert actions(items) == [
        ("schedule_change", admin.id),
        ("schedule_change", admin.id),
        ("schedule_change", admin.id),
        ("settings_change", admin.id),
        ("user_change", admin.id),
        ("user_create", admin.id),
        ("follow_up", None),
    ]
    assert [item["detail"] for item in items] == [
        "exception 2030-12-24: removed",
        "exception 2030-12-24: closed",
        "weekly hours: 1 rows",
        "accept_timeout_s=30",
        "role=supervisor, alias, password",
        "role=counselor, capacity=3",
        "unknown or expired code",
    ]
    assert items[4]["target"] == items[5]["target"] == str(user_id)
    assert items[6]["success"] is False and items[6]["conversation_id"] is None and items[6]["target"] is None
    everything = str(await audit(admin, limit=1000))
    assert NEW_PASSWORD not in everything and "first password" not in everything


async def test_only_admins_read_the_audit_log_and_it_filters(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin")
    supervisor = await lykta.staff(role="supervisor")
    for staff in (supervisor, await lykta.staff()):
        refused = await staff.get("/api/console/audit")
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    first, second = await lykta.visitor(), await lykta.visitor()
    await conversation_path(supervisor, first.conversation_id, "claim")
    await conversation_path(admin, second.conversation_id, "claim")
    await conversation_path(supervisor, first.conversation_id, "close")

    assert actions(await audit(admin, actor=supervisor.id)) == [("close", supervisor.id), ("claim", supervisor.id)]
    assert actions(await audit(admin, action="claim")) == [("claim", admin.id), ("claim", supervisor.id)]
    assert len(await audit(admin, action="claim", limit=1)) == 1
    everything = await audit(admin)
    newest = everything[0]["at"]
    assert actions(await audit(admin, **{"from": newest})) == [("close", supervisor.id)]
    assert await audit(admin, to="2000-01-01") == []
    today = newest[:10]
    assert len(await audit(admin, **{"from": today, "to": today})) == len(everything)
    bad = await admin.get("/api/console/audit", **{"from": "yesterday"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_request")


async def test_a_supervisor_exports_a_transcript_as_a_text_file(lykta: Lykta) -> None:
    counselor, visitor, _chat = await chat_with_text(lykta)
    cid = visitor.conversation_id
    refused = await counselor.post(f"/api/console/conversations/{cid}/export")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    supervisor = await lykta.staff(role="supervisor", available=False)
    response = await supervisor.post(f"/api/console/conversations/{cid}/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="lykta-transcript-') and disposition.endswith('.txt"')
    lines = response.text.splitlines()
    assert f"Conversation: {cid}" in lines
    assert any(
        line.startswith("Exported: ") and line.endswith(f"by {supervisor.counselor['display_name']}") for line in lines
    )
    rows = [line.split(" | ") for line in lines if line[:1].isdigit()]
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("1", "visitor", "-", SENTENCE),
        ("2", "counselor", "Sara", "Hej! " + SENTENCE),
    ]
    assert rows[0][1].endswith("Z")
    assert NOTE not in response.text  # staff notes are not part of the transcript
    missing = await supervisor.post("/api/console/conversations/00000000-0000-4000-8000-000000000000/export")
    assert missing.status_code == 404


async def test_no_log_line_of_a_conversation_with_follow_up_export_and_purge_holds_text_or_source(
    lykta: Lykta,
    collected: Collect,  # noqa: F811 (the fixture imported from test_privacy_logs)
) -> None:
    base = lykta.server.base_url
    headers = {"User-Agent": AGENT, "Referer": REFERRER, "Origin": base}
    transport = httpx.AsyncHTTPTransport(local_address=SOURCE)
    (supervisor_name,) = await lykta.create_staff(role="supervisor")
    async with httpx.AsyncClient(base_url=base, headers=headers, transport=transport) as http:
        login = await http.post("/api/console/login", json={"username": supervisor_name, "password": PASSWORD})
        csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
        await http.put("/api/console/presence", json={"status": "available"}, headers=csrf)
        started = (await http.post("/api/visitor/conversations", json={})).json()
        cid = started["conversation_id"]
        await http.post(f"/api/console/conversations/{cid}/claim", headers=csrf)
        visitor = Frames(
            await connect(
                f"{lykta.server.ws_url}/ws/visitor",
                origin=Origin(base),
                local_addr=(SOURCE, 0),
                additional_headers={"User-Agent": AGENT, "Referer": REFERRER},
            )
        )
        await visitor.send({"type": "hello", "token": started["token"], "last_seq": 0})
        await visitor.send({"type": "send", "client_id": "p1", "body": SENTENCE})
        await visitor.expect("ack")
        await http.post(f"/api/console/conversations/{cid}/notes", json={"body": NOTE}, headers=csrf)
        await http.post(f"/api/console/conversations/{cid}/close", headers=csrf)
        again = await http.post("/api/visitor/follow-up", json={"code": started["follow_up_code"]})
        assert again.status_code == 200, again.text
        assert (await http.post("/api/visitor/follow-up", json={"code": SENTENCE[:40]})).status_code == 404
        exported = await http.post(f"/api/console/conversations/{cid}/export", headers=csrf)
        assert SENTENCE in exported.text
        assert (await http.post(f"/api/console/conversations/{cid}/purge", headers=csrf)).status_code == 200
        await visitor.close()

    async def purge_logged() -> bool:  # the access line is written once the response has gone out
        return any("/purge" in line for line in collected.lines)

    await eventually(purge_logged, timeout=5)
    text = "\n".join(collected.lines)
    assert "lykta.access" in text and "/purge" in text and "/export" in text and "/follow-up" in text
    for forbidden in (SOURCE, AGENT, "secret-agent", "ads.example", "walrus", "Västerbron", "zebra", "umbrella"):
        assert forbidden not in text, f"{forbidden!r} leaked into the logs"
