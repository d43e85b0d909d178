"""Store rows as polars DataFrames, the input of analytics/. Polars is imported only here, lazily."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.attribution import PIECE_COLUMNS

if TYPE_CHECKING:
    import polars as pl

PRICE_COLUMNS = (
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "reasoning_usd_per_mtok",
    "request_usd",
)


def price_frame(records: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Public price records (public_rows.price_record) as a frame; exact prices become Float64."""
    import polars as pl

    data: dict[str, list[Any]] = {key: [] for key in (records[0] if records else {"model_id": None})}
    for record in records:
        for key in data:
            value = record.get(key)
            data[key].append(float(value) if isinstance(value, Decimal) else value)
    schema_overrides = {key: pl.Float64 for key in PRICE_COLUMNS if key in data}
    return pl.DataFrame(data, schema_overrides=schema_overrides, strict=False)


SIGNAL_SERIES_COLUMNS = (
    "date",
    "item",
    "entity",
    "metric",
    "value",
    "unit",
    "source",
    "evidence",
    "source_url",
)


def signal_frame(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Dated signal values (signal_reads.signal_series, site_power, cluster_sizes) as a frame."""
    import polars as pl

    columns = list(rows[0]) if rows else list(SIGNAL_SERIES_COLUMNS)
    data = {key: [row.get(key) for row in rows] for key in columns}
    schema_overrides = {"date": pl.Date, "value": pl.Float64}
    return pl.DataFrame(
        data, schema_overrides={k: v for k, v in schema_overrides.items() if k in data}, strict=False
    )


# The reads name a piece's two prices shortly; the frame names them with their unit.
_PIECE_ROW_KEYS = {"input_usd_per_mtok": "input", "output_usd_per_mtok": "output"}


def piece_frame(rows: Sequence[Any]) -> pl.DataFrame:
    """Attributed price pieces (price_reads.price_pieces) as the frame analytics.capability reads
    (its columns: ``domain.attribution.PIECE_COLUMNS``).

    Days are calendar days: a piece answers from the day it starts and up to, not including,
    the day it ends. Prices are USD per million tokens as Float64.
    """
    import polars as pl

    keys = [(column, _PIECE_ROW_KEYS.get(column, column)) for column in PIECE_COLUMNS]
    data: dict[str, list[Any]] = {column: [] for column in PIECE_COLUMNS}
    for row in rows:
        for column, key in keys:
            data[column].append(row[key])
    for column in _PIECE_ROW_KEYS:
        data[column] = [None if value is None else float(value) for value in data[column]]
    for column in ("answers_from", "answers_to"):
        data[column] = [value.date() if hasattr(value, "date") else value for value in data[column]]
    schema: dict[str, Any] = {column: pl.String for column in PIECE_COLUMNS}
    schema.update({"answers_from": pl.Date, "answers_to": pl.Date})
    schema.update({column: pl.Float64 for column in _PIECE_ROW_KEYS})
    return pl.DataFrame(data, schema=schema)


def score_frame(rows: Sequence[dict[str, Any]], reasoning: Callable[[str], bool]) -> pl.DataFrame:
    """Benchmark scores (fact_reads.benchmark_scores) with ``reasoning`` from the given rule."""
    import polars as pl

    columns = ("model_id", "model", "benchmark", "score", "counts_from", "evidence", "source_url")
    data: dict[str, list[Any]] = {key: [row.get(key) for row in rows] for key in columns}
    data["reasoning"] = [bool(row.get("model_id")) and reasoning(row["model_id"]) for row in rows]
    schema: dict[str, Any] = {key: pl.String for key in columns}
    schema.update({"score": pl.Float64, "counts_from": pl.Date, "reasoning": pl.Boolean})
    return pl.DataFrame(data, schema=schema)


CLAIM_COLUMNS = (
    "date",
    "source_org",
    "author",
    "claim",
    "metric",
    "value",
    "value_high",
    "unit",
    "period",
    "baseline",
    "method_note",
    "source_url",
    "evidence",
)


def claim_frame(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Published trend claims (fact_reads.trend_claims) as the frame analytics.claims reads."""
    import polars as pl

    schema: dict[str, Any] = {key: pl.String for key in CLAIM_COLUMNS}
    schema.update({"date": pl.Date, "value": pl.Float64, "value_high": pl.Float64})
    return pl.DataFrame({key: [row.get(key) for row in rows] for key in CLAIM_COLUMNS}, schema=schema)
