"""Price changes in a window: old -> new with the percent, new offerings, withdrawn ones.

Frame in: one row per stored (current) price interval with ``offering_pk``, ``tier``,
``model_id``, ``model_name``, ``source``, ``provider``, ``offering_id``, ``effective_from``,
``effective_to`` (Datetime), ``input_usd_per_mtok``, ``output_usd_per_mtok``, ``withdrawn_at``
and ``source_url``. Pure polars, no I/O.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

KEY = ("offering_pk", "tier")


def _percent(new: str, old: str) -> pl.Expr:
    return pl.when(pl.col(old) > 0).then((pl.col(new) / pl.col(old) - 1) * 100).otherwise(None)


def price_changes(intervals: pl.DataFrame, since: datetime, until: datetime) -> pl.DataFrame:
    """Every interval that began in [since, until) after an earlier price of the same offering
    and tier, with the old and new prices and the change in percent (input and output).

    A restatement to the same prices is not a change. Newest first, then by model.
    """
    started = pl.col("effective_from").is_not_null()
    in_window = (pl.col("effective_from") >= since) & (pl.col("effective_from") < until)
    touched = intervals.filter(started & in_window).select(KEY).unique()
    # Only the offerings and tiers with a price that began in the window need their history.
    ordered = intervals.filter(started).join(touched, on=KEY, how="semi").sort(*KEY, "effective_from")
    with_previous = ordered.with_columns(
        pl.col("input_usd_per_mtok").shift(1).over(*KEY).alias("old_input_usd_per_mtok"),
        pl.col("output_usd_per_mtok").shift(1).over(*KEY).alias("old_output_usd_per_mtok"),
        pl.col("effective_from").shift(1).over(*KEY).alias("old_from"),
    )
    changed = with_previous.filter(
        (pl.col("effective_from") >= since)
        & (pl.col("effective_from") < until)
        & pl.col("old_from").is_not_null()
        & (
            pl.col("input_usd_per_mtok").ne_missing(pl.col("old_input_usd_per_mtok"))
            | pl.col("output_usd_per_mtok").ne_missing(pl.col("old_output_usd_per_mtok"))
        )
    )
    return changed.with_columns(
        _percent("input_usd_per_mtok", "old_input_usd_per_mtok").alias("input_change_pct"),
        _percent("output_usd_per_mtok", "old_output_usd_per_mtok").alias("output_change_pct"),
    ).sort(["effective_from", "model_name", "source", "offering_id"], descending=[True, False, False, False])


def new_offerings(intervals: pl.DataFrame, since: datetime, until: datetime) -> pl.DataFrame:
    """Offerings whose first price (any tier) began in [since, until): one row each, its first price."""
    start = pl.coalesce("effective_from", "first_seen_at").alias("start")
    firsts = intervals.group_by("offering_pk").agg(start.min().alias("first_start"))
    new = firsts.filter((pl.col("first_start") >= since) & (pl.col("first_start") < until))
    rows = intervals.join(new, on="offering_pk").filter(start == pl.col("first_start"))
    return (
        rows.sort("offering_pk", "tier")
        .group_by("offering_pk", maintain_order=True)
        .first()
        .drop("first_start")
        .sort(["model_name", "source", "offering_id"], nulls_last=True)
    )


def withdrawn_offerings(intervals: pl.DataFrame, since: datetime, until: datetime) -> pl.DataFrame:
    """Offerings withdrawn in [since, until): one row each."""
    withdrawn = intervals.filter(
        pl.col("withdrawn_at").is_not_null()
        & (pl.col("withdrawn_at") >= since)
        & (pl.col("withdrawn_at") < until)
    )
    return withdrawn.group_by("offering_pk").first().sort(["withdrawn_at", "model_name"], nulls_last=True)
