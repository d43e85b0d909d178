"""Writing what a screen shows to a CSV file (no Textual here)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from frontier_watch.output import json_value

# A cell starting with one of these is a formula to a spreadsheet: it is written with a
# leading apostrophe so it is shown as text, never run.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = str(json_value(value))
    elif not isinstance(value, str):
        return json_value(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def export_csv(rows: Sequence[dict[str, Any]], folder: Path, view: str, now: datetime) -> Path:
    """Write ``rows`` to ``<folder>/<view>-<time>.csv`` (a new name if it exists); return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{view}-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.csv"
    count = 1
    while path.exists():
        count += 1
        path = folder / f"{stem}-{count}.csv"
    keys: list[str] = []
    for row in rows:
        keys.extend(key for key in row if key not in keys)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(keys)
        for row in rows:
            writer.writerow([csv_cell(row.get(key)) for key in keys])
    return path.resolve()
