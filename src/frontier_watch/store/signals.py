"""The writer of signals: clusters, power, capex, export rules, keyed by the row at its source.

A signal whose source changes it (Epoch revises a cluster's size, a team corrects its
curated log) is updated, and what it said before goes to ``signal_history``: the value, its
evidence and when it was replaced. Nothing a source once said is overwritten without trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from frontier_watch.domain.batch import SignalFact
from frontier_watch.net.urls import stored_url
from frontier_watch.store.database import bulk_insert
from frontier_watch.store.keyed_rows import write_keyed_rows
from frontier_watch.store.meta import bump_data_version
from frontier_watch.store.tables import Signal, SignalHistory, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

USER_SOURCE = "user"  # the source id and origin of signals logged by hand
_signal = table_of(Signal)
_history = table_of(SignalHistory)
# The columns of a signal that a history row keeps (its values and their evidence).
_VERSIONED = tuple(
    column.name
    for column in _history.columns
    if column.name not in {"id", "signal_id", "replaced_at", "replaced_by_run_id"}
)


def signal_row(fact: SignalFact, context: WriteContext, *, origin: str | None = None) -> dict[str, Any]:
    row = asdict(fact)
    row.pop("key")
    row["signal_key"] = fact.identity()
    row["source_url"] = stored_url(fact.source_url or context.source_url)
    row["evidence"] = fact.evidence or context.evidence
    row["source_id"] = context.source_id
    row["origin"] = origin or context.source_id
    return row


def write_signals(
    connection: Connection, context: WriteContext, rows: Sequence[dict[str, Any]]
) -> ChangeCounts:
    """Insert new signals, update changed ones (keeping their old version), confirm the rest."""
    replaced: list[dict[str, Any]] = []

    def keep_old_version(stored: dict[str, Any]) -> None:
        replaced.append(
            {
                "signal_id": stored["id"],
                **{name: stored.get(name) for name in _VERSIONED},
                "replaced_at": context.observed_at,
                "replaced_by_run_id": context.fetch_run_id,
            }
        )

    counts = write_keyed_rows(
        connection,
        _signal,
        rows,
        source_column="source_id",
        key_column="signal_key",
        observed_at=context.observed_at,
        fetch_run_id=context.fetch_run_id,
        before_change=keep_old_version,
    )
    bulk_insert(connection, _history, replaced)
    return counts


class SignalWriter:
    def check(self, connection: Connection, context: WriteContext, items: Sequence[SignalFact]) -> None:
        return None

    def write(
        self, connection: Connection, context: WriteContext, items: Sequence[SignalFact]
    ) -> ChangeCounts:
        return write_signals(connection, context, [signal_row(fact, context) for fact in items])


WRITER = SignalWriter()


def record_signal(
    connection: Connection,
    fact: SignalFact,
    *,
    source_id: str,
    origin: str,
    observed_at: datetime,
) -> tuple[int, ChangeCounts]:
    """Store one signal a person entered (``signals add``, ``signals review``): its id and what changed.

    The same key again updates the signal and keeps its earlier version in the history.
    """
    from frontier_watch.domain.identity import Identity

    context = WriteContext(source_id=source_id, observed_at=observed_at, identity=Identity({}, {}))
    row = signal_row(fact, context, origin=origin)
    counts = write_signals(connection, context, [row])
    signal_id = connection.execute(
        select(_signal.c.id).where(
            _signal.c.source_id == source_id, _signal.c.signal_key == row["signal_key"]
        )
    ).scalar_one()
    bump_data_version(connection)
    return int(signal_id), counts


def add_user_signal(engine: Engine, fact: SignalFact, *, now: datetime) -> tuple[int, ChangeCounts]:
    """Log a signal by hand (``signals add``): source and origin ``user``, in its own transaction."""
    with engine.begin() as connection:
        return record_signal(connection, fact, source_id=USER_SOURCE, origin=USER_SOURCE, observed_at=now)
