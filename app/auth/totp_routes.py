"""Enrolling an authenticator app (the signed-in user) and resetting it (an admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from app.auth import totp
from app.auth.deps import Admin, RuntimeDep, SessionDep, SignedIn
from app.auth.errors import EnrolmentCodeInvalid, TotpAlreadyEnabled, TotpNotEnrolling
from app.auth.schemas import StaffAccountPublic, TotpConfirmedPublic, TotpEnrolmentPublic
from app.auth.service import public_counselor, sign_out_everywhere
from app.core.errors import NotFound, errors
from app.models import Counselor
from app.privacy.audit import record

router = APIRouter(prefix="/api/console/totp", tags=["auth"])
admin = APIRouter(prefix="/api/admin", tags=["admin"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class ConfirmBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=16)


@router.post("/enrol", responses=errors(TotpAlreadyEnabled))
async def enrol(staff: SignedIn, session: SessionDep, runtime: RuntimeDep) -> TotpEnrolmentPublic:
    """`{secret, otpauth_uri, qr_svg}`: scan, then confirm with a code. 409 `totp_already_enabled`."""
    counselor = await session.get_one(Counselor, staff.id)
    return await totp.start_enrolment(session, counselor, runtime.settings)


@router.post("/confirm", responses=errors(EnrolmentCodeInvalid, TotpNotEnrolling, TotpAlreadyEnabled))
async def confirm(body: ConfirmBody, staff: SignedIn, session: SessionDep, runtime: RuntimeDep) -> TotpConfirmedPublic:
    """Turns TOTP on: `{recovery_codes: [10], counselor}`; the codes are shown this once.
    422 `totp_invalid`, 409 `totp_not_enrolling` | `totp_already_enabled`."""
    counselor = await session.get_one(Counselor, staff.id)
    codes = await totp.confirm_enrolment(session, counselor, body.code, runtime.settings)
    await record(session, "totp_enrolled", actor_id=staff.id, target=str(staff.id))
    return TotpConfirmedPublic(recovery_codes=codes, counselor=public_counselor(counselor))


@admin.post("/users/{user_id}/totp-reset", responses=errors(NotFound))
async def reset(user_id: UserId, staff: Admin, session: SessionDep) -> StaffAccountPublic:
    """For a lost phone: TOTP off, secret and recovery codes gone, the user signed out everywhere."""
    counselor = await session.get(Counselor, user_id)
    if counselor is None:
        raise NotFound("user")
    await totp.reset(session, counselor)
    await sign_out_everywhere(session, user_id)
    await record(session, "totp_reset", actor_id=staff.id, target=str(user_id))
    return StaffAccountPublic.model_validate(counselor)
