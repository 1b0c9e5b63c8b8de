"""Wrap-up when a conversation closes: tags and an anonymous age band/topic correction."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.console.errors import UnknownTag
from app.console.tool_schemas import WrapUpPublic, WrapUpTagPublic
from app.models import Conversation, ConversationTag, Tag

MAX_ID = 2**31 - 1


async def apply_wrap_up(
    session: AsyncSession,
    conversation: Conversation,
    tag_ids: list[int],
    age_band: str | None,
    topic: str | None,
) -> None:
    """Link the tags (all must be active ones; repeats ignored) and correct age band/topic when given."""
    wanted = set(tag_ids)
    if wanted:
        storable = {tag_id for tag_id in wanted if 0 < tag_id <= MAX_ID}  # a database int, not any int
        found = await session.exec(select(Tag.id).where(col(Tag.id).in_(storable), col(Tag.active).is_(True)))
        unknown = sorted(wanted - {tag_id for tag_id in found.all() if tag_id is not None})
        if unknown:
            raise UnknownTag(f"unknown or retired tag: {', '.join(map(str, unknown))}", tags=unknown)
        linked = await session.exec(
            select(ConversationTag.tag_id).where(ConversationTag.conversation_id == conversation.id)
        )
        for tag_id in sorted(wanted - set(linked.all())):
            session.add(ConversationTag(conversation_id=conversation.id, tag_id=tag_id))
    if age_band is not None:
        conversation.age_band = age_band
    if topic is not None:
        conversation.topic = topic
    session.add(conversation)
    await session.flush()


async def wrap_up_of(session: AsyncSession, conversation: Conversation) -> WrapUpPublic:
    """What the wrap-up recorded: tags (retired ones included) and the age band and topic now held."""
    result = await session.exec(
        select(Tag)
        .join(ConversationTag, col(ConversationTag.tag_id) == col(Tag.id))
        .where(ConversationTag.conversation_id == conversation.id)
    )
    tags = sorted(result.all(), key=lambda tag: (tag.name.casefold(), tag.id or 0))
    return WrapUpPublic(
        tags=[WrapUpTagPublic.model_validate(tag) for tag in tags],
        age_band=conversation.age_band,
        topic=conversation.topic,
    )
