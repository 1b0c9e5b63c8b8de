"""The mapping register: spaces, their categories, observations over time and the indicator tags.

Only counts, tags and bounded notes about a space are kept; notes that look like a phone number,
an e-mail address or an @handle are refused (a guard, not a guarantee: the API docs say why).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.errors import NotFound
from app.models import Indicator, Observation, ObservationIndicator, Space, SpaceCategory
from app.outreach.errors import (
    AlreadyObserved,
    DuplicateName,
    InvalidAddress,
    InvalidDay,
    NoSuchSpace,
    PersonalData,
    SpaceRetired,
    UnknownCategory,
    UnknownIndicator,
)
from app.outreach.schemas import (
    ListItemPublic,
    NamedPublic,
    ObservationCreate,
    ObservationPublic,
    ObservationUpdate,
    SpaceCreate,
    SpacePublic,
    SpaceUpdate,
    TrendPointPublic,
    TrendPublic,
)

EARLIEST_DAY = date(2000, 1, 1)
PHONE = re.compile(r"(?<![\d])(?:\+|0)\d(?:[\s\-]?\d){6,}")  # not . or /: times and dates
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,}")

ListItem = TypeVar("ListItem", SpaceCategory, Indicator)


def local_today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.timezone)).date()


def refuse_personal_data(text: str, field: str) -> None:
    """Notes describe a space or what was seen, never a person in an ad."""
    for pattern, what in ((PHONE, "a phone number"), (EMAIL, "an e-mail address"), (HANDLE, "an @handle")):
        if pattern.search(text):
            raise PersonalData(
                f"{field} looks like it contains {what}: keep no contact details of people in ads", field=field
            )


def check_address(address: str) -> None:
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidAddress()


def check_day(day: date, today: date) -> None:
    if day < EARLIEST_DAY or day > today + timedelta(days=1):
        raise InvalidDay(f"day must be between {EARLIEST_DAY} and today")


# -- admin lists: space categories and indicator tags -----------------------------------------


async def list_items(session: AsyncSession, model: type[ListItem], *, include_inactive: bool) -> list[ListItemPublic]:
    query = select(model)
    if not include_inactive:
        query = query.where(col(model.active).is_(True))
    items = list((await session.exec(query)).all())
    items.sort(key=lambda item: (item.name.casefold(), item.id or 0))
    return [ListItemPublic.model_validate(item) for item in items]


async def _refuse_duplicate_name(
    session: AsyncSession, model: type[ListItem], name: str, except_id: int | None
) -> None:
    query = select(model.id).where(func.lower(model.name) == name.lower())
    if except_id is not None:
        query = query.where(col(model.id) != except_id)
    if (await session.exec(query)).first() is not None:
        raise DuplicateName(f"{name!r} is already on the list")


async def create_item(session: AsyncSession, model: type[ListItem], name: str) -> ListItemPublic:
    await _refuse_duplicate_name(session, model, name, None)
    item = model(name=name)
    session.add(item)
    await session.flush()
    return ListItemPublic.model_validate(item)


async def update_item(
    session: AsyncSession, model: type[ListItem], item_id: int, name: str | None, active: bool | None
) -> ListItemPublic:
    item = await session.get(model, item_id)
    if item is None:
        raise NotFound("list entry")
    if name is not None:
        await _refuse_duplicate_name(session, model, name, item_id)
        item.name = name
    if active is not None:
        item.active = active
    session.add(item)
    await session.flush()
    return ListItemPublic.model_validate(item)


async def _active_ids(session: AsyncSession, model: type[ListItem], wanted: set[int]) -> set[int]:
    found = await session.exec(select(model.id).where(col(model.id).in_(wanted), col(model.active).is_(True)))
    return {item_id for item_id in found.all() if item_id is not None}


# -- spaces ------------------------------------------------------------------------------------


async def get_space(session: AsyncSession, space_id: int) -> Space:
    space = await session.get(Space, space_id)
    if space is None:
        raise NoSuchSpace()
    return space


async def _check_category(session: AsyncSession, category_id: int) -> None:
    if not await _active_ids(session, SpaceCategory, {category_id}):
        raise UnknownCategory()


async def _indicators_of(session: AsyncSession, observation_ids: list[int]) -> dict[int, list[NamedPublic]]:
    result = await session.exec(
        select(ObservationIndicator.observation_id, Indicator.id, Indicator.name)
        .join(Indicator, col(Indicator.id) == col(ObservationIndicator.indicator_id))
        .where(col(ObservationIndicator.observation_id).in_(observation_ids))
        .order_by(col(Indicator.name))
    )
    tags: dict[int, list[NamedPublic]] = {}
    for observation_id, indicator_id, name in result.all():
        tags.setdefault(observation_id, []).append(NamedPublic(id=indicator_id, name=name))
    return tags


def public_observation(observation: Observation, indicators: list[NamedPublic]) -> ObservationPublic:
    return ObservationPublic(
        id=observation.id,
        space_id=observation.space_id,
        day=observation.day,
        ads_seen=observation.ads_seen,
        ads_new=observation.ads_new,
        ads_removed=observation.ads_removed,
        note=observation.note,
        indicators=indicators,
        observer_id=observation.observer_id,
        created_at=observation.created_at,
    )


async def observation_rows(session: AsyncSession, observations: list[Observation]) -> list[ObservationPublic]:
    tags = await _indicators_of(session, [o.id for o in observations if o.id is not None])
    return [public_observation(o, tags.get(o.id or 0, [])) for o in observations]


async def latest_observations(session: AsyncSession) -> dict[int, Observation]:
    latest = (
        select(Observation.space_id, func.max(Observation.day).label("day")).group_by(col(Observation.space_id))
    ).subquery()
    result = await session.exec(
        select(Observation).join(
            latest, and_(col(Observation.space_id) == latest.c.space_id, col(Observation.day) == latest.c.day)
        )
    )
    return {o.space_id: o for o in result.all()}


async def space_rows(session: AsyncSession, spaces: list[Space], today: date) -> list[SpacePublic]:
    """Spaces with their category and latest observation, as staff see them."""
    categories = {c.id: c for c in (await session.exec(select(SpaceCategory))).all()}
    latest = await latest_observations(session)
    observed = await observation_rows(session, [latest[s.id] for s in spaces if s.id in latest])
    by_space = {row.space_id: row for row in observed}
    rows = []
    for space in spaces:
        category = categories.get(space.category_id)
        last = latest.get(space.id or 0)
        rows.append(
            SpacePublic(
                id=space.id,
                name=space.name,
                category=NamedPublic(id=category.id, name=category.name) if category else None,
                address=space.address,
                age_gate=space.age_gate,
                notes=space.notes,
                active=space.active,
                created_at=space.created_at,
                latest_observation=by_space.get(space.id or 0),
                days_since_observed=(today - last.day).days if last else None,
            )
        )
    return rows


async def list_spaces(
    session: AsyncSession, today: date, *, include_retired: bool, category_id: int | None
) -> list[SpacePublic]:
    query = select(Space)
    if not include_retired:
        query = query.where(col(Space.active).is_(True))
    if category_id is not None:
        query = query.where(Space.category_id == category_id)
    spaces = list((await session.exec(query)).all())
    spaces.sort(key=lambda s: (s.name.casefold(), s.id or 0))
    return await space_rows(session, spaces, today)


async def one_space(session: AsyncSession, space: Space, today: date) -> SpacePublic:
    return (await space_rows(session, [space], today))[0]


async def create_space(session: AsyncSession, body: SpaceCreate, today: date) -> SpacePublic:
    await _check_category(session, body.category_id)
    check_address(body.address)
    refuse_personal_data(body.notes, "notes")
    space = Space(**body.model_dump())
    session.add(space)
    await session.flush()
    return await one_space(session, space, today)


async def update_space(session: AsyncSession, space_id: int, body: SpaceUpdate, today: date) -> SpacePublic:
    space = await get_space(session, space_id)
    changes = body.model_dump(exclude_none=True)
    if "category_id" in changes and changes["category_id"] != space.category_id:
        await _check_category(session, changes["category_id"])
    if "address" in changes:
        check_address(changes["address"])
    if "notes" in changes:
        refuse_personal_data(changes["notes"], "notes")
    for field, value in changes.items():
        setattr(space, field, value)
    session.add(space)
    await session.flush()
    return await one_space(session, space, today)


# -- observations ------------------------------------------------------------------------------


async def _set_indicators(session: AsyncSession, observation: Observation, wanted: set[int]) -> None:
    assert observation.id is not None
    linked = set(
        (
            await session.exec(
                select(ObservationIndicator.indicator_id).where(ObservationIndicator.observation_id == observation.id)
            )
        ).all()
    )
    unknown = sorted(wanted - linked - await _active_ids(session, Indicator, wanted - linked))
    if unknown:
        listed = ", ".join(map(str, unknown))
        raise UnknownIndicator(f"unknown or retired indicator: {listed}", indicators=unknown)
    for indicator_id in linked - wanted:
        link = await session.get(ObservationIndicator, (observation.id, indicator_id))
        if link is not None:
            await session.delete(link)
    for indicator_id in sorted(wanted - linked):
        session.add(ObservationIndicator(observation_id=observation.id, indicator_id=indicator_id))
    await session.flush()


async def add_observation(
    session: AsyncSession, space_id: int, body: ObservationCreate, observer_id: int, today: date
) -> ObservationPublic:
    space = await get_space(session, space_id)
    if not space.active:
        raise SpaceRetired()
    check_day(body.day, today)
    refuse_personal_data(body.note, "note")
    taken = await session.exec(
        select(Observation.id).where(Observation.space_id == space_id, Observation.day == body.day)
    )
    if taken.first() is not None:
        raise AlreadyObserved(f"there is already an observation for {body.day}: correct that one")
    observation = Observation(
        space_id=space_id,
        day=body.day,
        ads_seen=body.ads_seen,
        ads_new=body.ads_new,
        ads_removed=body.ads_removed,
        note=body.note,
        observer_id=observer_id,
    )
    session.add(observation)
    await session.flush()
    await _set_indicators(session, observation, set(body.indicators))
    return (await observation_rows(session, [observation]))[0]


async def update_observation(session: AsyncSession, observation_id: int, body: ObservationUpdate) -> ObservationPublic:
    observation = await session.get(Observation, observation_id)
    if observation is None:
        raise NotFound("observation")
    changes = body.model_dump(exclude_none=True, exclude={"indicators"})
    if "note" in changes:
        refuse_personal_data(changes["note"], "note")
    for field, value in changes.items():
        setattr(observation, field, value)
    session.add(observation)
    await session.flush()
    if body.indicators is not None:
        await _set_indicators(session, observation, set(body.indicators))
    return (await observation_rows(session, [observation]))[0]


async def observations(
    session: AsyncSession, space_id: int | None, start: date | None, end: date | None
) -> list[Observation]:
    """Observations in day order (then space and id), optionally of one space and within [start, end]."""
    query = select(Observation)
    if space_id is not None:
        query = query.where(Observation.space_id == space_id)
    if start is not None:
        query = query.where(col(Observation.day) >= start)
    if end is not None:
        query = query.where(col(Observation.day) <= end)
    result = await session.exec(query.order_by(col(Observation.day), col(Observation.space_id), col(Observation.id)))
    return list(result.all())


async def trend(session: AsyncSession, space: Space, start: date | None, end: date | None) -> TrendPublic:
    """Points for a chart: one per observation day."""
    assert space.id is not None
    rows = await observation_rows(session, await observations(session, space.id, start, end))
    points = [
        TrendPointPublic(
            day=row.day,
            ads_seen=row.ads_seen,
            ads_new=row.ads_new,
            ads_removed=row.ads_removed,
            indicators=len(row.indicators),
        )
        for row in rows
    ]
    return TrendPublic(space_id=space.id, name=space.name, points=points)


async def not_observed(session: AsyncSession, today: date, days: int) -> list[SpacePublic]:
    """Active spaces nobody has observed for more than `days` days: never observed first, then the oldest."""
    spaces = list((await session.exec(select(Space).where(col(Space.active).is_(True)))).all())
    latest = await latest_observations(session)
    cutoff = today - timedelta(days=days)
    stale = [s for s in spaces if s.id not in latest or latest[s.id].day < cutoff]

    def order(space: Space) -> tuple[int, date, str]:
        last = latest.get(space.id or 0)
        return (1 if last else 0, last.day if last else EARLIEST_DAY, space.name.casefold())

    return await space_rows(session, sorted(stale, key=order), today)
