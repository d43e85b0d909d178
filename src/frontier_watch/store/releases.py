"""The writer of releases: one row per release and source, keyed by the release at its source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection

from frontier_watch.batch import ReleaseFact
from frontier_watch.store.keyed_rows import write_keyed_rows
from frontier_watch.store.model_identity import ensure_models
from frontier_watch.store.tables import Release, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

_release = table_of(Release)


def release_row(fact: ReleaseFact, context: WriteContext) -> dict[str, Any]:
    row = asdict(fact)
    row.pop("key")
    row["release_key"] = fact.identity()
    row["source_url"] = fact.source_url or context.source_url
    row["evidence"] = fact.evidence or context.evidence
    row["origin"] = row["source_id"] = context.source_id
    return row


class ReleaseWriter:
    """Releases have no health rule of their own: a quiet week lists none."""

    def check(self, connection: Connection, context: WriteContext, items: Sequence[ReleaseFact]) -> None:
        return None

    def write(
        self, connection: Connection, context: WriteContext, items: Sequence[ReleaseFact]
    ) -> ChangeCounts:
        ensure_models(connection, ((fact.model_id, fact.model, fact.lab) for fact in items if fact.model_id))
        return write_keyed_rows(
            connection,
            _release,
            [release_row(fact, context) for fact in items],
            source_column="source_id",
            key_column="release_key",
            observed_at=context.observed_at,
            fetch_run_id=context.fetch_run_id,
        )


WRITER = ReleaseWriter()
