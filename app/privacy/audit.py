"""Writing the audit log: one row per sign-in, claim, transfer, close, monitor, purge, export, change."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import AuditEntry


async def record(
    session: AsyncSession,
    action: str,
    *,
    actor_id: int | None = None,
    conversation_id: uuid.UUID | str | None = None,
    target: str | None = None,
    detail: str = "",
    success: bool = True,
) -> None:
    """Add an entry to the caller's transaction (so it commits, or not, with what it records)."""
    cid = uuid.UUID(str(conversation_id)) if conversation_id is not None else None
    session.add(
        AuditEntry(
            action=action[:32],
            actor_id=actor_id,
            conversation_id=cid,
            target=target[:64] if target else None,
            detail=detail[:256],
            success=success,
        )
    )
