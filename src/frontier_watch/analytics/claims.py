"""Published figures to set beside ours: which claims in data/trend_claims.csv match a trend.

Frame in: the stored trend claims (``source_org``, ``claim``, ``metric``, ``value``,
``value_high``, ``unit``, ``period``, ``baseline``, ``method_note``, ``source_url``,
``evidence``, ``date``). Pure polars, no I/O.
"""

from __future__ import annotations

import polars as pl

# The words a benchmark goes by in published text.
BENCHMARK_WORDS = {
    "mmlu": r"\bMMLU\b([^-]|$)",
    "mmlu_pro": r"MMLU-Pro",
    "gpqa_diamond": r"GPQA",
    "math": r"\bMATH\b",
}


def _text() -> pl.Expr:
    return pl.concat_str(
        [pl.col(name).fill_null("") for name in ("claim", "metric", "baseline", "method_note")], separator=" "
    )


def capability_claims(claims: pl.DataFrame, benchmark: str) -> pl.DataFrame:
    """Price-decline rates per year: those naming the benchmark first, then the general ranges
    for any fixed capability (Epoch's 9x-900x) with ``applies`` saying which is which."""
    rates = claims.filter(
        pl.col("metric").str.contains("price decline factor per year")
        & pl.col("unit").str.contains("per year")
    )
    pattern = BENCHMARK_WORDS.get(benchmark, rf"(?i)\b{benchmark}\b")
    named = _text().str.contains(pattern)
    general = pl.col("baseline").fill_null("").str.contains("given benchmark score")
    return (
        rates.filter(named | general)
        .with_columns(
            pl.when(named)
            .then(pl.lit("this benchmark"))
            .otherwise(pl.lit("any benchmark (range)"))
            .alias("applies")
        )
        .sort(["applies", "date"], descending=[True, False])
    )


def claims_matching(claims: pl.DataFrame, metric_words: str) -> pl.DataFrame:
    """Claims whose metric matches a regular expression (growth rates for the compute trends)."""
    return claims.filter(pl.col("metric").str.contains(metric_words)).sort("date")
