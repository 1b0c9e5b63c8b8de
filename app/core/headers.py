"""Security headers on every HTTP response (strict CSP, no referrer, no framing), and caching: nothing
of the API or the pages is kept by a browser or a proxy (`no-store`: a watched phone keeps no trace),
while the built assets, whose names carry a hash of their content, are cached for a year as immutable."""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


NO_STORE = "no-store"
IMMUTABLE = "public, max-age=31536000, immutable"
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$")  # Vite: name-<hash>.ext


def cache_control(path: str, status: int) -> str | None:
    """The Cache-Control an answer gets unless its route set one."""
    if path.startswith("/assets/"):
        return IMMUTABLE if status == 200 and HASHED_ASSET.match(path) else NO_STORE
    if path.startswith(("/api/", "/c/")) or path in ("/console", "/"):
        return NO_STORE
    return None


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
                caching = cache_control(path, message["status"])
                if caching:
                    headers.setdefault("Cache-Control", caching)
            await send(message)

        await self.app(scope, receive, send_with_headers)
