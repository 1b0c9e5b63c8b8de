"""Sign-in's own kinds of error: credentials, the second factor, lockouts, passwords, OpenID Connect."""

from __future__ import annotations

from app.core.errors import AppError


class PasswordLoginDisabled(AppError):
    status_code = 403
    code = "password_login_disabled"
    detail = "sign in through your organisation's identity provider"


class InvalidCredentials(AppError):
    """The same answer for an unknown name, a wrong password and a disabled account."""

    status_code = 401
    code = "invalid_credentials"
    detail = "wrong username or password"


class TotpRequired(AppError):
    status_code = 401
    code = "totp_required"
    detail = "enter the code from your authenticator app"


class TotpInvalid(AppError):
    """A wrong or reused TOTP or recovery code at sign-in."""

    status_code = 401
    code = "totp_invalid"
    detail = "wrong or already used code"


class EnrolmentCodeInvalid(AppError):
    """The code that confirms a new authenticator is not right (same code as at sign-in, 422 here)."""

    status_code = 422
    code = "totp_invalid"
    detail = "that code is not right; check the time on your phone"


class AccountLocked(AppError):
    """This source waits before trying this name again; carries `retry_after`."""

    status_code = 429
    code = "account_locked"
    detail = "too many failed sign-ins; try again later"


class WrongPassword(AppError):
    status_code = 403
    code = "wrong_password"
    detail = "the current password is not right"


class WeakPassword(AppError):
    status_code = 422
    code = "weak_password"
    detail = "the password is too short"


class UserExists(AppError):
    status_code = 409
    code = "user_exists"
    detail = "a user with this name exists already"


class TotpEnrolmentRequired(AppError):
    status_code = 403
    code = "totp_enrolment_required"
    detail = "set up two-factor sign-in first"


class TotpAlreadyEnabled(AppError):
    status_code = 409
    code = "totp_already_enabled"
    detail = "two-factor sign-in is already on"


class TotpNotEnrolling(AppError):
    status_code = 409
    code = "totp_not_enrolling"
    detail = "start enrolment first"


class OidcDisabled(AppError):
    status_code = 404
    code = "oidc_disabled"
    detail = "sign-in through an identity provider is not set up"


class OidcSecondFactorExpired(AppError):
    status_code = 401
    code = "oidc_second_factor_expired"
    detail = "sign in through your identity provider again"


class OidcIssuerMissing(AppError):
    status_code = 422
    code = "oidc_issuer_missing"
    detail = "name the provider (issuer): none is configured"


class OidcSubjectTaken(AppError):
    status_code = 409
    code = "oidc_subject_taken"
    detail = "another account is bound to that identity"
