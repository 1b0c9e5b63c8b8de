"""Password hashing (argon2id), opaque tokens and their hashes, and Origin checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.requests import HTTPConnection

from app.core.config import Settings

_hasher = PasswordHasher()  # argon2id with the library's current recommended cost
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
FOLLOW_UP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
FOLLOW_UP_LENGTH = 12


def use_cheap_hashing_for_tests() -> None:
    """Tests make hundreds of accounts: a low argon2 cost there, never in a server (no setting reaches it)."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Verify off the event loop; with no hash, spend the same time and fail (no user enumeration)."""

    def _verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(_verify)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_follow_up_code() -> str:
    return "".join(secrets.choice(FOLLOW_UP_ALPHABET) for _ in range(FOLLOW_UP_LENGTH))


def follow_up_hash(code: str, settings: Settings) -> str:
    normalized = code.strip().upper().replace("-", "").replace(" ", "")
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def own_origin(conn: HTTPConnection) -> str:
    scheme = {"ws": "http", "wss": "https"}.get(conn.url.scheme, conn.url.scheme)
    host = conn.headers.get("host", conn.url.netloc)
    return f"{scheme}://{host}"


def origin_allowed(conn: HTTPConnection, settings: Settings, *, required: bool) -> bool:
    """True when Origin is one we serve; a missing Origin passes only when not required."""
    origin = conn.headers.get("origin")
    if origin is None:
        return not required
    origin = origin.rstrip("/")
    allowed = settings.allowed_origins or [own_origin(conn)]
    return origin in allowed
