"""A transcript as a text file, for a report of concern about a child at risk (supervisors, audited)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.conversations import lifecycle
from app.models import Message, iso, utcnow
from app.privacy.audit import record


@dataclass(frozen=True)
class Transcript:
    filename: str
    text: str


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)


async def export(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> Transcript:
    conversation = await lifecycle.get_conversation(session, conversation_id)
    messages = (
        await session.exec(select(Message).where(Message.conversation_id == conversation_id).order_by(col(Message.seq)))
    ).all()
    taken = utcnow()
    header = [
        "Lykta - utskrift av chattsamtal / chat transcript",
        f"Conversation: {conversation.id}",
        f"State: {conversation.state}",
        f"Started: {iso(conversation.created_at)}",
        f"Ended: {iso(conversation.closed_at) if conversation.closed_at else '-'}",
        f"Language: {_or_dash(conversation.language)}  Age band: {_or_dash(conversation.age_band)}"
        f"  Topic: {_or_dash(conversation.topic)}",
        f"Exported: {iso(taken)} by {staff.counselor.display_name}",
        f"Messages: {len(messages)}",
        "",
        "seq | time (UTC) | author | alias | text",
        "",
    ]
    lines = list(header)
    for message in messages:
        first, *rest = message.body.splitlines() or [""]
        lines.append(
            f"{message.seq} | {iso(message.created_at)} | {message.author} | {_or_dash(message.alias)} | {first}"
        )
        lines.extend(f"    {line}" for line in rest)  # later lines of one message stay visibly inside it
    await record(
        session, "export", actor_id=staff.id, conversation_id=conversation.id, detail=f"{len(messages)} messages"
    )
    stamp = taken.strftime("%Y%m%dT%H%MZ")
    return Transcript(f"lykta-transcript-{str(conversation.id)[:8]}-{stamp}.txt", "\n".join(lines) + "\n")
