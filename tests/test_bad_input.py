"""Hostile or broken frames get the error or close code the protocol names; others are served on."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from tests.helpers import Frames, Lykta


async def _raw_visitor_socket(lykta: Lykta) -> Frames:
    ws = await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin(lykta.server.base_url), max_size=None)
    return Frames(ws)


async def _closed_with(frames: Frames) -> int | None:
    with pytest.raises(ConnectionClosed):
        for _ in range(50):
            await frames.next(timeout=5)
    return frames.ws.close_code


async def test_malformed_json_unknown_type_and_wrong_types_get_error_frames(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()

    await chat.send("{not json")
    assert (await chat.expect("error"))["code"] == "invalid_json"
    await chat.send(json.dumps({"type": "shout", "body": "x"}))
    assert (await chat.expect("error"))["code"] == "unknown_type"
    await chat.send(json.dumps([1, 2]))
    assert (await chat.expect("error"))["code"] == "invalid_frame"
    await chat.send(json.dumps({"type": "send", "client_id": 5, "body": "x"}))
    assert (await chat.expect("error"))["code"] == "invalid_frame"
    await chat.send(json.dumps({"type": "typing", "on": "maybe"}))
    assert (await chat.expect("error"))["code"] == "invalid_frame"

    # the connection is still good after all that
    await chat.send({"type": "send", "client_id": "ok-1", "body": "still here"})
    assert (await chat.expect("ack"))["seq"] == 1


async def test_body_over_4000_characters_is_refused_and_nothing_is_stored(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "big", "body": "x" * 5000})
    assert (await chat.expect("error"))["code"] == "body_too_long"
    await chat.send({"type": "send", "client_id": "edge", "body": "y" * 4000})
    assert (await chat.expect("ack"))["seq"] == 1
    await counselor.claim(visitor.conversation_id)
    stored = (await counselor.get(f"/api/console/conversations/{visitor.conversation_id}/messages")).json()
    assert [len(m["body"]) for m in stored["items"]] == [4000]


async def test_frame_over_16_kib_closes_with_1009(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send(json.dumps({"type": "send", "client_id": "huge", "body": "z" * 20000}))
    assert await _closed_with(chat) == 1009


async def test_binary_frame_closes_with_1003(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.ws.send(b"\x00\x01binary")
    assert await _closed_with(chat) == 1003


async def test_wrong_or_missing_token_is_refused_with_1008(lykta: Lykta) -> None:
    raw = await _raw_visitor_socket(lykta)
    await raw.send({"type": "hello", "token": "not-a-real-token", "last_seq": 0})
    assert (await raw.expect("error"))["code"] == "invalid_token"
    assert await _closed_with(raw) == 1008

    missing = await _raw_visitor_socket(lykta)
    await missing.send({"type": "hello", "last_seq": 0})
    assert (await missing.expect("error"))["code"] == "invalid_frame"
    await missing.send({"type": "send", "client_id": "a", "body": "before hello"})
    assert (await missing.expect("error"))["code"] == "hello_required"
    await missing.close()


async def test_hello_for_another_conversation_is_refused(lykta: Lykta) -> None:
    await lykta.staff()
    mine, theirs = await lykta.visitor(), await lykta.visitor()

    raw = await _raw_visitor_socket(lykta)
    await raw.send({"type": "hello", "token": mine.token, "conversation_id": theirs.conversation_id})
    assert (await raw.expect("error"))["code"] == "invalid_token"
    assert await _closed_with(raw) == 1008

    chat = await mine.socket()
    await chat.send({"type": "hello", "token": theirs.token, "last_seq": 0})
    assert (await chat.expect("error"))["code"] == "already_authenticated"
    await chat.send({"type": "send", "client_id": "m", "body": "mine"})
    ack = await chat.expect("ack")
    assert ack["conversation_id"] == mine.conversation_id
    assert await chat.silent("message")  # its own message is acknowledged, not sent back


async def test_bad_frames_that_keep_coming_close_with_1008(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    for _ in range(lykta.server.settings.ws_max_bad_frames):
        await chat.send("nope")
    assert await _closed_with(chat) == 1008


async def test_the_server_goes_on_serving_others_during_abuse(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    good, bad = await lykta.visitor(), await lykta.visitor()
    await counselor.claim(good.conversation_id)
    console = await counselor.socket()
    good_chat, bad_chat = await good.socket(), await bad.socket()

    async def abuse() -> None:
        for _ in range(5):
            await bad_chat.send("{{{")
        await bad_chat.ws.send(b"\xff")

    await asyncio.gather(abuse(), good_chat.send({"type": "send", "client_id": "g", "body": "fine"}))
    assert (await good_chat.expect("ack"))["seq"] == 1
    assert (await console.expect("message"))["body"] == "fine"


async def test_console_frames_for_conversations_not_held_are_refused(lykta: Lykta) -> None:
    holder, other = await lykta.staff(), await lykta.staff()
    visitor = await lykta.visitor()
    await holder.claim(visitor.conversation_id)
    console = await other.socket()
    await console.send({"type": "send", "conversation_id": visitor.conversation_id, "client_id": "z", "body": "hi"})
    error = await console.expect("error")
    assert (error["code"], error["conversation_id"]) == ("not_holder", visitor.conversation_id)
    await console.send({"type": "send", "conversation_id": "not-a-uuid", "client_id": "z", "body": "hi"})
    assert (await console.expect("error"))["code"] == "invalid_frame"


async def test_http_bad_input_gets_clear_errors(lykta: Lykta) -> None:
    await lykta.staff()
    async with lykta.http() as http:
        wrong_type = await http.post("/api/visitor/conversations", json={"age_band": 17})
        unknown_field = await http.post("/api/visitor/conversations", json={"name": "Anna"})
        not_json = await http.post(
            "/api/visitor/conversations", content=b"{oops", headers={"content-type": "application/json"}
        )
        oversized = await http.post(
            "/api/visitor/conversations",
            content=b"{" + b" " * 70000 + b"}",
            headers={"content-type": "application/json"},
        )
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (422, "invalid_request")
    assert (unknown_field.status_code, unknown_field.json()["code"]) == (422, "invalid_request")
    assert (not_json.status_code, not_json.json()["code"]) == (422, "invalid_request")
    assert (oversized.status_code, oversized.json()["code"]) == (413, "too_large")
