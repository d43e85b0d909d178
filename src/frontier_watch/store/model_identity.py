"""The writer of canonical models and their aliases (the curated crosswalk)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from frontier_watch.identity import CrosswalkRow
from frontier_watch.store.database import upsert_rows
from frontier_watch.store.tables import Model, ModelAlias, table_of

_model = table_of(Model)
_alias = table_of(ModelAlias)


def record_crosswalk(connection: Connection, rows: Sequence[CrosswalkRow]) -> int:
    """Upsert each canonical model (its last name and lab win) and each alias."""
    models: dict[str, dict[str, Any]] = {}
    for row in rows:
        model = models.setdefault(row.model_id, {"id": row.model_id, "name": row.model_id, "lab": None})
        if row.name:
            model["name"] = row.name
        if row.lab:
            model["lab"] = row.lab
    upsert_rows(connection, _model, list(models.values()), ("id",))
    aliases = [{"model_id": row.model_id, "source": row.source or "*", "alias": row.alias} for row in rows]
    upsert_rows(connection, _alias, aliases, ("source", "alias"))
    return len(rows)


def ensure_models(connection: Connection, models: Iterable[tuple[str, str, str | None]]) -> None:
    """Add (id, name, lab) models that are not known yet; known ones are left as they are."""
    wanted = {model_id: (name, lab) for model_id, name, lab in models if model_id}
    if not wanted:
        return
    known = set(connection.execute(select(_model.c.id).where(_model.c.id.in_(list(wanted)))).scalars())
    missing = [
        {"id": model_id, "name": name or model_id, "lab": lab}
        for model_id, (name, lab) in wanted.items()
        if model_id not in known
    ]
    upsert_rows(connection, _model, missing, ("id",), update=False)
