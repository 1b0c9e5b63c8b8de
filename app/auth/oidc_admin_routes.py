"""Admins bind a staff account to an identity at the OpenID Connect provider (its `sub`), or unbind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from app.admin.schemas import AdminUserPublic
from app.admin.users import admin_view
from app.auth.deps import Admin, RuntimeDep, SessionDep
from app.auth.errors import OidcIssuerMissing, OidcSubjectTaken
from app.core.errors import NotFound, errors
from app.models import Counselor
from app.privacy.audit import record

admin = APIRouter(prefix="/api/admin", tags=["admin"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class OidcLink(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str = Field(min_length=1, max_length=255, description="the provider's `sub` for this person")
    issuer: str | None = Field(default=None, min_length=1, max_length=255, description="default: LYKTA_OIDC_ISSUER")


async def _account(session: SessionDep, user_id: int) -> Counselor:
    counselor = await session.get(Counselor, user_id)
    if counselor is None:
        raise NotFound("user")
    return counselor


@admin.put("/users/{user_id}/oidc", responses=errors(NotFound, OidcIssuerMissing, OidcSubjectTaken))
async def link(
    user_id: UserId, body: OidcLink, staff: Admin, session: SessionDep, runtime: RuntimeDep
) -> AdminUserPublic:
    """Bind the account to this subject (it then signs in as that identity only). 409 `oidc_subject_taken`
    when another account has it; 422 `oidc_issuer_missing` without an issuer configured or given."""
    counselor = await _account(session, user_id)
    issuer = (body.issuer or runtime.settings.oidc_issuer).rstrip("/")
    if not issuer:
        raise OidcIssuerMissing()
    taken = await session.exec(
        select(Counselor.id).where(
            Counselor.oidc_issuer == issuer, Counselor.oidc_subject == body.subject, col(Counselor.id) != user_id
        )
    )
    if taken.first() is not None:
        raise OidcSubjectTaken()
    counselor.oidc_issuer, counselor.oidc_subject = issuer, body.subject
    session.add(counselor)
    await session.flush()
    await record(session, "oidc_link", actor_id=staff.id, target=str(user_id))
    return admin_view(counselor)


@admin.delete("/users/{user_id}/oidc", responses=errors(NotFound))
async def unlink(user_id: UserId, staff: Admin, session: SessionDep) -> AdminUserPublic:
    """Unbind the account (its next sign-in through the provider binds it again, by username, if allowed)."""
    counselor = await _account(session, user_id)
    counselor.oidc_issuer, counselor.oidc_subject = None, None
    session.add(counselor)
    await session.flush()
    await record(session, "oidc_unlink", actor_id=staff.id, target=str(user_id))
    return admin_view(counselor)
