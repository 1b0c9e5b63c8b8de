"""Serving the built frontend (frontend/dist): pages by name, hashed assets under /assets."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from app.core.config import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent

NOT_BUILT = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Lykta</title>'
    "<p>The pages are not built yet: run <code>make run</code>.</p>"
)


def dist_dir(settings: Settings) -> Path:
    return Path(settings.frontend_dist) if settings.frontend_dist else REPO_ROOT / "frontend" / "dist"


def page_response(settings: Settings, name: str) -> Response:
    page = dist_dir(settings) / name
    if page.is_file():
        return FileResponse(page, media_type="text/html", headers={"Cache-Control": "no-store"})
    return HTMLResponse(NOT_BUILT, status_code=503)


def mount_assets(app: FastAPI, settings: Settings) -> None:
    assets = dist_dir(settings) / "assets"
    app.mount("/assets", StaticFiles(directory=assets, check_dir=False), name="assets")
