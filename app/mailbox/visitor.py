"""What a visitor does with a code: read the thread, write back, turn it into a live chat.

The code is the only key. Every request that carries one is limited per source (its own bucket, so that
reading and writing back do not use up the follow-up code's attempts), takes at least FLOOR_S whatever
its outcome (no database connection is held meanwhile), and a wrong code and an expired one get the same
404 `unknown_code`. A failed attempt is audited with nothing about the source.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from app.conversations import lifecycle
from app.core.clientaddr import source_keys
from app.core.errors import Closed, NotAvailable
from app.core.ratelimit import per_hour
from app.limits import check_source, configured
from app.mailbox import service
from app.mailbox.errors import UnknownCode
from app.mailbox.retention import delete_threads
from app.mailbox.schemas import ThreadPublic
from app.models import Link, MailboxThread, Message, iso
from app.privacy.audit import record
from app.privacy.followup import FLOOR_S, offer_to
from app.routing.opening import service_status
from app.runtime import Runtime
from app.visitor import service as visitor_service
from app.visitor.schemas import StartConversation, StartedPublic

T = TypeVar("T")
DEFAULT_CODE_ATTEMPTS_PER_HOUR = 30


async def check_code_attempt(runtime: Runtime, conn: HTTPConnection) -> None:
    """429 when this source used up its code attempts (on any node); blocked sources are refused."""
    rate = configured(runtime.settings.mailbox_attempts_per_hour, DEFAULT_CODE_ATTEMPTS_PER_HOUR, runtime.settings)
    await check_source(per_hour(int(rate), "mailbox-code") if rate > 0 else None, conn, "code attempts")
    if await runtime.blocks.is_blocked(source_keys(conn)):
        raise NotAvailable("the mailbox is not available")


async def with_code(
    runtime: Runtime,
    conn: HTTPConnection,
    code: str,
    work: Callable[[AsyncSession, MailboxThread], Awaitable[T]],
) -> T:
    """Find the thread in one transaction and run work on it; wrong and expired codes look the same."""
    await check_code_attempt(runtime, conn)
    started_at = time.monotonic()
    try:
        async with runtime.transaction() as session:
            thread = await service.find(session, code, runtime.settings)
            if thread is None:
                await record(session, "mailbox_code", detail="unknown or expired code", success=False)
            else:
                return await work(session, thread)
    finally:
        await asyncio.sleep(max(0.0, FLOOR_S - (time.monotonic() - started_at)))
    raise UnknownCode()


async def to_chat(session: AsyncSession, thread: MailboxThread, runtime: Runtime) -> StartedPublic:
    """A live chat carrying the thread's letters, offered first to who answered; the thread is then deleted
    (its text lives on in the chat, under the chat's retention)."""
    settings = runtime.settings
    link_code = None
    if thread.link_id is not None:
        link_code = (await session.exec(select(Link.code).where(col(Link.id) == thread.link_id))).first()
    begin = StartConversation(
        link_code=link_code, language=thread.language, age_band=thread.age_band, topic=thread.topic
    )
    started = await visitor_service.start(session, begin, settings)  # 503 closed when nobody is on duty
    conversation = await lifecycle.get_conversation(session, uuid.UUID(started.conversation_id))
    entries = await service.entries_of(session, thread.id)
    for seq, entry in enumerate(entries, start=1):  # a new conversation no one else knows yet: seqs are ours
        session.add(
            Message(
                conversation_id=conversation.id,
                seq=seq,
                author=entry.author,
                counselor_id=entry.counselor_id,
                alias=entry.alias,
                body=entry.body,
                created_at=entry.created_at,
            )
        )
    conversation.last_seq = conversation.visitor_read_seq = len(entries)
    conversation.priority = 1  # the visitor has waited already: ahead of newcomers, as a follow-up
    session.add(conversation)
    await session.flush()
    offered = await offer_to(session, conversation, thread.answered_by_id)
    await lifecycle.announce(session, conversation, holders=set())
    await service.bump_stat(session, thread, to_chat=True)
    service.tell_staff(session, "chat", thread)
    await delete_threads(session, [thread.id])
    where = f"offered to counselor {thread.answered_by_id}" if offered else "in the queue"
    detail = f"mailbox thread became a chat; {where}"
    await record(session, "mailbox_chat", conversation_id=conversation.id, detail=detail)
    return started


async def chat_from_code(runtime: Runtime, conn: HTTPConnection, code: str) -> StartedPublic:
    """503 for everyone while closed (before the code is looked at), else the chat."""
    async with runtime.transaction() as session:
        status = await service_status(session, runtime.settings)
    if not status.open:
        next_opening = iso(status.next_opening) if status.next_opening else None
        raise Closed(next_opening=next_opening)

    async def work(session: AsyncSession, thread: MailboxThread) -> StartedPublic:
        return await to_chat(session, thread, runtime)

    started = await with_code(runtime, conn, code, work)
    await runtime.blocks.remember(started.conversation_id, source_keys(conn))
    return started


async def read_thread(runtime: Runtime, conn: HTTPConnection, code: str) -> ThreadPublic:
    """The thread as the visitor sees it; an answer shown is marked read."""

    async def work(session: AsyncSession, thread: MailboxThread) -> ThreadPublic:
        await service.mark_read(session, thread)
        return await service.visitor_view(session, thread, runtime.settings)

    return await with_code(runtime, conn, code, work)


async def write_back(runtime: Runtime, conn: HTTPConnection, code: str, body: str) -> ThreadPublic:
    """Another letter in the thread (the answer it replies to counts as read); the thread as it is now."""

    async def work(session: AsyncSession, thread: MailboxThread) -> ThreadPublic:
        await service.mark_read(session, thread)
        await service.add_visitor_letter(session, thread, body, runtime.settings)
        return await service.visitor_view(session, thread, runtime.settings)

    return await with_code(runtime, conn, code, work)
