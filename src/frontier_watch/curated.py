"""The curated data in data/: read and validate it, and seed a database from it.

Seeding is idempotent: each file's content hash is recorded, an unchanged file is not
read again, and a changed file is applied as upserts (facts) or through the one price
recorder (prices), so running it twice adds nothing. A bad row fails with file:line.
"""

from __future__ import annotations

import csv
import hashlib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlmodel import SQLModel

from frontier_watch import money
from frontier_watch.db import upsert_rows
from frontier_watch.identity import CrosswalkEntry, Identity, normalise
from frontier_watch.models import (
    BenchmarkScore,
    CuratedLoad,
    Model,
    ModelAlias,
    Release,
    Signal,
    TrendClaim,
    table_of,
)
from frontier_watch.paths import data_dir
from frontier_watch.price_history import Provenance, record_offerings
from frontier_watch.records import Basis, Evidence, OfferingRecord, PriceSegment

EVIDENCE_CLASSES = frozenset(Evidence)
_SET_BY_LOADER = frozenset({"id", "first_seen_at"})
PRICE_COLUMNS = (
    "source",
    "provider",
    "offering_id",
    "name",
    "lab",
    "tier",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "effective_from",
    "effective_to",
    "date_precision",
    "basis",
    "source_url",
    "evidence",
    "confidence",
    "observed_at",
    "notes",
)
CROSSWALK_COLUMNS = ("model_id", "name", "lab", "source", "alias")


class CuratedDataError(ValueError):
    """A row in a curated file is wrong. The message starts with file:line."""


@dataclass(frozen=True)
class FactTable:
    """A curated CSV of facts and the table it fills, with its natural key."""

    file: str
    model: type[SQLModel]
    key: tuple[str, ...]
    fixed: dict[str, Any]
    # column -> text column that keeps a value which is not a number (a status such as "rescinded")
    text_fallback: dict[str, str] = field(default_factory=dict)


FACT_TABLES = (
    FactTable("releases.csv", Release, ("origin", "lab", "model", "date"), {"origin": "curated"}),
    FactTable(
        "signals.csv",
        Signal,
        ("origin", "date", "entity", "item", "metric"),
        {"origin": "curated"},
        {"value": "value_text"},
    ),
    FactTable("benchmarks.csv", BenchmarkScore, ("model", "benchmark"), {}),
    FactTable("trend_claims.csv", TrendClaim, ("date", "source_org", "metric", "claim"), {}),
)


# ---------------------------------------------------------------- reading


def _rows(path: Path, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in required if column not in header]
        if missing:
            raise CuratedDataError(f"{path}:1: missing columns {', '.join(missing)}")
        for row in reader:
            if None in row:
                raise CuratedDataError(f"{path}:{reader.line_num}: more cells than columns")
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def parse_when(text: str) -> datetime | None:
    """A curated date or UTC time ('2024-05-13' or '2024-05-13T10:00:00Z') as naive UTC."""
    if not text:
        return None
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time())
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def read_crosswalk(path: Path) -> Identity:
    """The curated identity crosswalk as an Identity resolver."""
    by_alias: dict[tuple[str, str], CrosswalkEntry] = {}
    by_normalised: dict[str, CrosswalkEntry] = {}
    for line, row in _rows(path, CROSSWALK_COLUMNS):
        if not row["model_id"] or not row["alias"]:
            raise CuratedDataError(f"{path}:{line}: model_id and alias are required")
        entry = CrosswalkEntry(row["model_id"], row["name"] or row["model_id"], row["lab"] or None)
        by_alias[(row["source"] or "*", row["alias"].lower())] = entry
        by_normalised.setdefault(normalise(row["alias"]), entry)
    return Identity(by_alias, by_normalised)


def load_identity(folder: Path | None = None) -> Identity:
    path = (folder or data_dir()) / "model_crosswalk.csv"
    if not path.is_file():
        return Identity({}, {})
    return read_crosswalk(path)


def read_price_file(path: Path) -> dict[tuple[str, str, datetime | None], list[OfferingRecord]]:
    """Price rows grouped into offerings, keyed by (source id, basis, observed_at).

    ``observed_at`` is when the upstream snapshot behind the rows was taken (None: not
    known, the seed time stands in): it becomes the rows' first and last seen times.
    """
    grouped: dict[tuple[str, str, datetime | None], dict[tuple[str, str], OfferingRecord]] = {}
    seen_spans: dict[tuple, int] = {}
    spans_by_tier: dict[tuple, list[tuple[datetime | None, datetime | None, int]]] = {}
    for line, row in _rows(path, PRICE_COLUMNS):
        where = f"{path}:{line}"
        try:
            segment = _price_segment(row)
        except (money.PriceError, ValueError) as exc:
            raise CuratedDataError(f"{where}: {exc}") from None
        if not row["source"] or not row["provider"] or not row["offering_id"]:
            raise CuratedDataError(f"{where}: source, provider and offering_id are required")
        if row["basis"] not in {Basis.CURATED, Basis.DECLARED, Basis.RECONSTRUCTED}:
            raise CuratedDataError(
                f"{where}: basis {row['basis']!r} must be curated, declared or reconstructed"
            )
        span = (row["source"], row["provider"], row["offering_id"], segment.tier, segment.effective_from)
        if span in seen_spans:
            raise CuratedDataError(
                f"{where}: same offering, tier and effective_from as line {seen_spans[span]}"
            )
        seen_spans[span] = line
        spans_by_tier.setdefault(span[:4], []).append((segment.effective_from, segment.effective_to, line))
        try:
            observed = _when(row, "observed_at")
        except ValueError as exc:
            raise CuratedDataError(f"{where}: {exc}") from None
        offerings = grouped.setdefault((row["source"], row["basis"], observed), {})
        key = (row["provider"], row["offering_id"])
        if key not in offerings:
            offerings[key] = OfferingRecord(
                offering_id=row["offering_id"],
                name=row["name"] or row["offering_id"],
                provider=row["provider"],
                lab=row["lab"] or None,
            )
        offerings[key].segments.append(segment)
    _check_no_overlap(path, spans_by_tier)
    return {key: list(offerings.values()) for key, offerings in grouped.items()}


def _check_no_overlap(path: Path, spans_by_tier: dict[tuple, list]) -> None:
    """Two spans of one offering and tier must not both be in force on any day."""
    for spans in spans_by_tier.values():
        ordered = sorted(spans, key=lambda span: span[0] or datetime.min)
        for (_, end, first_line), (start, _, line) in zip(ordered, ordered[1:], strict=False):
            if end is None or start is None or end > start:
                raise CuratedDataError(
                    f"{path}:{line}: overlaps line {first_line} (same offering and tier in force at once)"
                )


def _price_segment(row: dict[str, str]) -> PriceSegment:
    prices = {
        field: money.per_mtok(row[f"{field}_usd_per_mtok"], what=f"{field} price")
        if row[f"{field}_usd_per_mtok"]
        else None
        for field in ("input", "output", "cache_read", "cache_write")
    }
    if prices["input"] is None and prices["output"] is None:
        raise ValueError("a price row needs an input or an output price")
    start, end = _when(row, "effective_from"), _when(row, "effective_to")
    if start and end and end <= start:
        raise ValueError(
            f"effective_to {row['effective_to']} is not after effective_from {row['effective_from']}"
        )
    _check_evidence(row["evidence"])
    if not row["source_url"]:
        raise ValueError("source_url is required")
    return PriceSegment(
        tier=row["tier"] or "default",
        effective_from=start,
        effective_to=end,
        note=row["notes"] or None,
        source_url=row["source_url"],
        evidence=row["evidence"],
        confidence=row["confidence"] or None,
        date_precision=row["date_precision"] or None,
        **prices,
    )


def _when(row: dict[str, str], column: str) -> datetime | None:
    try:
        return parse_when(row[column])
    except ValueError as exc:
        raise ValueError(f"{column}: {row[column]!r} is not a date or UTC time ({exc})") from None


def _check_evidence(value: str) -> None:
    if value not in EVIDENCE_CLASSES:
        raise ValueError(f"evidence {value!r} is not one of {', '.join(sorted(EVIDENCE_CLASSES))}")


def read_fact_file(path: Path, table: FactTable) -> list[dict[str, Any]]:
    """The rows of a fact file as column dicts for ``table.model``, validated."""
    fields = table.model.model_fields
    required = tuple(
        name
        for name, info in fields.items()
        if info.is_required() and name not in table.fixed and name not in _SET_BY_LOADER
    )
    rows: list[dict[str, Any]] = []
    keys: dict[tuple, int] = {}
    for line, raw in _rows(path, required):
        where = f"{path}:{line}"
        values: dict[str, Any] = dict(table.fixed)
        for name, info in fields.items():
            if name in raw:
                try:
                    values[name] = _convert(raw[name], info.annotation)
                except (ValueError, InvalidOperation) as exc:
                    if name in table.text_fallback:
                        values[name], values[table.text_fallback[name]] = None, raw[name]
                        continue
                    raise CuratedDataError(f"{where}: {name}: {raw[name]!r} is not valid ({exc})") from None
        for name in required:
            if values.get(name) in (None, ""):
                raise CuratedDataError(f"{where}: {name} is required")
        if "evidence" in values:
            try:
                _check_evidence(values["evidence"])
            except ValueError as exc:
                raise CuratedDataError(f"{where}: {exc}") from None
        key = tuple(values.get(name) for name in table.key)
        if key in keys:
            raise CuratedDataError(f"{where}: duplicate of line {keys[key]} ({', '.join(table.key)})")
        keys[key] = line
        rows.append(values)
    return rows


def _convert(text: str, annotation: Any) -> Any:
    target = _base_type(annotation)
    if text == "":
        return None
    if target is date:
        return date.fromisoformat(text)
    if target is datetime:
        return parse_when(text)
    if target is float:
        return float(text)
    if target is int:
        return int(Decimal(text))
    return text


def _base_type(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return members[0] if members else str
    return annotation


# ---------------------------------------------------------------- seeding


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_curated(
    engine: Engine, folder: Path | None = None, *, now: datetime | None = None
) -> dict[str, int]:
    """Load every curated file that is new or changed since the last seed.

    Returns rows read per file loaded (empty when everything was already loaded).
    Each file is loaded in its own transaction; a bad file leaves the database as it was.
    """
    folder = folder or data_dir()
    now = now or datetime.now(UTC).replace(tzinfo=None)
    with engine.connect() as connection:
        loads = table_of(CuratedLoad)
        loaded: dict[str, str] = dict(connection.execute(select(loads.c.name, loads.c.content_hash)).all())
    files = _curated_files(folder)
    pending = [(name, path, _file_hash(path)) for name, path in files]
    pending = [item for item in pending if loaded.get(item[0]) != item[2]]
    if not pending:
        return {}
    identity = load_identity(folder)
    result: dict[str, int] = {}
    for name, path, digest in pending:
        with engine.begin() as connection:
            rows = _load_file(connection, name, path, identity, now)
            _record_load(connection, name, digest, rows, now)
        result[name] = rows
    return result


def _curated_files(folder: Path) -> list[tuple[str, Path]]:
    # The crosswalk first: prices and facts resolve model ids through it.
    names = ["model_crosswalk.csv"] + [table.file for table in FACT_TABLES]
    files = [(name, folder / name) for name in names if (folder / name).is_file()]
    files += [(f"prices/{path.name}", path) for path in sorted((folder / "prices").glob("*.csv"))]
    return files


def _load_file(connection: Connection, name: str, path: Path, identity: Identity, now: datetime) -> int:
    if name == "model_crosswalk.csv":
        return _load_crosswalk(connection, path)
    if name.startswith("prices/"):
        total = 0
        for (source_id, basis, observed), offerings in read_price_file(path).items():
            record_offerings(
                connection,
                offerings,
                Provenance(source_id=source_id, basis=Basis(basis), source_url=None, evidence=None),
                observed_at=observed or now,
                identity=identity,
            )
            total += sum(len(offering.segments) for offering in offerings)
        return total
    table = next(table for table in FACT_TABLES if table.file == name)
    rows = read_fact_file(path, table)
    if "model_id" in table.model.model_fields:
        _ensure_models(connection, rows)
    if "first_seen_at" in table.model.model_fields:
        for row in rows:
            row.setdefault("first_seen_at", now)
    upsert_rows(connection, table_of(table.model), rows, table.key)
    return len(rows)


def _load_crosswalk(connection: Connection, path: Path) -> int:
    count = 0
    models: dict[str, dict] = {}
    aliases: list[dict] = []
    for line, row in _rows(path, CROSSWALK_COLUMNS):
        if not row["model_id"] or not row["alias"]:
            raise CuratedDataError(f"{path}:{line}: model_id and alias are required")
        model = models.setdefault(
            row["model_id"], {"id": row["model_id"], "name": row["model_id"], "lab": None}
        )
        if row["name"]:
            model["name"] = row["name"]
        if row["lab"]:
            model["lab"] = row["lab"]
        aliases.append({"model_id": row["model_id"], "source": row["source"] or "*", "alias": row["alias"]})
        count += 1
    upsert_rows(connection, table_of(Model), list(models.values()), ("id",))
    upsert_rows(connection, table_of(ModelAlias), aliases, ("source", "alias"))
    return count


def _ensure_models(connection: Connection, rows: list[dict]) -> None:
    known = set(connection.execute(select(table_of(Model).c.id)).scalars())
    missing = {}
    for row in rows:
        model_id = row.get("model_id")
        if model_id and model_id not in known:
            missing[model_id] = {"id": model_id, "name": row.get("model") or model_id, "lab": row.get("lab")}
    upsert_rows(connection, table_of(Model), list(missing.values()), ("id",), update=False)


def _record_load(connection: Connection, name: str, digest: str, rows: int, now: datetime) -> None:
    upsert_rows(
        connection,
        table_of(CuratedLoad),
        [{"name": name, "content_hash": digest, "rows": rows, "loaded_at": now}],
        ("name",),
    )
