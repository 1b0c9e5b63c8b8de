"""Console routes and the console socket refuse a missing session, a wrong CSRF token and a foreign Origin."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from app.core.db import make_engine, make_sessionmaker
from app.models import AuthSession, utcnow
from tests.helpers import PASSWORD, Lykta

STATE_CHANGING = [
    ("PUT", "/api/console/presence", {"status": "available"}),
    ("POST", "/api/console/conversations/00000000-0000-4000-8000-000000000000/claim", None),
    ("POST", "/api/console/conversations/00000000-0000-4000-8000-000000000000/release", None),
    ("POST", "/api/console/conversations/00000000-0000-4000-8000-000000000000/close", None),
    ("POST", "/api/console/logout", None),
]
READS = ["/api/console/me", "/api/console/queue", "/api/console/conversations"]


async def test_login_me_logout(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff(alias="Sam")
    staff = await lykta.login(username)
    assert staff.counselor["alias"] == "Sam"
    cookie = staff.http.cookies.get("lykta_session")
    assert cookie and len(cookie) >= 40
    me = await staff.get("/api/console/me")
    assert me.status_code == 200 and me.json()["csrf_token"] == staff.csrf
    assert (await staff.post("/api/console/logout")).status_code == 204
    async with lykta.http(cookies={"lykta_session": cookie}) as replay:
        again = await replay.get("/api/console/me")
    assert (again.status_code, again.json()["code"]) == (401, "not_authenticated")


async def test_session_cookie_flags(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    async with lykta.http() as http:
        response = await http.post("/api/console/login", json={"username": username, "password": PASSWORD})
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "path=/" in header


async def test_wrong_password_and_unknown_user_get_the_same_answer(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    async with lykta.http() as http:
        wrong = await http.post("/api/console/login", json={"username": username, "password": "wrong password"})
        nobody = await http.post("/api/console/login", json={"username": "nobody", "password": "wrong password"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json() == {"detail": "wrong username or password", "code": "invalid_credentials"}
    assert "set-cookie" not in wrong.headers


@pytest.mark.parametrize(("method", "path", "body"), STATE_CHANGING)
async def test_state_changing_routes_refuse_missing_session_wrong_csrf_and_foreign_origin(
    lykta: Lykta, method: str, path: str, body: object
) -> None:
    staff = await lykta.staff(available=False)
    async with lykta.http() as anonymous:
        no_session = await anonymous.request(method, path, json=body, headers={"X-CSRF-Token": staff.csrf})
    wrong_csrf = await staff.http.request(method, path, json=body, headers={"X-CSRF-Token": "forged"})
    no_csrf = await staff.http.request(method, path, json=body)
    foreign = await staff.http.request(
        method, path, json=body, headers={"X-CSRF-Token": staff.csrf, "Origin": "https://evil.example"}
    )
    assert (no_session.status_code, no_session.json()["code"]) == (401, "not_authenticated")
    assert (wrong_csrf.status_code, wrong_csrf.json()["code"]) == (403, "csrf_failed")
    assert (no_csrf.status_code, no_csrf.json()["code"]) == (403, "csrf_failed")
    assert (foreign.status_code, foreign.json()["code"]) == (403, "origin_not_allowed")
    assert (await staff.get("/api/console/me")).status_code == 200  # nothing above signed us out


@pytest.mark.parametrize("path", READS)
async def test_reads_refuse_missing_session_and_foreign_origin(lykta: Lykta, path: str) -> None:
    staff = await lykta.staff(available=False)
    async with lykta.http() as anonymous:
        assert (await anonymous.get(path)).status_code == 401
    foreign = await staff.http.get(path, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert (await staff.get(path)).status_code == 200


async def test_login_from_a_foreign_origin_is_refused(lykta: Lykta) -> None:
    (username,) = await lykta.create_staff()
    async with httpx.AsyncClient(base_url=lykta.server.base_url, headers={"Origin": "https://evil.example"}) as http:
        response = await http.post("/api/console/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 403 and "set-cookie" not in response.headers


async def test_console_socket_refuses_missing_session_and_foreign_origin(lykta: Lykta) -> None:
    staff = await lykta.staff()
    cookie = f"lykta_session={staff.http.cookies['lykta_session']}"
    url = f"{lykta.server.ws_url}/ws/console"
    with pytest.raises(InvalidStatus) as missing:
        await connect(url, origin=Origin(lykta.server.base_url))
    with pytest.raises(InvalidStatus) as forged:
        await connect(url, origin=Origin(lykta.server.base_url), additional_headers={"Cookie": "lykta_session=forged"})
    with pytest.raises(InvalidStatus) as hijack:  # cross-site WebSocket hijacking with a valid cookie
        await connect(url, origin=Origin("https://evil.example"), additional_headers={"Cookie": cookie})
    with pytest.raises(InvalidStatus) as no_origin:
        await connect(url, additional_headers={"Cookie": cookie})
    for refused in (missing, forged, hijack, no_origin):
        assert refused.value.response.status_code == 403
    console = await staff.socket()  # the real thing still works
    assert console.ws.close_code is None


async def test_visitor_socket_refuses_foreign_origin(lykta: Lykta) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await connect(f"{lykta.server.ws_url}/ws/visitor", origin=Origin("https://evil.example"))
    assert refused.value.response.status_code == 403


async def test_idle_session_expires(lykta: Lykta) -> None:
    staff = await lykta.staff(available=False)
    engine = make_engine(lykta.server.settings.database_url)
    idle = timedelta(minutes=lykta.server.settings.session_idle_minutes + 1)
    async with make_sessionmaker(engine)() as session:
        await session.exec(update(AuthSession).values(last_seen_at=utcnow() - idle))
        await session.commit()
    await engine.dispose()
    response = await staff.get("/api/console/me")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


async def test_visitors_never_get_cookies(lykta: Lykta) -> None:
    await lykta.staff()
    async with lykta.http() as http:
        responses = [
            await http.get("/c/anything"),
            await http.get("/api/visitor/status", params={"link": "abc"}),
            await http.post("/api/visitor/conversations", json={}),
        ]
    assert all("set-cookie" not in r.headers for r in responses)
    assert not http.cookies


@pytest.mark.parametrize("settings_overrides", [{"heartbeat_s": 0.2}])
async def test_an_open_console_socket_ends_when_its_session_is_signed_out(lykta: Lykta) -> None:
    staff = await lykta.staff()
    console = await staff.socket()
    assert (await staff.post("/api/console/logout")).status_code == 204
    error = await console.expect("error", timeout=5)
    assert error["code"] == "not_authenticated"
    await console.ws.wait_closed()
    assert console.ws.close_code == 1008
