"""The public shape of each kind of row: the keys of JSON and CSV output, and the table columns.

Commands, exports and the dashboard all show rows through these, so a key is named once.
JSON carries every key of a row; a table shows the listing's columns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple, Protocol

from frontier_watch.domain.record import Record

# NamedTuples rather than dataclasses: read commands import this module, and the
# dataclasses machinery costs more to import than a whole query takes.


class Column(NamedTuple):
    key: str
    heading: str
    numeric: bool = False  # right-aligned, never shortened
    fixed: bool = False  # never shortened (dates)
    priority: int = 1  # when a table cannot fit, columns with the highest number go first
    # Said under the table when the column is left out (its every row's value), instead of
    # counting it among the columns left out to fit.
    note: str | None = None


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
    "platform": "platform",
    "source": "source",
    "offering_id": "offering_id",
    "offering_name": "offering_name",
    "kind": "kind",
    "tier": "tier",
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cache_read_usd_per_mtok": "cache_read",
    "cache_write_usd_per_mtok": "cache_write",
    "reasoning_usd_per_mtok": "reasoning",
    "request_usd": "request",
    "effective_from": "effective_from",
    "effective_to": "effective_to",
    "answers_from": "answers_from",
    "answers_to": "answers_to",
    "clipped": "clipped",
    "first_seen_at": "first_seen_at",
    "last_seen_at": "last_seen_at",
    "basis": "basis",
    "source_url": "source_url",
    "evidence": "evidence",
    "confidence": "confidence",
    "flag": "flag",
    "flag_reason": "flag_reason",
    "outlier": "outlier",
    "verdict": "verdict",
}
PRICE_JSON_KEYS = tuple(PRICE_RECORD_FIELDS)
# (What they mean: "kind" is the kind of model (language, embedding, reranker...: model_kind.py);
# effective_* are the source's own dates; answers_* the days the price
# answers for its model, narrower when "clipped" says why; "flag" marks a suspect price left
# out of analytics; "outlier" says which reference a disagreeing source differs from.)


class NamedRow(Protocol):
    """A row that answers by field name: a dict, or a store Record."""

    def __getitem__(self, key: str, /) -> Any: ...

    def get(self, key: str, default: Any = None, /) -> Any: ...


def price_record(row: NamedRow, *, for_table: bool = False) -> dict[str, Any]:
    """A store price row in the public shape of ``prices --json`` and ``history --json``.

    ``for_table`` adds ``remark``: the flag, the outlier mark and clipping in a few words.
    """
    record = {public: row[key] for public, key in PRICE_RECORD_FIELDS.items()}
    record["source_url"] = shown_url(record["source_url"])
    if row.get("superseded_at") is not None:
        record["superseded_at"] = row["superseded_at"]
    if for_table:
        record["remark"] = price_remark(record)
    return record


class PublicPriceRow(Record):
    """A price row under its public keys (``input_usd_per_mtok``, not the store's ``input``).

    The dashboard's Prices table holds every current price, thousands of rows: each stays a
    tuple (a third of the memory of a dict) and answers by public key, as ``prices --json``
    names them. ``as_record()`` is the row as ``price_record`` would give it.
    """

    __slots__ = ()

    def as_record(self) -> dict[str, Any]:
        """The row in the public shape of ``prices --json`` (the keys of PRICE_RECORD_FIELDS)."""
        record = {key: self.get(key) for key in PRICE_JSON_KEYS}
        if self.get("superseded_at") is not None:
            record["superseded_at"] = self.get("superseded_at")
        return record


def public_price_rows(rows: Sequence[Any]) -> list[PublicPriceRow]:
    """Store price rows (``store.price_reads.PriceRow``: tuples with a ``FIELDS`` layout) under their
    public keys, each URL as every command shows it (``shown_url``)."""
    if not rows:
        return []
    layout: dict[str, int] = type(rows[0]).FIELDS
    renamed = {store: public for public, store in PRICE_RECORD_FIELDS.items() if store != public}
    fields = {renamed.get(name, name): index for name, index in layout.items()}
    if PublicPriceRow.FIELDS != fields:
        PublicPriceRow.FIELDS = fields  # the same SELECT list every time
    url = layout["source_url"]
    make = tuple.__new__
    result = [make(PublicPriceRow, row) for row in rows]  # a copy of each tuple, no Python per field
    shown: dict[Any, Any] = {}  # few distinct URLs: each made safe once
    for index, row in enumerate(result):
        value = tuple.__getitem__(row, url)
        safe = shown[value] if value in shown else shown.setdefault(value, shown_url(value))
        if safe is not value and safe != value:  # a URL with a secret in it (rare): that row copied again
            values = list(row)
            values[url] = safe
            result[index] = make(PublicPriceRow, values)
    return result


def price_remark(record: dict[str, Any]) -> str | None:
    """A price's caveats in a few words, for a table cell: "flag: unit-error; outlier; clipped"."""
    parts = []
    if record.get("flag"):
        parts.append(f"flag: {record['flag']}")
    if record.get("outlier"):
        parts.append(f"outlier ({record['outlier']})")
    clipped = record.get("clipped")
    if clipped:
        if clipped.startswith("answers for no day"):
            parts.append("answers for no day")
        else:
            start, end = record.get("effective_from"), record.get("effective_to")
            shown = f"{start:%Y-%m-%d}" if start else "undated"
            shown += f"..{end:%Y-%m-%d}" if end else ".."
            parts.append(f"narrowed (source dates {shown})")
    return "; ".join(parts) or None


def _record(fields: dict[str, str], row: dict[str, Any]) -> dict[str, Any]:
    record = {public: row.get(key) for public, key in fields.items()}
    for name in _URL_KEYS.intersection(record):
        record[name] = shown_url(record[name])
    return record


_URL_KEYS = frozenset({"source_url", "link", "verified_via"})


def shown_url(value: Any) -> Any:
    """A URL as every command shows it: without credentials or secret query values, should a
    database written before they were refused still hold one (urls.py)."""
    if not isinstance(value, str) or "://" not in value:
        return value
    from frontier_watch.net.urls import without_secrets

    return without_secrets(value)


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
# What a release says of its repository, and what its date is. Curated releases have no
# repository facts (repo_id null unless the curated row names one).
RELEASE_RECORD_FIELDS |= {
    "date_kind": "date_kind",  # announced | repo-created | api-listed: what "date" is
    "repo_id": "hf_repo_id",
    "org": "org",
    "created_at": "created_at",  # the repository's creation time
    "last_modified": "last_modified_at",
    "api_listed_at": "api_listed_at",  # when an API (OpenRouter) first listed the model
    "pipeline_tag": "pipeline_tag",
    "library": "library_name",
    "license_class": "license_class",
    "params": "params",  # exact parameter count (safetensors total)
    "gated": "gated",
    "arxiv_ids": "arxiv_ids",
    "base_models": "base_models",
    "openness": "openness",
    "downloads": "downloads",  # the latest day's figures
    "likes": "likes",
    "stats_day": "stats_day",
}
_PAPER = re.compile(r"paper|report|arxiv", re.IGNORECASE)


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
    record = _record(RELEASE_RECORD_FIELDS, row)
    record["arxiv_ids"] = (row.get("arxiv_ids") or "").split()
    record["base_models"] = list(row.get("base_models") or [])
    record["openness"] = openness(row)
    if record["license_class"] is None:
        record["license_class"] = "unknown"
    return record


def openness(row: dict[str, Any]) -> dict[str, str]:
    """The layers of a release's openness, each on its own: weights, licence, paper, code, data.

    weights: open | gated | none | unknown; license: the licence class; paper, data:
    yes | no | unknown; code: yes | inference (inference code only) | no | unknown. A
    repository's paper is its arXiv tags; code and data (and a paper without a tag) come
    from a curated release of the same repository or model, where there is one.
    """
    weights_text = (row.get("weights_released") or "").lower()
    open_weights = row.get("open_weights")
    if weights_text in ("open", "gated", "none"):
        weights = weights_text
    elif open_weights == "no":
        weights = "none"
    elif open_weights == "restricted" or "gated" in weights_text:
        weights = "gated"
    elif open_weights == "yes":
        weights = "open"
    else:
        weights = "unknown"
    paper_text = (row.get("curated_paper_or_report") or "").strip().lower()
    if row.get("arxiv_ids") or (_PAPER.search(paper_text) and not paper_text.startswith(("no", "none"))):
        paper = "yes"
    else:
        paper = "no" if paper_text else "unknown"
    return {
        "weights": weights,
        "license": row.get("license_class") or "unknown",
        "paper": paper,
        "code": _layer(row.get("curated_code_released"), partial=("inference", "reference", "kernel")),
        "data": _layer(row.get("curated_data_released")),
    }


# The rows of the changes digest (``changes --json``, the Changes text and screen).
CHANGED_RELEASE_KEYS = (
    "date lab model model_id open_weights license license_class source_id source_url".split()
)
CHANGED_SIGNAL_KEYS = "date category entity item value unit evidence source_url".split()


def dated_record(row: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The ``keys`` of a row, dates as ISO text (a JSON document's row)."""
    return {key: _iso(row.get(key)) for key in keys}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def source_record(spec: Any) -> dict[str, Any]:
    """A catalogued source (settings.catalogue.SourceSpec) in the shape ``sources`` and the dashboard show."""
    return {
        "id": spec.id,
        "kind": spec.kind,
        "enabled": spec.enabled,
        "url": shown_url(spec.url) or None,  # None: the shipped copy (curated); no secret shown
        "schedule": spec.schedule,
        "evidence": spec.evidence,
        "attribution": spec.attribution,
        "licence": spec.licence,
    }


def _layer(text: str | None, partial: tuple[str, ...] = ()) -> str:
    """yes | no | unknown from a curated cell ("yes (Dolma)", "no"); "inference" for inference code only."""
    value = (text or "").strip().lower()
    if value.startswith("yes"):
        return "yes"
    if value.startswith("no"):
        return "no"
    if any(word in value for word in partial):
        return "inference"
    return "unknown"


def _money(key: str, heading: str, priority: int = 1) -> Column:
    return Column(key, heading, numeric=True, priority=priority)


def day_column(key: str, heading: str, priority: int = 1) -> Column:
    return Column(key, heading, fixed=True, priority=priority)


PRICE_MONEY = (
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
        *PRICE_MONEY,
        day_column("answers_from", "from", priority=3),
        day_column("answers_to", "to", priority=4),
        Column("basis", "basis", priority=5),
        Column("remark", "remark", priority=2),
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
        *PRICE_MONEY,
        day_column("answers_from", "from"),
        day_column("answers_to", "to", priority=2),
        Column("basis", "basis", priority=4),
        Column("remark", "remark", priority=3),
        Column("evidence", "evidence", priority=5),
        Column("source_url", "source url", priority=6),
    ),
    "no price history",
)

DISAGREEMENTS = Listing(
    (
        Column("model_name", "model"),
        Column("tier", "tier", priority=3),
        Column("variant", "variant", priority=3),
        Column("kind", "kind", priority=4),
        Column("provider", "seller"),  # the answers are per seller: never left out
        Column("offering_id", "offering", priority=3),
        Column("source", "source"),
        *PRICE_MONEY[:2],
        Column("verdict", "verdict"),
        Column("why", "why"),
        day_column("last_seen_at", "last seen", priority=4),
    ),
    "no sources disagree",
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
        day_column("date", "date"),
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
        day_column("date", "date"),
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
        day_column("published_at", "date"),
        Column("source", "source", priority=2),
        Column("title", "title"),
        Column("matched", "matched", priority=2),
        Column("link", "link", priority=3),
    ),
    "no feed items wait for review",
)

RELEASES = Listing(
    (
        day_column("date", "date"),
        Column("date_kind", "date is", priority=3),
        Column("lab", "lab"),
        Column("model", "model"),
        Column("open_weights", "open weights", priority=2),
        Column("license", "licence", priority=2),
        Column("license_class", "class", priority=3),
        Column("total_params_b", "params (B)", numeric=True, priority=3),
        Column("downloads", "downloads", numeric=True, priority=4),
        Column("evidence", "evidence", priority=4),
        Column("source_url", "source", priority=5),
    ),
    "no releases match",
)

SOURCES = Listing(
    (
        Column("id", "source"),
        Column("kind", "kind", priority=3),
        Column("enabled", "on", priority=2),
        Column("schedule", "schedule", priority=3),
        day_column("last_success", "last success"),
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
