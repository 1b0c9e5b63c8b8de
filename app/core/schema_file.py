"""How a generated schema is written: indented JSON with a final newline, to a path or to stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def schema_json(schema: dict[str, Any]) -> str:
    """The text a committed schema file holds (keys in the order given), so a check can compare it byte for byte."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schema(text: str, argv: list[str]) -> None:
    """`python -m … [PATH]`: write PATH, or stdout without one."""
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
