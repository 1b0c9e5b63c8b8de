"""The mapping register for any signed-in staff member: spaces, observations, trends, CSV exports.

Keep no phone numbers, handles or photos of people in ads: counts, indicator tags and bounded notes only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.auth.deps import CurrentStaff, RuntimeDep, SessionDep
from app.core.errors import NotFound, errors
from app.models import Indicator, SpaceCategory
from app.outreach import export, register
from app.outreach.errors import (
    AlreadyObserved,
    InvalidAddress,
    InvalidDay,
    NoSuchSpace,
    PersonalData,
    SpaceRetired,
    UnknownCategory,
    UnknownIndicator,
)
from app.outreach.schemas import (
    MAX_ID,
    ListItemListPublic,
    NotObservedPublic,
    ObservationCreate,
    ObservationListPublic,
    ObservationPublic,
    ObservationUpdate,
    SpaceCreate,
    SpaceListPublic,
    SpacePublic,
    SpaceUpdate,
    TrendPublic,
)
from app.stats.csvfile import CSV_ANSWER, CsvResponse
from app.stats.params import OpenPeriodDep

router = APIRouter(prefix="/api/console", tags=["outreach register"])

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
Days = Annotated[int, Query(ge=1, le=366, description="not observed for more than this many days")]
SPACE_CHECKS = (UnknownCategory, InvalidAddress, PersonalData)  # what a space's fields are checked for


@router.get("/space-categories")
async def list_categories(_staff: CurrentStaff, session: SessionDep) -> ListItemListPublic:
    return ListItemListPublic(items=await register.list_items(session, SpaceCategory, include_inactive=False))


@router.get("/indicators")
async def list_indicators(_staff: CurrentStaff, session: SessionDep) -> ListItemListPublic:
    return ListItemListPublic(items=await register.list_items(session, Indicator, include_inactive=False))


@router.get("/spaces")
async def list_spaces(
    _staff: CurrentStaff,
    session: SessionDep,
    runtime: RuntimeDep,
    include_retired: bool = False,
    category_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> SpaceListPublic:
    today = register.local_today(runtime.settings)
    items = await register.list_spaces(session, today, include_retired=include_retired, category_id=category_id)
    return SpaceListPublic(items=items)


@router.post("/spaces", status_code=201, responses=errors(*SPACE_CHECKS))
async def create_space(
    body: SpaceCreate, _staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> SpacePublic:
    """Register a site or section (its address, not an ad's). Notes describe the space: no phone numbers,
    e-mail addresses, handles or photos of people in ads (refused with 422 `personal_data`)."""
    return await register.create_space(session, body, register.local_today(runtime.settings))


@router.get("/spaces/not-observed")
async def not_observed(
    _staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep, days: Days = 14
) -> NotObservedPublic:
    today = register.local_today(runtime.settings)
    return NotObservedPublic(days=days, items=await register.not_observed(session, today, days))


@router.get("/spaces/{space_id}", responses=errors(NoSuchSpace))
async def get_space(space_id: RowId, _staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep) -> SpacePublic:
    space = await register.get_space(session, space_id)
    return await register.one_space(session, space, register.local_today(runtime.settings))


@router.put("/spaces/{space_id}", responses=errors(NoSuchSpace, *SPACE_CHECKS))
async def update_space(
    space_id: RowId, body: SpaceUpdate, _staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> SpacePublic:
    return await register.update_space(session, space_id, body, register.local_today(runtime.settings))


@router.get("/spaces/{space_id}/observations", responses=errors(NoSuchSpace))
async def list_observations(
    space_id: RowId, period: OpenPeriodDep, _staff: CurrentStaff, session: SessionDep
) -> ObservationListPublic:
    await register.get_space(session, space_id)
    found = await register.observations(session, space_id, period.start, period.end)
    return ObservationListPublic(items=await register.observation_rows(session, found))


@router.post(
    "/spaces/{space_id}/observations",
    status_code=201,
    responses=errors(NoSuchSpace, SpaceRetired, InvalidDay, PersonalData, AlreadyObserved, UnknownIndicator),
)
async def add_observation(
    space_id: RowId, body: ObservationCreate, staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep
) -> ObservationPublic:
    """One check of a space on a day: counts of ads, indicator tags and a short note. Store no phone numbers,
    handles or photos of the people in ads: the note is bounded free text and refuses anything that looks like
    contact details (422 `personal_data`); use the indicator tags for warning signs."""
    today = register.local_today(runtime.settings)
    return await register.add_observation(session, space_id, body, staff.id, today)


@router.get("/spaces/{space_id}/trend", responses=errors(NoSuchSpace))
async def trend(space_id: RowId, period: OpenPeriodDep, _staff: CurrentStaff, session: SessionDep) -> TrendPublic:
    space = await register.get_space(session, space_id)
    return await register.trend(session, space, period.start, period.end)


@router.put("/observations/{observation_id}", responses=errors(NotFound, PersonalData, UnknownIndicator))
async def update_observation(
    observation_id: RowId, body: ObservationUpdate, _staff: CurrentStaff, session: SessionDep
) -> ObservationPublic:
    return await register.update_observation(session, observation_id, body)


@router.get("/export/spaces.csv", response_class=CsvResponse, responses=CSV_ANSWER)
async def export_spaces(_staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep) -> CsvResponse:
    return await export.spaces_csv(session, register.local_today(runtime.settings))


@router.get("/export/observations.csv", response_class=CsvResponse, responses=CSV_ANSWER)
async def export_observations(period: OpenPeriodDep, _staff: CurrentStaff, session: SessionDep) -> CsvResponse:
    return await export.observations_csv(session, period.start, period.end)
