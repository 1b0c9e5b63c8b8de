"""Opening hours: every staff member sees them; admins change the week and its exceptions."""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import Admin, CurrentStaff, RuntimeDep, SessionDep
from app.core.errors import NotFound, errors
from app.privacy.audit import record
from app.routing import opening
from app.routing.errors import EXCEPTION_REFUSALS, WEEK_REFUSALS, InvalidDay
from app.routing.opening import ExceptionIn, WeekIn
from app.routing.schemas import SchedulePublic

router = APIRouter(tags=["schedule"])


@router.get("/api/console/schedule")
async def get_schedule(_staff: CurrentStaff, session: SessionDep, runtime: RuntimeDep) -> SchedulePublic:
    return await opening.schedule_view(session, runtime.settings)


@router.put("/api/admin/schedule", responses=errors(*WEEK_REFUSALS))
async def put_schedule(body: WeekIn, admin: Admin, session: SessionDep, runtime: RuntimeDep) -> SchedulePublic:
    await opening.replace_week(session, body)
    await record(session, "schedule_change", actor_id=admin.id, detail=f"weekly hours: {len(body.weekly)} rows")
    return await opening.schedule_view(session, runtime.settings)


@router.post("/api/admin/schedule/exceptions", responses=errors(*EXCEPTION_REFUSALS))
async def post_exception(body: ExceptionIn, admin: Admin, session: SessionDep, runtime: RuntimeDep) -> SchedulePublic:
    await opening.put_exception(session, body)
    hours = "closed" if body.closed else f"{body.opens}-{body.closes}"
    await record(session, "schedule_change", actor_id=admin.id, detail=f"exception {body.day}: {hours}")
    return await opening.schedule_view(session, runtime.settings)


@router.delete("/api/admin/schedule/exceptions/{day}", responses=errors(InvalidDay, NotFound))
async def delete_exception(day: str, admin: Admin, session: SessionDep, runtime: RuntimeDep) -> SchedulePublic:
    await opening.delete_exception(session, day)
    await record(session, "schedule_change", actor_id=admin.id, detail=f"exception {day[:16]}: removed")
    return await opening.schedule_view(session, runtime.settings)
