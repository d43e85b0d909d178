"""Writing what a screen shows to a CSV file (no Textual here).

The cells are written as ``frontier-watch export`` writes them (``export.csv_cell``: exact
numbers, ISO times, formulas made inert); the rows stay in the order the screen shows them.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from frontier_watch.use_cases.export import csv_cell


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
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([csv_cell(row.get(key)) for key in keys])
    return path.resolve()
