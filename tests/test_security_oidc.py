"""OpenID Connect sign-in against a small provider this test runs: code flow with PKCE, state and nonce,
ID token signature and claims, an existing active account only, and an optional acr requirement."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import uvicorn
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from app.models import AuditEntry
from tests.helpers import PASSWORD, Lykta, StaffClient
from tests.live import free_port
from tests.test_security_support import audit, change_account

CLIENT_ID, CLIENT_SECRET = "lykta-console", "client-secret-for-tests"


@dataclass
class Provider:
    """Discovery, JWKS, authorize (signs in `username` at once) and token endpoints; `tamper` spoils a claim."""

    port: int = field(default_factory=free_port)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, auto_kid=True))
    username: str = ""
    acr: str | None = None
    tamper: dict[str, Any] = field(default_factory=dict)
    sign_with: Any = None
    grants: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorize_params: dict[str, str] = field(default_factory=dict)
    _server: uvicorn.Server | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/jwks", self.jwks),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
            ]
        )

    async def discovery(self, _request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def jwks(self, _request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.authorize_params = params
        assert params["response_type"] == "code" and params["client_id"] == CLIENT_ID
        assert params["code_challenge_method"] == "S256" and params["state"] and params["nonce"]
        code = secrets.token_urlsafe(16)
        self.grants[code] = params
        query = urlencode({"code": code, "state": params["state"]})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        grant = self.grants.pop(str(form.get("code")), None)
        if request.headers.get("authorization") != expected or grant is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(str(form["code_verifier"]).encode()).digest())
        if challenge.rstrip(b"=").decode() != grant["code_challenge"] or form["redirect_uri"] != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "subject-1234",
            "aud": CLIENT_ID,
            "exp": now + 300,
            "iat": now,
            "nonce": grant["nonce"],
            "preferred_username": self.username,
        }
        if self.acr:
            claims["acr"] = self.acr
        claims.update(self.tamper)
        key = self.sign_with or self.key
        alg = "HS256" if isinstance(key, OctKey) else "RS256"
        id_token = jwt.encode({"alg": alg, "kid": key.kid or "k"}, claims, key, algorithms=[alg])
        return JSONResponse({"access_token": "opaque", "token_type": "Bearer", "id_token": id_token})

    def start(self) -> Provider:
        config = uvicorn.Config(self.app(), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, daemon=True).start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            assert time.monotonic() < deadline, "the provider did not start"
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True


@pytest.fixture
def provider() -> Iterator[Provider]:
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture
def oidc_extra() -> dict[str, Any]:
    return {}


@pytest.fixture
def settings_overrides(provider: Provider, oidc_extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "oidc_issuer": provider.issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        **oidc_extra,
    }


async def run_flow(lykta: Lykta, provider: Provider, **spoil: str) -> tuple[httpx.AsyncClient, str]:
    """Start at Lykta, pass the provider, come back: the browser and where the callback sent it."""
    browser = lykta.http()
    lykta._clients.append(StaffClient(lykta.server, browser, ""))  # closed with the test, pass or fail
    start = await browser.get("/api/console/oidc/start")
    assert start.status_code == 303, start.text
    state_cookie = start.headers["set-cookie"].lower()
    assert "httponly" in state_cookie and "samesite=lax" in state_cookie and "path=/api/console/oidc" in state_cookie
    async with httpx.AsyncClient() as elsewhere:
        at_provider = await elsewhere.get(start.headers["location"])
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()} | spoil
    if spoil.get("cookie") == "drop":
        browser.cookies.clear()
    elif spoil.get("cookie") == "forge":
        value = browser.cookies.get("lykta_oidc", path="/api/console/oidc") or ""
        browser.cookies.set("lykta_oidc", value[:-3] + "AAA", path="/api/console/oidc")
    query.pop("cookie", None)
    callback = await browser.get(back.path, params=query)
    assert callback.status_code == 303, callback.text
    return browser, callback.headers["location"]


async def test_sign_in_through_the_provider(lykta: Lykta, provider: Provider) -> None:
    (username,) = await lykta.create_staff()
    provider.username = username
    async with lykta.http() as http:
        assert (await http.get("/api/console/sign-in-options")).json()["oidc"] is True
    browser, location = await run_flow(lykta, provider)
    assert location == "/console"
    me = await browser.get("/api/console/me")
    assert me.status_code == 200 and me.json()["counselor"]["username"] == username
    sent = provider.authorize_params
    assert sent["redirect_uri"] == f"{lykta.server.base_url}/api/console/oidc/callback"
    assert "acr_values" not in sent and len(sent["code_challenge"]) == 43
    login = [r for r in await audit(lykta) if r.action == "login"]
    assert login and login[-1].detail.startswith("oidc")


@pytest.mark.parametrize(
    ("spoil", "tamper", "expected"),
    [
        ({"state": "not-the-state"}, {}, "oidc_state"),
        ({"cookie": "drop"}, {}, "oidc_state"),
        ({"cookie": "forge"}, {}, "oidc_state"),
        ({"code": "made-up-code"}, {}, "oidc_provider"),
        ({"error": "access_denied"}, {}, "oidc_provider"),
        ({}, {"nonce": "another-nonce"}, "oidc_token"),
        ({}, {"aud": "someone-else"}, "oidc_token"),
        ({}, {"aud": [CLIENT_ID, "someone-else"]}, "oidc_token"),
        ({}, {"iss": "https://evil.example"}, "oidc_token"),
        ({}, {"exp": int(time.time()) - 3600}, "oidc_token"),
        ({}, {"nonce": None}, "oidc_token"),
    ],
)
async def test_answers_that_do_not_check_out_sign_nobody_in(
    lykta: Lykta, provider: Provider, spoil: dict[str, str], tamper: dict[str, Any], expected: str
) -> None:
    (username,) = await lykta.create_staff()
    provider.username = username
    provider.tamper = dict(tamper)
    browser, location = await run_flow(lykta, provider, **spoil)
    assert location == f"/console#signin_error={expected}"
    assert "lykta_session" not in browser.cookies
    assert (await browser.get("/api/console/me")).status_code == 401


@pytest.mark.parametrize("key_kind", ["other_rsa", "hmac_with_client_secret"])
async def test_a_token_not_signed_by_the_providers_key_is_refused(
    lykta: Lykta, provider: Provider, key_kind: str
) -> None:
    (username,) = await lykta.create_staff()
    provider.username = username
    if key_kind == "other_rsa":
        provider.sign_with = RSAKey.generate_key(2048, auto_kid=True)
    else:
        provider.sign_with = OctKey.import_key(CLIENT_SECRET.encode() * 2)
    _browser, location = await run_flow(lykta, provider)
    assert location == "/console#signin_error=oidc_token"


async def test_no_account_is_made_for_an_unknown_or_disabled_user(lykta: Lykta, provider: Provider) -> None:
    provider.username = "not-a-staff-member"
    _browser, location = await run_flow(lykta, provider)
    assert location == "/console#signin_error=oidc_no_account"
    (username,) = await lykta.create_staff()
    await change_account(lykta, username, is_active=False)
    provider.username = username
    _browser, location = await run_flow(lykta, provider)
    assert location == "/console#signin_error=oidc_no_account"
    failures: list[AuditEntry] = [r for r in await audit(lykta) if r.action == "login_failed"]
    assert [r.actor_id is None for r in failures] == [True, False]
    assert all("not-a-staff-member" not in r.detail for r in failures)


@pytest.mark.parametrize("oidc_extra", [{"oidc_acr_values": "http://id.elegnamnden.se/loa/1.0/loa3"}])
async def test_a_required_acr_is_asked_for_and_checked(lykta: Lykta, provider: Provider) -> None:
    (username,) = await lykta.create_staff()
    provider.username = username
    provider.acr = "http://id.elegnamnden.se/loa/1.0/loa2"
    browser, location = await run_flow(lykta, provider)
    assert provider.authorize_params["acr_values"] == "http://id.elegnamnden.se/loa/1.0/loa3"
    assert location == "/console#signin_error=oidc_acr"
    provider.acr = "http://id.elegnamnden.se/loa/1.0/loa3"
    browser, location = await run_flow(lykta, provider)
    assert location == "/console"
    assert (await browser.get("/api/console/me")).status_code == 200


@pytest.mark.parametrize("settings_overrides", [{}])
async def test_without_settings_there_is_no_oidc(lykta: Lykta) -> None:
    async with lykta.http() as http:
        start = await http.get("/api/console/oidc/start")
        callback = await http.get("/api/console/oidc/callback", params={"code": "x", "state": "y"})
        options = await http.get("/api/console/sign-in-options")
    assert (start.status_code, start.json()["code"]) == (404, "oidc_disabled")
    assert callback.status_code == 404
    assert options.json()["oidc"] is False


@pytest.mark.parametrize(
    "oidc_extra",
    [
        {
            "password_login": False,
            "env": "production",
            "oidc_acr_values": "loa3",
            "oidc_redirect_url": "https://lykta.example/api/console/oidc/callback",  # required in production
        }
    ],
)
async def test_an_oidc_only_deployment_refuses_passwords(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    async with lykta.http() as http:
        refused = await http.post("/api/console/login", json={"username": username, "password": PASSWORD})
        options = (await http.get("/api/console/sign-in-options")).json()
    assert (refused.status_code, refused.json()["code"]) == (403, "password_login_disabled")
    assert options == {"password": False, "oidc": True, "totp_required": False}
