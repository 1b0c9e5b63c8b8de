"""The console's queue tells a counselor what a waiting visitor already wrote (issue 13, finding 2)."""

from __future__ import annotations

from tests.helpers import Lykta, eventually


async def test_queue_items_carry_the_first_line_of_what_the_visitor_wrote_first(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    quiet = await lykta.visitor(age_band="under_15")
    talking = await lykta.visitor()
    chat = await talking.socket()
    await chat.send({"type": "send", "client_id": "a", "body": "\n  han vet var jag bor  \nmer text här"})
    await chat.expect("ack")
    await chat.send({"type": "send", "client_id": "b", "body": "hallå?"})
    await chat.expect("ack")
    long = await lykta.visitor()
    long_chat = await long.socket()
    await long_chat.send({"type": "send", "client_id": "c", "body": "x" * 400})
    await long_chat.expect("ack")

    async def items() -> dict[str, dict[str, object]] | None:
        response = await counselor.get("/api/console/queue")
        assert response.status_code == 200
        found = {item["conversation_id"]: item for item in response.json()["items"]}
        return found if found.get(long.conversation_id, {}).get("preview") else None

    by_id = await eventually(items)
    assert by_id[talking.conversation_id]["preview"] == "han vet var jag bor"  # first message, first line
    assert by_id[quiet.conversation_id]["preview"] is None  # wrote nothing yet
    assert by_id[quiet.conversation_id]["age_band"] == "under_15"
    preview = by_id[long.conversation_id]["preview"]
    assert isinstance(preview, str) and len(preview) == 120 and preview.endswith("…")

    # The live queue frame carries it too.
    console = await counselor.socket()
    frame = await console.expect("queue")
    assert {i["conversation_id"]: i["preview"] for i in frame["items"]}[talking.conversation_id] == (
        "han vet var jag bor"
    )
