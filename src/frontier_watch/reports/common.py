"""What the reports share: numbers rounded for JSON, a fit as JSON, a model's price rows, the claims."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.errors import DataError

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.analytics.fit import RateFit
    from frontier_watch.store.reading import Reader


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A number as JSON shows it: ``digits`` significant figures (6 decimals below 1), None if not finite."""
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if abs(value) >= 1 else round(value, 6)


def fit_json(fit: RateFit | None) -> dict[str, Any]:
    """A fitted rate as the JSON of every trend report (every key None without a fit)."""
    if fit is None:
        return {key: None for key in ("factor_per_year", "ci_low", "ci_high", "start", "end", "total_factor")}
    return {
        "factor_per_year": rounded(fit.factor_per_year),
        "ci_low": rounded(fit.ci_low),
        "ci_high": rounded(fit.ci_high),
        "start": fit.start.isoformat(),
        "end": fit.end.isoformat(),
        "total_factor": rounded(fit.total_factor),
        "points_fitted": fit.points,
        "doubling_years" if fit.direction == "growth" else "halving_years": None
        if fit.doubling_years is None
        else round(fit.doubling_years, 3),
    }


def json_records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON rows: dates as ISO text, floats rounded."""
    rows = frame.to_dicts()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, date):
                row[key] = value.isoformat()
            elif isinstance(value, float):
                row[key] = rounded(value, 6)
    return rows


def benchmark_names(reader: Reader) -> list[str]:
    """The benchmarks with stored scores."""
    from frontier_watch.store import fact_reads

    return fact_reads.benchmark_names(reader)


def claim_frame(reader: Reader) -> pl.DataFrame:
    """The published trend claims (data/trend_claims.csv) as a frame."""
    from frontier_watch.store import fact_reads, frames

    return frames.claim_frame(fact_reads.trend_claims(reader))


def model_frame(reader: Reader, text: str) -> tuple[pl.DataFrame, str]:
    """A model's price intervals (restated ones left out) as a frame, and its id ("" when the
    text names several models)."""
    from frontier_watch.store import frames, price_reads

    rows = price_reads.price_history(reader, text, include_superseded=False)
    if not rows:
        raise DataError(
            f"no prices for {text!r} (try `frontier-watch prices --model {text}` or `history {text}`)"
        )
    frame = frames.piece_frame(rows)
    models = sorted({row["model_id"] for row in rows if row["model_id"]})
    return frame, models[0] if len(models) == 1 else ""
