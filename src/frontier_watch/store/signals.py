"""The writer of signals: clusters, power, capex, export rules, keyed by the row at its source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection

from frontier_watch.batch import SignalFact
from frontier_watch.store.keyed_rows import write_keyed_rows
from frontier_watch.store.tables import Signal, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

_signal = table_of(Signal)


def signal_row(fact: SignalFact, context: WriteContext) -> dict[str, Any]:
    row = asdict(fact)
    row.pop("key")
    row["signal_key"] = fact.identity()
    row["source_url"] = fact.source_url or context.source_url
    row["evidence"] = fact.evidence or context.evidence
    row["origin"] = row["source_id"] = context.source_id
    return row


class SignalWriter:
    def check(self, connection: Connection, context: WriteContext, items: Sequence[SignalFact]) -> None:
        return None

    def write(
        self, connection: Connection, context: WriteContext, items: Sequence[SignalFact]
    ) -> ChangeCounts:
        return write_keyed_rows(
            connection,
            _signal,
            [signal_row(fact, context) for fact in items],
            source_column="source_id",
            key_column="signal_key",
            observed_at=context.observed_at,
            fetch_run_id=context.fetch_run_id,
        )


WRITER = SignalWriter()
