"""The resource directory (admin-managed) and sending a resource to a visitor as a card.

A card is a counselor's message like any other (same seq, same retention): its `body` reads well as text
(in exports and old clients) and its `card` carries the fields a visitor's page shows as a card. Each card
sent adds one to the resource's referral count for the service's day (app/core/days.py), with nothing about the
conversation.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, inspect, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.deps import Staff
from app.conversations.lifecycle import get_conversation
from app.conversations.messages import append_message
from app.core.days import service_day
from app.core.errors import AppError, NotFound
from app.models import Author, Resource, ResourceReferral, utcnow
from app.realtime.records import ResourceCard
from app.resources.schemas import CardSentPublic, ResourceCreate, ResourcePublic, ResourceUpdate

REFERRAL = cast(Table, inspect(ResourceReferral).local_table)


class DuplicateName(AppError):
    status_code = 409
    code = "duplicate_name"
    detail = "a resource with this name exists"


class ResourceInactive(AppError):
    status_code = 409
    code = "resource_inactive"
    detail = "this resource is retired"


def public(resource: Resource) -> ResourcePublic:
    assert resource.id is not None
    return ResourcePublic.model_validate(resource)


async def list_resources(session: AsyncSession, q: str | None, *, include_inactive: bool) -> list[ResourcePublic]:
    query = select(Resource).order_by(func.lower(col(Resource.name)))
    if not include_inactive:
        query = query.where(col(Resource.active).is_(True))
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(col(Resource.name)).like(pattern),
                func.lower(col(Resource.offer)).like(pattern),
                func.lower(col(Resource.region)).like(pattern),
            )
        )
    return [public(r) for r in (await session.exec(query.limit(200))).all()]


async def _refuse_duplicate(session: AsyncSession, name: str, other_than: int | None = None) -> None:
    """Names differing only in case are one resource; the exact name is asked for too, since SQLite's lower()
    knows ASCII only (a non-ASCII name given twice reached the unique index: a 500 instead of this 409)."""
    same = or_(func.lower(col(Resource.name)) == name.lower(), col(Resource.name) == name)
    query = select(Resource.id).where(same)
    if other_than is not None:
        query = query.where(col(Resource.id) != other_than)
    if (await session.exec(query)).first() is not None:
        raise DuplicateName()


async def get_resource(session: AsyncSession, resource_id: int) -> Resource:
    resource = await session.get(Resource, resource_id)
    if resource is None:
        raise NotFound("resource")
    return resource


async def create_resource(session: AsyncSession, body: ResourceCreate) -> ResourcePublic:
    await _refuse_duplicate(session, body.name)
    resource = Resource(**body.model_dump())
    session.add(resource)
    await session.flush()
    return public(resource)


async def update_resource(session: AsyncSession, resource_id: int, body: ResourceUpdate) -> ResourcePublic:
    resource = await get_resource(session, resource_id)
    changes = body.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name not in ("phone", "url"):
            continue  # null keeps the value of a required field
        setattr(resource, name, value)
    if "name" in changes and changes["name"] is not None:
        await _refuse_duplicate(session, resource.name, resource_id)
    session.add(resource)
    await session.flush()
    return public(resource)


LABELS = {"sv": ("Telefon", "Webb", "Öppet"), "en": ("Phone", "Web", "Open")}


def card_of(resource: Resource) -> ResourceCard:
    """What the visitor's page shows of the resource (the message's `card`)."""
    assert resource.id is not None
    return {
        "resource_id": resource.id,
        "name": resource.name,
        "offer": resource.offer,
        "phone": resource.phone,
        "url": resource.url,
        "hours": resource.hours,
    }


def card_text(resource: Resource, language: str | None) -> str:
    """The card as plain text: what exports, transcripts and any client without cards show."""
    phone, web, hours = LABELS.get(language or "sv", LABELS["sv"])
    lines = [resource.name, resource.offer]
    if resource.phone:
        lines.append(f"{phone}: {resource.phone}")
    if resource.url:
        lines.append(f"{web}: {resource.url}")
    if resource.hours:
        lines.append(f"{hours}: {resource.hours}")
    return "\n".join(line for line in lines if line)


async def count_referral(session: AsyncSession, resource_id: int, at: datetime | None = None) -> None:
    """One more card for the resource on the service's day of `at` (now by default)."""
    day = service_day(session, at or utcnow())
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ResourceReferral).values(resource_id=resource_id, day=day, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["resource_id", "day"], set_={"count": REFERRAL.c.count + 1}
    )
    await session.exec(statement)


async def send_card(
    session: AsyncSession, conversation_id: uuid.UUID, resource_id: int, staff: Staff, client_id: str | None
) -> CardSentPublic:
    """Only the holder sends (append_message checks it in its UPDATE); a repeated client_id sends nothing new."""
    resource = await get_resource(session, resource_id)
    if not resource.active:
        raise ResourceInactive()
    conversation = await get_conversation(session, conversation_id)
    message, created = await append_message(
        session,
        conversation_id,
        author=Author.counselor,
        body=card_text(resource, conversation.language),
        client_id=client_id,
        alias=staff.counselor.alias,
        counselor_id=staff.id,
        card=cast("dict[str, Any]", card_of(resource)),  # the message's JSON column
    )
    if created:
        assert resource.id is not None
        await count_referral(session, resource.id)
    return CardSentPublic(seq=message.seq, created=created)
