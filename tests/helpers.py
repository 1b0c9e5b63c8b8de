"""Clients for tests: staff over HTTP and the console socket, visitors over HTTP and their socket."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from app.auth.service import create_user
from app.core.db import make_engine, make_sessionmaker
from app.models import Role
from tests.live import LiveServer, Served

PASSWORD = "correct horse battery"


class Frames:
    """A socket that remembers frames it skipped while waiting for the one a test expects."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.seen: list[dict[str, Any]] = []
        self._pending: list[dict[str, Any]] = []

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.ws.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def next(self, timeout: float = 5) -> dict[str, Any]:
        if self._pending:
            return self._pending.pop(0)
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        frame: dict[str, Any] = json.loads(raw)
        self.seen.append(frame)
        return frame

    async def expect(self, kind: str, timeout: float = 5, **match: Any) -> dict[str, Any]:
        """The next frame of this type (and matching fields); frames skipped stay readable later."""
        skipped: list[dict[str, Any]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(f"no {kind} frame matching {match}; saw {skipped}")
                frame = await self.next(remaining)
                if frame.get("type") == kind and all(frame.get(k) == v for k, v in match.items()):
                    return frame
                skipped.append(frame)
        finally:
            self._pending = skipped + self._pending

    async def messages(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        return [await self.expect("message", timeout) for _ in range(count)]

    async def silent(self, kind: str, seconds: float = 0.5) -> bool:
        """True when no frame of this type arrives within the given time."""
        try:
            await self.expect(kind, timeout=seconds)
        except TimeoutError:
            return True
        return False

    async def close(self) -> None:
        await self.ws.close()


OPENED: list[Frames] = []  # every test socket, closed when the test ends


@dataclass
class StaffClient:
    server: Served
    http: httpx.AsyncClient
    username: str
    csrf: str = ""
    counselor: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return int(self.counselor["id"])

    async def post(self, path: str, json: Any = None) -> httpx.Response:
        return await self.http.post(path, json=json, headers={"X-CSRF-Token": self.csrf})

    async def put(self, path: str, json: Any = None) -> httpx.Response:
        return await self.http.put(path, json=json, headers={"X-CSRF-Token": self.csrf})

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.http.get(path, params=params)

    async def presence(self, status: str) -> None:
        response = await self.put("/api/console/presence", {"status": status})
        assert response.status_code == 200, response.text

    async def claim(self, conversation_id: str) -> httpx.Response:
        return await self.post(f"/api/console/conversations/{conversation_id}/claim")

    async def socket(self, last_seq: dict[str, int] | None = None, origin: str | None = None) -> Frames:
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        ws = await connect(
            f"{self.server.ws_url}/ws/console",
            additional_headers={"Cookie": cookie},
            origin=Origin(origin or self.server.base_url),
            open_timeout=5,
        )
        frames = Frames(ws)
        OPENED.append(frames)
        await frames.send({"type": "hello", "last_seq": last_seq or {}})
        await frames.expect("presence")
        return frames

    async def aclose(self) -> None:
        await self.http.aclose()


@dataclass
class Visitor:
    server: Served
    conversation_id: str
    token: str
    follow_up_code: str

    async def socket(self, last_seq: int = 0, **extra: Any) -> Frames:
        ws = await connect(f"{self.server.ws_url}/ws/visitor", origin=Origin(self.server.base_url), open_timeout=5)
        frames = Frames(ws)
        OPENED.append(frames)
        await frames.send({"type": "hello", "token": self.token, "last_seq": last_seq, **extra})
        await frames.expect("state")
        return frames


class Clients:
    """Test-side handle on a server (in-thread or a node process): makes staff, signs them in, starts visitors."""

    def __init__(self, server: Served) -> None:
        self.server = server
        self._clients: list[StaffClient] = []

    def http(self, **kwargs: Any) -> httpx.AsyncClient:
        headers = {"Origin": self.server.base_url, **kwargs.pop("headers", {})}
        return httpx.AsyncClient(base_url=self.server.base_url, headers=headers, timeout=10, **kwargs)

    async def create_staff(self, count: int = 1, role: str = "counselor", alias: str | None = None) -> list[str]:
        engine = make_engine(self.server.settings.database_url)
        names = [f"{role}-{uuid.uuid4().hex[:8]}" for _ in range(count)]
        try:
            async with make_sessionmaker(engine)() as session:
                for name in names:
                    await create_user(session, name, PASSWORD, Role(role), alias or f"Alias {name[-4:]}", name)
                await session.commit()
        finally:
            await engine.dispose()
        return names

    async def login(self, username: str, password: str = PASSWORD) -> StaffClient:
        client = StaffClient(self.server, self.http(), username)
        response = await client.http.post("/api/console/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        body = response.json()
        client.csrf, client.counselor = body["csrf_token"], body["counselor"]
        self._clients.append(client)
        return client

    async def staff(self, role: str = "counselor", alias: str | None = None, available: bool = True) -> StaffClient:
        (username,) = await self.create_staff(role=role, alias=alias)
        client = await self.login(username)
        if available:
            await client.presence("available")
        return client

    async def visitor(self, **body: Any) -> Visitor:
        async with self.http() as http:
            response = await http.post("/api/visitor/conversations", json=body)
        assert response.status_code == 201, response.text
        data = response.json()
        return Visitor(self.server, data["conversation_id"], data["token"], data["follow_up_code"])

    async def aclose(self) -> None:
        while OPENED:
            await OPENED.pop().close()
        for client in self._clients:
            await client.aclose()


class Lykta(Clients):
    """Clients of an in-thread live server, whose runtime the test can reach."""

    server: LiveServer

    def __init__(self, server: LiveServer) -> None:
        super().__init__(server)


async def eventually(check: Any, timeout: float = 10, every: float = 0.1) -> Any:
    """Await check() until it returns something truthy (and return it), or fail after timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {result!r})")
        await asyncio.sleep(every)
