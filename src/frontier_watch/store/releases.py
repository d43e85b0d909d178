"""The writer of releases: one row per release and source, keyed by the release at its source.

A release's lineage (the repositories it was built from) is kept beside it in
``release_base_model``, replaced when the source states it differently. A repository is
linked to its canonical model by :func:`linked_model_id`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select

from frontier_watch.domain.batch import Lineage, ReleaseFact
from frontier_watch.domain.identity import Identity, normalise
from frontier_watch.net.urls import stored_url
from frontier_watch.sources.kind import StoredState
from frontier_watch.store.database import bulk_insert
from frontier_watch.store.keyed_rows import chunks, write_keyed_rows
from frontier_watch.store.model_identity import ensure_models
from frontier_watch.store.tables import Model, Release, ReleaseBaseModel, ReleaseStat, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

_release = table_of(Release)
_base = table_of(ReleaseBaseModel)
_model = table_of(Model)
_stat = table_of(ReleaseStat)


def release_row(fact: ReleaseFact, context: WriteContext) -> dict[str, Any]:
    row = asdict(fact)
    for name in ("key", "base_models"):
        row.pop(name)
    row["arxiv_ids"] = " ".join(fact.arxiv_ids) or None
    if not fact.model_id:
        row["model_id"] = known_model_id(fact, context)
    row["release_key"] = fact.identity()
    row["source_url"] = stored_url(fact.source_url or context.source_url)
    row["evidence"] = fact.evidence or context.evidence
    row["origin"] = row["source_id"] = context.source_id
    return row


def linked_model_id(identity: Identity, source_id: str, repo_id: str, known_models: set[str]) -> str | None:
    """The canonical model a repository releases, or None when nothing names one.

    The crosswalk first (an alias at this source or any, then its normalised aliases);
    else a model already known under the repository's normalised name (``Qwen/Qwen3-8B``
    is ``qwen3-8b`` when a price source sells that). A repository no rule or crosswalk
    entry matches stays unlinked rather than inventing a model for every fine-tune.
    """
    entry = identity.resolve(source_id, repo_id)
    if entry is not None:
        return entry.model_id
    candidate = normalise(repo_id)
    return candidate if candidate in known_models else None


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
        items = _linked(connection, context, items)
        rows = [release_row(fact, context) for fact in items]
        ensure_models(
            connection, ((row["model_id"], row["model"], row["lab"]) for row in rows if row["model_id"])
        )
        counts = write_keyed_rows(
            connection,
            _release,
            rows,
            source_column="source_id",
            key_column="release_key",
            observed_at=context.observed_at,
            fetch_run_id=context.fetch_run_id,
        )
        _write_lineage(connection, context.source_id, items)
        return counts


def _linked(connection: Connection, context: WriteContext, items: Sequence[ReleaseFact]) -> list[ReleaseFact]:
    """Repositories without a model id get one where the crosswalk or an existing model names it."""
    unlinked = [fact for fact in items if fact.model_id is None and fact.hf_repo_id]
    if not unlinked:
        return list(items)

    known = set(connection.execute(select(_model.c.id)).scalars())
    models: dict[str, tuple[str, str | None]] = {}
    linked: dict[int, ReleaseFact] = {}
    for fact in unlinked:
        assert fact.hf_repo_id is not None
        model_id = linked_model_id(context.identity, context.source_id, fact.hf_repo_id, known)
        if model_id is None:
            continue
        entry = context.identity.resolve(context.source_id, fact.hf_repo_id)
        models[model_id] = (entry.name, entry.lab) if entry else (model_id, fact.lab)
        linked[id(fact)] = replace(fact, model_id=model_id)
    ensure_models(connection, ((model_id, name, lab) for model_id, (name, lab) in models.items()))
    return [linked.get(id(fact), fact) for fact in items]


def _write_lineage(connection: Connection, source_id: str, items: Sequence[ReleaseFact]) -> None:
    """Make each release's stored lineage what the source states now (add and remove, never churn)."""
    wanted = {
        fact.identity(): tuple(dict.fromkeys(fact.base_models)) for fact in items
    }  # as stated, in order
    ids: dict[str, int] = {}
    for chunk in chunks(list(wanted)):
        result = connection.execute(
            select(_release.c.release_key, _release.c.id).where(
                _release.c.source_id == source_id, _release.c.release_key.in_(chunk)
            )
        )
        ids.update((row.release_key, row.id) for row in result)
    stored: dict[int, dict[Lineage, int]] = {}
    for chunk in chunks(list(ids.values())):
        for row in connection.execute(select(_base).where(_base.c.release_id.in_(chunk))):
            entry = Lineage(row.base_repo_id, row.relation, row.stated_in)
            stored.setdefault(row.release_id, {})[entry] = row.id
    inserts: list[dict[str, Any]] = []
    gone: list[int] = []
    for key, stated in wanted.items():
        release_id = ids[key]
        have = stored.get(release_id, {})
        gone.extend(pk for entry, pk in have.items() if entry not in stated)
        inserts.extend(
            {
                "release_id": release_id,
                "base_repo_id": entry.repo_id,
                "relation": entry.relation,
                "stated_in": entry.stated_in,
            }
            for entry in stated
            if entry not in have
        )
    for chunk in chunks(gone):
        connection.execute(delete(_base).where(_base.c.id.in_(chunk)))
    bulk_insert(connection, _base, inserts)


def stored_state(connection: Connection, source_id: str, day: date) -> StoredState:
    """The source's stored releases (key -> last modified) and the repositories counted on ``day``."""
    result = connection.execute(
        select(_release.c.release_key, _release.c.last_modified_at).where(_release.c.source_id == source_id)
    )
    releases = {row.release_key: row.last_modified_at for row in result}
    counted = frozenset(connection.execute(select(_stat.c.hf_repo_id).where(_stat.c.day == day)).scalars())
    return StoredState(releases=releases, stats_today=counted)


WRITER = ReleaseWriter()
