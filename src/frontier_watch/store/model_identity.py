"""The writer of canonical models, their aliases (the curated crosswalk) and offering identities.

An offering's model is resolved when it is written; when the crosswalk changes, every
offering is resolved again, so a database written by an older crosswalk or older rules
gets today's answer. An offering whose alias moved from model to model over time (DeepSeek's
``deepseek-chat``) also records the model of each span in ``offering_model_span``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from frontier_watch.domain.identity import (
    AliasSpan,
    CrosswalkEntry,
    CrosswalkRow,
    Identity,
    model_display_name,
    normalise,
)
from frontier_watch.store.database import bulk_insert, upsert_rows
from frontier_watch.store.keyed_rows import chunks
from frontier_watch.store.tables import Model, ModelAlias, Offering, OfferingModelSpan, table_of

_model = table_of(Model)
_alias = table_of(ModelAlias)
_offering = table_of(Offering)
_span = table_of(OfferingModelSpan)


def record_crosswalk(connection: Connection, rows: Sequence[CrosswalkRow]) -> int:
    """Make the crosswalk the given one: upsert each canonical model (a model's own row, where
    the alias is its id, names it and may state its kind) and replace every alias."""
    models: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda row: row.alias.lower() == row.model_id):  # own rows last: they win
        model = models.setdefault(
            row.model_id, {"id": row.model_id, "name": row.model_id, "lab": None, "kind": None}
        )
        if row.name:
            model["name"] = row.name
        if row.lab:
            model["lab"] = row.lab
        if row.kind:
            model["kind"] = row.kind
    upsert_rows(connection, _model, list(models.values()), ("id",))
    connection.execute(delete(_alias))
    bulk_insert(
        connection,
        _alias,
        [
            {
                "model_id": row.model_id,
                "source": row.source or "*",
                "alias": row.alias,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
            }
            for row in rows
        ],
    )
    return len(rows)


def ensure_models(connection: Connection, models: Iterable[tuple[str, str, str | None]]) -> None:
    """Add (id, name, lab) models that are not known yet; known ones are left as they are."""
    wanted = {model_id: (name, lab) for model_id, name, lab in models if model_id}
    if not wanted:
        return
    known: set[str] = set()
    for chunk in chunks(list(wanted)):
        known.update(connection.execute(select(_model.c.id).where(_model.c.id.in_(chunk))).scalars())
    missing = [
        {"id": model_id, "name": name or model_id, "lab": lab}
        for model_id, (name, lab) in wanted.items()
        if model_id not in known
    ]
    upsert_rows(connection, _model, missing, ("id",), update=False)


def offering_model(identity: Identity, source_id: str, offering_id: str) -> tuple[str, CrosswalkEntry | None]:
    """(model id, crosswalk entry) of an offering: the crosswalk's, else the rules'."""
    entry = identity.resolve(source_id, offering_id)
    return (entry.model_id, entry) if entry is not None else (normalise(offering_id), None)


def model_label(
    entry: CrosswalkEntry | None, model_id: str, offering_id: str, name: str, lab: str | None
) -> tuple[str, str | None]:
    """(display name, lab) for a model first met through an offering."""
    if entry is not None:
        return entry.name, entry.lab or lab
    return model_display_name(offering_id, name, model_id), lab


def record_offering_spans(connection: Connection, spans: Mapping[int, Sequence[AliasSpan]]) -> None:
    """Replace the model spans of these offerings (an empty list: the alias no longer moves)."""
    if not spans:
        return
    for chunk in chunks(list(spans)):
        connection.execute(delete(_span).where(_span.c.offering_pk.in_(chunk)))
    ensure_models(
        connection,
        (
            (span.entry.model_id, span.entry.name, span.entry.lab)
            for items in spans.values()
            for span in items
        ),
    )
    bulk_insert(
        connection,
        _span,
        [
            {
                "offering_pk": offering_pk,
                "model_id": span.entry.model_id,
                "valid_from": span.valid_from,
                "valid_to": span.valid_to,
            }
            for offering_pk, items in spans.items()
            for span in items
        ],
    )


def resolve_offerings(connection: Connection, identity: Identity) -> int:
    """Resolve every stored offering again (after the crosswalk changed); returns how many moved."""
    rows = connection.execute(
        select(
            _offering.c.id,
            _offering.c.source_id,
            _offering.c.offering_id,
            _offering.c.name,
            _offering.c.lab,
            _offering.c.model_id,
        )
    ).all()
    changed: list[dict[str, Any]] = []
    models: dict[str, tuple[str, str, str | None]] = {}
    spans: dict[int, Sequence[AliasSpan]] = {}
    had_spans = set(connection.execute(select(_span.c.offering_pk).distinct()).scalars())
    for pk, source_id, offering_id, name, lab, stored in rows:
        model_id, entry = offering_model(identity, source_id, offering_id)
        if model_id not in models:
            models[model_id] = (model_id, *model_label(entry, model_id, offering_id, name, lab))
        if model_id != stored:
            changed.append({"pk": pk, "model_id": model_id})
        moving = identity.spans(source_id, offering_id)
        if moving or pk in had_spans:
            spans[pk] = moving
    ensure_models(connection, models.values())
    if changed:
        connection.execute(
            update(_offering).where(_offering.c.id == bindparam("pk")).values(model_id=bindparam("model_id")),
            changed,
        )
    record_offering_spans(connection, spans)
    return len(changed)
