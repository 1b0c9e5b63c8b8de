"""OpenID Connect sign-in (authorization code flow with PKCE) against the municipality's identity provider.

The flow's secrets (state, nonce, PKCE verifier) travel in a short-lived HMAC-signed HttpOnly cookie bound
to the browser that started it, so any app node can finish it. The ID token's signature is checked
against the provider's JWKS (asymmetric algorithms only), then `iss`, `aud` (and `azp`), `exp`, `iat`,
`nonce` and, when configured, `acr`. A claim (default `preferred_username`) names an existing active
staff account: nobody is created here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from starlette.requests import HTTPConnection

from app.core.config import Settings
from app.core.security import own_origin

STATE_COOKIE = "lykta_oidc"
STATE_PATH = "/api/console/oidc"
STATE_TTL_S = 600
METADATA_TTL_S = 3600
JWKS_REFRESH_S = 30
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
CALLBACK = "/api/console/oidc/callback"


class OidcError(Exception):
    """The flow failed; `code` goes to the sign-in page (`/console#signin_error=<code>`)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def required_acr(settings: Settings) -> list[str]:
    return settings.oidc_acr_values.replace(",", " ").split()


def redirect_url(conn: HTTPConnection, settings: Settings) -> str:
    return settings.oidc_redirect_url or own_origin(conn) + CALLBACK


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class FlowState:
    state: str
    nonce: str
    verifier: str
    expires: int

    @classmethod
    def new(cls) -> FlowState:
        return cls(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48), _now() + STATE_TTL_S
        )

    @property
    def challenge(self) -> str:
        return _b64(hashlib.sha256(self.verifier.encode()).digest())

    def seal(self, settings: Settings) -> str:
        payload = _b64(json.dumps([self.state, self.nonce, self.verifier, self.expires]).encode())
        return f"{payload}.{_sign(payload, settings)}"

    @classmethod
    def open(cls, sealed: str | None, settings: Settings) -> FlowState:
        payload, _, signature = (sealed or "").partition(".")
        if not payload or not hmac.compare_digest(signature, _sign(payload, settings)):
            raise OidcError("oidc_state", "the sign-in was not started here or has expired; try again")
        state, nonce, verifier, expires = json.loads(_unb64(payload))
        if not isinstance(expires, int) or expires < _now():
            raise OidcError("oidc_state", "the sign-in took too long; try again")
        return cls(str(state), str(nonce), str(verifier), expires)


def _sign(payload: str, settings: Settings) -> str:
    key = hashlib.sha256(b"oidc-state:" + settings.secret_key.get_secret_value().encode()).digest()
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def _now() -> int:
    return int(time.time())


class Provider:
    """The provider's metadata and keys, fetched on first use and kept for a while (one per app)."""

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.issuer = settings.oidc_issuer.rstrip("/")
        self._transport = transport
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None
        self._keys_at = 0.0

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=10, transport=self._transport, trust_env=False, follow_redirects=False)

    async def _get_json(self, url: str) -> dict[str, Any]:
        if self.settings.env == "production" and not url.startswith("https://"):
            raise OidcError("oidc_provider", "the identity provider must be reached over https")
        try:
            async with self._client() as client:
                response = await client.get(url)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError("oidc_provider", "the identity provider did not answer") from exc
        if not isinstance(data, dict):
            raise OidcError("oidc_provider", "the identity provider gave an unexpected answer")
        return data

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_at > METADATA_TTL_S:
            data = await self._get_json(self.issuer + "/.well-known/openid-configuration")
            if str(data.get("issuer", "")).rstrip("/") != self.issuer:
                raise OidcError("oidc_provider", "the provider's metadata names another issuer")
            for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(data.get(name), str):
                    raise OidcError("oidc_provider", f"the provider's metadata lacks {name}")
            self._metadata, self._metadata_at = data, time.monotonic()
        return self._metadata

    async def keys(self, *, refresh: bool = False) -> KeySet:
        stale = refresh and time.monotonic() - self._keys_at > JWKS_REFRESH_S
        if self._keys is None or stale:
            data = await self._get_json((await self.metadata())["jwks_uri"])
            try:
                self._keys = KeySet.import_key_set(data)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise OidcError("oidc_provider", "the provider's keys could not be read") from exc
            self._keys_at = time.monotonic()
        return self._keys

    async def authorization_url(self, flow: FlowState, redirect_uri: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.settings.oidc_client_id,
            "redirect_uri": redirect_uri,
            "scope": self.settings.oidc_scopes,
            "state": flow.state,
            "nonce": flow.nonce,
            "code_challenge": flow.challenge,
            "code_challenge_method": "S256",
        }
        if required_acr(self.settings):
            params["acr_values"] = " ".join(required_acr(self.settings))
        endpoint: str = (await self.metadata())["authorization_endpoint"]
        return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)

    async def exchange(self, code: str, flow: FlowState, redirect_uri: str) -> str:
        """The authorization code for an ID token (client_secret_basic when there is a secret)."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": flow.verifier,
            "client_id": self.settings.oidc_client_id,
        }
        secret = self.settings.oidc_client_secret.get_secret_value()
        auth = httpx.BasicAuth(self.settings.oidc_client_id, secret) if secret else None
        endpoint = (await self.metadata())["token_endpoint"]
        if self.settings.env == "production" and not endpoint.startswith("https://"):
            raise OidcError("oidc_provider", "the identity provider must be reached over https")
        try:
            async with self._client() as client:
                response = await client.post(endpoint, data=form, auth=auth or httpx.USE_CLIENT_DEFAULT)
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError("oidc_provider", "the identity provider did not answer") from exc
        token = data.get("id_token") if isinstance(data, dict) and response.status_code == 200 else None
        if not isinstance(token, str):
            raise OidcError("oidc_provider", "the identity provider refused the sign-in")
        return token

    async def verify(self, id_token: str, flow: FlowState) -> dict[str, Any]:
        """The ID token's claims, once its signature and claims check out."""
        issuer = (await self.metadata())["issuer"]
        try:
            try:
                token = jwt.decode(id_token, await self.keys(), algorithms=ALGORITHMS)
            except JoseError:  # perhaps the provider rotated its keys: fetch them again, once
                token = jwt.decode(id_token, await self.keys(refresh=True), algorithms=ALGORITHMS)
            claims = dict(token.claims)
            registry = jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": issuer},
                aud={"essential": True, "value": self.settings.oidc_client_id},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": flow.nonce},
            )
            registry.validate(claims)
        except (JoseError, ValueError, TypeError) as exc:
            raise OidcError("oidc_token", "the identity provider's answer did not check out") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.settings.oidc_client_id:
            raise OidcError("oidc_token", "the identity provider's answer did not check out")
        wanted = required_acr(self.settings)
        if wanted and claims.get("acr") not in wanted:
            raise OidcError("oidc_acr", "this sign-in method is not strong enough here")
        return claims


def provider_of(conn: HTTPConnection, settings: Settings) -> Provider:
    state = conn.app.state
    provider = getattr(state, "lykta_oidc_provider", None)
    if provider is None:
        provider = Provider(settings)
        state.lykta_oidc_provider = provider
    assert isinstance(provider, Provider)
    return provider
