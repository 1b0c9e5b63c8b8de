"""Browser tests: one Chromium per worker, a live server per test (SQLite only, to keep them fast).

Every async test here runs on the session event loop (the browser lives there), so the `lykta`
fixture is redefined on that loop too. Skips without /usr/bin/chromium unless
LYKTA_REQUIRE_BROWSER=1, which makes a missing browser a failure.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from tests.backends import SqliteFactory
from tests.conftest import make_settings
from tests.e2e.support import Browsers, ServerErrors
from tests.helpers import Lykta
from tests.live import LiveServer, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def database_url(sqlite_factory: SqliteFactory) -> Iterator[str]:
    url = sqlite_factory.new()
    yield url
    sqlite_factory.drop(url)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings_overrides(port: int) -> dict[str, Any]:
    # Leaving goes to a neutral page on the same server: no traffic off 127.0.0.1.
    return {"exit_url": f"http://127.0.0.1:{port}/healthz"}


@pytest.fixture
def server(database_url: str, settings_overrides: dict[str, Any], port: int) -> Iterator[LiveServer]:
    live = LiveServer(make_settings(database_url, **settings_overrides), port=port).start()
    yield live
    live.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def lykta(server: LiveServer) -> AsyncIterator[Lykta]:
    handle = Lykta(server)
    yield handle
    await handle.aclose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("LYKTA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (LYKTA_REQUIRE_BROWSER=1)")
        pytest.skip(f"{CHROMIUM} is missing")
    dist = Path(__file__).resolve().parents[2] / "frontend" / "dist" / "visitor.html"
    if not dist.exists():
        pytest.fail("the frontend is not built: cd frontend && npm run build")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
def server_errors(server: LiveServer) -> Iterator[ServerErrors]:
    """Errors the server logs during the test (attached after its start: uvicorn resets handlers)."""
    handler = ServerErrors()
    loggers = [logging.getLogger(name) for name in ("uvicorn", "lykta", "app")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest_asyncio.fixture(loop_scope="session")
async def browsers(browser: Browser, lykta: Lykta, server_errors: ServerErrors) -> AsyncIterator[Browsers]:
    """Watched pages for this test; at the end: no console error, nothing fetched off 127.0.0.1,
    no axe-core WCAG A/AA violation (at each screenshot, checkpoint and on every page left open),
    and no error in the server's log."""
    pages = Browsers(browser, lykta.server.base_url)
    try:
        yield pages
        await pages.audit_open_pages()
    finally:
        await pages.close()
    pages.check()
    assert server_errors.unexpected() == [], "\n\n".join(server_errors.unexpected())
