"""The writer of fetch runs: one ``fetch_run`` row per source per fetch, from start to finish."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Connection, Engine, update

from frontier_watch.domain.clock import utc_now
from frontier_watch.store.meta import bump_data_version
from frontier_watch.store.tables import FetchRun, table_of

_run = table_of(FetchRun)
INTERRUPTED = "interrupted (the fetch was stopped before it finished)"


@dataclass(kw_only=True)
class RunOutcome:
    """How a run ended: the fields of its ``fetch_run`` row (the columns of the same names)
    that it stores when it finishes. The fetch's RunSummary extends it."""

    status: str  # ok | failed | suspicious
    records: int = 0
    skipped: int = 0
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    http_status: int | None = None
    bytes: int = 0
    error: str | None = None


def start_run(connection: Connection, source_id: str, started_at: datetime) -> int:
    """Record that a source's fetch began; its row says 'running' until it finishes."""
    inserted = connection.execute(
        _run.insert().values(source_id=source_id, started_at=started_at, status="running")
    ).inserted_primary_key
    assert inserted is not None  # a single-row INSERT always reports its primary key
    return int(inserted[0])


def finish_run(
    connection: Connection, run_id: int, outcome: RunOutcome, *, content_hash: str | None = None
) -> None:
    """Close the run's row (``content_hash``: of the bytes downloaded); readers see a new data
    version from this transaction on."""
    stored = {name.name: getattr(outcome, name.name) for name in fields(RunOutcome)}
    connection.execute(
        update(_run)
        .where(_run.c.id == run_id)
        .values(finished_at=utc_now(), content_hash=content_hash, **stored)
    )
    bump_data_version(connection)


def mark_interrupted_runs(engine: Engine) -> int:
    """Runs left 'running' by a killed fetch; only call while holding the fetch lock."""
    with engine.begin() as connection:
        result = connection.execute(
            update(_run)
            .where(_run.c.status == "running")
            .values(status="failed", error=INTERRUPTED, finished_at=utc_now())
        )
    return result.rowcount or 0
