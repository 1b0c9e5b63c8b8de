"""TOTP secrets encrypted at rest: AES-256-GCM under a key derived from LYKTA_SECRET_KEY (HKDF-SHA256).

A stored secret reads `v1.<key id>.<base64url(nonce | ciphertext | tag)>`, bound to its account (the
counselor id is the associated data, so a ciphertext copied to another row does not open). The key id
names the key it was sealed with: the first 8 hex digits of a hash of that derived key.

Rotation: set the new LYKTA_SECRET_KEY and put the old one in LYKTA_OLD_SECRET_KEYS (comma-separated)
on every node. Secrets are opened with whichever key sealed them and sealed again with the current one,
by every node at start-up (`reseal_all`) and whenever a code is used; once every node has started with
the new key, the old one can be removed. A secret whose key is gone cannot be opened: that account signs
in with a recovery code, or an admin resets its TOTP. Rows from before encryption (plain base32) are
sealed at start-up the same way.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.models import Counselor
from app.runtime import Runtime

log = logging.getLogger(__name__)
VERSION = "v1"
NONCE_BYTES = 12
INFO = b"lykta totp secret v1"


class SecretBoxError(Exception):
    """A stored secret cannot be opened (its key is gone, or it was altered)."""


@lru_cache(maxsize=16)
def _derive(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(secret_key.encode())


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"key-id:" + key).hexdigest()[:8]


def keys(settings: Settings) -> dict[str, bytes]:
    """Key id -> key: the current key first, then the old ones (LYKTA_OLD_SECRET_KEYS)."""
    raw = [settings.secret_key.get_secret_value()]
    raw += [part.strip() for part in settings.old_secret_keys.get_secret_value().split(",") if part.strip()]
    found: dict[str, bytes] = {}
    for secret in raw:
        key = _derive(secret)
        found.setdefault(_key_id(key), key)
    return found


def current_key_id(settings: Settings) -> str:
    return next(iter(keys(settings)))


def _aad(counselor_id: int) -> bytes:
    return f"counselor:{counselor_id}".encode()


def seal(plain: str, counselor_id: int, settings: Settings) -> str:
    key_id, key = next(iter(keys(settings).items()))
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), _aad(counselor_id))
    return f"{VERSION}.{key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def is_sealed(stored: str) -> bool:
    return stored.startswith(f"{VERSION}.")


def unseal(stored: str, counselor_id: int, settings: Settings) -> str:
    """The plain secret; a row from before encryption is returned as it is (start-up seals it)."""
    if not is_sealed(stored):
        return stored
    _, key_id, body = stored.split(".", 2)
    key = keys(settings).get(key_id)
    if key is None:
        raise SecretBoxError("the key this secret was sealed with is not configured")
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    try:
        return AESGCM(key).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], _aad(counselor_id)).decode()
    except (InvalidTag, ValueError) as exc:
        raise SecretBoxError("the secret does not open") from exc


def needs_reseal(stored: str, settings: Settings) -> bool:
    return not stored.startswith(f"{VERSION}.{current_key_id(settings)}.")


async def reseal_all(session: AsyncSession, settings: Settings) -> int:
    """Seal every stored secret with the current key (plain rows and rows under an old key); returns how
    many were changed. A row changed meanwhile by a sign-in is left as that sign-in wrote it."""
    prefix = f"{VERSION}.{current_key_id(settings)}.%"
    rows = (
        await session.exec(
            select(Counselor.id, Counselor.totp_secret).where(
                col(Counselor.totp_secret).is_not(None), col(Counselor.totp_secret).not_like(prefix)
            )
        )
    ).all()
    changed = 0
    for counselor_id, stored in rows:
        assert counselor_id is not None and stored is not None
        try:
            plain = unseal(stored, counselor_id, settings)
        except SecretBoxError:
            log.error("the TOTP secret of account %s cannot be opened with any configured key", counselor_id)
            continue
        result = await session.exec(
            update(Counselor)
            .where(col(Counselor.id) == counselor_id, col(Counselor.totp_secret) == stored)
            .values(totp_secret=seal(plain, counselor_id, settings))
        )
        changed += max(0, int(result.rowcount or 0))
    return changed


async def reseal_at_start(runtime: Runtime) -> None:
    """Start-up: seal what is not sealed with the current key (after a rotation, or an upgrade)."""
    async with runtime.transaction() as session:
        changed = await reseal_all(session, runtime.settings)
    if changed:
        log.info("sealed %s TOTP secrets with the current key", changed)
