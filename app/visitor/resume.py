"""A visitor's hello is one short read: the conversation its token opens, the alias it shows, the messages after
last_seq. A reconnect storm is then bounded by the network, not by queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, and_, bindparam, inspect, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations.messages import EVENT_COLUMNS, event_of_row
from app.core.security import token_hash
from app.models import Conversation, ConversationState, Counselor, Message
from app.realtime.events import MessageFrame

ENDED = (ConversationState.closed, ConversationState.abandoned)
_conversation = cast(Table, inspect(Conversation).local_table).c
_message = cast(Table, inspect(Message).local_table).c
_counselor = cast(Table, inspect(Counselor).local_table)
_holder = _counselor.alias("holder").c
_sender = _counselor.alias("sender").c
RESUME = (
    select(
        _conversation.id,
        _conversation.state,
        _conversation.blocked,
        _conversation.accept_by,
        _holder.alias,
        _sender.alias,
        *EVENT_COLUMNS,
    )
    .select_from(_conversation.id.table)
    .outerjoin(_holder.id.table, _holder.id == _conversation.counselor_id)
    .outerjoin(_sender.id.table, _sender.id == _conversation.transfer_from_id)
    .outerjoin(
        _message.id.table,
        and_(
            _message.conversation_id == _conversation.id,
            _message.seq > bindparam("p_after"),
            _conversation.state.not_in(ENDED),  # an ended conversation's token gets its state, not its transcript
        ),
    )
    .where(_conversation.visitor_token_hash == bindparam("p_hash"))
    .order_by(_message.seq)
)


@dataclass
class Resumed:
    conversation_id: uuid.UUID
    state: ConversationState
    blocked: bool
    alias: str | None
    replay: list[MessageFrame] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.state in ENDED


async def resume(session: AsyncSession, token: str, last_seq: int) -> Resumed | None:
    """What the token opens, or None. During a transfer not yet accepted the visitor still sees the alias of the
    one who was answering."""
    connection = await session.connection()
    rows = (await connection.execute(RESUME, {"p_hash": token_hash(token), "p_after": last_seq})).all()
    if not rows:
        return None
    cid, state, blocked, accept_by, holder_alias, sender_alias = rows[0][:6]
    alias = sender_alias if accept_by is not None and sender_alias is not None else holder_alias
    resumed = Resumed(cid, ConversationState(state), bool(blocked), alias)
    resumed.replay = [event_of_row(cid, row[6:]) for row in rows if row[6] is not None]
    return resumed
