"""Appending and reading messages: persisted with their seq before anyone is told."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, inspect, update
from sqlalchemy import select as select_rows
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.db import after_commit, queue_event
from app.core.errors import Conflict, ConversationClosed, NotHolder
from app.core.metrics import MESSAGES
from app.models import Author, Conversation, ConversationState, Message, utcnow
from app.realtime.events import MessageFrame, message_event
from app.realtime.hub import conversation_channel

OPEN_STATES = (ConversationState.waiting, ConversationState.active)

# The hot path runs these statements, built once: building a statement and its cache key on every message cost
# more than running it. Core statements on the session's connection also skip the ORM's per-call work.
CONVERSATION = cast(Table, inspect(Conversation).local_table)
MESSAGE = cast(Table, inspect(Message).local_table)
_conversation, _message = CONVERSATION.c, MESSAGE.c
_ID, _NOW = (
    bindparam("p_id", type_=_conversation.id.type),
    bindparam("p_now", type_=_conversation.last_activity_at.type),
)
# a counselor's message marks the conversation answered, as SET expressions on the old row: the first answer is
# kept (for the waits in the statistics); an offer waiting to be accepted is taken
_ANSWER = {
    "first_answer_at": func.coalesce(_conversation.first_answer_at, _NOW),
    "transfer_from_id": case((_conversation.accept_by.is_(None), _conversation.transfer_from_id), else_=None),
    "accept_by": None,
}
_NEXT_SEQ = {"last_seq": _conversation.last_seq + 1, "last_activity_at": _NOW}
_OPEN = (_conversation.id == _ID, _conversation.state.in_(OPEN_STATES))
_WRITTEN = (_conversation.last_seq, _conversation.last_activity_at)  # returned, for a loaded Conversation
TAKE_SEQ = update(CONVERSATION).where(*_OPEN).values(_NEXT_SEQ).returning(*_WRITTEN)
TAKE_SEQ_HOLDING = (  # a counselor's message: only while they hold the active conversation
    update(CONVERSATION)
    .where(
        _conversation.id == _ID,
        _conversation.state == ConversationState.active,
        _conversation.counselor_id == bindparam("p_holder", type_=_conversation.counselor_id.type),
    )
    .values({**_NEXT_SEQ, **_ANSWER})
    .returning(*_WRITTEN, *(_conversation[name] for name in _ANSWER))
)
GIVE_SEQ_BACK = update(CONVERSATION).where(_conversation.id == _ID).values(last_seq=_conversation.last_seq - 1)
INSERT_ONCE = {  # a repeated (conversation_id, client_id) inserts nothing and returns no id
    name: insert(MESSAGE).on_conflict_do_nothing(index_elements=["conversation_id", "client_id"]).returning(_message.id)
    for name, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
MESSAGE_COLUMNS = (
    "conversation_id",
    "seq",
    "author",
    "counselor_id",
    "alias",
    "body",
    "client_id",
    "created_at",
    "card",
)
# what a message event is made of, in message_event's order (the hello's read takes the same)
EVENT_COLUMNS = (
    _message.seq,
    _message.author,
    _message.alias,
    _message.body,
    _message.client_id,
    _message.created_at,
    _message.card,
)
EVENTS_AFTER = (
    select_rows(*EVENT_COLUMNS)
    .where(_message.conversation_id == bindparam("p_conversation"), _message.seq > bindparam("p_after"))
    .order_by(_message.seq)
    .limit(bindparam("p_limit"))
)


def as_event(message: Message) -> MessageFrame:
    return message_event(
        message.conversation_id,
        message.seq,
        message.author,
        message.alias,
        message.body,
        message.client_id,
        message.created_at,
        message.card,
    )


async def _by_client_id(session: AsyncSession, conversation_id: uuid.UUID, client_id: str) -> Message | None:
    result = await session.exec(
        select(Message).where(Message.conversation_id == conversation_id, Message.client_id == client_id)
    )
    return result.first()


def _loaded(session: AsyncSession, conversation_id: uuid.UUID) -> Conversation | None:
    key = session.sync_session.identity_key(Conversation, conversation_id)
    loaded = session.sync_session.identity_map.get(key)
    return loaded if isinstance(loaded, Conversation) else None


def _sync(loaded: Conversation | None, values: dict[str, Any]) -> None:
    """Give a Conversation this session has loaded the values a Core UPDATE just wrote (as returned by it: what the
    ORM's synchronize_session does), so that a later flush or read in the same transaction sees them."""
    if loaded is not None:
        for key, value in values.items():
            if key in loaded.__dict__:
                set_committed_value(loaded, key, value)


async def append_message(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    *,
    author: str,
    body: str,
    client_id: str | None = None,
    alias: str | None = None,
    counselor_id: int | None = None,
    card: dict[str, Any] | None = None,
) -> tuple[Message, bool]:
    """Store a message with the next seq; a repeated client_id returns the stored one (False).

    Two statements on the hot path (their cost bounds a node's throughput): the conditional UPDATE that takes the
    next seq (it locks the conversation's row until commit, so appends to one conversation are serial) and an
    INSERT that does nothing on a repeated client_id, in which case the seq is given back and the stored message
    returned. A counselor's message is stored only while that counselor (counselor_id) holds the active
    conversation (else not_holder), and marks it answered in the same UPDATE: the first answer is kept,
    and writing to the visitor takes an assignment or transfer that was waiting to be accepted.
    """
    now = utcnow()
    holding = author == Author.counselor  # checked in the UPDATE, so no release can slip in between
    connection = await session.connection()
    params: dict[str, Any] = {"p_id": conversation_id, "p_now": now}
    if holding:
        params["p_holder"] = counselor_id
    taken = (await connection.execute(TAKE_SEQ_HOLDING if holding else TAKE_SEQ, params)).mappings().one_or_none()
    if taken is None:
        existing = await _by_client_id(session, conversation_id, client_id) if client_id is not None else None
        if existing is not None:  # a resend of something stored before the conversation ended or moved
            return existing, False
        if holding:
            raise NotHolder()
        raise ConversationClosed()
    written, seq = dict(taken), int(taken["last_seq"])
    loaded = _loaded(session, conversation_id)
    message = Message(
        conversation_id=conversation_id,
        seq=seq,
        author=author,
        alias=alias,
        body=body,
        client_id=client_id,
        counselor_id=counselor_id,
        created_at=now,
        card=card,
    )
    row = {column: getattr(message, column) for column in MESSAGE_COLUMNS}
    inserted = await connection.execute(INSERT_ONCE[connection.dialect.name], row)
    message_id = inserted.scalar_one_or_none()
    if message_id is None:  # this client_id is stored already: give the seq back (the row is still locked)
        await connection.execute(GIVE_SEQ_BACK, {"p_id": conversation_id})
        existing = await _by_client_id(session, conversation_id, client_id) if client_id is not None else None
        if existing is None:  # cannot happen: without a client_id nothing conflicts
            raise Conflict("the message could not be stored")
        _sync(loaded, {**written, "last_seq": seq - 1})
        return existing, False
    message.id = message_id
    _sync(loaded, written)
    queue_event(session, conversation_channel(conversation_id), as_event(message))
    after_commit(session, MESSAGES.labels(author).inc)
    return message, True


async def message_events(
    session: AsyncSession, conversation_id: uuid.UUID, after_seq: int, limit: int = 1000
) -> list[MessageFrame]:
    """Events of the messages after after_seq, read as plain rows (every hello and gap repair reads these)."""
    connection = await session.connection()
    result = await connection.execute(
        EVENTS_AFTER, {"p_conversation": conversation_id, "p_after": after_seq, "p_limit": limit}
    )
    return [event_of_row(conversation_id, row) for row in result.all()]


def event_of_row(conversation_id: uuid.UUID, row: Sequence[Any]) -> MessageFrame:
    """A message event from a row's EVENT_COLUMNS."""
    seq, author, alias, body, client_id, at, card = row
    return message_event(conversation_id, seq, author, alias, body, client_id, at, card)


def transcript_loader(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> Callable[[str, int], Awaitable[list[MessageFrame]]]:
    """What a socket calls to catch up on a conversation from the database, in a short session."""

    async def load(conversation_id: str, after_seq: int) -> list[MessageFrame]:
        async with sessionmaker() as session:
            return await message_events(session, uuid.UUID(conversation_id), after_seq)

    return load
