"""Time-based one-time codes (RFC 6238) as the second factor, and single-use recovery codes.

`counselor.totp_secret` holds the base32 secret, followed by `:<step>` once a code has been used (the
last time step that signed someone in), sealed with a key derived from LYKTA_SECRET_KEY
(app/auth/secret_box.py): the database never holds the secret in plain text.
A code is accepted for the current step and one either side,
never for a step at or before the last used one, so a code seen over a shoulder cannot be replayed.
Keeping the step in the same row lets a conditional UPDATE decide between two concurrent uses of one
code, on any number of app nodes. Recovery codes are kept only as SHA-256 hashes (they carry 80 random
bits) and each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.errors import EnrolmentCodeInvalid, TotpAlreadyEnabled, TotpNotEnrolling
from app.auth.schemas import TotpEnrolmentPublic
from app.auth.secret_box import SecretBoxError, seal, unseal
from app.core.config import Settings
from app.models import Counselor, RecoveryCode, utcnow

log = logging.getLogger(__name__)
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
RECOVERY_GROUPS = 4  # four groups of four: XXXX-XXXX-XXXX-XXXX, ~79 bits
WINDOW = 1  # steps accepted either side of now (30 s each)


def totp_mandatory(settings: Settings) -> bool:
    """Whether every staff account needs TOTP: the setting; else on outside development and test while
    passwords sign in (with OpenID Connect alone, the identity provider's `acr` is the strong factor).

    An account without TOTP that signs in by OpenID Connect while this is on must enrol too: its
    password would otherwise still open the console on its own.
    """
    if settings.totp_required is not None:
        return settings.totp_required
    if not settings.password_login:
        return False
    return settings.env not in ("development", "test")


def enrolment_pending(counselor: Counselor, settings: Settings) -> bool:
    """A signed-in account that may only enrol: TOTP is mandatory and this account has none yet."""
    return totp_mandatory(settings) and not counselor.totp_enabled


@dataclass(frozen=True)
class StoredSecret:
    secret: str
    last_step: int

    @classmethod
    def parse(cls, stored: str | None) -> StoredSecret | None:
        if not stored:
            return None
        secret, _, step = stored.partition(":")
        return cls(secret, int(step) if step.isdigit() else -1)

    def with_step(self, step: int) -> str:
        return f"{self.secret}:{step}"


def new_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits


def provisioning_uri(secret: str, username: str, settings: Settings) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=settings.totp_issuer)


def qr_svg(uri: str) -> str:
    """The URI as an SVG QR code: no XML declaration, no scripts, no style attributes (strict CSP)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False)
    return out.getvalue().decode()


def matching_step(secret: str, code: str, at: datetime | None = None) -> int | None:
    """The time step within the window whose code this is, or None; compared in constant time."""
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at or utcnow())
    found = None
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def opened(counselor: Counselor, settings: Settings) -> StoredSecret | None:
    """The account's secret and last used step, or None (none stored, or it cannot be opened)."""
    if not counselor.totp_secret or counselor.id is None:
        return None
    try:
        return StoredSecret.parse(unseal(counselor.totp_secret, counselor.id, settings))
    except SecretBoxError:
        log.error("the TOTP secret of account %s cannot be opened: is LYKTA_OLD_SECRET_KEYS set?", counselor.id)
        return None


async def use_code(session: AsyncSession, counselor: Counselor, code: str, settings: Settings) -> bool:
    """True when code is valid now and newer than the last one used; records its step atomically (and
    seals the secret again, with the current key)."""
    stored = opened(counselor, settings)
    if stored is None or counselor.id is None:
        return False
    step = matching_step(stored.secret, code)
    if step is None or step <= stored.last_step:
        return False
    result = await session.exec(
        update(Counselor)
        .where(col(Counselor.id) == counselor.id, col(Counselor.totp_secret) == counselor.totp_secret)
        .values(totp_secret=seal(stored.with_step(step), counselor.id, settings))
    )
    if result.rowcount != 1:  # another request used a code of this account meanwhile
        return False
    await session.refresh(counselor)
    return True


def _normalise_recovery(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def recovery_hash(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def new_recovery_code() -> str:
    groups = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(RECOVERY_GROUPS)]
    return "-".join(groups)


async def replace_recovery_codes(session: AsyncSession, counselor_id: int) -> list[str]:
    """A fresh set of codes (the old ones stop working); only their hashes are stored."""
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.counselor_id) == counselor_id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(counselor_id=counselor_id, code_hash=recovery_hash(code)))
    await session.flush()
    return codes


async def use_recovery_code(session: AsyncSession, counselor_id: int, code: str) -> bool:
    """Spend one unused recovery code; of two concurrent uses of the same code only one succeeds."""
    if not 8 <= len(_normalise_recovery(code)) <= 32:
        return False
    result = await session.exec(
        update(RecoveryCode)
        .where(
            col(RecoveryCode.counselor_id) == counselor_id,
            col(RecoveryCode.code_hash) == recovery_hash(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
    )
    return result.rowcount == 1


async def recovery_codes_left(session: AsyncSession, counselor_id: int) -> int:
    result = await session.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(col(RecoveryCode.counselor_id) == counselor_id, col(RecoveryCode.used_at).is_(None))
    )
    return int(result.one())


# -- enrolment --------------------------------------------------------------------------------------


async def start_enrolment(session: AsyncSession, counselor: Counselor, settings: Settings) -> TotpEnrolmentPublic:
    """A new secret, pending until confirmed with a code (a second start replaces it)."""
    if counselor.totp_enabled:
        raise TotpAlreadyEnabled("two-factor sign-in is already on; an admin can reset it")
    secret = new_secret()
    assert counselor.id is not None
    counselor.totp_secret = seal(secret, counselor.id, settings)
    session.add(counselor)
    await session.flush()
    uri = provisioning_uri(secret, counselor.username, settings)
    return TotpEnrolmentPublic(secret=secret, otpauth_uri=uri, qr_svg=qr_svg(uri))


async def confirm_enrolment(session: AsyncSession, counselor: Counselor, code: str, settings: Settings) -> list[str]:
    """Turn TOTP on once the app shows a right code; returns the recovery codes (shown once)."""
    if counselor.totp_enabled:
        raise TotpAlreadyEnabled()
    if counselor.totp_secret is None:
        raise TotpNotEnrolling()
    if not await use_code(session, counselor, code, settings):
        raise EnrolmentCodeInvalid()
    counselor.totp_enabled = True
    session.add(counselor)
    await session.flush()
    assert counselor.id is not None
    return await replace_recovery_codes(session, counselor.id)


async def reset(session: AsyncSession, counselor: Counselor) -> None:
    """Turn TOTP off and forget the secret and recovery codes (the account enrols again)."""
    counselor.totp_secret = None
    counselor.totp_enabled = False
    session.add(counselor)
    await session.exec(delete(RecoveryCode).where(col(RecoveryCode.counselor_id) == counselor.id))
    await session.flush()
