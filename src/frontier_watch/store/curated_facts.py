"""The writers of the facts only curated data holds: benchmark scores, published trend claims
and the release and retirement days of models.

Both are upserted by their natural key, so loading the same file twice changes nothing and
a corrected file updates the rows it corrects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import Connection

from frontier_watch.domain.batch import BenchmarkFact, ModelDateFact, TrendClaimFact
from frontier_watch.store.database import upsert_rows
from frontier_watch.store.model_identity import ensure_models
from frontier_watch.store.tables import BenchmarkScore, ModelEvent, TrendClaim, table_of


def record_benchmark_scores(connection: Connection, facts: Sequence[BenchmarkFact]) -> int:
    ensure_models(connection, ((fact.model_id, fact.model, fact.lab) for fact in facts if fact.model_id))
    upsert_rows(
        connection, table_of(BenchmarkScore), [asdict(fact) for fact in facts], ("model", "benchmark")
    )
    return len(facts)


def record_trend_claims(connection: Connection, facts: Sequence[TrendClaimFact]) -> int:
    upsert_rows(
        connection,
        table_of(TrendClaim),
        [asdict(fact) for fact in facts],
        ("date", "source_org", "metric", "claim"),
    )
    return len(facts)


def record_model_events(connection: Connection, facts: Sequence[ModelDateFact]) -> int:
    """Release and retirement days, one per model, event and origin."""
    ensure_models(connection, ((fact.model_id, fact.model_id, None) for fact in facts))
    upsert_rows(
        connection,
        table_of(ModelEvent),
        [
            {
                "model_id": fact.model_id,
                "event": fact.event,
                "date": fact.date,
                "date_precision": fact.date_precision,
                "origin": fact.origin,
                "source_url": fact.source_url,
                "evidence": fact.evidence,
                "confidence": fact.confidence,
                "notes": fact.notes,
            }
            for fact in facts
        ],
        ("model_id", "event", "origin"),
    )
    return len(facts)
