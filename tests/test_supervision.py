"""Roles are checked on every staff route and socket frame; supervisors monitor, whisper and take over;
blocks keep a source out for a while."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from app.core.shared import MemorySharedState
from app.main import create_app
from app.privacy.blocks import SOURCE_MEMORY, Blocklist
from tests.conftest import make_settings
from tests.helpers import Lykta, StaffClient
from tests.test_shared_state import redis_shared

ANY_ID = "00000000-0000-4000-8000-000000000000"


def staff_routes(prefix: str) -> list[tuple[str, str]]:
    """Every documented route under prefix, with its path parameters filled in."""
    schema = create_app(make_settings("sqlite+aiosqlite:///:memory:")).openapi()
    found: list[tuple[str, str]] = []
    for template, operations in schema["paths"].items():
        if template.startswith(prefix):
            path = re.sub(r"\{[a-z_]*id\}", "1", template).replace("{day}", "2026-12-24")
            found.extend((method.upper(), path) for method in sorted(operations))
    return found


ADMIN_ROUTES = staff_routes("/api/admin/")
SUPERVISOR_ROUTES = [("GET", "/api/console/supervision"), ("POST", f"/api/console/conversations/{ANY_ID}/take-over")]


def test_the_route_tables_are_not_empty() -> None:
    assert len(ADMIN_ROUTES) >= 10  # users, settings, schedule, canned replies, tags


async def call(staff: StaffClient, method: str, path: str) -> httpx.Response:
    return await staff.http.request(method, path, json={}, headers={"X-CSRF-Token": staff.csrf})


async def test_counselors_and_supervisors_cannot_use_any_admin_route(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    supervisor = await lykta.staff(role="supervisor", available=False)
    for method, path in ADMIN_ROUTES:
        for who in (counselor, supervisor):
            response = await call(who, method, path)
            assert response.status_code == 403, (who.username, method, path, response.text)
            assert response.json()["code"] == "forbidden"


async def test_counselors_cannot_use_supervisor_routes_but_supervisors_and_admins_can(lykta: Lykta) -> None:
    counselor = await lykta.staff(available=False)
    supervisor = await lykta.staff(role="supervisor", available=False)
    admin = await lykta.staff(role="admin", available=False)
    for method, path in SUPERVISOR_ROUTES:
        refused = await call(counselor, method, path)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden"), path
        for allowed in (supervisor, admin):
            assert (await call(allowed, method, path)).status_code in (200, 404), path


async def test_admin_manages_users_and_a_disabled_user_is_signed_out(lykta: Lykta) -> None:
    admin = await lykta.staff(role="admin", available=False)
    created = await admin.post(
        "/api/admin/users",
        {"username": "nora", "password": "a long password", "role": "counselor", "alias": "Nora"},
    )
    assert created.status_code == 201, created.text
    nora = await lykta.login("nora", "a long password")
    user_id = created.json()["id"]
    changed = await admin.http.patch(
        f"/api/admin/users/{user_id}",
        json={"role": "supervisor", "alias": "Nor", "capacity": 5},
        headers={"X-CSRF-Token": admin.csrf},
    )
    assert changed.json()["role"] == "supervisor" and changed.json()["capacity"] == 5
    disabled = await admin.http.patch(
        f"/api/admin/users/{user_id}", json={"is_active": False}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert disabled.status_code == 200
    assert (await nora.get("/api/console/me")).status_code == 401
    self_lock = await admin.http.patch(
        f"/api/admin/users/{admin.id}", json={"is_active": False}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert (self_lock.status_code, self_lock.json()["code"]) == (409, "self_lockout")


async def test_supervisor_monitors_read_only_and_takes_over(lykta: Lykta) -> None:
    counselor = await lykta.staff(alias="Sara")
    supervisor = await lykta.staff(role="supervisor", alias="Boss")
    visitor = await lykta.visitor()
    cid = visitor.conversation_id
    chat = await visitor.socket()
    await chat.send({"type": "send", "client_id": "v1", "body": "first words"})
    await counselor.claim(cid)

    own = await counselor.socket()
    await own.send({"type": "monitor", "conversation_id": cid})
    assert (await own.expect("error"))["code"] == "forbidden"

    watch = await supervisor.socket()
    await watch.send({"type": "monitor", "conversation_id": cid})
    opened = await watch.expect("conversation")
    assert opened["monitoring"] is True and opened["conversation"]["counselor_alias"] == "Sara"
    assert (await watch.expect("message"))["body"] == "first words"
    await own.send({"type": "send", "conversation_id": cid, "client_id": "c1", "body": "hello from Sara"})
    assert (await watch.expect("message"))["body"] == "hello from Sara"
    await watch.send({"type": "send", "conversation_id": cid, "client_id": "s1", "body": "I should not"})
    assert (await watch.expect("error"))["code"] == "not_holder"

    taken = await supervisor.post(f"/api/console/conversations/{cid}/take-over")
    assert taken.status_code == 200 and taken.json()["counselor_id"] == supervisor.id
    assert (await chat.expect("state", state="active", counselor_alias="Boss"))["state"] == "active"
    lost = await own.expect("conversation")
    while lost["conversation"]["counselor_id"] != supervisor.id:
        lost = await own.expect("conversation")
    assert lost["conversation"]["state"] == "active"


async def test_a_monitoring_supervisor_is_told_when_the_chat_moves_or_ends(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    supervisor = await lykta.staff(role="supervisor")
    visitor = await lykta.visitor()
    cid = visitor.conversation_id
    await counselor.claim(cid)
    watch = await supervisor.socket()
    await watch.send({"type": "monitor", "conversation_id": cid})
    await watch.expect("conversation")
    await counselor.post(f"/api/console/conversations/{cid}/close")
    ended = await watch.expect("conversation")
    while ended["conversation"]["state"] != "closed":
        ended = await watch.expect("conversation")
    assert ended["conversation"]["conversation_id"] == cid


async def test_block_ends_the_chat_and_keeps_the_source_out(lykta: Lykta) -> None:
    counselor = await lykta.staff()
    base = lykta.server.base_url
    hostile = httpx.AsyncHTTPTransport(local_address="127.0.0.61")
    other = httpx.AsyncHTTPTransport(local_address="127.0.0.62")
    async with (
        httpx.AsyncClient(base_url=base, transport=hostile) as bad,
        httpx.AsyncClient(base_url=base, transport=other) as good,
    ):
        started = (await bad.post("/api/visitor/conversations", json={})).json()
        cid = started["conversation_id"]
        await counselor.claim(cid)
        blocked = await counselor.post(f"/api/console/conversations/{cid}/block", {"hours": 2})
        assert blocked.status_code == 200 and blocked.json()["state"] == "closed"

        again = await bad.post("/api/visitor/conversations", json={})
        assert (again.status_code, again.json()["code"]) == (403, "not_available")
        page = await bad.get("/c/anything")
        assert page.status_code == 200 and "inte tillgänglig" in page.text and "script" not in page.text
        assert (await good.post("/api/visitor/conversations", json={})).status_code == 201
        assert "inte tillgänglig" not in (await good.get("/c/anything")).text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_block_expires() -> None:
    clock = Clock()
    blocks = Blocklist(MemorySharedState(clock=clock))
    await blocks.remember("c1", ["key-a"])
    await blocks.remember("c1", ["key-b"])  # sources add up
    assert await blocks.block_conversation("c1", hours=24)
    clock.now += timedelta(hours=23).total_seconds()
    assert await blocks.is_blocked(["key-z", "key-b"]) and await blocks.is_blocked(["key-a"])
    clock.now += timedelta(hours=1, seconds=1).total_seconds()
    assert not await blocks.is_blocked(["key-b"])
    assert not await blocks.is_blocked(["key-z"])
    assert not await blocks.block_conversation("unknown", hours=1)
    clock.now += SOURCE_MEMORY.total_seconds()
    assert not await blocks.block_conversation("c1", hours=1)  # a conversation's sources are forgotten


async def test_a_block_in_redis_holds_for_its_hours() -> None:
    async with redis_shared() as (shared, client):
        blocks = Blocklist(shared)
        await blocks.remember("c1", ["key-a"])
        await blocks.remember("c1", ["key-b"])
        assert 0 < await client.pttl(f"{shared.prefix}:sources:c1") <= SOURCE_MEMORY.total_seconds() * 1000
        assert await blocks.block_conversation("c1", hours=24)
        assert await blocks.is_blocked(["key-z", "key-b"]) and await blocks.is_blocked(["key-a"])
        assert not await blocks.is_blocked(["key-z"])
        day = timedelta(hours=24).total_seconds() * 1000
        assert day - 60_000 < await client.pttl(f"{shared.prefix}:block:key-b") <= day  # Redis expires it
        assert not await blocks.block_conversation("unknown", hours=1)


@pytest.mark.parametrize("role", ["counselor"])
async def test_counselor_cannot_read_a_conversation_they_do_not_hold(lykta: Lykta, role: str) -> None:
    holder, other = await lykta.staff(role=role), await lykta.staff(role=role)
    visitor = await lykta.visitor()
    await holder.claim(visitor.conversation_id)
    refused = await other.get(f"/api/console/conversations/{visitor.conversation_id}/messages")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_holder")
