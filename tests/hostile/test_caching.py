"""Nothing of the visitor's page or API stays in a browser's or a proxy's cache (`no-store`: a watched
phone keeps no trace); the built assets, named by a hash of their content, are cached as immutable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Lykta

ASSET = "visitor-B0x9Ab_c.js"  # how Vite names a built file: name-<hash>.ext
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / ASSET).write_text("console.log('hi')")
    for page in ("console.html", "visitor.html"):
        (tmp_path / page).write_text(f'<!doctype html><script type="module" src="/assets/{ASSET}"></script>')
    return {"frontend_dist": str(tmp_path)}


async def test_the_visitor_page_and_api_are_never_stored_and_hashed_assets_are_immutable(lykta: Lykta) -> None:
    await lykta.staff()
    async with lykta.http() as http:
        visitor_answers = [
            await http.get("/c/some-link"),
            await http.get("/c/unknown-or-retired"),
            await http.get("/api/visitor/status"),
            await http.post("/api/visitor/conversations", json={}),
            await http.post("/api/visitor/conversations", json={"language": "xx"}),  # 422
            await http.post("/api/visitor/follow-up", json={"code": "WRONGCODE234"}),  # 404
            await http.get("/console"),
        ]
        asset = await http.get(f"/assets/{ASSET}")
        missing = await http.get("/assets/gone-0123456789.js")
    for response in visitor_answers:
        assert response.headers.get("cache-control") == "no-store", (response.request.url, response.status_code)
    assert asset.status_code == 200 and asset.headers["cache-control"] == IMMUTABLE
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"
