"""Duty tools: internal notes and whispers, canned replies, the wrap-up tag list; who-may rules."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.console.errors import (
    DuplicateKeyword,
    DuplicateTag,
    NotOwner,
    NotShared,
    SupervisorOnly,
    UnknownLanguage,
)
from app.console.service import held_conversation
from app.console.tool_schemas import CannedReplyPublic, NotePublic, TagPublic, WrapUpPublic
from app.console.wrapup import wrap_up_of
from app.core.db import queue_event
from app.core.errors import NotFound
from app.models import CannedReply, Counselor, Note, NoteKind, Tag, iso
from app.realtime.events import note_event
from app.realtime.hub import conversation_channel, counselor_channel
from app.realtime.records import NoteRecord

KEYWORD = re.compile(r"^[a-z0-9_-]{1,32}$")


def _normalise(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Keyword = Annotated[str, BeforeValidator(_normalise), StringConstraints(pattern=KEYWORD.pattern)]
Language = Annotated[str, BeforeValidator(_normalise), StringConstraints(min_length=1, max_length=8)]
TagName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoteCreate(_Body):
    body: Text
    kind: Literal["note", "whisper"] = "note"


class CannedCreate(_Body):
    keyword: Keyword
    language: Language
    body: Text


class CannedUpdate(_Body):
    """Fields left out (or null) keep their value."""

    keyword: Keyword | None = None
    language: Language | None = None
    body: Text | None = None


class TagCreate(_Body):
    name: TagName


class TagUpdate(_Body):
    name: TagName | None = None
    active: bool | None = None


# -- notes -------------------------------------------------------------------------------------


def public_note(note: Note, alias: str | None) -> NoteRecord:
    """The note as the console shows it (its `note` frame, and NotePublic over HTTP)."""
    assert note.id is not None
    return {
        "id": note.id,
        "conversation_id": str(note.conversation_id),
        "kind": NoteKind(note.kind),
        "body": note.body,
        "author_alias": alias,
        "author_id": note.counselor_id,
        "created_at": iso(note.created_at),
    }


async def list_notes(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> list[NotePublic]:
    await held_conversation(session, conversation_id, staff)
    result = await session.exec(
        select(Note, Counselor.alias)
        .outerjoin(Counselor, col(Note.counselor_id) == col(Counselor.id))
        .where(Note.conversation_id == conversation_id)
        .order_by(col(Note.created_at), col(Note.id))
    )
    return [NotePublic.model_validate(public_note(note, alias)) for note, alias in result.all()]


async def add_note(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff, body: NoteCreate) -> NotePublic:
    """Store a note (or a supervisor's whisper) and show it live to the holder and the author."""
    conversation = await held_conversation(session, conversation_id, staff)
    if body.kind == NoteKind.whisper and not staff.is_supervisor:
        raise SupervisorOnly()
    note = Note(conversation_id=conversation.id, counselor_id=staff.id, kind=body.kind, body=body.body)
    session.add(note)
    await session.flush()
    data = public_note(note, staff.counselor.alias)
    announce_note(session, data, also_to=staff.id)
    return NotePublic.model_validate(data)


def announce_note(session: AsyncSession, data: NoteRecord, also_to: int | None = None) -> None:
    """Live to every console following the conversation (holder, monitors); visitor sockets drop it."""
    event = note_event(data)
    queue_event(session, conversation_channel(data["conversation_id"]), event)
    if also_to is not None:
        queue_event(session, counselor_channel(also_to), event)


async def wrap_up(session: AsyncSession, conversation_id: uuid.UUID, staff: Staff) -> WrapUpPublic:
    conversation = await held_conversation(session, conversation_id, staff)
    return await wrap_up_of(session, conversation)


# -- canned replies ----------------------------------------------------------------------------


def _public_canned(reply: CannedReply) -> CannedReplyPublic:
    assert reply.id is not None
    return CannedReplyPublic(
        id=reply.id, keyword=reply.keyword, language=reply.language, body=reply.body, shared=reply.owner_id is None
    )


def check_language(language: str, languages: list[str]) -> None:
    if language not in languages:
        raise UnknownLanguage(f"language must be one of {', '.join(languages)}", languages=languages)


async def list_canned(
    session: AsyncSession, staff: Staff, language: str | None, languages: list[str]
) -> list[CannedReplyPublic]:
    """Shared replies and my own; mine replace a shared one with the same keyword and language."""
    query = select(CannedReply).where(or_(col(CannedReply.owner_id).is_(None), col(CannedReply.owner_id) == staff.id))
    if language is not None:
        language = language.strip().lower()
        check_language(language, languages)
        query = query.where(CannedReply.language == language)
    chosen: dict[tuple[str, str], CannedReply] = {}
    for reply in (await session.exec(query)).all():
        key = (reply.language, reply.keyword)
        if key not in chosen or reply.owner_id is not None:
            chosen[key] = reply
    return [_public_canned(chosen[key]) for key in sorted(chosen)]


async def list_shared_canned(session: AsyncSession) -> list[CannedReplyPublic]:
    result = await session.exec(
        select(CannedReply)
        .where(col(CannedReply.owner_id).is_(None))
        .order_by(col(CannedReply.language), col(CannedReply.keyword))
    )
    return [_public_canned(reply) for reply in result.all()]


async def _refuse_duplicate(
    session: AsyncSession, owner_id: int | None, keyword: str, language: str, except_id: int | None
) -> None:
    owner = col(CannedReply.owner_id)
    query = select(CannedReply.id).where(
        owner.is_(None) if owner_id is None else owner == owner_id,
        CannedReply.keyword == keyword,
        CannedReply.language == language,
    )
    if except_id is not None:
        query = query.where(col(CannedReply.id) != except_id)
    if (await session.exec(query)).first() is not None:
        raise DuplicateKeyword(f"there is already a reply with the keyword {keyword!r} in {language}")


async def create_canned(
    session: AsyncSession, owner_id: int | None, body: CannedCreate, languages: list[str]
) -> CannedReplyPublic:
    """A personal reply (owner_id: its owner) or a shared one (owner_id None)."""
    check_language(body.language, languages)
    await _refuse_duplicate(session, owner_id, body.keyword, body.language, None)
    reply = CannedReply(owner_id=owner_id, keyword=body.keyword, language=body.language, body=body.body)
    session.add(reply)
    await session.flush()
    return _public_canned(reply)


async def _owned_canned(session: AsyncSession, reply_id: int, owner_id: int | None) -> CannedReply:
    reply = await session.get(CannedReply, reply_id)
    if reply is None:
        raise NotFound("canned reply")
    if reply.owner_id != owner_id:
        if owner_id is None:
            raise NotShared()
        raise NotOwner()
    return reply


async def update_canned(
    session: AsyncSession, reply_id: int, owner_id: int | None, body: CannedUpdate, languages: list[str]
) -> CannedReplyPublic:
    reply = await _owned_canned(session, reply_id, owner_id)
    keyword = body.keyword if body.keyword is not None else reply.keyword
    language = body.language if body.language is not None else reply.language
    if body.language is not None:
        check_language(language, languages)
    await _refuse_duplicate(session, owner_id, keyword, language, reply.id)
    reply.keyword, reply.language = keyword, language
    if body.body is not None:
        reply.body = body.body
    session.add(reply)
    await session.flush()
    return _public_canned(reply)


async def delete_canned(session: AsyncSession, reply_id: int, owner_id: int | None) -> None:
    reply = await _owned_canned(session, reply_id, owner_id)
    await session.delete(reply)
    await session.flush()


# -- wrap-up tags ------------------------------------------------------------------------------


def _public_tag(tag: Tag) -> TagPublic:
    assert tag.id is not None
    return TagPublic(id=tag.id, name=tag.name, active=tag.active)


async def list_tags(session: AsyncSession, *, include_inactive: bool = False) -> list[TagPublic]:
    """The tag list is short and admin-made: sorted here, the same on every database and collation."""
    query = select(Tag)
    if not include_inactive:
        query = query.where(col(Tag.active).is_(True))
    tags = sorted((await session.exec(query)).all(), key=lambda tag: (tag.name.casefold(), tag.id or 0))
    return [_public_tag(tag) for tag in tags]


async def _refuse_duplicate_tag(session: AsyncSession, name: str, except_id: int | None) -> None:
    """Names differing only in case are one tag to a reader (SQLite's lower() knows ASCII only)."""
    for tag in (await session.exec(select(Tag))).all():
        if tag.id != except_id and tag.name.casefold() == name.casefold():
            raise DuplicateTag(f"there is already a tag named {tag.name!r}")


async def create_tag(session: AsyncSession, body: TagCreate) -> TagPublic:
    await _refuse_duplicate_tag(session, body.name, None)
    tag = Tag(name=body.name)
    session.add(tag)
    await session.flush()
    return _public_tag(tag)


async def update_tag(session: AsyncSession, tag_id: int, body: TagUpdate) -> TagPublic:
    """Rename or (de)activate; a tag is never deleted, so past wrap-ups keep counting."""
    tag = await session.get(Tag, tag_id)
    if tag is None:
        raise NotFound("tag")
    if body.name is not None:
        await _refuse_duplicate_tag(session, body.name, tag.id)
        tag.name = body.name
    if body.active is not None:
        tag.active = body.active
    session.add(tag)
    await session.flush()
    return _public_tag(tag)
