"""Urgent is for supervisors, as the README says: a counselor cannot push a chat ahead of the queue."""

from __future__ import annotations

from tests.helpers import Lykta


async def test_counselors_get_403_and_supervisors_flag_urgent(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    supervisor = await lykta.staff(role="supervisor", available=False)
    admin = await lykta.staff(role="admin", available=False)
    visitor = await lykta.visitor()
    path = f"/api/console/conversations/{visitor.conversation_id}/urgent"

    refused = await counselor.post(path, {"urgent": True})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    queue = (await counselor.get("/api/console/queue")).json()["items"]
    assert [item["urgent"] for item in queue] == [False]  # nothing changed

    flagged = await supervisor.post(path, {"urgent": True})
    assert flagged.status_code == 200 and flagged.json()["urgent"] is True
    unflagged = await admin.post(path, {"urgent": False})
    assert unflagged.status_code == 200 and unflagged.json()["urgent"] is False
