"""Mailbox retention and statistics: a thread goes when it has had its time (unanswered after its days,
answered and read after the retention window, answered and unread after its days), its text gone from the
database files; an anonymous statistics row stays and counts it, with small counts suppressed in the CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import col

from app.models import AuditEntry, MailboxEntry, MailboxNote
from tests.helpers import Lykta, StaffClient, eventually
from tests.mailbox_helpers import (
    ANSWER,
    LETTER,
    move_back,
    open_thread,
    stat_rows,
    thread_ids,
    visitor_post,
    write_letter,
)
from tests.test_outreach_register import local_today
from tests.test_retention import POSTGRES_ONLY, SQLITE_ONLY, database_files, holding, rows

WINDOW = {"retention_hours": 1, "sweep_interval_s": 0.2}
NOTE = "Staff note: orange kayak 5150 by the pier"


async def answered_thread(lykta: Lykta, counselor: StaffClient, body: str = LETTER) -> tuple[str, str]:
    """A letter answered by counselor, with a staff note; returns (code, thread id)."""
    before = set(await thread_ids(lykta))
    code = await write_letter(lykta, body)
    [thread_id] = set(await thread_ids(lykta)) - before
    assert (await counselor.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200
    assert (await counselor.post(f"/api/console/mailbox/{thread_id}/notes", {"body": NOTE})).status_code == 201
    assert (await counselor.post(f"/api/console/mailbox/{thread_id}/answer", {"body": ANSWER})).status_code == 200
    return code, thread_id


@pytest.mark.parametrize("settings_overrides", [WINDOW])
async def test_each_thread_goes_when_it_has_had_its_time_and_its_statistics_stay(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    before = set(await thread_ids(lykta))
    await write_letter(lykta, "never answered")
    [unanswered] = set(await thread_ids(lykta)) - before
    read_code, read = await answered_thread(lykta, counselor)
    _unread_code, unread = await answered_thread(lykta, counselor)
    assert (await open_thread(lykta, read_code)).status_code == 200  # read: its window starts

    await move_back(lykta, unanswered, waiting_since=timedelta(days=13))
    await move_back(lykta, read, answer_read_at=timedelta(minutes=50))
    await move_back(lykta, unread, answered_at=timedelta(days=13))
    await asyncio.sleep(0.8)  # a few sweeps: all inside their time
    assert set(await thread_ids(lykta)) == {unanswered, read, unread}

    await move_back(lykta, unanswered, waiting_since=timedelta(days=14, minutes=1))
    await move_back(lykta, read, answer_read_at=timedelta(minutes=61))

    async def two_gone() -> bool:
        return await thread_ids(lykta) == [unread]

    await eventually(two_gone)
    await move_back(lykta, unread, answered_at=timedelta(days=14, minutes=1))

    async def all_gone() -> bool:
        return await thread_ids(lykta) == []

    await eventually(all_gone)
    assert await rows(lykta, MailboxEntry) == 0 and await rows(lykta, MailboxNote) == 0
    stats = await stat_rows(lykta)
    assert [(s.letters, s.answers, s.read) for s in stats] == [(1, 0, False), (1, 1, True), (1, 1, False)]
    assert await rows(lykta, AuditEntry, col(AuditEntry.action) == "mailbox_retention") >= 1


@pytest.mark.parametrize("settings_overrides", [WINDOW])
async def test_a_thread_closed_unanswered_goes_after_the_window(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    code = await write_letter(lykta, "spam")
    [thread_id] = await thread_ids(lykta)
    assert (await counselor.post(f"/api/console/mailbox/{thread_id}/claim")).status_code == 200
    closed = await counselor.post(f"/api/console/mailbox/{thread_id}/close")
    assert closed.json()["thread"]["state"] == "closed"
    view = (await open_thread(lykta, code)).json()
    assert (view["state"], view["can_write"]) == ("closed", False)
    refused = await visitor_post(lykta, "/api/visitor/mailbox/reply", {"code": code, "body": "hallå"})
    assert (refused.status_code, refused.json()["code"]) == (409, "thread_closed")
    await move_back(lykta, thread_id, closed_at=timedelta(minutes=61))

    async def gone() -> bool:
        return await thread_ids(lykta) == []

    await eventually(gone)


@SQLITE_ONLY
@pytest.mark.parametrize("settings_overrides", [WINDOW])
async def test_no_byte_of_a_deleted_thread_is_left_in_any_sqlite_file(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    code, thread_id = await answered_thread(lykta, counselor)
    assert (await open_thread(lykta, code)).status_code == 200
    assert holding(database_files(lykta), LETTER, ANSWER, NOTE)  # the test can see the text while it is kept
    assert code.encode() not in b"".join(database_files(lykta).values())  # the code never is: only its hash
    await move_back(lykta, thread_id, answer_read_at=timedelta(hours=2))

    async def clean() -> bool:
        return await thread_ids(lykta) == [] and holding(database_files(lykta), LETTER, ANSWER, NOTE) == []

    await eventually(clean)


@POSTGRES_ONLY
@pytest.mark.parametrize("settings_overrides", [WINDOW])
async def test_on_postgres_the_mailbox_tables_are_vacuumed_after_deleting(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    _code, thread_id = await answered_thread(lykta, counselor)
    await move_back(lykta, thread_id, answered_at=timedelta(days=15))

    async def vacuumed() -> bool:
        engine = create_async_engine(lykta.server.settings.database_url)
        try:
            async with engine.connect() as connection:
                result = await connection.execute(
                    text("SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL")
                )
                return {name for (name,) in result.all()} >= {"mailbox_entry", "mailbox_note", "mailbox_thread"}
        finally:
            await engine.dispose()

    await eventually(vacuumed)


async def link(staff: StaffClient, label: str) -> dict[str, Any]:
    space = await staff.post(
        "/api/console/spaces", {"name": f"Space {label}", "category_id": 1, "address": "https://forum.example/x"}
    )
    assert space.status_code == 201, space.text
    made = await staff.post("/api/console/links", {"label": label, "space_id": space.json()["id"]})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def test_statistics_count_letters_answers_reads_and_chats_by_link_with_small_counts_suppressed(
    lykta: Lykta,
) -> None:
    counselor = await lykta.staff(available=False)
    forum, ads = await link(counselor, "Forum"), await link(counselor, "Ads")
    codes = [await write_letter(lykta, f"brev {n}", link_code=forum["code"]) for n in range(3)]
    await write_letter(lykta, "annons", link_code=ads["code"])
    for thread_id in await thread_ids(lykta):
        detail = (await counselor.post(f"/api/console/mailbox/{thread_id}/claim")).json()
        if detail["entries"][0]["body"].startswith("brev"):
            answered = await counselor.post(f"/api/console/mailbox/{thread_id}/answer", {"body": "svar"})
            assert answered.status_code == 200
    for code in codes[:2]:
        assert (await open_thread(lykta, code)).status_code == 200
    await counselor.presence("available")
    assert (await visitor_post(lykta, "/api/visitor/mailbox/chat", {"code": codes[0]})).status_code == 201

    today = local_today().isoformat()  # statistics days are the service's (Europe/Stockholm)
    period = {"from": today, "to": today}
    report = (await counselor.get("/api/console/stats/mailbox", **period, by="link")).json()
    by_label = {row["label"]: row for row in report["totals"]}
    forum_row, ads_row = by_label["Forum"], by_label["Ads"]
    assert [forum_row[k] for k in ("received", "answered", "answers_read", "to_chat")] == [3, 3, 2, 1]
    assert forum_row["answers_counted"] == 3 and forum_row["answer_median_s"] is not None
    assert (ads_row["received"], ads_row["answered"], ads_row["answer_median_s"]) == (1, 0, None)
    overall = report["overall"]
    assert (overall["received"], overall["letters"], overall["answered"]) == (4, 4, 3)
    spaces = (await counselor.get("/api/console/stats/mailbox", **period, by="space")).json()
    assert sorted(row["received"] for row in spaces["totals"]) == [1, 3]

    exported = await counselor.get("/api/console/export/mailbox.csv", **period, by="link")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    table = {row["label"]: row for row in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))}
    assert (table["Forum"]["received"], table["Forum"]["answers_read"], table["Forum"]["to_chat"]) == ("3", "<3", "<3")
    assert table["Forum"]["answer_median_s"] != "<3"  # three answers: enough for a median
    assert (table["Ads"]["received"], table["Ads"]["answer_median_s"]) == ("<3", "<3")
    bad = await counselor.get("/api/console/stats/mailbox", **{"from": today, "to": "2000-01-01"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_period")
