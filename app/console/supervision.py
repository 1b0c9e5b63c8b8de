"""What a supervisor sees: every waiting and active chat with its counselor and timings, and who is on."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.conversations import lifecycle
from app.models import Conversation, ConversationState, Counselor, Presence, iso
from app.routing.queue import snapshot


async def overview(session: AsyncSession, default_wait_s: float) -> dict[str, Any]:
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
    chats = []
    for conversation in active:
        data = await lifecycle.summary(session, conversation)
        data["last_activity_at"] = iso(conversation.last_activity_at)
        chats.append(data)
    return {
        "waiting": queue.items,
        "active": chats,
        "counselors": [
            {
                "id": c.id,
                "alias": c.alias,
                "display_name": c.display_name,
                "role": c.role,
                "presence": c.presence,
                "capacity": c.capacity,
                "active": held.get(c.id, 0),
            }
            for c in staff
            if c.presence != Presence.offline or held.get(c.id)
        ],
    }
