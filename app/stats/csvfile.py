"""CSV downloads: UTF-8 with a byte-order mark (so spreadsheet programs read å, ä, ö), a header row,
and text cells that could start a spreadsheet formula defused with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | bool | None


class CsvResponse(Response):
    media_type = "text/csv"  # Starlette adds "; charset=utf-8"


CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "a CSV file: UTF-8 with a byte-order mark, a header row, one line per row",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> CsvResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return CsvResponse(
        content=buffer.getvalue().encode("utf-8-sig"),
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
