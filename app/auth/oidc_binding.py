"""Which staff account an OpenID Connect sign-in is, and whether it still owes the second factor.

An account is bound to the provider's `iss` + `sub` (unique, and never reassigned by the provider),
never matched on a name the user can change: at its first sign-in an account not yet bound is found
by the username claim (`oidc_username_claim`) and bound for good, unless `oidc_bind_by_username` is off;
an admin can link (or unlink) an account to a subject. Once bound, the claim is never looked at again, so
someone who renames themselves at the provider to a colleague's username gets nothing.

An account with TOTP still enters its code after the provider, unless the ID token says the provider did
multi-factor authentication: `amr` holds one of MFA_AMR (RFC 8176), or `acr` is one of
`oidc_mfa_acr_values`. Meanwhile a short-lived signed cookie names the account; it grants nothing alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.models import Counselor
from app.privacy.audit import record

MFA_AMR = frozenset({"mfa", "otp", "hwk", "sc"})  # several factors, a one-time code, a hardware key, a smart card
PENDING_COOKIE = "lykta_oidc_2fa"
PENDING_TTL_S = 300


def did_mfa(claims: dict[str, Any], settings: Settings) -> bool:
    amr = claims.get("amr")
    methods = {str(m).lower() for m in amr} if isinstance(amr, list) else set()
    mfa_acr = settings.oidc_mfa_acr_values.replace(",", " ").split()
    return bool(methods & MFA_AMR) or (bool(mfa_acr) and claims.get("acr") in mfa_acr)


async def account_for(session: AsyncSession, claims: dict[str, Any], settings: Settings) -> Counselor | None:
    """The account bound to this `iss` + `sub`, binding an unbound active one at its first sign-in (the
    caller refuses a disabled one); None when there is none."""
    issuer, subject = str(claims["iss"]).rstrip("/"), str(claims["sub"])
    found = (
        await session.exec(select(Counselor).where(Counselor.oidc_issuer == issuer, Counselor.oidc_subject == subject))
    ).first()
    if found is None and settings.oidc_bind_by_username:
        name = claims.get(settings.oidc_username_claim)
        if isinstance(name, str) and name:
            candidate = (await session.exec(select(Counselor).where(Counselor.username == name))).first()
            if candidate is not None and candidate.oidc_subject is None:
                if candidate.is_active:
                    candidate.oidc_issuer, candidate.oidc_subject = issuer, subject
                    session.add(candidate)
                    await session.flush()
                    await record(session, "oidc_bound", actor_id=candidate.id, target=str(candidate.id), detail="first")
                found = candidate
            elif candidate is not None and candidate.oidc_subject is not None:
                detail = "oidc: the username claim names an account bound to another identity"
                await record(session, "login_failed", actor_id=candidate.id, detail=detail, success=False)
    return found


# -- the pending second factor ---------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign(payload: str, settings: Settings) -> str:
    key = hashlib.sha256(b"oidc-second-factor:" + settings.secret_key.get_secret_value().encode()).digest()
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def seal_pending(counselor_id: int, settings: Settings) -> str:
    payload = _b64(json.dumps([counselor_id, int(time.time()) + PENDING_TTL_S]).encode())
    return f"{payload}.{_sign(payload, settings)}"


def open_pending(sealed: str | None, settings: Settings) -> int | None:
    """The account that passed the provider and owes its code, or None (no cookie, forged, expired)."""
    payload, _, signature = (sealed or "").partition(".")
    if not payload or not hmac.compare_digest(signature, _sign(payload, settings)):
        return None
    try:
        counselor_id, expires = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    if not isinstance(counselor_id, int) or not isinstance(expires, int) or expires < time.time():
        return None
    return counselor_id
