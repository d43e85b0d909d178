"""The writer of price flags: which stored prices are suspect, and why (anomalies.py decides).

Flags are derived, so they are recomputed rather than edited: after a fetch for the models
whose prices it changed, after a curated load for every model. A model is reviewed with all
its prices from every source, since a price is judged against the lab's own and its
neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, delete, select

from frontier_watch import money
from frontier_watch.anomalies import PricePoint, detect
from frontier_watch.store.database import bulk_insert
from frontier_watch.store.keyed_rows import chunks
from frontier_watch.store.tables import Model, Offering, PriceFlag, PriceInterval, table_of

_flag = table_of(PriceFlag)
_interval = table_of(PriceInterval)
_offering = table_of(Offering)
_model = table_of(Model)


def review_prices(connection: Connection, now: datetime, model_ids: Iterable[str] | None = None) -> int:
    """Recompute the flags of these models' prices (None: every model); returns how many are flagged."""
    columns = (
        _interval.c.id,
        _interval.c.offering_pk,
        _offering.c.offering_id,
        _offering.c.name,
        _offering.c.source_id,
        _offering.c.provider,
        _model.c.lab,
        _interval.c.basis,
        _interval.c.tier,
        _interval.c.input_nusd,
        _interval.c.output_nusd,
        _interval.c.effective_from,
        _interval.c.effective_to,
        _offering.c.model_id,
    )
    base = (
        select(*columns)
        .select_from(_interval.join(_offering, _interval.c.offering_pk == _offering.c.id))
        .outerjoin(_model, _offering.c.model_id == _model.c.id)
        .where(_interval.c.superseded_at.is_(None))
    )
    wanted = None if model_ids is None else sorted(set(model_ids))
    queries = (
        [base]
        if wanted is None
        else [base.where(_offering.c.model_id.in_(chunk)) for chunk in chunks(wanted)]
    )
    by_model: dict[str | None, list[PricePoint]] = {}
    interval_ids: list[int] = []
    for query in queries:
        for row in connection.execute(query):
            interval_ids.append(row.id)
            by_model.setdefault(row.model_id, []).append(
                PricePoint(
                    interval_id=row.id,
                    offering_pk=row.offering_pk,
                    offering_id=row.offering_id,
                    offering_name=row.name,
                    source=row.source_id,
                    provider=row.provider,
                    lab=row.lab,
                    basis=row.basis,
                    tier=row.tier,
                    input=money.from_nano(row.input_nusd),
                    output=money.from_nano(row.output_nusd),
                    effective_from=row.effective_from,
                    effective_to=row.effective_to,
                )
            )
    findings = {}
    for points in by_model.values():
        findings.update(detect(points))
    if wanted is None:
        connection.execute(delete(_flag))
    else:
        for chunk in chunks(interval_ids):
            connection.execute(delete(_flag).where(_flag.c.interval_id.in_(chunk)))
    bulk_insert(
        connection,
        _flag,
        [
            {"interval_id": interval_id, "flag": str(found.flag), "reason": found.reason, "flagged_at": now}
            for interval_id, found in findings.items()
        ],
    )
    return len(findings)
