"""One sign-in attempt: lockout with backoff, the password, the second factor, and the audit trail.

A wrong username and a wrong password get the same answer after the same work (the password is always
verified, against a dummy hash when there is no account) and both lock: accounts in the database, and
unknown names in a small in-memory table keyed by an HMAC of the name, so a lock does not tell that an
account exists. A locked name answers 429 with Retry-After before the password is looked at.
The attempt returns its outcome instead of raising, so that the failure counter and the audit entry are
committed even though the request fails.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from app.auth import totp
from app.core.config import Settings
from app.core.errors import AppError
from app.core.ratelimit import retry_seconds
from app.core.runtime import runtime_of
from app.core.security import verify_password
from app.models import Counselor, utcnow
from app.privacy.audit import record

INVALID = "wrong username or password"


def lock_seconds(failures: int, settings: Settings) -> int:
    """0 below the threshold; then the base time, doubling with each further failure, up to the cap."""
    if failures < settings.lockout_after:
        return 0
    doublings = min(failures - settings.lockout_after, 30)
    return int(min(settings.lockout_max_s, settings.lockout_base_s * 2**doublings))


def locked_error(until: datetime) -> AppError:
    seconds = retry_seconds((until - utcnow()).total_seconds())
    return AppError(f"too many failed sign-ins; try again in {seconds} s", 429, "account_locked", retry_after=seconds)


@dataclass
class _Phantom:
    failures: int = 0
    locked_until: datetime | None = None


class UnknownNames:
    """Failure counts for names with no account, so they lock like real ones (memory only, bounded)."""

    def __init__(self, settings: Settings, max_names: int = 10_000) -> None:
        self._key = hashlib.sha256(b"unknown-names:" + settings.secret_key.get_secret_value().encode()).digest()
        self._names: OrderedDict[str, _Phantom] = OrderedDict()
        self.max_names = max_names

    def _id(self, username: str) -> str:
        return hmac.new(self._key, username.encode(), hashlib.sha256).hexdigest()

    def get(self, username: str) -> _Phantom:
        key = self._id(username)
        entry = self._names.get(key)
        if entry is None:
            entry = self._names[key] = _Phantom()
            while len(self._names) > self.max_names:
                self._names.popitem(last=False)
        self._names.move_to_end(key)
        return entry


def unknown_names_of(conn: HTTPConnection) -> UnknownNames:
    """The app's table of unknown names (made on first use; this process only)."""
    state = conn.app.state
    names = getattr(state, "lykta_unknown_names", None)
    if names is None:
        names = UnknownNames(runtime_of(conn).settings)
        state.lykta_unknown_names = names
    assert isinstance(names, UnknownNames)
    return names


@dataclass
class Outcome:
    counselor: Counselor | None = None
    error: AppError | None = None
    recovery_codes_left: int | None = None
    locked_until: datetime | None = None


async def _count_failure(
    session: AsyncSession, settings: Settings, counselor: Counselor | None, phantom: _Phantom | None
) -> datetime | None:
    """One more failure (an atomic increment, so parallel guesses all count); returns the lock it set."""
    if counselor is not None:
        result = await session.exec(
            update(Counselor)
            .where(col(Counselor.id) == counselor.id)
            .values(failed_logins=col(Counselor.failed_logins) + 1)
            .returning(col(Counselor.failed_logins))
        )
        failures = int(result.scalar_one())
    else:
        assert phantom is not None
        phantom.failures += 1
        failures = phantom.failures
    seconds = lock_seconds(failures, settings)
    if not seconds:
        return None
    until = utcnow() + timedelta(seconds=seconds)
    if counselor is not None:
        await session.exec(update(Counselor).where(col(Counselor.id) == counselor.id).values(locked_until=until))
    elif phantom is not None:
        phantom.locked_until = until
    return until


async def _fail(
    session: AsyncSession,
    settings: Settings,
    counselor: Counselor | None,
    phantom: _Phantom | None,
    detail: str,
    error: AppError,
) -> Outcome:
    """Count and audit a failure; the answer is the given error (the lock shows from the next attempt)."""
    until = await _count_failure(session, settings, counselor, phantom)
    if until is not None:
        detail += f"; locked until {until.isoformat(timespec='seconds')}"
    await record(session, "login_failed", actor_id=counselor.id if counselor else None, detail=detail, success=False)
    return Outcome(error=error, locked_until=until)


async def attempt(
    session: AsyncSession,
    settings: Settings,
    unknown: UnknownNames,
    username: str,
    password: str,
    code: str | None,
    recovery_code: str | None,
) -> Outcome:
    result = await session.exec(select(Counselor).where(Counselor.username == username))
    counselor = result.first()
    phantom = unknown.get(username) if counselor is None else None
    locked_until = counselor.locked_until if counselor is not None else phantom.locked_until if phantom else None
    if locked_until is not None and locked_until > utcnow():
        if counselor is not None:
            await record(session, "login_locked", actor_id=counselor.id, detail="account locked", success=False)
        return Outcome(error=locked_error(locked_until))

    usable = counselor is not None and counselor.is_active
    ok = await verify_password(password, counselor.password_hash if usable and counselor else None)
    if not ok or counselor is None:
        reason = "unknown account" if counselor is None else "wrong password" if usable else "account disabled"
        return await _fail(session, settings, counselor, phantom, reason, AppError(INVALID, 401, "invalid_credentials"))

    left = None
    if counselor.totp_enabled:
        if not code and not recovery_code:
            return Outcome(error=AppError("enter the code from your authenticator app", 401, "totp_required"))
        assert counselor.id is not None
        if code:
            second_ok = await totp.use_code(session, counselor, code)
        else:
            second_ok = await totp.use_recovery_code(session, counselor.id, recovery_code or "")
            left = await totp.recovery_codes_left(session, counselor.id) if second_ok else None
        if not second_ok:
            error = AppError("wrong or already used code", 401, "totp_invalid")
            return await _fail(session, settings, counselor, None, "wrong or reused second factor", error)

    await clear_failures(session, counselor)
    detail = "password"
    if counselor.totp_enabled:
        detail += " and recovery code" if left is not None else " and TOTP"
    elif totp.enrolment_pending(counselor, settings):
        detail += "; must enrol TOTP"
    await record(session, "login", actor_id=counselor.id, detail=detail)
    return Outcome(counselor=counselor, recovery_codes_left=left)


async def failed_password_check(session: AsyncSession, settings: Settings, counselor: Counselor) -> AppError:
    """A wrong current password when changing it counts like a failed sign-in (the session may be stolen)."""
    error = AppError("the current password is not right", 403, "wrong_password")
    outcome = await _fail(session, settings, counselor, None, "wrong current password", error)
    return locked_error(outcome.locked_until) if outcome.locked_until is not None else error


async def clear_failures(session: AsyncSession, counselor: Counselor) -> None:
    """A successful sign-in starts the count again (an UPDATE, whatever this session loaded before)."""
    await session.exec(
        update(Counselor).where(col(Counselor.id) == counselor.id).values(failed_logins=0, locked_until=None)
    )


def is_locked(counselor: Counselor) -> bool:
    return counselor.locked_until is not None and counselor.locked_until > utcnow()
