"""Compute and infrastructure series: the largest cluster known at each date, values as of dates.

Frames come from ``store.frames.signal_frame`` (one dated value per row, with ``date``,
``item`` and ``value`` columns, and the row's evidence and source carried along). Pure
polars, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl


def largest_to_date(series: pl.DataFrame) -> pl.DataFrame:
    """For each date on which a value is known, the largest value known by then and what holds it.

    One row per distinct date of ``series``, oldest first: ``date``, then the columns of the
    row that holds the record on that date (``item``, ``value``, its evidence...), and
    ``record_since``, the date that row set the record. A later value that only equals the
    record does not take it (the first to reach a size holds it).
    """
    if series.is_empty():
        return series.with_columns(pl.col("date").alias("record_since")).clear()
    ordered = series.filter(pl.col("value").is_not_null()).sort(
        ["date", "value", "item"], descending=[False, True, False]
    )
    previous_best = pl.col("value").cum_max().shift(1)
    records = ordered.filter(previous_best.is_null() | (pl.col("value") > previous_best))
    days = ordered.select("date").unique().sort("date")
    return days.join_asof(
        records.rename({"date": "record_since"}).sort("record_since"),
        left_on="date",
        right_on="record_since",
        strategy="backward",
    ).select(["date", *[name for name in records.columns if name != "date"], "record_since"])


def value_as_of(series: pl.DataFrame, dates: Sequence[date], by: str = "item") -> pl.DataFrame:
    """Each ``by`` group's latest value on or before each of ``dates`` (null before its first value).

    One row per date and group, ordered by date then group: the step function a dated series
    describes (a site holds its capacity until its next dated row), never interpolated.
    """
    grid = pl.DataFrame({"date": sorted(set(dates))}, schema={"date": pl.Date})
    groups = series.select(by).unique().sort(by)
    known = series.filter(pl.col("value").is_not_null()).sort([by, "date"])
    # A group's later row on the same date wins: keep the last row per group and date.
    known = known.unique(subset=[by, "date"], keep="last", maintain_order=True).sort("date")
    return (
        grid.join(groups, how="cross")
        .sort("date")
        # Both sides are sorted by date (so within each group too); polars cannot check that with by=.
        .join_asof(
            known.rename({"date": "value_date"}),
            left_on="date",
            right_on="value_date",
            by=by,
            check_sortedness=False,
        )
        .sort(["date", by])
    )


def record_points(series: pl.DataFrame) -> pl.DataFrame:
    """The dates a new record was set (the points a growth rate is fitted through), oldest first."""
    records = largest_to_date(series)
    return records.filter(pl.col("date") == pl.col("record_since"))


def latest_per_year(series: pl.DataFrame, by: Sequence[str] = ("entity", "metric")) -> pl.DataFrame:
    """Per group and calendar year of the value's date, the latest value given (a capex guidance
    revised during the year is its last figure, not a sum of its revisions)."""
    return (
        series.filter(pl.col("value").is_not_null())
        .with_columns(pl.col("date").dt.year().alias("year"))
        .sort("date")
        .group_by(*by, "year", maintain_order=True)
        .last()
        .sort(["year", *by])
    )
