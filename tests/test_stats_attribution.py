"""From a link to a conversation to the statistics, through real chats; the aggregates outlive the rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, inspect, select
from sqlalchemy.engine import Connection

from app.core.db import make_engine
from app.models import Conversation, ConversationTag, Message, Note
from tests.helpers import Lykta, StaffClient, eventually
from tests.test_outreach_register import make_space, ok

STAT_COLUMNS = [
    *("id", "day", "link_id", "space_id", "language", "age_band", "topic", "outcome", "wait_s", "duration_s"),
    *("feedback_helped", "feedback_again", "feedback_found"),  # the visitor's answers (issue 16)
    "feedback_key",  # a hash only the visitor's token opens, cleared once used: no conversation id
]


async def stats_today(staff: StaffClient, by: str) -> dict[str, Any]:
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()  # statistics days are the service's
    data: dict[str, Any] = ok(await staff.get("/api/console/stats", **{"from": today, "to": today, "by": by}))
    return data


def row_for(report: dict[str, Any], key: int | None) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [row for row in report["rows"] if row["key"] == key]
    assert len(rows) == 1, rows
    return rows[0]


async def delete_transcripts_and_conversations(lykta: Lykta) -> int:
    """What retention and purge do, and more: every message, note, tag link and conversation row goes."""
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with engine.begin() as connection:
            for table in (Message, Note, ConversationTag, Conversation):
                await connection.execute(delete(table))
            left = (await connection.execute(select(func.count()).select_from(Conversation))).scalar_one()
    finally:
        await engine.dispose()
    return int(left)


async def stat_table_shape(lykta: Lykta) -> tuple[list[str], set[str]]:
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with engine.connect() as connection:

            def shape(sync: Connection) -> tuple[list[str], set[str]]:
                inspector = inspect(sync)
                columns = [column["name"] for column in inspector.get_columns("conversation_stat")]
                referred = {fk["referred_table"] for fk in inspector.get_foreign_keys("conversation_stat")}
                return columns, referred

            return await connection.run_sync(shape)
    finally:
        await engine.dispose()


async def test_a_link_leads_to_conversations_and_statistics_that_outlive_them(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    tag = ok(await admin.post("/api/admin/tags", {"name": "Boende"}), 201)
    counselor = await lykta.staff(alias="Sara")
    space = await make_space(counselor, "Annonssajten")
    link = ok(await counselor.post("/api/console/links", {"space_id": space["id"]}), 201)
    async with lykta.http() as browser:
        for _ in range(2):
            assert (await browser.get(f"/c/{link['code']}")).status_code in (200, 503)

    console = await counselor.socket()
    answered = await lykta.visitor(link_code=link["code"], language="sv", age_band="15_17", topic="exploitation")
    assert ok(await counselor.claim(answered.conversation_id))["link_label"] == "Annonssajten"
    await console.send({"type": "send", "conversation_id": answered.conversation_id, "client_id": "c1", "body": "Hej!"})
    await console.expect("ack", client_id="c1")
    closed = await counselor.post(
        f"/api/console/conversations/{answered.conversation_id}/close", {"tags": [tag["id"]], "topic": "health"}
    )
    assert ok(closed)["state"] == "closed"

    left = await lykta.visitor(link_code=link["code"], language="en")
    chat = await left.socket()
    await chat.send({"type": "end"})
    await chat.expect("state", state="abandoned")

    ongoing = await lykta.visitor(link_code=link["code"])
    ok(await counselor.claim(ongoing.conversation_id))
    unlinked = await lykta.visitor(link_code="NoSuchLink")  # an unknown code: no attribution
    ok(await counselor.claim(unlinked.conversation_id))
    blocked = await counselor.post(f"/api/console/conversations/{unlinked.conversation_id}/block", {})
    assert ok(blocked)["state"] == "closed"  # last: blocking keeps this test's address out

    by_link = await eventually(lambda: _with_started(counselor, "link", 3))
    via_link = row_for(by_link, link["id"])
    assert (via_link["label"], via_link["opened"], via_link["started"]) == ("Annonssajten", 2, 2)
    assert (via_link["answered"], via_link["abandoned"], via_link["blocked"]) == (1, 1, 0)
    assert via_link["language"] == {"en": 1, "sv": 1}
    assert via_link["age_band"] == {"15_17": 1, "unknown": 1}
    assert via_link["topic"] == {"health": 1, "unknown": 1}  # the wrap-up's correction counts
    assert via_link["tags"] == {str(tag["id"]): 1} and by_link["tag_names"] == {str(tag["id"]): "Boende"}
    assert via_link["waits_counted"] == 1 and via_link["wait_median_s"] is not None
    assert via_link["durations_counted"] == 1 and via_link["duration_median_s"] is not None
    no_link = row_for(by_link, None)
    assert (no_link["opened"], no_link["started"], no_link["blocked"], no_link["answered"]) == (0, 1, 1, 0)

    by_space = await stats_today(counselor, "space")
    assert (row_for(by_space, space["id"])["label"], row_for(by_space, space["id"])["started"]) == ("Annonssajten", 2)
    overall = (await stats_today(counselor, "none"))["overall"]
    assert [overall[k] for k in ("opened", "started", "answered", "abandoned", "blocked")] == [2, 3, 1, 1, 1]

    (listed,) = ok(await counselor.get("/api/console/links"))["items"]
    assert (listed["opens"], listed["conversations"]) == (2, 3)  # two ended and one still going

    # The aggregate rows name no conversation and survive deleting transcripts and conversations.
    columns, referred = await stat_table_shape(lykta)
    assert columns == STAT_COLUMNS and referred == {"link", "space"}
    before = [await stats_today(counselor, by) for by in ("link", "space", "none")]
    csv_before = (
        await counselor.get("/api/console/export/stats.csv", **{"from": before[0]["from"], "to": before[0]["to"]})
    ).content
    assert await delete_transcripts_and_conversations(lykta) == 0
    assert [await stats_today(counselor, by) for by in ("link", "space", "none")] == before
    csv_after = (
        await counselor.get("/api/console/export/stats.csv", **{"from": before[0]["from"], "to": before[0]["to"]})
    ).content
    assert csv_after == csv_before
    (listed,) = ok(await counselor.get("/api/console/links"))["items"]
    assert (listed["opens"], listed["conversations"]) == (2, 2)  # the ongoing one was deleted unfinished
    assert uuid.UUID(answered.conversation_id).hex not in str(before)


async def _with_started(staff: StaffClient, by: str, count: int) -> dict[str, Any] | None:
    report = await stats_today(staff, by)
    return report if report["overall"]["started"] == count else None
