"""Read-only questions the CLI and the dashboard ask of the database.

Each returns plain dicts with exact Decimal prices (USD per million tokens), so the
caller chooses how to show them (table, JSON, CSV, dashboard).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from frontier_watch import money
from frontier_watch.identity import normalise
from frontier_watch.store.meta import data_version
from frontier_watch.store.tables import (
    FetchRun,
    Model,
    ModelAlias,
    Offering,
    PriceInterval,
    Release,
    Signal,
    table_of,
)
from frontier_watch.vocabulary import PRICE_FIELDS

_o = table_of(Offering)
_i = table_of(PriceInterval)
_m = table_of(Model)


def _model_filter(query: str):
    needle = f"%{query.strip().lower()}%"
    normalised = f"%{normalise(query)}%"
    return or_(
        func.lower(_m.c.id).like(needle),
        func.lower(_m.c.name).like(needle),
        func.lower(_o.c.offering_id).like(needle),
        func.lower(_o.c.name).like(needle),
        _m.c.id.like(normalised),
    )


def _price_select():
    return select(
        _o.c.model_id,
        _m.c.name.label("model_name"),
        _m.c.lab,
        _o.c.source_id.label("source"),
        _o.c.provider,
        _o.c.offering_id,
        _o.c.name.label("offering_name"),
        _o.c.withdrawn_at,
        _o.c.deprecation_date,
        _i.c.id.label("interval_id"),
        _i.c.tier,
        *(_i.c[f"{name}_nusd"] for name in PRICE_FIELDS),
        _i.c.effective_from,
        _i.c.effective_to,
        _i.c.first_seen_at,
        _i.c.last_seen_at,
        _i.c.basis,
        _i.c.source_url,
        _i.c.evidence,
        _i.c.confidence,
        _i.c.date_precision,
        _i.c.note,
        _i.c.superseded_at,
    ).select_from(_i.join(_o, _i.c.offering_pk == _o.c.id).outerjoin(_m, _o.c.model_id == _m.c.id))


def _price_row(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    for name in PRICE_FIELDS:
        values[name] = money.from_nano(values.pop(f"{name}_nusd"))
    values["model_name"] = values["model_name"] or values["offering_name"]
    return values


def _starts_by(as_of: datetime):
    """The interval had begun by ``as_of``.

    A source that gives no start date (llm-prices' ``from_date: null``) does not say
    "since the beginning of time": such a price answers for a past day only when the
    source closes it after that day, or when we had already seen it by then.
    """
    return or_(
        _i.c.effective_from <= as_of,
        and_(
            _i.c.effective_from.is_(None),
            or_(_i.c.effective_to.is_not(None), _i.c.first_seen_at <= as_of),
        ),
    )


def prices_as_of(
    connection: Connection,
    as_of: datetime,
    *,
    model: str | None = None,
    source: str | None = None,
    tier: str | None = None,
) -> list[dict[str, Any]]:
    """Every offering's price in force at ``as_of`` (future-dated prices excluded)."""
    statement = _price_select().where(
        _i.c.superseded_at.is_(None),
        _starts_by(as_of),
        or_(_i.c.effective_to.is_(None), _i.c.effective_to > as_of),
    )
    if model:
        statement = statement.where(_model_filter(model))
    if source:
        statement = statement.where(_o.c.source_id == source)
    if tier:
        statement = statement.where(_i.c.tier == tier)
    statement = statement.order_by(
        func.lower(func.coalesce(_m.c.name, _o.c.name)),
        _o.c.source_id,
        _o.c.provider,
        _o.c.offering_id,
        _i.c.tier,
    )
    return [_price_row(row) for row in connection.execute(statement)]


def unmatched_offerings(connection: Connection) -> list[dict[str, Any]]:
    """Offerings whose model no crosswalk entry names and no other source prices."""
    curated_models = select(table_of(ModelAlias).c.model_id)
    sources_per_model = (
        select(_o.c.model_id, func.count(func.distinct(_o.c.source_id)).label("sources"))
        .group_by(_o.c.model_id)
        .subquery()
    )
    statement = (
        select(
            _o.c.source_id.label("source"),
            _o.c.provider,
            _o.c.offering_id,
            _o.c.name.label("offering_name"),
            _o.c.model_id,
            _o.c.first_seen_at,
            _o.c.withdrawn_at,
        )
        .join(sources_per_model, sources_per_model.c.model_id == _o.c.model_id)
        .where(sources_per_model.c.sources == 1, _o.c.model_id.not_in(curated_models))
        .order_by(_o.c.source_id, _o.c.offering_id)
    )
    return [dict(row._mapping) for row in connection.execute(statement)]


def price_history(
    connection: Connection, model: str, *, include_superseded: bool = True
) -> list[dict[str, Any]]:
    """Every interval of every offering of the matching models, oldest first per offering."""
    statement = _price_select().where(_model_filter(model))
    if not include_superseded:
        statement = statement.where(_i.c.superseded_at.is_(None))
    statement = statement.order_by(
        _o.c.model_id,
        _o.c.source_id,
        _o.c.provider,
        _o.c.offering_id,
        _i.c.tier,
        func.coalesce(_i.c.effective_from, datetime.min),
        _i.c.first_seen_at,
    )
    return [_price_row(row) for row in connection.execute(statement)]


def _rows(connection: Connection, statement) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in connection.execute(statement)]


def signals(
    connection: Connection,
    *,
    category: str | None = None,
    entity: str | None = None,
    since: date | None = None,
) -> list[dict[str, Any]]:
    table = table_of(Signal)
    statement = select(table).order_by(table.c.date.desc(), table.c.entity)
    if category:
        statement = statement.where(table.c.category == category)
    if entity:
        statement = statement.where(func.lower(table.c.entity).like(f"%{entity.lower()}%"))
    if since:
        statement = statement.where(table.c.date >= since)
    return _rows(connection, statement)


def releases(
    connection: Connection,
    *,
    lab: str | None = None,
    since: date | None = None,
    open_weights: bool | None = None,
) -> list[dict[str, Any]]:
    table = table_of(Release)
    statement = select(table).order_by(table.c.date.desc(), table.c.lab)
    if lab:
        statement = statement.where(func.lower(table.c.lab).like(f"%{lab.lower()}%"))
    if since:
        statement = statement.where(table.c.date >= since)
    if open_weights is True:
        statement = statement.where(table.c.open_weights == "yes")
    return _rows(connection, statement)


def source_status(connection: Connection) -> dict[str, dict[str, Any]]:
    """Per source id: last success, last error (if after it), offerings and price rows."""
    runs = table_of(FetchRun)
    status: dict[str, dict[str, Any]] = {}
    last_ok = dict(
        connection.execute(
            select(runs.c.source_id, func.max(runs.c.finished_at))
            .where(runs.c.status == "ok")
            .group_by(runs.c.source_id)
        ).all()
    )
    latest = connection.execute(
        select(runs.c.source_id, runs.c.status, runs.c.error, runs.c.finished_at).where(
            runs.c.id.in_(select(func.max(runs.c.id)).group_by(runs.c.source_id))
        )
    ).all()
    for row in latest:
        entry = status.setdefault(row.source_id, {})
        entry["last_success"] = last_ok.get(row.source_id)
        if row.status != "ok":
            entry["last_error"], entry["last_error_at"] = row.error, row.finished_at
    counts = connection.execute(
        select(_o.c.source_id, func.count(func.distinct(_o.c.id)), func.count(_i.c.id))
        .select_from(_o.outerjoin(_i, _i.c.offering_pk == _o.c.id))
        .group_by(_o.c.source_id)
    ).all()
    for source_id, offerings, price_rows in counts:
        entry = status.setdefault(source_id, {})
        entry["offerings"], entry["price_rows"] = offerings, price_rows
    return status


def current_data_version(connection: Connection) -> int:
    """The data version readers poll: it moves when a run finishes or curated data loads."""
    return data_version(connection)


# What a filter value can be checked against: the distinct values of these columns.
_KNOWN_VALUE_COLUMNS = {
    "source": (_o, "source_id"),
    "tier": (_i, "tier"),
    "signal.category": (table_of(Signal), "category"),
    "release.lab": (table_of(Release), "lab"),
}


def known_values(connection: Connection, what: str) -> list[str]:
    """The distinct stored values of a filterable column, sorted (for "known values are ...")."""
    table, column = _KNOWN_VALUE_COLUMNS[what]
    values = connection.execute(select(table.c[column]).distinct()).scalars()
    return sorted(value for value in values if value)


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per table, for ``db info``."""
    from frontier_watch.store.tables import SQLModel

    counts = {}
    for name, table in SQLModel.metadata.tables.items():
        if name != "schema_migration":
            counts[name] = connection.execute(select(func.count()).select_from(table)).scalar_one()
    return counts
