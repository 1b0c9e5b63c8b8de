"""Security headers on every response: pages, API answers, errors, 404s and static assets; HSTS only
when the request came over TLS through a trusted proxy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import Lykta

CHECKED = [
    ("GET", "/c/some-code", None),
    ("GET", "/console", None),
    ("GET", "/assets/app-1234.js", None),
    ("GET", "/api/visitor/status", None),
    ("GET", "/api/console/me", None),  # 401
    ("POST", "/api/console/login", {"username": ""}),  # 422
    ("GET", "/api/no-such-route", None),  # 404
    ("GET", "/no-such-page", None),  # 404
    ("GET", "/assets/missing.js", None),  # 404 from the static files
    ("DELETE", "/api/visitor/status", None),  # 405
    ("GET", "/healthz", None),
]


@pytest.fixture
def frontend(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app-1234.js").write_text("console.log('hi')")
    for page in ("console.html", "visitor.html"):
        (tmp_path / page).write_text('<!doctype html><script type="module" src="/assets/app-1234.js"></script>')
    return tmp_path


@pytest.fixture
def proxied() -> dict[str, Any]:
    return {}


@pytest.fixture
def settings_overrides(frontend: Path, proxied: dict[str, Any]) -> dict[str, Any]:
    return {"frontend_dist": str(frontend), **proxied}


def assert_security_headers(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", where
    assert directives.get("default-src") == "default-src 'self'", where
    assert directives.get("object-src") == "object-src 'none'", where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp, where
    assert headers.get("referrer-policy") == "no-referrer", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("x-frame-options") == "DENY", where
    permissions = headers.get("permissions-policy", "")
    assert "camera=()" in permissions and "microphone=()" in permissions and "geolocation=()" in permissions, where


async def fetch_all(lykta: Lykta, **headers: str) -> list[httpx.Response]:
    async with lykta.http(headers=headers) as http:
        return [await http.request(method, path, json=body) for method, path, body in CHECKED]


async def test_every_kind_of_response_carries_the_security_headers(lykta: Lykta) -> None:
    responses = await fetch_all(lykta)
    statuses = [r.status_code for r in responses]
    assert statuses == [200, 200, 200, 200, 401, 422, 404, 404, 404, 405, 200]
    for response in responses:
        assert_security_headers(response)
        assert "strict-transport-security" not in response.headers  # plain http
    assert all(r.headers.get("cache-control") == "no-store" for r in responses if "/api/" in str(r.url))


async def test_a_forwarded_proto_from_an_untrusted_peer_gets_no_hsts(lykta: Lykta) -> None:
    for response in await fetch_all(lykta, **{"X-Forwarded-Proto": "https"}):
        assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize("proxied", [{"trusted_proxies": ["127.0.0.1"]}])
async def test_behind_a_trusted_tls_proxy_every_response_gets_hsts(lykta: Lykta) -> None:
    origin = lykta.server.base_url.replace("http://", "https://")
    responses = await fetch_all(lykta, **{"X-Forwarded-Proto": "https", "Origin": origin})
    for response in responses:
        assert_security_headers(response)
        hsts = response.headers.get("strict-transport-security", "")
        assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000, response.url
    plain = await fetch_all(lykta)  # the same proxy, but the browser came over plain http
    assert all("strict-transport-security" not in r.headers for r in plain)
