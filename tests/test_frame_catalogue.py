"""The frame catalogue is the contract: the committed JSON Schema is what the code exports, no module builds a frame
or event by hand, and every frame the server sends in a real chat fits the schema the pages' types come from.

When the first test fails, run `make frames` and commit frontend/src/api/frames.schema.json and frames.ts (the pages'
types are generated from the schema; frontend/tests/frames.test.ts checks frames.ts is current).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
from websockets.exceptions import ConnectionClosed

from app.realtime import events
from app.realtime.export_schema import SCHEMA_PATH, schema_text
from tests.helpers import Frames, Lykta

APP = Path(__file__).resolve().parent.parent / "app"
CATALOGUE = {APP / "realtime" / "events.py", APP / "realtime" / "signals.py"}


def test_committed_schema_is_what_the_code_exports() -> None:
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == schema_text(), "frontend/src/api/frames.schema.json is not current: run `make frames`"


def test_no_module_builds_a_frame_or_event_by_hand() -> None:
    known = events.VISITOR_TYPES | events.CONSOLE_TYPES | events.NOTICE_TYPES | events.SIGNAL_TYPES
    assert {"message", "queue", "mailbox", "queue_changed", "lease_released", "_sync", "_signed_out"} <= known
    by_hand: list[str] = []
    for path in sorted(APP.rglob("*.py")):
        if path in CATALOGUE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values, strict=True):
                is_type = isinstance(key, ast.Constant) and key.value == "type"
                if is_type and isinstance(value, ast.Constant) and value.value in known:
                    by_hand.append(f"{path.relative_to(APP.parent)}:{node.lineno} {value.value!r}")
    assert by_hand == [], "build these with app/realtime/events.py (or signals.py):\n" + "\n".join(by_hand)


def validator(union: str) -> jsonschema_rs.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator({"$ref": f"#/$defs/{union}", "$defs": schema["$defs"]})


async def drain(frames: Frames, quiet_s: float = 0.5) -> None:
    """Read until nothing more comes for a while, or the socket closed (every frame read is in `frames.seen`)."""
    try:
        while True:
            await frames.next(quiet_s)
    except (TimeoutError, ConnectionClosed):
        return


def misfits(union: str, seen: list[dict[str, Any]]) -> list[str]:
    check = validator(union)
    return [f"{frame}: {error}" for frame in seen for error in check.iter_errors(frame)]


async def test_every_frame_of_a_real_chat_fits_the_schema(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Sara")
    supervisor = await lykta.staff(role="supervisor", available=False)
    console = await counselor.socket()
    watcher = await supervisor.socket()
    visitor = await lykta.visitor(language="en", age_band="15_17", topic="other")
    chat = await visitor.socket()
    cid = visitor.conversation_id

    await chat.expect("queue")  # the visitor's place
    await chat.send({"type": "send", "client_id": "v1", "body": "hej"})
    await chat.expect("ack", client_id="v1")
    await chat.send({"type": "ping"})
    await chat.expect("pong")
    await chat.send({"type": "nonsense"})
    await chat.expect("error")
    queue = await console.expect("queue")
    while not queue["items"]:
        queue = await console.expect("queue")

    assert (await counselor.claim(cid)).status_code == 200
    await chat.expect("state", state="active")
    await console.expect("conversation")
    await watcher.send({"type": "monitor", "conversation_id": cid, "on": True})
    await watcher.expect("conversation", monitoring=True)
    await console.send({"type": "typing", "conversation_id": cid, "on": True})
    await chat.expect("typing")
    await console.send({"type": "send", "conversation_id": cid, "client_id": "c1", "body": "hello"})
    await console.expect("ack", client_id="c1")
    message = await chat.expect("message", author="counselor")
    await chat.send({"type": "typing", "on": True})
    await chat.send({"type": "read", "seq": message["seq"]})
    await console.expect("read")
    await console.send({"type": "read", "conversation_id": cid, "seq": 1})
    await chat.expect("read")
    await console.send({"type": "ping"})
    await console.expect("pong")
    await console.send({"type": "send", "conversation_id": "not-a-uuid", "client_id": "c2", "body": "x"})
    await console.expect("error")

    bris = (await counselor.get("/api/console/resources", q="bris")).json()["items"][0]
    card = await counselor.post(f"/api/console/conversations/{cid}/resources/{bris['id']}", {"client_id": "card-1"})
    assert card.status_code == 201, card.text
    assert (await chat.expect("message", author="counselor"))["card"] is not None
    note = await counselor.post(f"/api/console/conversations/{cid}/notes", {"body": "new in town"})
    assert note.status_code == 201, note.text
    await console.expect("note")

    assert (await counselor.post(f"/api/console/conversations/{cid}/close")).status_code == 200
    await chat.expect("state", state="closed")
    assert (await counselor.post(f"/api/console/conversations/{cid}/purge")).status_code == 200
    await console.expect("purged")
    await counselor.presence("away")
    await console.expect("presence", status="away")

    for frames in (chat, console, watcher):
        await drain(frames)
    at_visitor, at_consoles = chat.seen, console.seen + watcher.seen
    assert {f["type"] for f in at_visitor} >= {"state", "queue", "ack", "message", "typing", "read", "pong", "error"}
    assert {f["type"] for f in at_consoles} >= {
        "presence",
        "queue",
        "conversation",
        "ack",
        "message",
        "typing",
        "read",
        "note",
        "purged",
        "pong",
        "error",
    }
    assert misfits("VisitorServerFrame", at_visitor) == []
    assert misfits("ConsoleServerFrame", at_consoles) == []
    assert misfits("ServerFrame", at_visitor + at_consoles) == []
