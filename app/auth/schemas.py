"""What sign-in, the session and TOTP enrolment answer."""

from __future__ import annotations

from pydantic import Field

from app.core.schemas import Public
from app.models import Presence, Role


class CounselorPublic(Public):
    """A staff member as the console shows them (never the password, secrets or provider binding)."""

    id: int
    username: str
    display_name: str
    alias: str = Field(description="the only name a visitor ever sees")
    role: Role
    presence: Presence
    capacity: int
    totp_enabled: bool


class StaffAccountPublic(CounselorPublic):
    """A staff member with whether the account may sign in."""

    is_active: bool


class SessionPublic(Public):
    """The signed-in session: who, the CSRF token for unsafe requests, and whether TOTP must be set up first."""

    counselor: CounselorPublic
    csrf_token: str
    totp_enrolment_required: bool = Field(description="the session may only enrol TOTP (and sign out)")


class SignedInPublic(SessionPublic):
    """A fresh sign-in; `recovery_codes_left` only when a recovery code was used (absent otherwise)."""

    recovery_codes_left: int | None = None


class SignInOptionsPublic(Public):
    password: bool = Field(description="the password form is offered")
    oidc: bool = Field(description="sign-in through the identity provider is offered (/api/console/oidc/start)")
    totp_required: bool = Field(description="every account needs TOTP")


class TotpEnrolmentPublic(Public):
    """A pending secret: scan the QR code (or type the secret), then confirm with a code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class TotpConfirmedPublic(Public):
    """TOTP is on; the recovery codes are shown this once."""

    recovery_codes: list[str]
    counselor: CounselorPublic
