"""The whole loop between a visitor and a counselor, resume after a drop, and resend without duplicates."""

from __future__ import annotations

from tests.helpers import Lykta


async def test_whole_loop_create_queue_claim_chat_close(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Sara")
    console = await counselor.socket()
    visitor = await lykta.visitor(language="en", age_band="15_17", topic="other")

    queue = await console.expect("queue", items=None) if False else await console.expect("queue")
    while not queue["items"]:
        queue = await console.expect("queue")
    assert [item["conversation_id"] for item in queue["items"]] == [visitor.conversation_id]
    assert queue["items"][0]["age_band"] == "15_17"

    chat = await visitor.socket()
    position = await chat.expect("queue")
    assert position["position"] == 1
    await chat.send({"type": "send", "client_id": "v1", "body": "hej, is anyone there?"})
    assert (await chat.expect("ack"))["seq"] == 1

    response = await counselor.claim(visitor.conversation_id)
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "active"
    state = await chat.expect("state", state="active")
    assert state["counselor_alias"] == "Sara"

    assigned = await console.expect("conversation")
    assert assigned["conversation"]["conversation_id"] == visitor.conversation_id
    first = await console.expect("message")
    assert (first["seq"], first["author"], first["body"]) == (1, "visitor", "hej, is anyone there?")

    sent: list[tuple[str, str]] = [("visitor", "hej, is anyone there?")]
    for i in range(3):
        await console.send(
            {
                "type": "send",
                "conversation_id": visitor.conversation_id,
                "client_id": f"c{i}",
                "body": f"reply {i}",
            }
        )
        await console.expect("ack", client_id=f"c{i}")
        sent.append(("counselor", f"reply {i}"))
        await chat.send({"type": "send", "client_id": f"v{i + 2}", "body": f"answer {i}"})
        await chat.expect("ack", client_id=f"v{i + 2}")
        sent.append(("visitor", f"answer {i}"))

    # each side is sent the other side's messages; its own come back as acks with their seq and time
    at_visitor = await chat.messages(3)
    assert [(m["author"], m["body"]) for m in at_visitor] == [s for s in sent if s[0] == "counselor"]
    assert all(m["alias"] == "Sara" for m in at_visitor)
    acks = [f for f in chat.seen if f["type"] == "ack"]
    assert sorted([m["seq"] for m in at_visitor] + [a["seq"] for a in acks]) == list(range(1, 8))
    assert all(a["at"].endswith("Z") for a in acks)
    assert await chat.silent("message")
    at_counselor = [first, *await console.messages(3)]
    assert [(m["author"], m["body"]) for m in at_counselor] == [s for s in sent if s[0] == "visitor"]
    assert await console.silent("message")

    response = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")
    assert response.status_code == 200 and response.json()["state"] == "closed"
    await chat.expect("state", state="closed")

    transcript = await counselor.get(f"/api/console/conversations/{visitor.conversation_id}/messages")
    assert [(m["author"], m["body"]) for m in transcript.json()["items"]] == sent
    later = await counselor.get(f"/api/console/conversations/{visitor.conversation_id}/messages", after_seq=5)
    assert [m["seq"] for m in later.json()["items"]] == [6, 7]

    await chat.send({"type": "send", "client_id": "late", "body": "too late"})
    refused = await chat.expect("error")
    assert (refused["code"], refused["client_id"]) == ("conversation_closed", "late")


async def test_visitor_sees_alias_only(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Kim")
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await counselor.claim(visitor.conversation_id)
    console = await counselor.socket()
    await console.send({"type": "send", "conversation_id": visitor.conversation_id, "client_id": "a", "body": "hi"})
    message = await chat.expect("message")
    raw = str(chat.seen)
    assert message["alias"] == "Kim"
    assert counselor.username not in raw and "counselor_id" not in raw


async def test_resume_after_visitor_drop_delivers_missed_messages_once_in_order(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    await counselor.claim(visitor.conversation_id)
    console = await counselor.socket()
    chat = await visitor.socket()
    conversation = visitor.conversation_id

    await console.send({"type": "send", "conversation_id": conversation, "client_id": "m1", "body": "one"})
    assert (await chat.expect("message"))["seq"] == 1
    await chat.close()  # the visitor's network drops

    for i in range(2, 7):
        await console.send({"type": "send", "conversation_id": conversation, "client_id": f"m{i}", "body": f"n{i}"})
        await console.expect("ack", client_id=f"m{i}")

    chat = await visitor.socket(last_seq=1)
    missed = await chat.messages(5)
    assert [m["seq"] for m in missed] == [2, 3, 4, 5, 6]
    assert [m["body"] for m in missed] == ["n2", "n3", "n4", "n5", "n6"]
    assert await chat.silent("message")  # nothing twice

    await console.send({"type": "send", "conversation_id": conversation, "client_id": "m7", "body": "live"})
    assert (await chat.expect("message"))["seq"] == 7


async def test_resend_with_same_client_id_is_acknowledged_not_duplicated(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "same-1", "body": "only once"})
    first = await chat.expect("ack")
    await chat.close()  # the ack is "lost": the client resends after reconnecting

    chat = await visitor.socket(last_seq=0)
    await chat.send({"type": "send", "client_id": "same-1", "body": "only once"})
    again = await chat.expect("ack")
    assert again["seq"] == first["seq"] == 1

    await counselor.claim(visitor.conversation_id)
    transcript = await counselor.get(f"/api/console/conversations/{visitor.conversation_id}/messages")
    assert [m["body"] for m in transcript.json()["items"]] == ["only once"]


async def test_visitor_end_while_waiting_is_abandoned_and_closes_socket(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    console = await counselor.socket()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await chat.send({"type": "end"})
    assert (await chat.expect("state"))["state"] == "abandoned"
    await chat.ws.wait_closed()
    assert chat.ws.close_code == 1000
    queue = await console.expect("queue")
    while queue["items"]:
        queue = await console.expect("queue")
    assert queue["items"] == []


async def test_visitor_end_of_active_chat_tells_counselor(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    await counselor.claim(visitor.conversation_id)
    console = await counselor.socket()
    await console.expect("conversation")
    chat = await visitor.socket()
    await chat.send({"type": "end"})
    ended = await console.expect("conversation")
    assert ended["conversation"]["state"] == "closed"


async def test_typing_and_read_reach_the_other_side(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    await counselor.claim(visitor.conversation_id)
    console = await counselor.socket()
    chat = await visitor.socket()
    conversation = visitor.conversation_id

    await chat.send({"type": "typing", "on": True})
    typing = await console.expect("typing")
    assert (typing["author"], typing["on"], typing["conversation_id"]) == ("visitor", True, conversation)

    await console.send({"type": "send", "conversation_id": conversation, "client_id": "x", "body": "hello"})
    message = await chat.expect("message")
    await chat.send({"type": "read", "seq": message["seq"]})
    read = await console.expect("read")
    assert (read["author"], read["seq"]) == ("visitor", 1)

    await console.send({"type": "typing", "conversation_id": conversation, "on": True})
    assert (await chat.expect("typing"))["author"] == "counselor"
    assert await chat.silent("read", 0.2)  # the visitor's own read mark is not echoed back


async def test_release_returns_conversation_to_queue(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    await counselor.claim(visitor.conversation_id)
    await chat.expect("state", state="active")
    response = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/release")
    assert response.status_code == 200 and response.json()["state"] == "waiting"
    await chat.expect("state", state="waiting")
    queue = await counselor.get("/api/console/queue")
    assert [i["conversation_id"] for i in queue.json()["items"]] == [visitor.conversation_id]
