"""The public shape of each kind of row: the keys of JSON and CSV output, and the table columns.

Commands, exports and the dashboard all show rows through these, so a key is named once.
JSON carries every key of a row; a table shows the listing's columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool = False  # right-aligned, never shortened


@dataclass(frozen=True)
class Listing:
    """How one kind of row is shown as a table, and what to say when there is none."""

    columns: tuple[Column, ...]
    empty: str = "no rows"


# public key in prices/history JSON -> key of a store query row
PRICE_RECORD_FIELDS = {
    "model_id": "model_id",
    "model_name": "model_name",
    "lab": "lab",
    "provider": "provider",
    "source": "source",
    "offering_id": "offering_id",
    "offering_name": "offering_name",
    "tier": "tier",
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cache_read_usd_per_mtok": "cache_read",
    "cache_write_usd_per_mtok": "cache_write",
    "reasoning_usd_per_mtok": "reasoning",
    "request_usd": "request",
    "effective_from": "effective_from",
    "effective_to": "effective_to",
    "first_seen_at": "first_seen_at",
    "last_seen_at": "last_seen_at",
    "basis": "basis",
    "source_url": "source_url",
    "evidence": "evidence",
    "confidence": "confidence",
}
PRICE_JSON_KEYS = tuple(PRICE_RECORD_FIELDS)


def price_record(row: dict[str, Any]) -> dict[str, Any]:
    """A store price row in the public shape of ``prices --json`` and ``history --json``."""
    record = {public: row[key] for public, key in PRICE_RECORD_FIELDS.items()}
    if row.get("superseded_at") is not None:
        record["superseded_at"] = row["superseded_at"]
    return record


def _money(key: str, heading: str) -> Column:
    return Column(key, heading, numeric=True)


_PRICE_MONEY = (
    _money("input_usd_per_mtok", "input $/M"),
    _money("output_usd_per_mtok", "output $/M"),
    _money("cache_read_usd_per_mtok", "cache rd $/M"),
)

PRICES = Listing(
    (
        Column("model_name", "model"),
        Column("offering_id", "offering"),
        Column("provider", "provider"),
        Column("source", "source"),
        Column("tier", "tier"),
        *_PRICE_MONEY,
        Column("effective_from", "from"),
        Column("effective_to", "to"),
        Column("basis", "basis"),
    ),
    "no prices",
)

HISTORY = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "provider"),
        Column("source", "source"),
        Column("offering_id", "offering"),
        Column("tier", "tier"),
        *_PRICE_MONEY,
        Column("effective_from", "from"),
        Column("effective_to", "to"),
        Column("basis", "basis"),
        Column("evidence", "evidence"),
        Column("source_url", "source url"),
    ),
    "no price history",
)

UNMATCHED = Listing(
    (
        Column("source", "source"),
        Column("provider", "provider"),
        Column("offering_id", "offering"),
        Column("offering_name", "name"),
        Column("model_id", "model id (by rule)"),
    ),
    "every offering matched a known model",
)

SIGNALS = Listing(
    (
        Column("date", "date"),
        Column("category", "category"),
        Column("entity", "entity"),
        Column("item", "item"),
        Column("value", "value", numeric=True),
        Column("unit", "unit"),
        Column("evidence", "evidence"),
        Column("source_url", "source"),
    ),
    "no signals match",
)

RELEASES = Listing(
    (
        Column("date", "date"),
        Column("lab", "lab"),
        Column("model", "model"),
        Column("open_weights", "open weights"),
        Column("license", "licence"),
        Column("total_params_b", "params (B)", numeric=True),
        Column("evidence", "evidence"),
        Column("source_url", "source"),
    ),
    "no releases match",
)

SOURCES = Listing(
    (
        Column("id", "source"),
        Column("kind", "kind"),
        Column("enabled", "on"),
        Column("schedule", "schedule"),
        Column("last_success", "last success"),
        Column("price_rows", "rows", numeric=True),
        Column("last_error", "last error"),
        Column("url", "url"),
    ),
)

FETCH_SUMMARY = Listing(
    (
        Column("source_id", "source"),
        Column("status", "status"),
        Column("records", "records", numeric=True),
        Column("new", "new", numeric=True),
        Column("changed", "changed", numeric=True),
        Column("withdrawn", "withdrawn", numeric=True),
        Column("skipped", "skipped", numeric=True),
        Column("seconds", "seconds", numeric=True),
        Column("error", "note"),
    ),
)


def with_blended(listing: Listing) -> Listing:
    """A price listing with the blended price after the output price."""
    columns = list(listing.columns)
    after = next(index for index, column in enumerate(columns) if column.key == "output_usd_per_mtok")
    columns.insert(after + 1, Column("blended_usd_per_mtok", "blended $/M", numeric=True))
    return Listing(tuple(columns), listing.empty)
