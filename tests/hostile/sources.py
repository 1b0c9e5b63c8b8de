"""Clients that connect from a chosen loopback address (any 127.x address is this machine), so a live
server sees several real sources without any proxy header."""

from __future__ import annotations

from typing import Any

import httpx

from tests.live import Served


def client_from(server: Served, source: str, **kwargs: Any) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=source)
    headers = {"Origin": server.base_url, **kwargs.pop("headers", {})}
    return httpx.AsyncClient(base_url=server.base_url, transport=transport, headers=headers, timeout=30, **kwargs)


def address(block: int, n: int) -> str:
    """A loopback address of its own for the n-th client of a test's block of clients."""
    return f"127.0.{block}.{n + 1}"
