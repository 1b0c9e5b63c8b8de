"""The duty tools' answers: notes and whispers, wrap-up, canned replies, tags (the admin shares the last two)."""

from __future__ import annotations

import uuid
from datetime import datetime

from app.core.schemas import Public
from app.models import AgeBand, NoteKind, Topic


class NotePublic(Public):
    id: int
    conversation_id: uuid.UUID
    kind: NoteKind
    body: str
    author_alias: str | None
    author_id: int | None
    created_at: datetime


class NoteListPublic(Public):
    items: list[NotePublic]


class WrapUpTagPublic(Public):
    id: int
    name: str


class WrapUpPublic(Public):
    """What the wrap-up recorded: tags (retired ones included) and the age band and topic now held."""

    tags: list[WrapUpTagPublic]
    age_band: AgeBand | None
    topic: Topic | None


class CannedReplyPublic(Public):
    id: int
    keyword: str
    language: str
    body: str
    shared: bool


class CannedReplyListPublic(Public):
    items: list[CannedReplyPublic]


class TagPublic(Public):
    id: int
    name: str
    active: bool


class TagListPublic(Public):
    items: list[TagPublic]
