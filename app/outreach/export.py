"""The register as CSV: spaces (with their latest observation) and observations over a period."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models import Space, SpaceCategory, iso
from app.outreach import register
from app.stats.csvfile import Cell, CsvResponse, csv_response

SPACE_HEADER = [
    "id",
    "name",
    "category",
    "address",
    "age_gate",
    "notes",
    "active",
    "created_at",
    "last_observed",
    "last_ads_seen",
    "days_since_observed",
]
OBSERVATION_HEADER = [
    "id",
    "day",
    "space_id",
    "space",
    "category",
    "ads_seen",
    "ads_new",
    "ads_removed",
    "indicators",
    "note",
    "observer_id",
]


async def spaces_csv(session: AsyncSession, today: date) -> CsvResponse:
    rows = await register.list_spaces(session, today, include_retired=True, category_id=None)
    lines: list[list[Cell]] = []
    for row in rows:
        latest = row.latest_observation
        lines.append(
            [
                row.id,
                row.name,
                row.category.name if row.category else None,
                row.address,
                row.age_gate,
                row.notes,
                row.active,
                iso(row.created_at),
                latest.day.isoformat() if latest else None,
                latest.ads_seen if latest else None,
                row.days_since_observed,
            ]
        )
    return csv_response(f"lykta-spaces-{today.isoformat()}.csv", SPACE_HEADER, lines)


async def observations_csv(session: AsyncSession, start: date | None, end: date | None) -> CsvResponse:
    found = await register.observations(session, None, start, end)
    rows = await register.observation_rows(session, found)
    spaces = {
        space.id: (space.name, category)
        for space, category in (
            await session.exec(
                select(Space, SpaceCategory.name).join(SpaceCategory, col(SpaceCategory.id) == col(Space.category_id))
            )
        ).all()
    }
    lines: list[list[Cell]] = []
    for row in rows:
        name, category = spaces.get(row.space_id, (None, None))
        lines.append(
            [
                row.id,
                row.day.isoformat(),
                row.space_id,
                name,
                category,
                row.ads_seen,
                row.ads_new,
                row.ads_removed,
                "; ".join(tag.name for tag in row.indicators),
                row.note,
                row.observer_id,
            ]
        )
    span = f"{start or 'start'}-{end or 'end'}"
    return csv_response(f"lykta-observations-{span}.csv", OBSERVATION_HEADER, lines)
