"""The pages' HTTP types are current: frontend/src/api/ holds the schema the app builds and the types made from it.

When this fails, run `make types` and commit frontend/src/api/openapi.json and schema.ts: a renamed or removed
field then breaks `npm run typecheck` where the pages read it, not a person's chat at run time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.export_openapi import openapi_text

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
API = FRONTEND / "src" / "api"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"


def generator_command(out: Path) -> list[str]:
    """package.json's `types` script (one place for the generator's options), writing to `out`."""
    script = json.loads((FRONTEND / "package.json").read_text(encoding="utf-8"))["scripts"]["types"].split()
    assert script[0] == "openapi-typescript", script
    paths = {"src/api/openapi.json": str(API / "openapi.json"), "src/api/schema.ts": str(out)}
    return [str(GENERATOR), *(paths.get(arg, arg) for arg in script[1:])]


def test_committed_schema_is_the_apps() -> None:
    committed = (API / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), "frontend/src/api/openapi.json is not current: run `make types`"


def test_committed_types_are_made_from_the_schema(tmp_path: Path) -> None:
    if not GENERATOR.exists() or shutil.which("node") is None:
        pytest.skip("the frontend's packages are not installed (make frontend)")
    out = tmp_path / "schema.ts"
    subprocess.run(generator_command(out), check=True, capture_output=True, cwd=FRONTEND)
    committed = (API / "schema.ts").read_text(encoding="utf-8")
    assert committed == out.read_text(encoding="utf-8"), "frontend/src/api/schema.ts is not current: run `make types`"
