"""The two sockets, reached without the HTTP-only layers (routing, exception and header middleware).

A socket lives for minutes or hours; every ASGI layer it passes through keeps a coroutine frame (and what that
frame holds) alive for all of that time. Sockets only need the outer layers (the source key and the access log),
so they are dispatched here, before the rest of the stack, by path. This layer itself keeps no frame: it returns
the handler's coroutine instead of awaiting it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from app.console.socket_routes import console_socket
from app.visitor.socket_routes import visitor_socket

SOCKETS: dict[str, Callable[[WebSocket], Awaitable[None]]] = {
    "/ws/visitor": visitor_socket,
    "/ws/console": console_socket,
}


class SocketShortcut:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] == "websocket":
            handler = SOCKETS.get(scope["path"])
            if handler is not None:
                return handler(WebSocket(scope, receive, send))
        return self.app(scope, receive, send)
