"""Outreach links (`/c/{code}`), their anonymous open counter and QR codes; message templates; contacts."""

from __future__ import annotations

import io
import secrets
import string
from datetime import date

import segno
from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.console.tools import check_language
from app.core.days import service_day
from app.core.errors import NotFound
from app.models import (
    Conversation,
    ConversationStat,
    ConversationState,
    Link,
    LinkOpen,
    MessageTemplate,
    OutreachContact,
    Space,
    utcnow,
)
from app.outreach.errors import CodeCollision, SpaceRetired, UnknownSpace, UnknownTemplate
from app.outreach.register import check_day, get_space
from app.outreach.schemas import (
    ContactCreate,
    ContactPublic,
    LinkCreate,
    LinkPublic,
    TemplateCreate,
    TemplatePublic,
    TemplateUpdate,
)

CODE_ALPHABET = string.ascii_letters + string.digits  # URL-safe, nothing to escape or mistype as punctuation
CODE_LENGTH = 10  # 62**10 ≈ 8e17: not guessable, not enumerable
LINK_PLACEHOLDER = "{link}"
CODE_SHAPE = frozenset(CODE_ALPHABET + "-_")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def link_url(origin: str, code: str) -> str:
    return f"{origin.rstrip('/')}/c/{code}"


def render(body: str, url: str) -> str:
    """The template's text with the link where `{link}` stands (or after the text when it does not)."""
    return body.replace(LINK_PLACEHOLDER, url) if LINK_PLACEHOLDER in body else f"{body}\n{url}"


# -- opens -------------------------------------------------------------------------------------


async def count_open(session: AsyncSession, code: str) -> bool:
    """One anonymous open for an active link and the service's today, as one atomic upsert; nothing else is kept."""
    if not code or len(code) > 32 or not set(code) <= CODE_SHAPE:
        return False
    link_id = (await session.exec(select(Link.id).where(Link.code == code, col(Link.active).is_(True)))).first()
    if link_id is None:
        return False
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LinkOpen).values(link_id=link_id, day=service_day(session, utcnow()), count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[col(LinkOpen.link_id), col(LinkOpen.day)],
        set_={"count": col(LinkOpen.count) + 1},
    )
    await session.exec(statement)
    return True


# -- links -------------------------------------------------------------------------------------


async def _counts(session: AsyncSession, link_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Opens (the counter) and conversations started (ended ones' aggregates plus those still going) per link."""
    opens = await session.exec(
        select(LinkOpen.link_id, func.sum(LinkOpen.count))
        .where(col(LinkOpen.link_id).in_(link_ids))
        .group_by(col(LinkOpen.link_id))
    )
    ended = await session.exec(
        select(ConversationStat.link_id, func.count())
        .where(col(ConversationStat.link_id).in_(link_ids))
        .group_by(col(ConversationStat.link_id))
    )
    going = await session.exec(
        select(Conversation.link_id, func.count())
        .where(
            col(Conversation.link_id).in_(link_ids),
            col(Conversation.state).in_((ConversationState.waiting, ConversationState.active)),
        )
        .group_by(col(Conversation.link_id))
    )
    started: dict[int, int] = {}
    for link_id, count in [*ended.all(), *going.all()]:
        if link_id is not None:
            started[link_id] = started.get(link_id, 0) + int(count)
    return {link_id: int(total or 0) for link_id, total in opens.all()}, started


async def link_rows(session: AsyncSession, links: list[Link], origin: str) -> list[LinkPublic]:
    ids = [link.id for link in links if link.id is not None]
    opens, started = await _counts(session, ids)
    space_ids = {link.space_id for link in links if link.space_id is not None}
    spaces = {s.id: s.name for s in (await session.exec(select(Space).where(col(Space.id).in_(space_ids)))).all()}
    template_ids = {link.template_id for link in links if link.template_id is not None}
    templates = {
        t.id: t
        for t in (await session.exec(select(MessageTemplate).where(col(MessageTemplate.id).in_(template_ids)))).all()
    }
    rows = []
    for link in links:
        url = link_url(origin, link.code)
        template = templates.get(link.template_id)
        rows.append(
            LinkPublic(
                id=link.id,
                code=link.code,
                url=url,
                label=link.label,
                space_id=link.space_id,
                space_name=spaces.get(link.space_id),
                template_id=link.template_id,
                text=render(template.body, url) if template else None,
                active=link.active,
                created_at=link.created_at,
                retired_at=link.retired_at,
                opens=opens.get(link.id or 0, 0),
                conversations=started.get(link.id or 0, 0),
            )
        )
    return rows


async def _template(session: AsyncSession, template_id: int | None, *, for_new: bool) -> MessageTemplate | None:
    if template_id is None:
        return None
    template = await session.get(MessageTemplate, template_id)
    if template is None or (for_new and not template.active):
        raise UnknownTemplate()
    return template


async def create_link(session: AsyncSession, body: LinkCreate, origin: str) -> LinkPublic:
    space = await session.get(Space, body.space_id)
    if space is None:
        raise UnknownSpace()
    if not space.active:
        raise SpaceRetired()
    await _template(session, body.template_id, for_new=True)
    for _ in range(5):
        code = new_code()
        if (await session.exec(select(Link.id).where(Link.code == code))).first() is None:
            break
    else:  # pragma: no cover - 62**10 codes
        raise CodeCollision()
    link = Link(code=code, label=body.label or space.name, space_id=space.id, template_id=body.template_id)
    session.add(link)
    await session.flush()
    return (await link_rows(session, [link], origin))[0]


async def get_link(session: AsyncSession, link_id: int) -> Link:
    link = await session.get(Link, link_id)
    if link is None:
        raise NotFound("link")
    return link


async def list_links(
    session: AsyncSession, origin: str, *, space_id: int | None, include_retired: bool
) -> list[LinkPublic]:
    query = select(Link)
    if space_id is not None:
        query = query.where(Link.space_id == space_id)
    if not include_retired:
        query = query.where(col(Link.active).is_(True))
    links = list((await session.exec(query.order_by(col(Link.created_at).desc(), col(Link.id).desc()))).all())
    return await link_rows(session, links, origin)


async def retire_link(session: AsyncSession, link_id: int, origin: str) -> LinkPublic:
    """Opens stop counting and new conversations are no longer attributed; the page still works."""
    link = await get_link(session, link_id)
    if link.active:
        link.active = False
        link.retired_at = utcnow()
        session.add(link)
        await session.flush()
    return (await link_rows(session, [link], origin))[0]


def qr_svg(url: str) -> bytes:
    """A QR code of the link for print (black on white, the standard quiet zone)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=8, border=4, xmldecl=True)
    return buffer.getvalue()


# -- message templates -------------------------------------------------------------------------


async def list_templates(
    session: AsyncSession, language: str | None, include_retired: bool, languages: list[str]
) -> list[TemplatePublic]:
    query = select(MessageTemplate)
    if language is not None:
        check_language(language.strip().lower(), languages)
        query = query.where(MessageTemplate.language == language.strip().lower())
    if not include_retired:
        query = query.where(col(MessageTemplate.active).is_(True))
    result = await session.exec(query.order_by(col(MessageTemplate.language), col(MessageTemplate.name)))
    return [TemplatePublic.model_validate(t) for t in result.all()]


async def create_template(session: AsyncSession, body: TemplateCreate, languages: list[str]) -> TemplatePublic:
    check_language(body.language, languages)
    template = MessageTemplate(name=body.name, language=body.language, body=body.body)
    session.add(template)
    await session.flush()
    return TemplatePublic.model_validate(template)


async def update_template(
    session: AsyncSession, template_id: int, body: TemplateUpdate, languages: list[str]
) -> TemplatePublic:
    template = await session.get(MessageTemplate, template_id)
    if template is None:
        raise NotFound("template")
    changes = body.model_dump(exclude_none=True)
    if "language" in changes:
        check_language(changes["language"], languages)
    for field, value in changes.items():
        setattr(template, field, value)
    session.add(template)
    await session.flush()
    return TemplatePublic.model_validate(template)


# -- contacts made outside the chat ------------------------------------------------------------


async def create_contact(session: AsyncSession, body: ContactCreate, worker_id: int, today: date) -> ContactPublic:
    if await session.get(Space, body.space_id) is None:
        raise UnknownSpace()
    check_day(body.day, today)
    await _template(session, body.template_id, for_new=True)
    contact = OutreachContact(**body.model_dump(), worker_id=worker_id)
    session.add(contact)
    await session.flush()
    return ContactPublic.model_validate(contact)


async def set_contact_answered(session: AsyncSession, contact_id: int, answered: bool) -> ContactPublic:
    contact = await session.get(OutreachContact, contact_id)
    if contact is None:
        raise NotFound("contact")
    contact.answered = answered
    session.add(contact)
    await session.flush()
    return ContactPublic.model_validate(contact)


async def list_contacts(
    session: AsyncSession, space_id: int | None, start: date | None, end: date | None
) -> list[ContactPublic]:
    query = select(OutreachContact)
    if space_id is not None:
        await get_space(session, space_id)
        query = query.where(OutreachContact.space_id == space_id)
    if start is not None:
        query = query.where(col(OutreachContact.day) >= start)
    if end is not None:
        query = query.where(col(OutreachContact.day) <= end)
    result = await session.exec(query.order_by(col(OutreachContact.day).desc(), col(OutreachContact.id).desc()))
    return [ContactPublic.model_validate(c) for c in result.all()]
