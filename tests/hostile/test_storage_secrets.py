"""TOTP secrets are encrypted at rest with a key derived from LYKTA_SECRET_KEY: whoever reads the database
(a backup, a stolen disk) finds no secret to make codes with; a rotation of the key reseals them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.core.db import make_engine
from tests.backends import forget_redis_prefix
from tests.conftest import make_settings
from tests.helpers import PASSWORD, Clients, Lykta
from tests.live import LiveServer
from tests.test_security_support import LOGIN, code, staff_with_totp

OLD_KEY = "old-secret-" + "o" * 40
NEW_KEY = "new-secret-" + "n" * 40


async def raw_secret(database_url: str, username: str) -> str:
    """The totp_secret column as the database holds it, read with plain SQL."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            row = await connection.execute(
                text("SELECT totp_secret FROM counselor WHERE username = :name"), {"name": username}
            )
            value = row.scalar_one()
    finally:
        await engine.dispose()
    assert isinstance(value, str)
    return value


async def test_the_database_holds_no_plain_totp_secret(lykta: Lykta) -> None:
    username, secret, _codes = await staff_with_totp(lykta)
    stored = await raw_secret(lykta.server.settings.database_url, username)
    assert secret not in stored and secret.lower() not in stored.lower()
    assert stored.startswith("v1.")
    url = lykta.server.settings.database_url
    if url.startswith("sqlite"):  # nor anywhere in the file (or its write-ahead log)
        path = Path(url.split("///", 1)[1])
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert secret.encode() not in file.read_bytes()

    async with lykta.http() as http:  # and it still signs in
        response = await http.post(LOGIN, json={"username": username, "password": PASSWORD, "totp": code(secret, 1)})
    assert response.status_code == 200, response.text


async def sign_in_with_code(server: LiveServer, username: str, secret: str) -> int:
    async with Clients(server).http() as http:
        response = await http.post(LOGIN, json={"username": username, "password": PASSWORD, "totp": code(secret, 1)})
    return response.status_code


@contextmanager
def serving(database_url: str, **settings: Any) -> Iterator[LiveServer]:
    server = LiveServer(make_settings(database_url, **settings)).start()
    try:
        yield server
    finally:
        server.stop()
        if server.settings.broker_url != "memory://":
            forget_redis_prefix(server.settings.broker_url, server.settings.broker_prefix)


async def test_a_new_secret_key_with_the_old_one_listed_reseals_the_secrets(database_url: str) -> None:
    with serving(database_url, secret_key=OLD_KEY) as first:
        handle = Lykta(first)
        accounts = [await staff_with_totp(handle) for _ in range(2)]
        await handle.aclose()
    (one, one_secret, _), (two, two_secret, _) = accounts
    under_old = await raw_secret(database_url, one)

    with serving(database_url, secret_key=NEW_KEY, old_secret_keys=OLD_KEY) as rotated:
        resealed = await raw_secret(database_url, one)  # at start-up, before anyone signed in
        assert resealed.startswith("v1.") and resealed.split(".")[1] != under_old.split(".")[1]
        assert (await raw_secret(database_url, two)).split(".")[1] == resealed.split(".")[1]
        assert await sign_in_with_code(rotated, one, one_secret) == 200

    with serving(database_url, secret_key=NEW_KEY) as new_only:  # the old key can go now
        assert await sign_in_with_code(new_only, two, two_secret) == 200
