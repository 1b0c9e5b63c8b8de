"""Purge now: a conversation's text is deleted at once (closed first if still open), audited."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.console.service import held_conversation
from app.conversations import lifecycle
from app.conversations.messages import OPEN_STATES, append_message
from app.conversations.notices import notice
from app.core.db import queue_event
from app.models import Author
from app.privacy.audit import record
from app.privacy.retention import delete_conversations
from app.privacy.schemas import PurgedPublic
from app.realtime.events import purged_event
from app.realtime.hub import conversation_channel, counselor_channel


async def purge_now(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> PurgedPublic:
    """The holder (or a supervisor) deletes the transcript; the statistics row is written at close."""
    conversation = await held_conversation(session, conversation_id, staff)
    holder = conversation.counselor_id
    if conversation.state in OPEN_STATES:
        await append_message(
            session, conversation.id, author=Author.system, body=notice("ended_by_counselor", conversation.language)
        )
        await lifecycle.finish(session, conversation)
        await lifecycle.announce(session, conversation, holders={holder})
    counts = await delete_conversations(session, [conversation.id])
    await record(session, "purge", actor_id=staff.id, conversation_id=conversation_id, detail=str(counts))
    purged = purged_event(conversation_id)
    queue_event(session, conversation_channel(conversation_id), purged)  # supervisors monitoring it
    for counselor_id in {holder, staff.id}:
        if counselor_id is not None:
            queue_event(session, counselor_channel(counselor_id), purged)
    return PurgedPublic(conversation_id=conversation_id, purged=True, messages=counts.messages, notes=counts.notes)
