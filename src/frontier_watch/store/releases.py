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
    if not fact.model_id:
        row["model_id"] = known_model_id(fact, context)
    row["release_key"] = fact.identity()
    row["source_url"] = fact.source_url or context.source_url
    row["evidence"] = fact.evidence or context.evidence
    row["origin"] = row["source_id"] = context.source_id
    return row


def known_model_id(fact: ReleaseFact, context: WriteContext) -> str | None:
    """The canonical id of a release's model when the crosswalk knows the model, else None.

    Only a crosswalk entry counts: a model no entry names keeps no id rather than one
    made up by the normalisation rules, so a release never claims a model it is not.
    """
    entry = context.identity.resolve(context.source_id, fact.model) if fact.model else None
    return entry.model_id if entry else None


class ReleaseWriter:
    """Releases have no health rule of their own: a quiet week lists none."""

    def check(self, connection: Connection, context: WriteContext, items: Sequence[ReleaseFact]) -> None:
        return None

    def write(
        self, connection: Connection, context: WriteContext, items: Sequence[ReleaseFact]
    ) -> ChangeCounts:
        rows = [release_row(fact, context) for fact in items]
        ensure_models(
            connection, ((row["model_id"], row["model"], row["lab"]) for row in rows if row["model_id"])
        )
        return write_keyed_rows(
            connection,
            _release,
            rows,
            source_column="source_id",
            key_column="release_key",
            observed_at=context.observed_at,
            fetch_run_id=context.fetch_run_id,
        )


WRITER = ReleaseWriter()
