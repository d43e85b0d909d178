"""The offerings of a price batch: found, added, their facts updated, and their keys returned.

An offering is one (source, provider, offering id); its facts (name, model, lab, dates) are
rewritten only when they changed, and every offering the batch lists is marked seen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, Row, bindparam, func, select, update

from frontier_watch.domain.batch import PricedOffering
from frontier_watch.domain.identity import AliasSpan, Identity
from frontier_watch.store.database import bulk_insert, upsert_rows
from frontier_watch.store.interval_changes import Provenance
from frontier_watch.store.keyed_rows import chunks, move_last_seen
from frontier_watch.store.model_identity import model_label, offering_model, record_offering_spans
from frontier_watch.store.tables import Model, Offering, table_of
from frontier_watch.store.write_context import ChangeCounts

_offering = table_of(Offering)
_model = table_of(Model)
OfferingKey = tuple[str, str]  # (provider, offering id) within one source


class UpsertedOfferings(NamedTuple):
    """What the offering upsert tells the interval writer."""

    pks: dict[OfferingKey, int]  # every offering of the batch (and those loaded) by key
    model_of: dict[OfferingKey, str]  # the model each offering of the batch serves
    created: dict[str, str | None]  # models this batch created, with their lab


def load_offerings(
    connection: Connection, source_id: str, keys: set[OfferingKey] | None = None
) -> dict[OfferingKey, dict[str, Any]]:
    """The stored offerings of a source by (provider, offering id): all, or only ``keys``."""
    columns = (
        _offering.c.id,
        _offering.c.provider,
        _offering.c.offering_id,
        *(_offering.c[name] for name in OFFERING_FACTS),
    )
    return {
        (row.provider, row.offering_id): dict(row._mapping)
        for row in offering_rows(connection, source_id, keys, columns)
    }


def offering_rows(
    connection: Connection,
    source_id: str,
    keys: set[OfferingKey] | None,
    columns: Sequence[ColumnElement[Any]],
) -> Iterator[Row[Any]]:
    """Rows of a source's offerings: every one (``keys`` None), or those (provider, offering
    id) keys, found through the index on the lower-cased id, 500 ids a statement whatever
    their providers (the source's own index would read all of its offerings each time)."""
    if keys is None:
        yield from connection.execute(select(*columns).where(_offering.c.source_id == source_id))
        return
    # "|| ''" keeps the planner off the (source, provider, id) index, whose only usable
    # part here is the source: every offering of a large source would be read.
    query = select(*columns).where(_offering.c.source_id.concat("") == source_id)
    wanted = sorted({offering_id.lower() for _, offering_id in keys})
    for chunk in chunks(wanted):
        for row in connection.execute(query.where(func.lower(_offering.c.offering_id).in_(chunk))):
            if (row.provider, row.offering_id) in keys:
                yield row


# withdrawn_at last: a source that is not a full sheet leaves it alone (see price_intervals._record).
OFFERING_FACTS = (
    "name",
    "model_id",
    "lab",
    "deprecation_date",
    "hf_repo",
    "platform",
    "listed_at",
    "kind",
    "withdrawn_at",
)


def upsert_offerings(
    connection: Connection,
    batch: Sequence[PricedOffering],
    provenance: Provenance,
    existing: dict[OfferingKey, dict[str, Any]],
    observed_at: datetime,
    identity: Identity,
    counts: ChangeCounts,
    fact_names: Sequence[str],
    batch_keys: set[OfferingKey] | None,
) -> UpsertedOfferings:
    """Add the batch's new offerings (and new models), update changed facts, mark the rest seen.

    ``fact_names`` are the facts compared and rewritten; ``batch_keys`` None means a full
    sheet, whose new offerings are found again by source rather than by key.
    """
    resolved = {
        record.offering_id: offering_model(identity, provenance.source_id, record.offering_id)
        for record in batch
    }
    known_models: set[str] = set()
    for chunk in chunks(sorted({model_id for model_id, _ in resolved.values()})):
        known_models.update(connection.execute(select(_model.c.id).where(_model.c.id.in_(chunk))).scalars())
    new_models: dict[str, dict[str, Any]] = {}
    new_offerings: list[dict[str, Any]] = []
    changed_facts: list[dict[str, Any]] = []
    seen_pks: list[int] = []
    moving: dict[OfferingKey, tuple[AliasSpan, ...]] = {}
    model_of: dict[OfferingKey, str] = {}
    for record in batch:
        key = (record.provider, record.offering_id)
        model_id, entry = resolved[record.offering_id]
        model_of[key] = model_id
        if model_id not in known_models and model_id not in new_models:
            shown, lab = model_label(entry, model_id, record.offering_id, record.name, record.lab)
            new_models[model_id] = {"id": model_id, "name": shown, "lab": lab}
        facts = {
            "name": record.name,
            "model_id": model_id,
            "lab": record.lab,
            "deprecation_date": record.deprecation_date,
            "hf_repo": record.hf_repo,
            "platform": record.platform,
            "listed_at": record.listed_at,
            "kind": record.kind,
            "withdrawn_at": None,
        }
        row = existing.get(key)
        if row is None:
            spans = identity.spans(provenance.source_id, record.offering_id)
            if spans:
                moving[key] = spans
            new_offerings.append(
                {
                    "source_id": provenance.source_id,
                    "provider": record.provider,
                    "offering_id": record.offering_id,
                    "first_seen_at": observed_at,
                    "last_seen_at": observed_at,
                    **facts,
                }
            )
            continue
        seen_pks.append(row["id"])
        # Most fetches change nothing about an offering but when it was last seen.
        if any(row[name] != facts[name] for name in fact_names):
            changed_facts.append({"pk": row["id"], **{name: facts[name] for name in fact_names}})
    if new_models:
        # Another writer may add the same model meanwhile; the first name wins.
        upsert_rows(connection, _model, list(new_models.values()), ("id",), update=False)
    if changed_facts:
        connection.execute(
            update(_offering)
            .where(_offering.c.id == bindparam("pk"))
            .values({name: bindparam(name) for name in fact_names}),
            changed_facts,
        )
    move_last_seen(connection, _offering, seen_pks, observed_at)
    bulk_insert(connection, _offering, new_offerings)
    counts.offerings_added += len(new_offerings)
    pks = {key: row["id"] for key, row in existing.items()}
    if new_offerings:
        new_keys = (
            None if batch_keys is None else {(row["provider"], row["offering_id"]) for row in new_offerings}
        )
        pks.update(
            ((row.provider, row.offering_id), row.id)
            for row in offering_rows(
                connection,
                provenance.source_id,
                new_keys,
                (_offering.c.id, _offering.c.provider, _offering.c.offering_id),
            )
        )
        record_offering_spans(connection, {pks[key]: spans for key, spans in moving.items()})
    return UpsertedOfferings(pks, model_of, {model_id: row["lab"] for model_id, row in new_models.items()})
