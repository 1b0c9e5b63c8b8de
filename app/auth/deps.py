"""Dependencies: the request's DB session, the signed-in staff member, CSRF and Origin checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.errors import TotpEnrolmentRequired
from app.auth.service import resolve_session
from app.auth.totp import enrolment_pending
from app.core.errors import CsrfFailed, Forbidden, NotAuthenticated, OriginNotAllowed, declares
from app.core.security import constant_time_equal, origin_allowed
from app.models import AuthSession, Counselor, Role
from app.runtime import Runtime, runtime_of

SESSION_COOKIE = "lykta_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_runtime(request: Request) -> Runtime:
    return runtime_of(request)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_db_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One transaction per request (app/core/db.py's unit_of_work): committed when the route returns, then its
    events are published."""
    async with runtime.transaction() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_db_session, scope="function")]


@dataclass(frozen=True)
class Staff:
    counselor: Counselor
    auth: AuthSession
    must_enrol: bool = False

    @property
    def id(self) -> int:
        assert self.counselor.id is not None
        return self.counselor.id

    @property
    def is_supervisor(self) -> bool:
        return self.counselor.role in (Role.supervisor, Role.admin)


@declares(OriginNotAllowed, NotAuthenticated, CsrfFailed)
async def signed_in(request: Request, session: SessionDep, runtime: RuntimeDep) -> Staff:
    """Any live session, including one that may only enrol TOTP (for enrolment, `me` and logout)."""
    if not origin_allowed(request, runtime.settings, required=request.method not in SAFE_METHODS):
        raise OriginNotAllowed()
    resolved = await resolve_session(
        session, request.cookies.get(SESSION_COOKIE), runtime.settings, allow_enrolment=True
    )
    if resolved is None:
        raise NotAuthenticated()
    auth, counselor = resolved
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not constant_time_equal(sent, auth.csrf_token):
            raise CsrfFailed()
    return Staff(counselor=counselor, auth=auth, must_enrol=enrolment_pending(counselor, runtime.settings))


SignedIn = Annotated[Staff, Depends(signed_in)]


@declares(TotpEnrolmentRequired)
def current_staff(staff: SignedIn) -> Staff:
    """A signed-in staff member with a full session (every console route but enrolment uses this)."""
    if staff.must_enrol:
        raise TotpEnrolmentRequired()
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


@declares(Forbidden)
def require_supervisor(staff: CurrentStaff) -> Staff:
    if not staff.is_supervisor:
        raise Forbidden("this needs a supervisor")
    return staff


Supervisor = Annotated[Staff, Depends(require_supervisor)]


@declares(Forbidden)
def require_admin(staff: CurrentStaff) -> Staff:
    if staff.counselor.role != Role.admin:
        raise Forbidden("this needs an admin")
    return staff


Admin = Annotated[Staff, Depends(require_admin)]
