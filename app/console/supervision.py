"""What a supervisor sees: every waiting and active chat with its counselor and timings, and who is on."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.console.schemas import QueueEntryPublic, StaffOnDutyPublic, SupervisedChatPublic, SupervisionPublic
from app.conversations import lifecycle
from app.models import Conversation, ConversationState, Counselor, Presence
from app.routing.queue import snapshot


async def overview(session: AsyncSession, default_wait_s: float) -> SupervisionPublic:
    queue = await snapshot(session, default_wait_s)
    active = (
        await session.exec(
            select(Conversation)
            .where(Conversation.state == ConversationState.active)
            .order_by(col(Conversation.claimed_at))
        )
    ).all()
    staff = (
        await session.exec(select(Counselor).where(col(Counselor.is_active).is_(True)).order_by(col(Counselor.id)))
    ).all()
    held: dict[int | None, int] = {}
    for conversation in active:
        held[conversation.counselor_id] = held.get(conversation.counselor_id, 0) + 1
    chats = [
        SupervisedChatPublic.model_validate(
            {**await lifecycle.summary(session, conversation), "last_activity_at": conversation.last_activity_at}
        )
        for conversation in active
    ]
    return SupervisionPublic(
        waiting=[QueueEntryPublic.model_validate(item) for item in queue.items],
        active=chats,
        counselors=[
            StaffOnDutyPublic(
                id=c.id,
                alias=c.alias,
                display_name=c.display_name,
                role=c.role,
                presence=c.presence,
                capacity=c.capacity,
                active=held.get(c.id, 0),
            )
            for c in staff
            if c.presence != Presence.offline or held.get(c.id)
        ],
    )
