"""The public shape of each kind of row: the keys of JSON and CSV output, and the table columns.

Commands, exports and the dashboard all show rows through these, so a key is named once.
JSON carries every key of a row; a table shows the listing's columns.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

# NamedTuples rather than dataclasses: read commands import this module, and the
# dataclasses machinery costs more to import than a whole query takes.


class Column(NamedTuple):
    key: str
    heading: str
    numeric: bool = False  # right-aligned, never shortened
    fixed: bool = False  # never shortened (dates)
    priority: int = 1  # when a table cannot fit, columns with the highest number go first


class Listing(NamedTuple):
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


class NamedRow(Protocol):
    """A row that answers by field name: a dict, or a store Record."""

    def __getitem__(self, key: str, /) -> Any: ...

    def get(self, key: str, default: Any = None, /) -> Any: ...


def price_record(row: NamedRow) -> dict[str, Any]:
    """A store price row in the public shape of ``prices --json`` and ``history --json``."""
    record = {public: row[key] for public, key in PRICE_RECORD_FIELDS.items()}
    if row.get("superseded_at") is not None:
        record["superseded_at"] = row["superseded_at"]
    return record


def _record(fields: dict[str, str], row: dict[str, Any]) -> dict[str, Any]:
    return {public: row.get(key) for public, key in fields.items()}


_FACT_EVIDENCE = {
    "source": "source_id",
    "source_url": "source_url",
    "evidence": "evidence",
    "confidence": "confidence",
    "verified_via": "verified_via",
    "notes": "notes",
    "first_seen_at": "first_seen_at",
    "last_seen_at": "last_seen_at",
}
SIGNAL_RECORD_FIELDS = {
    name: name
    for name in (
        "id",
        "origin",
        "date",
        "date_precision",
        "category",
        "entity",
        "item",
        "metric",
        "value",
        "value_high",
        "value_text",
        "unit",
    )
} | _FACT_EVIDENCE
RELEASE_RECORD_FIELDS = {
    name: name
    for name in (
        "id",
        "date",
        "date_precision",
        "lab",
        "model",
        "model_id",
        "architecture",
        "total_params_b",
        "active_params_b",
        "context_tokens",
        "license",
        "open_weights",
        "weights_released",
        "code_released",
        "data_released",
        "paper_or_report",
        "hf_repo_id",
        "training_tokens_t",
        "training_compute_claim",
        "training_compute_flop",
    )
} | _FACT_EVIDENCE


# An earlier version of a signal, as ``history`` in ``signals --json`` lists it.
SIGNAL_VERSION_FIELDS = {
    name: name
    for name in (
        "date",
        "date_precision",
        "category",
        "entity",
        "item",
        "metric",
        "value",
        "value_high",
        "value_text",
        "unit",
        "source_url",
        "evidence",
        "confidence",
        "verified_via",
        "notes",
        "in_force_from",
        "replaced_at",
    )
}


def signal_record(row: dict[str, Any], history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A stored signal in the public shape of ``signals --json``.

    ``history`` lists what the signal said before a source changed it, oldest first
    (empty when it never changed).
    """
    record = _record(SIGNAL_RECORD_FIELDS, row)
    record["history"] = [_record(SIGNAL_VERSION_FIELDS, version) for version in history or ()]
    return record


FEED_ITEM_RECORD_FIELDS = {
    "id": "id",
    "source": "source_id",
    "published_at": "published_at",
    "title": "title",
    "link": "link",
    "matched": "matched",
    "summary": "summary",
    "first_seen_at": "first_seen_at",
    "reviewed_at": "reviewed_at",
    "signal_id": "signal_id",
}


def feed_item_record(row: dict[str, Any]) -> dict[str, Any]:
    """A feed item in the public shape of ``signals --unreviewed --json``: ``matched`` is a list."""
    record = _record(FEED_ITEM_RECORD_FIELDS, row)
    record["matched"] = [word for word in (row.get("matched") or "").split(", ") if word]
    return record


def release_record(row: dict[str, Any]) -> dict[str, Any]:
    """A stored release in the public shape of ``releases --json``."""
    return _record(RELEASE_RECORD_FIELDS, row)


def _money(key: str, heading: str, priority: int = 1) -> Column:
    return Column(key, heading, numeric=True, priority=priority)


def _day(key: str, heading: str, priority: int = 1) -> Column:
    return Column(key, heading, fixed=True, priority=priority)


_PRICE_MONEY = (
    _money("input_usd_per_mtok", "input $/M"),
    _money("output_usd_per_mtok", "output $/M"),
    _money("cache_read_usd_per_mtok", "cache rd $/M", priority=4),
)

PRICES = Listing(
    (
        Column("model_name", "model"),
        Column("offering_id", "offering", priority=2),
        Column("provider", "provider", priority=2),
        Column("source", "source", priority=3),
        Column("tier", "tier", priority=3),
        *_PRICE_MONEY,
        _day("effective_from", "from", priority=3),
        _day("effective_to", "to", priority=4),
        Column("basis", "basis", priority=5),
    ),
    "no prices",
)

HISTORY = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "provider", priority=2),
        Column("source", "source", priority=3),
        Column("offering_id", "offering", priority=2),
        Column("tier", "tier", priority=2),
        *_PRICE_MONEY,
        _day("effective_from", "from"),
        _day("effective_to", "to", priority=2),
        Column("basis", "basis", priority=4),
        Column("evidence", "evidence", priority=5),
        Column("source_url", "source url", priority=6),
    ),
    "no price history",
)

UNMATCHED = Listing(
    (
        Column("source", "source"),
        Column("provider", "provider", priority=2),
        Column("offering_id", "offering"),
        Column("offering_name", "name", priority=3),
        Column("model_id", "model id (by rule)", priority=2),
    ),
    "every offering matched a known model",
)

SIGNALS = Listing(
    (
        _day("date", "date"),
        Column("category", "category", priority=2),
        Column("entity", "entity"),
        Column("item", "item"),
        Column("value", "value", numeric=True),
        Column("unit", "unit", priority=2),
        Column("evidence", "evidence", priority=2),
        Column("source_url", "source", priority=3),
    ),
    "no signals match",
)

# ``signals --history``: each changed signal as it is now, then each earlier version.
SIGNAL_VERSIONS = Listing(
    (
        Column("id", "id", numeric=True, priority=3),
        Column("version", "version", fixed=True),
        _day("date", "date"),
        Column("entity", "entity", priority=2),
        Column("item", "item"),
        Column("value", "value", numeric=True),
        Column("unit", "unit", priority=2),
        Column("evidence", "evidence", priority=2),
        Column("source_url", "source", priority=4),
    ),
    "no signal has changed since it was first stored",
)

FEED_ITEMS = Listing(
    (
        Column("id", "id", numeric=True),
        _day("published_at", "date"),
        Column("source", "source", priority=2),
        Column("title", "title"),
        Column("matched", "matched", priority=2),
        Column("link", "link", priority=3),
    ),
    "no feed items wait for review",
)

RELEASES = Listing(
    (
        _day("date", "date"),
        Column("lab", "lab"),
        Column("model", "model"),
        Column("open_weights", "open weights", priority=2),
        Column("license", "licence", priority=2),
        Column("total_params_b", "params (B)", numeric=True, priority=3),
        Column("evidence", "evidence", priority=3),
        Column("source_url", "source", priority=4),
    ),
    "no releases match",
)

SOURCES = Listing(
    (
        Column("id", "source"),
        Column("kind", "kind", priority=3),
        Column("enabled", "on", priority=2),
        Column("schedule", "schedule", priority=3),
        _day("last_success", "last success"),
        Column("rows", "rows", numeric=True, priority=2),
        Column("last_error", "last error"),
        Column("url", "url", priority=4),
    ),
)

FETCH_SUMMARY = Listing(
    (
        Column("source_id", "source"),
        Column("status", "status"),
        Column("records", "records", numeric=True),
        Column("new", "new", numeric=True),
        Column("changed", "changed", numeric=True),
        Column("withdrawn", "withdrawn", numeric=True, priority=2),
        Column("skipped", "skipped", numeric=True, priority=2),
        Column("seconds", "seconds", numeric=True, priority=3),
        Column("error", "note"),
    ),
)


def with_blended(listing: Listing) -> Listing:
    """A price listing with the blended price after the output price."""
    columns = list(listing.columns)
    after = next(index for index, column in enumerate(columns) if column.key == "output_usd_per_mtok")
    columns.insert(after + 1, _money("blended_usd_per_mtok", "blended $/M"))
    return Listing(tuple(columns), listing.empty)
