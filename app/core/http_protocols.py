"""uvicorn's HTTP protocols with a deadline on reading a request (slowloris).

uvicorn bounds the idle time between requests (`timeout_keep_alive`), but a connection that sends nothing
at all, or dribbles a byte now and then, is held as long as the client likes: each byte cancels the
keep-alive timer. Here a request, its headers and its body, must have arrived within `read_timeout_s` of
the moment the server started waiting for it (the connection opened, or the previous answer went out);
otherwise the connection is dropped. A WebSocket upgrade stops the clock (the socket's own `hello` timer
takes over), and so does a request that has fully arrived (however long the app then takes).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional: uvicorn then speaks HTTP through h11
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

READING = (h11.IDLE, h11.SEND_BODY)  # h11's states of a client whose request is still coming


class _ReadDeadline:
    """The timer itself, shared by both protocols (mixed in before uvicorn's class)."""

    read_timeout_s: float = 10.0
    _read_timer: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def _arm(self) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self._read_timer = self.loop.call_later(self.read_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _too_slow(self) -> None:
        self._read_timer = None
        if not self.transport.is_closing():
            self.transport.close()


class BoundedH11Protocol(_ReadDeadline, H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state not in READING:
            self._disarm()

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        self._disarm()
        super().handle_websocket_upgrade(event)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state in READING:  # not a pipelined request that has already arrived
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def bounded_protocol(read_timeout_s: float) -> type[asyncio.Protocol]:
    """The protocol class uvicorn would pick (httptools when installed, else h11), with the deadline set for this
    process. The classes are module-level, so that `--workers` processes import them by name; each process sets its
    deadline again from its settings (app.main)."""
    base: Any = BoundedHttpToolsProtocol if BoundedHttpToolsProtocol is not None else BoundedH11Protocol
    base.read_timeout_s = read_timeout_s
    return base  # type: ignore[no-any-return]


def _bounded_httptools() -> Any:
    if HttpToolsProtocol is None:
        return None

    class BoundedHttpToolsProtocol(_ReadDeadline, HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

        def handle_websocket_upgrade(self) -> None:
            self._disarm()
            super().handle_websocket_upgrade()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    BoundedHttpToolsProtocol.__qualname__ = "BoundedHttpToolsProtocol"
    return BoundedHttpToolsProtocol


BoundedHttpToolsProtocol = _bounded_httptools()
