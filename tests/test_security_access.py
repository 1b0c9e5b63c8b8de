"""Object-level access: a counselor cannot read or act on a conversation they neither hold nor monitor,
on any route that takes a conversation id (found in the OpenAPI schema), nor through the console socket;
a visitor's token opens its own conversation and no other."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlmodel import col, select
from websockets.asyncio.client import connect
from websockets.typing import Origin

from app.main import create_app
from app.models import Conversation, Note
from tests.conftest import make_settings
from tests.helpers import OPENED, Frames, Lykta, StaffClient
from tests.test_security_support import database

# bodies that pass validation, so that a refusal is about who asks, not about the body
BODIES: dict[str, dict[str, Any]] = {
    "transfer": {"to": None, "note": "sneaky"},
    "notes": {"body": "a peek", "kind": "note"},
    "urgent": {"urgent": True},
    "close": {},
    "block": {},
}
QUEUE_ACTIONS = {"claim", "urgent"}  # any staff member may take or flag a waiting conversation


def conversation_routes() -> list[tuple[str, str]]:
    """Every documented route with a conversation id in its path: (method, path template)."""
    schema = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if "{conversation_id}" in path
        for method in sorted(operations)
    ]


ROUTES = conversation_routes()
CONSOLE_ROUTES = [(m, p) for m, p in ROUTES if p.startswith("/api/console/")]
OTHER_ROUTES = [(m, p) for m, p in ROUTES if not p.startswith(("/api/console/", "/api/admin/"))]


def test_the_route_table_covers_the_conversation_actions() -> None:
    actions = {path.rsplit("/", 1)[1] for _, path in CONSOLE_ROUTES}
    assert {"claim", "release", "close", "messages", "transfer", "accept", "notes", "wrap-up", "block"} <= actions


async def call(staff: StaffClient, method: str, template: str, conversation_id: str) -> httpx.Response:
    path = template.replace("{conversation_id}", conversation_id).replace("{resource_id}", "1")  # a seeded resource
    body = BODIES.get(path.rsplit("/", 1)[1])
    return await staff.http.request(method, path, json=body, headers={"X-CSRF-Token": staff.csrf})


async def snapshot(lykta: Lykta, conversation_id: str) -> tuple[Any, ...]:
    async with database(lykta) as session:
        conversation = await session.get_one(Conversation, uuid.UUID(conversation_id))
        notes = (await session.exec(select(Note).where(col(Note.conversation_id) == conversation.id))).all()
    c = conversation
    return (c.state, c.counselor_id, c.urgent, c.blocked, c.last_seq, len(notes))


async def test_a_counselor_cannot_touch_a_colleagues_conversation_on_any_route(lykta: Lykta) -> None:
    holder, outsider = await lykta.staff(), await lykta.staff()
    visitor = await lykta.visitor()
    assert (await holder.claim(visitor.conversation_id)).status_code == 200
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "secret", "body": "something private"})
    await chat.expect("ack")
    before = await snapshot(lykta, visitor.conversation_id)
    for method, template in CONSOLE_ROUTES:
        response = await call(outsider, method, template, visitor.conversation_id)
        assert response.status_code in (403, 404, 409), (method, template, response.status_code, response.text)
        assert "something private" not in response.text
    assert await snapshot(lykta, visitor.conversation_id) == before
    messages = await holder.get(f"/api/console/conversations/{visitor.conversation_id}/messages")
    assert [m["body"] for m in messages.json()["items"]] == ["something private"]


async def test_nobody_but_a_supervisor_reads_a_waiting_conversation(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "w1", "body": "waiting words"})
    await chat.expect("ack")
    before = await snapshot(lykta, visitor.conversation_id)
    for method, template in CONSOLE_ROUTES:
        if template.rsplit("/", 1)[1] in QUEUE_ACTIONS:
            continue
        response = await call(counselor, method, template, visitor.conversation_id)
        assert response.status_code in (403, 404, 409), (method, template, response.status_code, response.text)
        assert "waiting words" not in response.text
    assert await snapshot(lykta, visitor.conversation_id) == before


async def test_the_console_socket_refuses_frames_for_conversations_not_held(lykta: Lykta) -> None:
    holder, outsider = await lykta.staff(), await lykta.staff()
    visitor = await lykta.visitor()
    await holder.claim(visitor.conversation_id)
    console = await outsider.socket()
    cid = visitor.conversation_id
    frames: list[dict[str, Any]] = [
        {"type": "send", "conversation_id": cid, "client_id": "x1", "body": "hello?"},
        {"type": "typing", "conversation_id": cid, "on": True},
        {"type": "read", "conversation_id": cid, "seq": 1},
        {"type": "monitor", "conversation_id": cid, "on": True},
    ]
    for frame in frames:
        await console.send(frame)
        error = await console.expect("error")
        assert error["code"] in ("not_holder", "forbidden"), (frame, error)
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "v1", "body": "only for my counselor"})
    await chat.expect("ack")
    assert await console.silent("message", 0.5)  # nothing of it reaches the outsider's console
    assert (await snapshot(lykta, cid))[4] == 1


async def test_a_visitor_token_opens_only_its_own_conversation(lykta: Lykta) -> None:
    await lykta.staff()
    mine, theirs = await lykta.visitor(), await lykta.visitor()
    other_chat = await theirs.socket()
    await other_chat.send({"type": "send", "client_id": "t1", "body": "their words"})
    await other_chat.expect("ack")

    chat = await mine.socket()
    await chat.send({"type": "send", "client_id": "m1", "body": "mine"})
    assert (await chat.expect("ack"))["conversation_id"] == mine.conversation_id
    assert await chat.silent("message", 0.5)  # the sender gets its ack, not its own message back
    assert all(f.get("conversation_id") in (None, mine.conversation_id) for f in chat.seen)
    assert all(f.get("body") != "their words" for f in chat.seen)

    forged = Frames(await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin(lykta.server.base_url)))
    OPENED.append(forged)  # closed with the test, pass or fail
    await forged.send({"type": "hello", "token": mine.token, "conversation_id": theirs.conversation_id})
    assert (await forged.expect("error"))["code"] == "invalid_token"
    await forged.ws.wait_closed()
    assert forged.ws.close_code == 1008

    for method, template in OTHER_ROUTES:  # visitor HTTP routes that take a conversation id, if any
        path = template.replace("{conversation_id}", theirs.conversation_id)
        async with lykta.http(headers={"Authorization": f"Bearer {mine.token}"}) as http:
            response = await http.request(method, path, json={"token": mine.token})
        assert response.status_code >= 400, (method, template)
