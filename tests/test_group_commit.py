"""Sends that arrive together are stored in one transaction; a refused one fails alone; a console's message is
stored only while its counselor holds the conversation, checked in the statement that stores it."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import update
from sqlmodel import col

from app.conversations.batch import Outcome, PendingMessage, StoredMessage
from app.conversations.writer import MAX_BATCH
from app.core.db import make_engine, make_sessionmaker
from app.core.errors import AppError
from app.models import Author, Conversation
from tests.helpers import Lykta

PER_CONVERSATION = 10


async def test_sends_arriving_together_share_a_commit_and_a_refused_one_fails_alone(lykta: Lykta) -> None:
    await lykta.staff()  # on duty, so that chats can start
    first, second, ended = [await lykta.visitor() for _ in range(3)]
    leaving = await ended.socket()
    await leaving.send({"type": "end"})
    assert (await leaving.expect("state"))["state"] in ("closed", "abandoned")
    targets = [first.conversation_id, second.conversation_id, ended.conversation_id]
    acked: list[tuple[str, str, int]] = []

    def ack(outcome: Outcome) -> None:
        if isinstance(outcome, StoredMessage):
            acked.append((str(outcome.conversation_id), outcome.body, outcome.seq))

    async def burst() -> tuple[list[StoredMessage | BaseException], int]:
        writer = lykta.server.runtime().messages
        before = writer.batches
        sends = [
            PendingMessage(uuid.UUID(cid), Author.visitor, f"{cid[:4]}-{n}", f"burst-{n}", ack)
            for n in range(PER_CONVERSATION)
            for cid in targets
        ]
        results = await asyncio.gather(*(writer.append(s) for s in sends), return_exceptions=True)
        return results, writer.batches - before

    results, batches = await lykta.server.run_in_server(burst())
    refused = [r for r in results if isinstance(r, AppError)]
    assert len(results) == 3 * PER_CONVERSATION and batches == 1  # 30 sends, one commit
    assert len(refused) == PER_CONVERSATION and {r.code for r in refused} == {"conversation_closed"}
    assert not [r for r in results if isinstance(r, BaseException) and not isinstance(r, AppError)]
    for visitor in (first, second):  # stored in arrival order, each acknowledged once, all of it readable
        cid = visitor.conversation_id
        mine = [(body, seq) for c, body, seq in acked if c == cid]
        assert [body for body, _seq in mine] == [f"{cid[:4]}-{n}" for n in range(PER_CONVERSATION)]
        assert [seq for _body, seq in mine] == list(range(1, PER_CONVERSATION + 1))
        replay = await (await visitor.socket()).messages(PER_CONVERSATION)
        assert [(m["body"], m["seq"]) for m in replay] == mine
    assert not [c for c, _body, _seq in acked if c == ended.conversation_id]


async def test_a_console_message_is_refused_once_the_conversation_has_moved_on(lykta: Lykta) -> None:
    holder, colleague = await lykta.staff(), await lykta.staff()
    visitor = await lykta.visitor()
    assert (await holder.claim(visitor.conversation_id)).status_code == 200
    console = await holder.socket()
    await console.expect("conversation")
    # another node hands the conversation to a colleague; this node has not heard of it yet
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            await session.exec(
                update(Conversation)
                .where(col(Conversation.id) == uuid.UUID(visitor.conversation_id))
                .values(counselor_id=colleague.id)
            )
            await session.commit()
    finally:
        await engine.dispose()
    send = {"type": "send", "conversation_id": visitor.conversation_id, "client_id": "late", "body": "still here?"}
    await console.send(send)
    error = await console.expect("error")
    assert (error["code"], error["client_id"]) == ("not_holder", "late")
    chat = await visitor.socket()
    assert await chat.silent("message")  # nothing was stored for the visitor to see


async def test_sends_left_behind_by_closed_sockets_do_not_hold_up_the_next_one(lykta: Lykta) -> None:
    """A socket that closes while its sends wait leaves them queued (they are still stored: its client resends by
    client_id). More such sends than one batch takes must not keep a later send from being written."""
    await lykta.staff()
    visitor = await lykta.visitor()
    cid = uuid.UUID(visitor.conversation_id)

    def send(n: int) -> PendingMessage:
        return PendingMessage(cid, Author.visitor, f"m{n}", f"left-{n}")

    async def scenario() -> int:
        writer = lykta.server.runtime().messages
        first = asyncio.create_task(writer.append(send(0)))  # starts the writer
        await asyncio.sleep(0)
        left = [asyncio.create_task(writer.append(send(n))) for n in range(1, MAX_BATCH + 1)]
        await asyncio.sleep(0)  # all of them queued behind the first batch
        for task in left:
            task.cancel()  # their sockets closed
        await first
        last = await asyncio.wait_for(writer.append(send(MAX_BATCH + 1)), 10)
        return last.seq

    last_seq = await lykta.server.run_in_server(scenario())
    assert last_seq == MAX_BATCH + 2  # every send stored once, in the order they came
    replay = await (await visitor.socket()).messages(MAX_BATCH + 2)
    assert [m["body"] for m in replay] == [f"m{n}" for n in range(MAX_BATCH + 2)]
