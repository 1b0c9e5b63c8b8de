"""Reading the audit log (admins): newest first, filtered by actor, action, conversation and time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import InvalidRequest
from app.models import AuditEntry, Counselor
from app.privacy.schemas import AuditEntryPublic

MAX_LIMIT = 1000


def parse_bound(text: str | None, name: str, *, end: bool = False) -> datetime | None:
    """A day (YYYY-MM-DD, UTC; as `to` the whole day) or an ISO time (no zone: UTC); `to` is inclusive."""
    if text is None or text == "":
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=UTC)
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidRequest(f"{name}: not a date or time: {text[:40]!r}") from exc
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at + timedelta(microseconds=1) if end else at  # `to` includes the time given


async def entries(
    session: AsyncSession,
    *,
    actor: int | None = None,
    action: str | None = None,
    conversation: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntryPublic]:
    query = select(AuditEntry, Counselor).join(Counselor, col(Counselor.id) == AuditEntry.actor_id, isouter=True)
    if actor is not None:
        query = query.where(AuditEntry.actor_id == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if conversation is not None:
        query = query.where(AuditEntry.conversation_id == conversation)
    if since is not None:
        query = query.where(col(AuditEntry.at) >= since)
    if until is not None:
        query = query.where(col(AuditEntry.at) < until)
    query = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
    return [
        AuditEntryPublic(
            id=entry.id,
            at=entry.at,
            actor_id=entry.actor_id,
            actor=actor_row.display_name if actor_row else None,
            action=entry.action,
            conversation_id=entry.conversation_id,
            target=entry.target,
            detail=entry.detail,
            success=entry.success,
        )
        for entry, actor_row in (await session.exec(query)).all()
    ]
