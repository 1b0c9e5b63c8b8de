"""What the admin API answers about staff accounts."""

from __future__ import annotations

from pydantic import Field

from app.auth.schemas import StaffAccountPublic
from app.core.schemas import Public


class AdminUserPublic(StaffAccountPublic):
    """A staff account as admins see it."""

    oidc_bound: bool = Field(description="bound to an identity at the OpenID Connect provider")


class AdminUserListPublic(Public):
    items: list[AdminUserPublic]
