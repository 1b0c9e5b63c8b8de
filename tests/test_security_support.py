"""Shared helpers for the security tests (this module holds no tests of its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pyotp
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.db import make_engine, make_sessionmaker
from app.models import AuditEntry, Counselor, utcnow
from tests.helpers import PASSWORD, Lykta, StaffClient

LOGIN = "/api/console/login"


@asynccontextmanager
async def database(lykta: Lykta) -> AsyncIterator[AsyncSession]:
    """A session on the live server's database (committed when the block ends)."""
    engine = make_engine(lykta.server.settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            yield session
            await session.commit()
    finally:
        await engine.dispose()


async def account(lykta: Lykta, username: str) -> Counselor:
    async with database(lykta) as session:
        found = (await session.exec(select(Counselor).where(Counselor.username == username))).one()
    return found


async def change_account(lykta: Lykta, username: str, **values: Any) -> None:
    async with database(lykta) as session:
        found = (await session.exec(select(Counselor).where(Counselor.username == username))).one()
        for name, value in values.items():
            setattr(found, name, value)
        session.add(found)


async def audit(lykta: Lykta) -> list[AuditEntry]:
    async with database(lykta) as session:
        rows = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    return list(rows)


async def sign_in(lykta: Lykta, username: str, password: str = PASSWORD, **extra: Any) -> httpx.Response:
    """One login attempt from a fresh client (no cookies kept)."""
    async with lykta.http() as http:
        return await http.post(LOGIN, json={"username": username, "password": password, **extra})


async def signed_in(lykta: Lykta, username: str, password: str = PASSWORD, **extra: Any) -> StaffClient:
    """A staff client signed in with extra fields (totp, recovery_code); the login must succeed."""
    client = StaffClient(lykta.server, lykta.http(), username)
    response = await client.http.post(LOGIN, json={"username": username, "password": password, **extra})
    assert response.status_code == 200, response.text
    body = response.json()
    client.csrf, client.counselor = body["csrf_token"], body["counselor"]
    lykta._clients.append(client)
    return client


def code(secret: str, steps: int = 0) -> str:
    """The TOTP code `steps` time steps from now."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(utcnow()) + steps)


def step_now(secret: str) -> int:
    totp = pyotp.TOTP(secret)
    return totp.timecode(utcnow())


async def enrol(staff: StaffClient) -> tuple[str, list[str]]:
    """Enrol TOTP through the API: the secret and the recovery codes."""
    started = await staff.post("/api/console/totp/enrol")
    assert started.status_code == 200, started.text
    secret = started.json()["secret"]
    confirmed = await staff.post("/api/console/totp/confirm", {"code": code(secret)})
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


async def staff_with_totp(lykta: Lykta, role: str = "counselor") -> tuple[str, str, list[str]]:
    """A new account with TOTP on (signed out again): username, secret, recovery codes."""
    (username,) = await lykta.create_staff(role=role)
    client = await lykta.login(username)
    secret, codes = await enrol(client)
    await client.post("/api/console/logout")
    return username, secret, codes
