"""The hot path (issue 17): a batch is a fixed number of set-based statements; a socket reads on while its sends
commit, its acks come in order and its `end` waits for them; the sending socket gets an ack, not its own message."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.conversations.batch import Outcome, PendingMessage, StoredMessage
from app.conversations.lifecycle import finish, get_conversation
from app.conversations.writer import MAX_BATCH
from app.core.db import make_engine
from app.core.errors import AppError
from app.models import Author
from tests.helpers import Lykta

CONVERSATIONS = 50


async def test_a_batch_of_200_stores_each_once_gapless_with_a_fixed_number_of_statements(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Sara")
    visitors = [await lykta.visitor() for _ in range(CONVERSATIONS)]
    for visitor in visitors[:2]:  # the counselor answers in two of them
        assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    ids = [uuid.UUID(v.conversation_id) for v in visitors]
    holder = int(counselor.counselor["id"])

    def batch(name: str, size: int) -> list[PendingMessage]:
        """size sends spread over the conversations (the counselor's in the two they hold), a resend of the first
        round's, a send repeated within the batch, and one to the last conversation (ended after the first round)."""
        sends: list[PendingMessage] = []
        for n in range(size - 3):
            cid = ids[n % len(ids)]
            if cid in ids[:2] and n % 2:
                sends.append(
                    PendingMessage(
                        cid, Author.counselor, f"{name}-{n}", f"{name}-{n}", alias="Sara", counselor_id=holder
                    )
                )
            else:
                sends.append(PendingMessage(cid, Author.visitor, f"{name}-{n}", f"{name}-{n}"))
        sends.append(PendingMessage(ids[3], Author.visitor, "first-3", "first-3"))  # a resend of the first round
        sends.append(PendingMessage(ids[4], Author.visitor, f"{name}-4", f"{name}-4"))  # twice in this batch
        sends.append(PendingMessage(ids[-1], Author.visitor, f"{name}-end", f"{name}-end"))
        return sends

    async def write(sends: list[PendingMessage]) -> tuple[list[Outcome], int, int]:
        """All of them submitted at once (one batch); their outcomes, the batches and statements it took."""
        writer = lykta.server.runtime().messages
        outcomes: list[Outcome] = [AppError("unsettled", 500, "unsettled")] * len(sends)
        before = writer.batches
        for index, send in enumerate(sends):

            def settled(outcome: Outcome, index: int = index) -> None:
                outcomes[index] = outcome

            send.settled = settled
            writer.submit(send)
        await writer.drain()
        return outcomes, writer.batches - before, writer.statements[-1]

    async def scenario() -> list[tuple[list[PendingMessage], list[Outcome], int, int]]:
        done = []
        first = batch("first", CONVERSATIONS)
        done.append((first, *await write(first)))
        async with lykta.server.runtime().transaction() as session:  # the last conversation ends
            await finish(session, await get_conversation(session, ids[-1]))
        for sends in (batch("small", 12), batch("big", MAX_BATCH)):
            done.append((sends, *await write(sends)))
        return done

    rounds = await lykta.server.run_in_server(scenario())
    assert [batches for _s, _o, batches, _n in rounds] == [1, 1, 1]  # each round one commit, 200 sends included
    small, big = rounds[1][3], rounds[2][3]
    assert small == big <= 10  # the same statements for 12 sends as for 200, resends and refusals included
    created = 0
    for sends, outcomes, _batches, _n in rounds:
        for send, outcome in zip(sends, outcomes, strict=True):
            if send.conversation_id == ids[-1] and not sends[0].body.startswith("first"):
                assert isinstance(outcome, AppError) and outcome.code == "conversation_closed", (send, outcome)
            else:
                assert isinstance(outcome, StoredMessage), (send, outcome)
                created += outcome.created
        resend = outcomes[-3]
        assert isinstance(resend, StoredMessage) and resend.client_id == "first-3"
        twice = [o for s, o in zip(sends, outcomes, strict=True) if s.client_id == sends[-2].client_id]
        assert len(twice) == 2 and len({o.seq for o in twice if isinstance(o, StoredMessage)}) == 1

    # in the database: every conversation's seqs gapless from 1, each client_id once, each created send once
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with engine.connect() as db:
            rows = (await db.execute(text("SELECT conversation_id, seq, client_id FROM message"))).all()
    finally:
        await engine.dispose()
    by_conversation: dict[str, list[int]] = {}
    for cid, seq, _client in rows:
        by_conversation.setdefault(str(cid).replace("-", ""), []).append(seq)
    for seqs in by_conversation.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    assert len({(str(c), client) for c, _s, client in rows}) == len(rows) == created


async def test_a_socket_reads_on_while_32_sends_commit_and_end_waits_for_their_acks(lykta: Lykta) -> None:
    await lykta.staff()
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    async with hold_writes(lykta.server.settings.database_url, visitor.conversation_id):
        for n in range(32):
            await chat.send({"type": "send", "client_id": f"m{n}", "body": f"line {n}"})
        await chat.send({"type": "ping"})
        await chat.expect("pong")  # answered while all 32 sends wait for their commit
        assert not [f for f in chat.seen if f["type"] == "ack"]
        await chat.send({"type": "end"})
    acks = [await chat.expect("ack", timeout=15) for _ in range(32)]
    state = await chat.expect("state", timeout=10)
    assert [a["client_id"] for a in acks] == [f"m{n}" for n in range(32)]  # in the order sent
    assert [a["seq"] for a in acks] == list(range(1, 33))
    order = [f["type"] for f in chat.seen if f["type"] in ("ack", "state")]
    assert order[-1] == "state" and order[-33:-1] == ["ack"] * 32  # `end` was answered after every ack
    assert state["state"] == "abandoned"


async def test_the_sending_socket_gets_an_ack_and_its_second_tab_the_message(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Sara")
    visitor = await lykta.visitor()
    chat = await visitor.socket()
    assert (await counselor.claim(visitor.conversation_id)).status_code == 200
    tab, second_tab = await counselor.socket(), await counselor.socket()
    cid = visitor.conversation_id
    await tab.send({"type": "send", "conversation_id": cid, "client_id": "c1", "body": "hej"})
    ack = await tab.expect("ack")
    assert (ack["client_id"], ack["seq"], ack["conversation_id"]) == ("c1", 1, cid) and ack["at"].endswith("Z")
    copy = await second_tab.expect("message", client_id="c1")
    assert (copy["seq"], copy["body"], copy["at"]) == (1, "hej", ack["at"])
    assert (await chat.expect("message"))["body"] == "hej"
    await chat.send({"type": "send", "client_id": "v1", "body": "hej själv"})
    assert (await tab.expect("message", client_id="v1"))["seq"] == 2  # the sender still hears the other side
    assert await tab.silent("message", 0.5) and not [
        f for f in tab.seen if f.get("client_id") == "c1" and f["type"] == "message"
    ]


@asynccontextmanager
async def hold_writes(database_url: str, conversation_id: str) -> AsyncIterator[None]:
    """Keep the conversation's row (SQLite: the database) locked from outside, so that its sends cannot commit."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        lite = sqlite3.connect(url.database or "", isolation_level=None, check_same_thread=False)
        lite.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            lite.execute("ROLLBACK")
            lite.close()
        return
    engine = make_engine(database_url)
    try:
        async with engine.connect() as db:
            await db.execute(text("SELECT id FROM conversation WHERE id = :id FOR UPDATE"), {"id": conversation_id})
            try:
                yield
            finally:
                await db.rollback()
    finally:
        await engine.dispose()


@pytest.mark.parametrize("named", [True, False], ids=["hello-names-its-conversation", "hello-with-token-only"])
async def test_a_message_committed_while_a_hello_is_read_reaches_that_visitor(lykta: Lykta, named: bool) -> None:
    """Visitors reconnect while their counselors write: each message written during a hello reaches the new socket
    without a later message to repair the gap (the reconnect storm lost such messages)."""
    staff = [await lykta.staff() for _ in range(4)]
    visitors = [await lykta.visitor() for _ in range(12)]
    consoles = [await s.socket() for s in staff]
    for i, visitor in enumerate(visitors):
        assert (await staff[i // 3].claim(visitor.conversation_id)).status_code == 200
    missed: list[tuple[str, int]] = []
    reading = [asyncio.Lock() for _ in consoles]  # three visitors' trials share a console

    async def trials(i: int) -> None:
        visitor, console = visitors[i], consoles[i // 3]
        cid, last = visitor.conversation_id, 0
        extra = {"conversation_id": cid} if named else {}
        for n in range(15):
            client_id = f"c{i}-{n}"
            frame = {"type": "send", "conversation_id": cid, "client_id": client_id, "body": "."}
            chat, _ = await asyncio.gather(visitor.socket(last_seq=last, **extra), console.send(frame))
            async with reading[i // 3]:
                try:
                    ack = await console.expect("ack", client_id=client_id, timeout=20)
                except TimeoutError:
                    raise AssertionError(f"no ack for {client_id}; the console saw {console.seen[-8:]}") from None
            try:
                await chat.expect("message", client_id=client_id, timeout=1)
            except TimeoutError:
                missed.append((client_id, ack["seq"]))
            last = ack["seq"]
            await chat.close()

    await asyncio.gather(*(trials(i) for i in range(len(visitors))))
    assert missed == []
