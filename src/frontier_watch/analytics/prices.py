"""Price arithmetic on frames of price intervals (one row per offering, tier and span)."""

from __future__ import annotations

import polars as pl

DEFAULT_INPUT_WEIGHT = 3.0
DEFAULT_OUTPUT_WEIGHT = 1.0


def blended_price(
    intervals: pl.DataFrame,
    input_weight: float = DEFAULT_INPUT_WEIGHT,
    output_weight: float = DEFAULT_OUTPUT_WEIGHT,
) -> pl.DataFrame:
    """Add ``blended_usd_per_mtok``: the input and output prices mixed ``input_weight:output_weight``.

    3:1 by default, the mix most published price trends use. The blend is null where either
    price is missing, rather than pretending the missing side is free.
    """
    if input_weight < 0 or output_weight < 0 or input_weight + output_weight <= 0:
        raise ValueError(
            f"blend weights must be non-negative and not both zero, got {input_weight}:{output_weight}"
        )
    total = input_weight + output_weight
    blended = (
        pl.col("input_usd_per_mtok") * input_weight + pl.col("output_usd_per_mtok") * output_weight
    ) / total
    return intervals.with_columns(blended.alias("blended_usd_per_mtok"))
