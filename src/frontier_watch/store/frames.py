"""Store rows as polars DataFrames, the input of analytics/. Polars is imported only here, lazily."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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
    """Dated signal values (queries.signal_series, site_power, cluster_sizes) as a frame for analytics."""
    import polars as pl

    columns = list(rows[0]) if rows else list(SIGNAL_SERIES_COLUMNS)
    data = {key: [row.get(key) for row in rows] for key in columns}
    schema_overrides = {"date": pl.Date, "value": pl.Float64}
    return pl.DataFrame(
        data, schema_overrides={k: v for k, v in schema_overrides.items() if k in data}, strict=False
    )
