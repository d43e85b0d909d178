"""Citation-ready snapshots: one CSV (or JSON) file per table, and a manifest that says what they hold.

Exports feed spreadsheets and articles, so they are:
* **reproducible**: rows in a fixed order, numbers written exactly (prices in USD per million
  tokens, as the store holds them, never through a float), times ISO 8601 UTC; two exports
  of the same data are the same bytes, and ``--as-of`` gives what the database says was in
  force on that day;
* **attributable**: the manifest names, per file, every source that contributed rows with
  its attribution and licence (from the catalogue), the row count and the file's SHA-256;
* **safe to open**: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is prefixed with an apostrophe, so a spreadsheet shows it instead of
  running it. Numbers are written as numbers and never altered;
* **safe to ``cat``**: control and bidi characters in text (ESC, NUL, C1 controls, U+202E
  and the like) are U+FFFD in every file, CSV cells, JSON values and the manifest alike
  (output.file_text and output.json_text); tabs and newlines stay.

Tables are a list of named entries (:data:`EXPORT_TABLES`); adding one (trends) is one entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from frontier_watch.sources.spec import SourceSpec
    from frontier_watch.store.reading import Reader

FORMATS = ("csv", "json")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISED = "text cells beginning with =, +, -, @, a tab or a carriage return start with an apostrophe"
# Named on the command line but not in this version yet: asking for one is a usage error.
NOT_YET: dict[str, str] = {}


class ExportError(Exception):
    """The export cannot be written (the folder, a file). One-line message."""


@dataclass(frozen=True)
class ExportTable:
    """One exported table: how to read its public rows, optionally as of a day."""

    name: str
    description: str
    read: Callable[[Reader, date | None, datetime], list[dict[str, Any]]]
    columns: tuple[str, ...]  # the header when there are no rows; rows add any key after these
    source_key: str = "source"  # the column naming the source that contributed a row


def _prices(reader: Reader, as_of: date | None, now: datetime) -> list[dict[str, Any]]:
    from frontier_watch.domain.clock import as_of_instant
    from frontier_watch.render.public_rows import price_record
    from frontier_watch.store import price_reads

    return [price_record(row) for row in price_reads.prices_as_of(reader, as_of_instant(as_of, now))]


def _history(reader: Reader, as_of: date | None, now: datetime) -> list[dict[str, Any]]:
    from frontier_watch.domain.clock import as_of_instant
    from frontier_watch.render.public_rows import price_record
    from frontier_watch.store import price_reads

    rows = price_reads.all_price_history(reader, started_by=as_of_instant(as_of, None))
    return [{"superseded_at": None, **price_record(row)} for row in rows]


def _releases(reader: Reader, as_of: date | None, now: datetime) -> list[dict[str, Any]]:
    from frontier_watch.domain.clock import by_end_of
    from frontier_watch.render.public_rows import release_record
    from frontier_watch.store import release_reads

    records = [release_record(row) for row in release_reads.releases(reader)]
    return [record for record in records if as_of is None or by_end_of(as_of, record.get("date"))]


def _signals(reader: Reader, as_of: date | None, now: datetime) -> list[dict[str, Any]]:
    from frontier_watch.domain.clock import by_end_of
    from frontier_watch.render.public_rows import signal_record
    from frontier_watch.store import signal_reads

    rows = [row for row in signal_reads.signals(reader) if as_of is None or by_end_of(as_of, row.get("date"))]
    versions = signal_reads.signal_history(reader, [row["id"] for row in rows])
    return [signal_record(row, versions.get(row["id"])) for row in rows]


def _trends(reader: Reader, as_of: date | None, now: datetime) -> list[dict[str, Any]]:
    """The points of the standard capability trends (reports.capability.STANDARD_TRENDS), each
    row with its trend's fit; ``as_of`` ends every trend on that day."""
    from dataclasses import replace

    from frontier_watch.reports.capability import STANDARD_TRENDS, capability_report

    rows = []
    for query in STANDARD_TRENDS:
        report = capability_report(reader, replace(query, until=as_of), as_of or now.date())
        data = report.as_json()
        trend = f"{query.benchmark} >= {query.threshold:g} ({query.method})"
        for point in data["points"]:
            rows.append(
                {
                    "trend": trend,
                    **point,
                    "factor_per_year": data["factor_per_year"],
                    "ci_low": data["ci_low"],
                    "ci_high": data["ci_high"],
                    "headline_problem": data["headline_problem"],  # why the rate is no headline
                    "method_note": data["method_note"],
                }
            )
    return rows


def _price_columns() -> tuple[str, ...]:
    from frontier_watch.render.public_rows import PRICE_JSON_KEYS

    return PRICE_JSON_KEYS


EXPORT_TABLES: dict[str, ExportTable] = {
    table.name: table
    for table in (
        ExportTable("prices", "every offering's price in force now (or on --as-of)", _prices, ()),
        ExportTable("history", "every stored price interval, restated spans included", _history, ()),
        ExportTable("releases", "model releases with licence, openness and lineage", _releases, ()),
        ExportTable("signals", "infrastructure signals with evidence and earlier versions", _signals, ()),
        ExportTable("trends", "the points and fits of the standard price-of-capability trends", _trends, ()),
    )
}


@dataclass(frozen=True)
class ExportedFile:
    name: str
    table: str
    rows: int
    sha256: str
    sources: list[dict[str, Any]]


def selected_tables(names: Sequence[str]) -> list[str]:
    """The tables asked for (``all`` is every one there is); ValueError names an unknown or unbuilt one."""
    chosen: list[str] = []
    for name in names or ("all",):
        if name == "all":
            chosen += [table for table in EXPORT_TABLES if table not in chosen]
        elif name in NOT_YET:
            raise ValueError(f"export {name}: {NOT_YET[name]}")
        elif name in EXPORT_TABLES:
            if name not in chosen:
                chosen.append(name)
        else:
            known = ", ".join([*EXPORT_TABLES, "all"])
            raise ValueError(f"export: unknown table {name!r} (known: {known})")
    return chosen


def csv_cell(value: Any) -> str:
    """One CSV cell: exact numbers, ISO times (UTC, ``Z``), JSON for nested values, text made
    inert (no control or bidi character; formulas neutralised)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        from frontier_watch.domain.money import format_usd

        return format_usd(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same number
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    from frontier_watch.render.output import file_text, json_text

    if isinstance(value, list | dict):
        return neutralised(json_text(value, sort_keys=True, separators=(",", ":")))
    return neutralised(file_text(str(value)))


def neutralised(text: str) -> str:
    """Text a spreadsheet would take for a formula, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _columns(table: ExportTable, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    columns = list(table.columns) or (list(_price_columns()) if table.name in ("prices", "history") else [])
    seen = set(columns)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


def render(table: ExportTable, rows: list[dict[str, Any]], fmt: str) -> bytes:
    """A table's rows as file bytes, in a fixed order: sorted by every cell, left to right."""
    columns = _columns(table, rows)
    cells = [[csv_cell(row.get(column)) for column in columns] for row in rows]
    order = sorted(range(len(rows)), key=lambda index: cells[index])
    if fmt == "json":
        from frontier_watch.render.output import json_text

        ordered = [{column: rows[index].get(column) for column in columns} for index in order]
        return (json_text(ordered, indent=1) + "\n").encode("utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(cells[index] for index in order)
    return buffer.getvalue().encode("utf-8")


def _sources(
    table: ExportTable, rows: list[dict[str, Any]], specs: Mapping[str, SourceSpec]
) -> list[dict[str, Any]]:
    # A trend point's price can come from several sources ("curated, llm-prices"): each counts.
    counts = Counter(
        source_id
        for row in rows
        if row.get(table.source_key)
        for source_id in str(row.get(table.source_key)).split(", ")
    )
    found = []
    for source_id, count in sorted(counts.items()):
        spec = specs.get(source_id)
        if spec is not None:
            entry = {
                "attribution": spec.attribution,
                "licence": spec.licence,
                "homepage": spec.homepage or None,
            }
        elif source_id == "user":
            entry = {
                "attribution": "entered by hand by a user of this database",
                "licence": None,
                "homepage": None,
            }
        else:
            entry = {
                "attribution": "not in this catalogue: see each row's source_url",
                "licence": None,
                "homepage": None,
            }
        found.append({"id": source_id, "rows": count, **entry})
    return found


def write_export(
    reader: Reader,
    tables: Sequence[str],
    folder: Path,
    *,
    fmt: str,
    as_of: date | None,
    now: datetime,
    specs: Mapping[str, SourceSpec],
    version: str,
) -> tuple[list[ExportedFile], Path]:
    """Write the tables and manifest.json into ``folder``; each file appears whole or not at all."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{folder}: cannot make the export folder ({exc.strerror or exc})") from None
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{folder}: the export folder is not writable")
    exported = []
    with reader.snapshot():  # every table from one state of the database
        contents = []
        for name in tables:
            table = EXPORT_TABLES[name]
            rows = table.read(reader, as_of, now)
            contents.append((table, rows, render(table, rows, fmt)))
    for table, rows, body in contents:
        file_name = f"{table.name}.{fmt}"
        _write_whole(folder / file_name, body)
        exported.append(
            ExportedFile(
                file_name,
                table.name,
                len(rows),
                hashlib.sha256(body).hexdigest(),
                _sources(table, rows, specs),
            )
        )
    manifest = {
        "tool": "frontier-watch",
        "version": version,
        "exported_at": now.replace(microsecond=0).isoformat() + "Z",
        "as_of": as_of.isoformat() if as_of else None,
        "format": fmt,
        "units": {
            "prices": "USD per million tokens (*_usd_per_mtok); request_usd is USD per request",
            "times": "ISO 8601, UTC",
        },
        "neutralised": NEUTRALISED if fmt == "csv" else None,
        "files": [
            {
                "name": item.name,
                "table": item.table,
                "rows": item.rows,
                "sha256": item.sha256,
                "sources": item.sources,
            }
            for item in exported
        ],
    }
    manifest_path = folder / "manifest.json"
    from frontier_watch.render.output import json_text

    _write_whole(manifest_path, (json_text(manifest, indent=2) + "\n").encode("utf-8"))
    return exported, manifest_path


def _write_whole(path: Path, body: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with temporary.open("wb") as stream:  # the user's umask applies, as to any file they write
            stream.write(body)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None
