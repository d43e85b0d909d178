"""Reads of the curated facts trends weigh prices against: benchmark scores and published rates."""

from __future__ import annotations

from typing import Any

from frontier_watch.store.model_lookup import load_lives
from frontier_watch.store.reading import Reader


def benchmark_scores(
    reader: Reader, *, benchmark: str | None = None, include_vendor_claims: bool = True
) -> list[dict[str, Any]]:
    """Benchmark scores with ``counts_from``: the model's release day (its life, else the
    score's own release date). A score says nothing about a price from before that day."""
    conditions, params = [], {}
    if benchmark:
        conditions.append("benchmark = :benchmark")
        params["benchmark"] = benchmark
    if not include_vendor_claims:
        conditions.append("evidence <> 'vendor-claim'")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = reader.rows(f"SELECT * FROM benchmark_score {where} ORDER BY model_id, benchmark, model", params)
    lives = load_lives(reader)
    for row in rows:
        life = lives.get(row["model_id"] or "")
        row["counts_from"] = life.released if life and life.released else row["release_date"]
    return rows


def benchmark_names(reader: Reader) -> list[str]:
    """The benchmarks that have scores stored (mmlu, gpqa_diamond...), sorted."""
    return sorted(value for value in reader.column("SELECT DISTINCT benchmark FROM benchmark_score") if value)


def trend_claims(reader: Reader) -> list[dict[str, Any]]:
    """The published rates (data/trend_claims.csv), oldest first."""
    return reader.rows("SELECT * FROM trend_claim ORDER BY date, source_org, metric")
