"""Release cadence: releases per lab per quarter, the open-weight share, the licence mix.

Frame in: one row per stored release with ``date`` (Date), ``lab``, ``model_id``, ``model``,
``open_weights`` ("yes" / "no" / "gated" ...), ``license_class`` and ``source``. The same
model listed by several sources (the curated log, a Hugging Face repository, Epoch's
notable models) counts once, on its earliest date. Pure polars, no I/O.
"""

from __future__ import annotations

import polars as pl

OPEN = ("yes", "gated", "open")


def distinct_releases(releases: pl.DataFrame) -> pl.DataFrame:
    """One row per released model (its canonical id, else its name), on its earliest date."""
    key = pl.coalesce(pl.col("model_id"), pl.col("model").str.to_lowercase()).alias("release")
    return (
        releases.filter(pl.col("date").is_not_null())
        .with_columns(key, pl.col("date").dt.truncate("1q").alias("quarter"))
        .sort("date", "source")
        .group_by("release", maintain_order=True)
        .first()
        .with_columns(pl.col("open_weights").str.to_lowercase().is_in(OPEN).fill_null(False).alias("is_open"))
    )


def releases_per_lab_quarter(releases: pl.DataFrame) -> pl.DataFrame:
    """``quarter``, ``lab``, ``releases``: oldest quarter first, then most releases."""
    return (
        distinct_releases(releases)
        .group_by("quarter", "lab")
        .agg(pl.len().alias("releases"))
        .sort(["quarter", "releases", "lab"], descending=[False, True, False])
    )


def open_weight_share(releases: pl.DataFrame) -> pl.DataFrame:
    """Per quarter: ``releases``, ``open_weights`` and ``open_share`` (0..1)."""
    return (
        distinct_releases(releases)
        .group_by("quarter")
        .agg(pl.len().alias("releases"), pl.col("is_open").sum().alias("open_weights"))
        .with_columns((pl.col("open_weights") / pl.col("releases")).alias("open_share"))
        .sort("quarter")
    )


def licence_mix(releases: pl.DataFrame) -> pl.DataFrame:
    """Per year and licence class: ``releases`` (unknown where the class is not stated)."""
    return (
        distinct_releases(releases)
        .with_columns(pl.col("date").dt.year().alias("year"), pl.col("license_class").fill_null("unknown"))
        .group_by("year", "license_class")
        .agg(pl.len().alias("releases"))
        .sort("year", "license_class")
    )
