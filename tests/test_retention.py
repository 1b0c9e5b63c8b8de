"""Retention and purge: text, notes and the conversation row go after the window (or at once), the
statistics stay, and on SQLite not one byte of the text is left in the database's files."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, text, update
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import col, select
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from app.models import AuditEntry, Conversation, ConversationStat, Message, Note, utcnow
from tests.backends import migrate
from tests.helpers import Frames, Lykta, StaffClient, Visitor, eventually

T = TypeVar("T")
SENTENCE = "Purple walrus 4711 sings quietly under the Västerbron bridge"
NOTE = "Staff note: zebra umbrella 0815 in the hallway"
RETENTION_ZERO = {"retention_hours": 0, "sweep_interval_s": 0.2}
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


async def in_server(lykta: Lykta, work: Any) -> Any:
    """Run work(session) in a transaction on the server's own loop and connection pool."""
    runtime = lykta.server.runtime()

    async def run() -> Any:
        async with runtime.transaction() as session:
            return await work(session)

    return await lykta.server.run_in_server(run())


async def rows(lykta: Lykta, model: Any, *where: Any) -> int:
    async def count(session: Any) -> int:
        return int((await session.exec(select(func.count()).select_from(model).where(*where))).one())

    return int(await in_server(lykta, count))


async def conversation_rows(lykta: Lykta, conversation_id: str) -> tuple[int, int, int]:
    cid = uuid.UUID(conversation_id)
    return (
        await rows(lykta, Conversation, col(Conversation.id) == cid),
        await rows(lykta, Message, col(Message.conversation_id) == cid),
        await rows(lykta, Note, col(Note.conversation_id) == cid),
    )


async def end_before(lykta: Lykta, conversation_id: str, hours: float) -> None:
    """Pretend the conversation ended `hours` ago."""

    async def move(session: Any) -> None:
        await session.exec(
            update(Conversation)
            .where(col(Conversation.id) == uuid.UUID(conversation_id))
            .values(closed_at=utcnow() - timedelta(hours=hours))
        )

    await in_server(lykta, move)


async def chat_with_text(lykta: Lykta, counselor: StaffClient | None = None) -> tuple[StaffClient, Visitor, Frames]:
    """A claimed conversation with SENTENCE from the visitor's real socket, a reply and a staff note."""
    counselor = counselor or await lykta.staff(alias="Sara")
    visitor = await lykta.visitor()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "v-1", "body": SENTENCE})
    await chat.expect("ack")
    console = await counselor.socket()
    cid = visitor.conversation_id
    await console.send({"type": "send", "conversation_id": cid, "client_id": "c-1", "body": "Hej! " + SENTENCE})
    await console.expect("ack")
    note = await counselor.post(f"/api/console/conversations/{cid}/notes", {"body": NOTE})
    assert note.status_code == 201, note.text
    return counselor, visitor, chat


async def hello_refused(lykta: Lykta, token: str) -> bool:
    """A token that opens nothing: an error frame, then the socket is closed (1008)."""
    ws = await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin(lykta.server.base_url), open_timeout=5)
    frames = Frames(ws)
    try:
        await frames.send({"type": "hello", "token": token, "last_seq": 0})
        error = await frames.expect("error")
        return error["code"] == "invalid_token" and await closed_with(frames) == 1008
    finally:
        await ws.close()


async def closed_with(chat: Frames) -> int | None:
    with pytest.raises(ConnectionClosed):
        await chat.expect("never", timeout=5)
    return chat.ws.close_code


@pytest.mark.parametrize("settings_overrides", [RETENTION_ZERO])
async def test_retention_zero_deletes_text_notes_and_row_at_close_and_keeps_statistics(lykta: Lykta) -> None:
    counselor, visitor, _chat = await chat_with_text(lykta)
    assert await conversation_rows(lykta, visitor.conversation_id) == (1, 2, 1)
    gone_while_waiting = await lykta.visitor()
    left = await gone_while_waiting.socket()
    await left.send({"type": "end"})  # abandoned: never answered
    closed = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")
    assert closed.status_code == 200, closed.text

    async def all_gone() -> bool:
        return await conversation_rows(lykta, visitor.conversation_id) == (0, 0, 0) and (
            await conversation_rows(lykta, gone_while_waiting.conversation_id) == (0, 0, 0)
        )

    await eventually(all_gone)
    assert await rows(lykta, ConversationStat) == 2  # one answered, one abandoned: the aggregates stay
    assert await rows(lykta, ConversationStat, col(ConversationStat.outcome) == "answered") == 1
    assert await rows(lykta, AuditEntry, col(AuditEntry.action) == "retention") >= 1
    async with lykta.http() as http:  # with no window, the follow-up code never works
        again = await http.post("/api/visitor/follow-up", json={"code": visitor.follow_up_code})
    assert (again.status_code, again.json()["code"]) == (404, "unknown_code")


@pytest.mark.parametrize("settings_overrides", [{"retention_hours": 1, "sweep_interval_s": 0.2}])
async def test_text_stays_inside_the_window_and_goes_after_it(lykta: Lykta) -> None:
    counselor, visitor, _chat = await chat_with_text(lykta)
    still_open = await lykta.visitor()
    await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")
    await end_before(lykta, visitor.conversation_id, 0.9)
    await end_before(lykta, still_open.conversation_id, 5)  # not ended: an old time alone deletes nothing
    await asyncio.sleep(0.6)  # three sweeps
    assert await conversation_rows(lykta, visitor.conversation_id) == (1, 2, 1)
    await end_before(lykta, visitor.conversation_id, 1.1)

    async def gone() -> bool:
        return await conversation_rows(lykta, visitor.conversation_id) == (0, 0, 0)

    await eventually(gone)
    assert await rows(lykta, Conversation, col(Conversation.id) == uuid.UUID(still_open.conversation_id)) == 1


async def test_purge_now_closes_an_open_chat_and_deletes_it_at_once(lykta: Lykta) -> None:
    counselor, visitor, chat = await chat_with_text(lykta)
    colleague = await lykta.staff()
    cid = visitor.conversation_id
    refused = await colleague.post(f"/api/console/conversations/{cid}/purge")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_holder")
    purged = await counselor.post(f"/api/console/conversations/{cid}/purge")
    assert purged.status_code == 200, purged.text
    assert purged.json() == {"conversation_id": cid, "purged": True, "messages": 3, "notes": 1}  # + the end line
    assert (await chat.expect("state"))["state"] == "closed"  # the visitor is told it ended ...
    assert await closed_with(chat) == 1000  # ... and its socket is closed
    assert await conversation_rows(lykta, cid) == (0, 0, 0)
    assert await rows(lykta, ConversationStat, col(ConversationStat.outcome) == "answered") == 1
    audited = col(AuditEntry.action) == "purge", col(AuditEntry.actor_id) == counselor.id
    assert await rows(lykta, AuditEntry, *audited, col(AuditEntry.conversation_id) == uuid.UUID(cid)) == 1
    again = await counselor.post(f"/api/console/conversations/{cid}/purge")
    assert again.status_code == 404
    assert await hello_refused(lykta, visitor.token)


async def test_a_supervisor_purges_a_waiting_conversation_and_the_holder_a_closed_one(lykta: Lykta) -> None:
    supervisor = await lykta.staff(role="supervisor")
    counselor = await lykta.staff()
    waiting = await lykta.visitor()
    refused = await counselor.post(f"/api/console/conversations/{waiting.conversation_id}/purge")
    assert refused.status_code == 403
    assert (await supervisor.post(f"/api/console/conversations/{waiting.conversation_id}/purge")).status_code == 200
    assert await conversation_rows(lykta, waiting.conversation_id) == (0, 0, 0)
    _, ended, _ = await chat_with_text(lykta, counselor)
    await counselor.post(f"/api/console/conversations/{ended.conversation_id}/close")
    assert (await counselor.post(f"/api/console/conversations/{ended.conversation_id}/purge")).status_code == 200
    assert await rows(lykta, ConversationStat) == 2


def database_files(lykta: Lykta) -> dict[str, bytes]:
    path = lykta.server.settings.database_url.split(":///", 1)[1]
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            found[suffix or ".db"] = file.read_bytes()
    return found


def holding(files: dict[str, bytes], *texts: str) -> list[str]:
    return [name for name, data in files.items() for t in texts if t.encode() in data]


@SQLITE_ONLY
async def test_purge_now_leaves_no_byte_of_the_text_in_any_sqlite_file(lykta: Lykta) -> None:
    counselor, visitor, _chat = await chat_with_text(lykta)
    assert holding(database_files(lykta), SENTENCE, NOTE)  # the test can see the text while it is kept
    purged = await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/purge")
    assert purged.status_code == 200
    files = database_files(lykta)  # right after the answer: the server keeps running, nothing is stopped
    assert ".db" in files
    assert holding(files, SENTENCE, NOTE) == []
    assert len(files.get("-wal", b"")) == 0  # checkpointed and truncated


@SQLITE_ONLY
@pytest.mark.parametrize("settings_overrides", [RETENTION_ZERO])
async def test_the_retention_sweeper_also_leaves_no_byte_in_sqlite_files(lykta: Lykta) -> None:
    counselor, visitor, _chat = await chat_with_text(lykta)
    assert holding(database_files(lykta), SENTENCE, NOTE)
    await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")

    async def clean() -> bool:
        return holding(database_files(lykta), SENTENCE, NOTE) == []

    await eventually(clean)


async def last_vacuums(lykta: Lykta) -> dict[str, Any]:
    engine = create_async_engine(lykta.server.settings.database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                text("SELECT relname, last_vacuum FROM pg_stat_user_tables WHERE relname IN ('message', 'note')")
            )
            return {name: at for name, at in result.all()}
    finally:
        await engine.dispose()


@POSTGRES_ONLY
@pytest.mark.parametrize("settings_overrides", [RETENTION_ZERO])
async def test_on_postgres_the_sweeper_vacuums_message_and_note_after_deleting(lykta: Lykta) -> None:
    assert all(at is None for at in (await last_vacuums(lykta)).values())
    counselor, visitor, _chat = await chat_with_text(lykta)
    await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")

    async def vacuumed() -> bool:
        stats = await last_vacuums(lykta)
        return len(stats) == 2 and all(at is not None for at in stats.values())

    await eventually(vacuumed)


@POSTGRES_ONLY
@pytest.mark.parametrize("settings_overrides", [{**RETENTION_ZERO, "vacuum_after_purge": False}])
async def test_on_postgres_no_vacuum_when_the_setting_is_off(lykta: Lykta) -> None:
    counselor, visitor, _chat = await chat_with_text(lykta)
    await counselor.post(f"/api/console/conversations/{visitor.conversation_id}/close")

    async def gone() -> bool:
        return await conversation_rows(lykta, visitor.conversation_id) == (0, 0, 0)

    await eventually(gone)
    await asyncio.sleep(0.5)
    assert all(at is None for at in (await last_vacuums(lykta)).values())


def run_in(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def test_lykta_purge_deletes_what_is_past_retention_and_prints_counts_only(tmp_path: Path) -> None:
    from app.core.db import make_engine, make_sessionmaker
    from app.core.security import token_hash

    url = f"sqlite+aiosqlite:///{tmp_path / 'lykta.db'}"
    migrate(url)
    old, recent = uuid.uuid4(), uuid.uuid4()

    async def seed() -> None:
        engine = make_engine(url)
        async with make_sessionmaker(engine)() as session:
            for cid, hours in ((old, 73), (recent, 1)):
                at = utcnow() - timedelta(hours=hours)
                session.add(Conversation(id=cid, state="closed", visitor_token_hash=token_hash(cid.hex), closed_at=at))
                await session.flush()
                session.add(Message(conversation_id=cid, seq=1, author="visitor", body=SENTENCE))
                session.add(Note(conversation_id=cid, body=NOTE))
            await session.commit()
        await engine.dispose()

    run_in(seed())
    env = {k: v for k, v in os.environ.items() if not k.startswith("LYKTA_")}
    env |= {"LYKTA_DATABASE_URL": url, "LYKTA_RETENTION_HOURS": "72"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "purge"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "purged 1 conversations, 1 messages, 1 notes (ended more than 72 h ago)"

    async def left() -> list[uuid.UUID]:
        engine = make_engine(url)
        async with make_sessionmaker(engine)() as session:
            ids = list((await session.exec(select(Conversation.id))).all())
        await engine.dispose()
        return ids

    assert run_in(left()) == [recent]
    files = [Path(f"{tmp_path / 'lykta.db'}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    data = b"".join(file.read_bytes() for file in files if file.exists())
    assert data.count(SENTENCE.encode()) == 1  # only the recent conversation's copy
