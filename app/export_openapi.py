"""Writes the app's OpenAPI schema as JSON without a server (`make types` builds the pages' types from it).

`python -m app.export_openapi [PATH]` writes PATH (stdout without one). The schema does not depend on
the environment: the app is built from default settings, so every machine writes the same file."""

from __future__ import annotations

import sys
from typing import Any

from app.core.config import Settings
from app.core.schema_file import schema_json, write_schema
from app.main import create_app


def openapi_schema() -> dict[str, Any]:
    """The schema `/api/openapi.json` serves, from an app built on default settings."""
    return create_app(Settings(_env_file=None, env="development")).openapi()


def openapi_text() -> str:
    """The schema as the committed file holds it: indented, keys in the app's order, a final newline."""
    return schema_json(openapi_schema())


if __name__ == "__main__":
    write_schema(openapi_text(), sys.argv[1:])
