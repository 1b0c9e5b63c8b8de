"""Wrap-up when a conversation closes: tags and an anonymous age band/topic correction."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Conversation


async def apply_wrap_up(
    session: AsyncSession,
    conversation: Conversation,
    tag_ids: list[int],
    age_band: str | None,
    topic: str | None,
) -> None:
    """(being written)"""
    return None
