"""One sign-in attempt: the guard against guessing, the password, the second factor, the audit trail.

Guessing is stopped by counting failures, never successes, in the shared state (app/core/shared.py: in
Redis with the Redis broker, so every node counts the same), under a keyed hash of the username (the name
is never stored there, and known and unknown names count alike, so a wait never tells that an account
exists):

- per source and username: after `lockout_after` failures that source waits `lockout_base_s`, doubling
  with each further failure up to `lockout_max_s` (429 `account_locked`). Other sources are untouched:
  whoever guesses from one place cannot lock the owner out from another;
- per username, from every source together: after `login_user_free` failures each attempt at that name
  is slowed, from a quarter of a second doubling up to `login_delay_max_s`, before the password is looked
  at (no database connection is held meanwhile). It slows a guesser spread over many sources and refuses
  nobody: the owner with the right password and code still gets in, at most that delay later;
- per source: `login_attempts_per_minute` failures, whatever the names, before that source waits (429
  `rate_limited`), so a shift behind one office address signs in, and a sprayer does not get far.

A success forgets the username's count and that source's; an admin's unlock forgets every count of the
account. A wrong username and a wrong password get the same answer after the same work. Outcomes are
returned rather than raised, so that the request's transaction still commits the audit entry.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection

from app.auth import totp
from app.auth.errors import AccountLocked, InvalidCredentials, TotpInvalid, TotpRequired, WrongPassword
from app.core.clientaddr import source_keys
from app.core.config import Settings
from app.core.errors import AppError, RateLimited
from app.core.ratelimit import RateLimiter, retry_seconds
from app.core.security import verify_password
from app.core.shared import SharedState
from app.limits import limits_of
from app.models import Counselor
from app.privacy.audit import record
from app.runtime import runtime_of

GUARD = "signin"  # the shared state's name for sign-in failure counts
EVERY_SOURCE = "all"
FIRST_DELAY_S = 0.25


def lock_seconds(failures: int, settings: Settings) -> float:
    """How long one source waits after this many failures for one name: 0 below the threshold, then the
    base time doubling with each further failure, up to the cap."""
    if failures < settings.lockout_after:
        return 0.0
    doublings = min(failures - settings.lockout_after, 30)
    return float(min(settings.lockout_max_s, settings.lockout_base_s * 2**doublings))


def delay_seconds(failures: int, settings: Settings) -> float:
    """How long every attempt at one name is slowed after this many failures from all sources."""
    if failures < settings.login_user_free:
        return 0.0
    doublings = min(failures - settings.login_user_free, 30)
    return float(min(settings.login_delay_max_s, FIRST_DELAY_S * 2**doublings))


def name_key(username: str, settings: Settings) -> str:
    """The keyed hash a username's failures are counted under (never the name itself)."""
    key = hashlib.sha256(b"sign-in-names:" + settings.secret_key.get_secret_value().encode()).digest()
    return hmac.new(key, username.encode(), hashlib.sha256).hexdigest()[:32]


def locked_error(seconds: float) -> AccountLocked:
    wait = retry_seconds(seconds)
    return AccountLocked(f"too many failed sign-ins; try again in {wait} s", retry_after=wait)


def _too_many_failures(wait: float) -> RateLimited:
    seconds = retry_seconds(wait)
    return RateLimited(f"too many failed sign-ins from here; try again in {seconds} s", retry_after=seconds)


@dataclass
class SourceGuard:
    """The per-source limit on failed sign-ins (password, TOTP and OpenID Connect alike)."""

    shared: SharedState
    limiter: RateLimiter | None
    source: str

    @classmethod
    def of(cls, conn: HTTPConnection) -> SourceGuard:
        keys = source_keys(conn)
        return cls(runtime_of(conn).shared, limits_of(conn).login, keys[0] if keys else "unknown")

    async def refusal(self) -> AppError | None:
        """A 429 when this source has used up its failures (nothing is taken: successes never count)."""
        if self.limiter is None:
            return None
        limiter = self.limiter
        wait = await self.shared.take(limiter.name, self.source, limiter.burst, limiter.per_second, cost=0)
        return _too_many_failures(wait) if wait > 0 else None

    async def failed(self) -> None:
        if self.limiter is not None:
            limiter = self.limiter
            await self.shared.take(limiter.name, self.source, limiter.burst, limiter.per_second)


@dataclass
class Guard:
    """The counts behind one attempt at one username, from one source."""

    settings: Settings
    shared: SharedState
    source: SourceGuard
    name: str
    sources: list[str]  # this source's keys: today's, then yesterday's

    @classmethod
    def of(cls, conn: HTTPConnection, username: str) -> Guard:
        settings = runtime_of(conn).settings
        source = SourceGuard.of(conn)
        keys = source_keys(conn)[:2] or ["unknown"]
        return cls(settings, source.shared, source, name_key(username, settings), keys)

    @property
    def _source_fields(self) -> list[str]:
        return [f"source:{key}" for key in self.sources]

    async def check(self) -> tuple[AppError | None, float]:
        """A refusal for this source (429), else how long to slow this attempt down."""
        refused = await self.source.refusal()
        if refused is not None:
            return refused, 0.0
        counts = await self.shared.failures(GUARD, self.name, [EVERY_SOURCE, *self._source_fields])
        wait = max(
            (lock_seconds(n, self.settings) - age for field, (n, age) in counts.items() if field != EVERY_SOURCE),
            default=0.0,
        )
        if wait > 0:
            return locked_error(wait), 0.0
        return None, delay_seconds(counts.get(EVERY_SOURCE, (0, 0.0))[0], self.settings)

    async def failed(self) -> float:
        """Count a failure; returns how long this source must now wait for this name (0: not yet)."""
        keep = self.settings.login_failures_keep_hours * 3600
        await self.shared.count_failure(GUARD, self.name, [EVERY_SOURCE, self._source_fields[0]], keep)
        await self.source.failed()
        counts = await self.shared.failures(GUARD, self.name, self._source_fields[:1])
        return lock_seconds(counts.get(self._source_fields[0], (0, 0.0))[0], self.settings)

    async def succeeded(self) -> None:
        await self.shared.forget_failures(GUARD, self.name, [EVERY_SOURCE, *self._source_fields])


async def unlock(shared: SharedState, settings: Settings, username: str) -> None:
    """An admin's unlock: every failure counted for this name, from every source, is forgotten."""
    await shared.forget_failures(GUARD, name_key(username, settings))


async def guarded(guard: Guard) -> AppError | None:
    """Check the guard and wait out the slowing it asks for; a refusal is returned, not raised."""
    refused, delay = await guard.check()
    if refused is None and delay > 0:
        await asyncio.sleep(delay)
    return refused


@dataclass
class Outcome:
    counselor: Counselor | None = None
    error: AppError | None = None
    recovery_codes_left: int | None = None


async def _fail(
    session: AsyncSession, guard: Guard, counselor: Counselor | None, detail: str, error: AppError
) -> Outcome:
    """Count and audit a failure; the answer is the given error (a wait shows from the next attempt)."""
    wait = await guard.failed()
    if wait:
        detail += f"; this source now waits {retry_seconds(wait)} s"
    await record(session, "login_failed", actor_id=counselor.id if counselor else None, detail=detail, success=False)
    return Outcome(error=error)


async def refused(session: AsyncSession, username: str, error: AppError) -> None:
    """Audit an attempt refused before its password was looked at (only for a real account)."""
    counselor = (await session.exec(select(Counselor).where(Counselor.username == username))).first()
    if counselor is not None:
        await record(session, "login_locked", actor_id=counselor.id, detail=error.code, success=False)


async def attempt(
    session: AsyncSession,
    settings: Settings,
    guard: Guard,
    username: str,
    password: str,
    code: str | None,
    recovery_code: str | None,
) -> Outcome:
    """Check the password and the second factor (the guard was checked before: see `guarded`)."""
    counselor = (await session.exec(select(Counselor).where(Counselor.username == username))).first()
    usable = counselor is not None and counselor.is_active
    ok = await verify_password(password, counselor.password_hash if usable and counselor else None)
    if not ok or counselor is None:
        reason = "unknown account" if counselor is None else "wrong password" if usable else "account disabled"
        return await _fail(session, guard, counselor, reason, InvalidCredentials())

    left = None
    if counselor.totp_enabled:
        if not code and not recovery_code:
            return Outcome(error=TotpRequired())
        second_ok, left = await second_factor(session, settings, counselor, code, recovery_code)
        if not second_ok:
            return await _fail(session, guard, counselor, "wrong or reused second factor", TotpInvalid())

    await guard.succeeded()
    detail = "password"
    if counselor.totp_enabled:
        detail += " and recovery code" if left is not None else " and TOTP"
    elif totp.enrolment_pending(counselor, settings):
        detail += "; must enrol TOTP"
    await record(session, "login", actor_id=counselor.id, detail=detail)
    return Outcome(counselor=counselor, recovery_codes_left=left)


async def second_factor(
    session: AsyncSession, settings: Settings, counselor: Counselor, code: str | None, recovery_code: str | None
) -> tuple[bool, int | None]:
    """A TOTP code or a recovery code: (right, recovery codes left when one was used)."""
    assert counselor.id is not None
    if code:
        return await totp.use_code(session, counselor, code, settings), None
    if await totp.use_recovery_code(session, counselor.id, recovery_code or ""):
        return True, await totp.recovery_codes_left(session, counselor.id)
    return False, None


async def failed_password_check(session: AsyncSession, guard: Guard, counselor: Counselor) -> WrongPassword:
    """A wrong current password when changing it counts like a failed sign-in (the session may be stolen)."""
    error = WrongPassword()
    await _fail(session, guard, counselor, "wrong current password", error)
    return error
