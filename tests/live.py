"""A real uvicorn server on a free port, in a thread of the test process, with its own database."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import uvicorn
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app
from app.runtime import Runtime
from app.server import uvicorn_config

T = TypeVar("T")


def runtime_of_app(app: FastAPI) -> Runtime:
    runtime = app.state.runtime
    assert isinstance(runtime, Runtime)
    return runtime


class Served(Protocol):
    """What test clients need of a server: its addresses and the settings it runs with."""

    @property
    def settings(self) -> Settings: ...

    @property
    def port(self) -> int: ...

    @property
    def base_url(self) -> str: ...

    @property
    def ws_url(self) -> str: ...


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    settings: Settings
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _app: FastAPI | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    send_buffer: int | None = None  # SO_SNDBUF of the listening socket; accepted sockets inherit it

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def start(self, **overrides: Any) -> LiveServer:
        self._app = create_app(self.settings)
        config = uvicorn_config(self.settings, self.host, self.port, app=self._app, **overrides)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        return self

    def _run(self) -> None:
        assert self._server is not None
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        assert self._server is not None
        self._loop = asyncio.get_running_loop()
        if self.send_buffer is None:
            await self._server.serve()
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.send_buffer)
        listener.bind((self.host, self.port))
        await self._server.serve(sockets=[listener])

    def runtime(self) -> Runtime:
        """The server's own runtime (use its objects only through run_in_server)."""
        assert self._app is not None
        return runtime_of_app(self._app)

    async def run_in_server(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await a coroutine on the server's event loop (its engine and broker live there)."""
        assert self._loop is not None
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self._loop))

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=20)
