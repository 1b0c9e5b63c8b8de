"""Internal notes and whispers (staff only, live on the console, never at the visitor) and the wrap-up."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.helpers import Lykta, StaffClient


def notes_path(conversation_id: str) -> str:
    return f"/api/console/conversations/{conversation_id}/notes"


async def active_conversation(lykta: Lykta, alias: str = "Sara", **visitor: Any) -> tuple[StaffClient, str]:
    holder = await lykta.staff(alias=alias)
    started = await lykta.visitor(**visitor)
    response = await holder.claim(started.conversation_id)
    assert response.status_code == 200, response.text
    return holder, started.conversation_id


async def test_notes_by_holder_and_supervisor_but_not_other_counselors(lykta: Lykta) -> None:
    holder, cid = await active_conversation(lykta)
    other = await lykta.staff(alias="Kim")
    supervisor = await lykta.staff(role="supervisor", alias="Chef")

    response = await holder.post(notes_path(cid), {"body": "  Says she is 16, new in town.  "})
    assert response.status_code == 201, response.text
    mine = response.json()
    assert mine["conversation_id"] == cid
    assert (mine["kind"], mine["body"], mine["author_alias"]) == ("note", "Says she is 16, new in town.", "Sara")
    assert mine["author_id"] == holder.id and isinstance(mine["id"], int) and mine["created_at"].endswith("Z")

    response = await supervisor.post(notes_path(cid), {"body": "Consider a report of concern."})
    assert response.status_code == 201, response.text

    for reader in (holder, supervisor):
        listed = await reader.get(notes_path(cid))
        assert listed.status_code == 200, listed.text
        assert [(n["author_alias"], n["body"]) for n in listed.json()["items"]] == [
            ("Sara", "Says she is 16, new in town."),
            ("Chef", "Consider a report of concern."),
        ]

    for response in (await other.get(notes_path(cid)), await other.post(notes_path(cid), {"body": "x"})):
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "not_holder"

    unknown = await holder.post(notes_path(str(uuid.uuid4())), {"body": "x"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert (await holder.get(notes_path(str(uuid.uuid4())))).status_code == 404

    for bad in (
        {"body": "   "},
        {"body": "x" * 2001},
        {"body": "x", "author": "someone"},
        {"body": "x", "kind": "transfer"},
    ):
        response = await holder.post(notes_path(cid), bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["code"] == "invalid_request"
    assert len((await holder.get(notes_path(cid))).json()["items"]) == 2


async def test_only_supervisors_whisper(lykta: Lykta) -> None:
    holder, cid = await active_conversation(lykta)
    supervisor = await lykta.staff(role="supervisor", alias="Chef")
    admin = await lykta.staff(role="admin", alias="Admin")

    refused = await holder.post(notes_path(cid), {"body": "psst", "kind": "whisper"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "supervisor_only"

    for who, text in ((supervisor, "Ask whether she is safe tonight."), (admin, "I am listening too.")):
        response = await who.post(notes_path(cid), {"body": text, "kind": "whisper"})
        assert response.status_code == 201, response.text
        assert response.json()["kind"] == "whisper"

    items = (await holder.get(notes_path(cid))).json()["items"]
    assert [(n["kind"], n["body"]) for n in items] == [
        ("whisper", "Ask whether she is safe tonight."),
        ("whisper", "I am listening too."),
    ]


async def test_note_arrives_live_on_consoles_and_never_at_the_visitor(lykta: Lykta) -> None:
    holder = await lykta.staff(alias="Sara")
    supervisor = await lykta.staff(role="supervisor", alias="Chef")
    started = await lykta.visitor()
    cid = started.conversation_id
    chat = await started.socket()
    assert (await holder.claim(cid)).status_code == 200
    await chat.expect("state", state="active")
    console = await holder.socket()
    await console.expect("conversation")
    watching = await supervisor.socket()

    whisper = "SECRET-WHISPER ask about the place to sleep"
    response = await supervisor.post(notes_path(cid), {"body": whisper, "kind": "whisper"})
    assert response.status_code == 201, response.text
    live = await console.expect("note", conversation_id=cid)
    assert live["note"] == response.json()
    assert (live["note"]["kind"], live["note"]["author_alias"]) == ("whisper", "Chef")
    assert (await watching.expect("note", conversation_id=cid))["note"]["body"] == whisper

    note = "SECRET-NOTE mentions an older boyfriend"
    response = await holder.post(notes_path(cid), {"body": note})
    assert response.status_code == 201, response.text
    assert (await console.expect("note", conversation_id=cid))["note"]["body"] == note
    assert await watching.silent("note")  # the author and the holder are told; nobody else

    # A chat message sent after the notes reaches the visitor: anything queued before it would have too.
    await console.send({"type": "send", "conversation_id": cid, "client_id": "after", "body": "Hej!"})
    assert (await chat.expect("message"))["body"] == "Hej!"
    assert await chat.silent("note")
    seen = json.dumps(chat.seen)
    assert "SECRET" not in seen and '"note"' not in seen
    # Nor does the visitor's copy of the transcript hold them.
    history = await started.socket()
    await history.expect("message")
    assert await history.silent("note") and "SECRET" not in json.dumps(history.seen)


async def make_tags(lykta: Lykta, *names: str) -> tuple[StaffClient, list[int]]:
    admin = await lykta.staff(role="admin", alias="Admin", available=False)
    ids = []
    for name in names:
        response = await admin.post("/api/admin/tags", {"name": name})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return admin, ids


def close_path(conversation_id: str) -> str:
    return f"/api/console/conversations/{conversation_id}/close"


def wrap_up_path(conversation_id: str) -> str:
    return f"/api/console/conversations/{conversation_id}/wrap-up"


async def test_close_with_wrap_up_stores_tags_and_correction(lykta: Lykta) -> None:
    _admin, (housing, threats, _unused) = await make_tags(lykta, "Bostad", "Hot", "Droger")
    holder, cid = await active_conversation(lykta, age_band="18_24", topic="other")
    supervisor = await lykta.staff(role="supervisor")
    other = await lykta.staff()

    before = await holder.get(wrap_up_path(cid))
    assert before.json() == {"tags": [], "age_band": "18_24", "topic": "other"}

    body = {"tags": [threats, housing, threats], "age_band": "15_17", "topic": "exploitation"}
    response = await holder.post(close_path(cid), body)
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "closed"
    assert (response.json()["age_band"], response.json()["topic"]) == ("15_17", "exploitation")

    expected = {
        "tags": [{"id": housing, "name": "Bostad"}, {"id": threats, "name": "Hot"}],
        "age_band": "15_17",
        "topic": "exploitation",
    }
    for reader in (holder, supervisor):
        response = await reader.get(wrap_up_path(cid))
        assert response.status_code == 200, response.text
        assert response.json() == expected
    refused = await other.get(wrap_up_path(cid))
    assert refused.status_code == 403 and refused.json()["code"] == "not_holder"
    assert (await holder.get(wrap_up_path(str(uuid.uuid4())))).status_code == 404


async def test_bad_wrap_up_leaves_the_conversation_open(lykta: Lykta) -> None:
    admin, (kept, retired) = await make_tags(lykta, "Stöd", "Gammal")
    response = await admin.put(f"/api/admin/tags/{retired}", {"active": False})
    assert response.status_code == 200, response.text
    holder, cid = await active_conversation(lykta, age_band="18_24", topic="health")

    for tags in ([kept, 987654], [retired], [2**40]):
        response = await holder.post(close_path(cid), {"tags": tags, "age_band": "under_15"})
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "unknown_tag"
    for bad in ({"tags": [kept], "age_band": "twelve"}, {"tags": [kept], "mood": "sad"}):
        response = await holder.post(close_path(cid), bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid_request", response.text

    mine = (await holder.get("/api/console/conversations")).json()["items"]
    assert [(c["conversation_id"], c["state"]) for c in mine] == [(cid, "active")]
    assert (await holder.get(wrap_up_path(cid))).json() == {"tags": [], "age_band": "18_24", "topic": "health"}

    # Only what is given changes: tags alone keep the visitor's own answers.
    response = await holder.post(close_path(cid), {"tags": [kept]})
    assert response.status_code == 200 and response.json()["state"] == "closed", response.text
    assert (await holder.get(wrap_up_path(cid))).json() == {
        "tags": [{"id": kept, "name": "Stöd"}],
        "age_band": "18_24",
        "topic": "health",
    }


async def test_close_without_body_still_works(lykta: Lykta) -> None:
    holder, cid = await active_conversation(lykta, topic="violence")
    response = await holder.post(close_path(cid))
    assert response.status_code == 200 and response.json()["state"] == "closed", response.text
    assert (await holder.get(wrap_up_path(cid))).json() == {"tags": [], "age_band": None, "topic": "violence"}
