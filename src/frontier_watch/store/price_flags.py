"""The writer of price flags: which stored prices are suspect, and why (anomalies.py decides).

Flags are derived, so they are recomputed rather than edited: after a fetch for the models
whose prices it changed, after a curated load for every model. A model is judged with all
its prices from every source, since a price is judged against the lab's own and its
neighbours.

Judging a model in Python costs time in proportion to its history, and a fetch can touch
thousands of models with years of history each. So SQL first picks the models that *could*
hold a suspect price, a superset of what anomalies.py can flag: a $0 price; a price 10x or
more from the state before or after it; input and output exchanged against a neighbour; or a
model sold by more than one offering (its prices are compared with the lab's own). Only those
are read into Python; every other model's prices are left unflagged, which is what the
detector would conclude. ``db check`` runs the detector on everything and compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from frontier_watch.domain import money
from frontier_watch.domain.anomalies import UNIT_ERROR_RATIO, PricePoint, detect
from frontier_watch.store.database import bulk_insert
from frontier_watch.store.keyed_rows import chunks
from frontier_watch.store.reading import stored_time
from frontier_watch.store.tables import PriceFlag, table_of

_flag = table_of(PriceFlag)

# The models (of those asked about) that hold a price the detector might flag. Integer
# nano-dollars compare exactly; "within 1%" is 100 * |a - b| <= max(a, b).
_CLOSE = "100 * abs({a} - {b}) <= CASE WHEN {a} > {b} THEN {a} ELSE {b} END"
_OFF = "({a} >= {r} * {b} OR {b} >= {r} * {a})"
_SUSPECT_MODELS = f"""
WITH states AS (
    SELECT o.model_id, i.input_nusd AS price_in, i.output_nusd AS price_out,
           LAG(i.input_nusd) OVER w AS prev_in, LAG(i.output_nusd) OVER w AS prev_out,
           LEAD(i.input_nusd) OVER w AS next_in, LEAD(i.output_nusd) OVER w AS next_out
    FROM price_interval i JOIN offering o ON o.id = i.offering_pk
    WHERE i.superseded_at IS NULL AND o.model_id IN ({{models}})
    WINDOW w AS (
        PARTITION BY i.offering_pk, i.tier ORDER BY i.effective_from IS NOT NULL, i.effective_from, i.id)
)
SELECT DISTINCT model_id FROM states
WHERE price_in = 0 OR price_out = 0
   OR {_OFF.format(a="price_in", b="prev_in", r=UNIT_ERROR_RATIO)}
   OR {_OFF.format(a="price_in", b="next_in", r=UNIT_ERROR_RATIO)}
   OR {_OFF.format(a="price_out", b="prev_out", r=UNIT_ERROR_RATIO)}
   OR {_OFF.format(a="price_out", b="next_out", r=UNIT_ERROR_RATIO)}
   OR (price_in > price_out AND (
        ({_CLOSE.format(a="prev_in", b="price_out")} AND {_CLOSE.format(a="prev_out", b="price_in")})
     OR ({_CLOSE.format(a="next_in", b="price_out")} AND {_CLOSE.format(a="next_out", b="price_in")})))
UNION
SELECT model_id FROM offering WHERE model_id IN ({{models}}) GROUP BY model_id HAVING count(*) > 1
"""
_POINTS = """
SELECT i.id, i.offering_pk, o.offering_id, o.name, o.source_id, o.provider, m.lab, i.basis, i.tier,
       i.input_nusd, i.output_nusd, i.effective_from, i.effective_to, o.model_id
FROM price_interval i JOIN offering o ON o.id = i.offering_pk LEFT JOIN model m ON m.id = o.model_id
WHERE i.superseded_at IS NULL AND o.model_id IN ({models})
ORDER BY i.id
"""
_UNFLAG = """
DELETE FROM price_flag WHERE interval_id IN (
    SELECT i.id FROM price_interval i JOIN offering o ON o.id = i.offering_pk WHERE o.model_id IN ({models}))
"""


def review_prices(connection: Connection, now: datetime, model_ids: Iterable[str] | None = None) -> int:
    """Recompute the flags of these models' prices (None: every model); returns how many are flagged."""
    if model_ids is None:
        wanted = sorted(connection.exec_driver_sql("SELECT DISTINCT model_id FROM offering").scalars())
    else:
        wanted = sorted(set(model_ids))
    suspects: list[str] = []
    for chunk in chunks(wanted):
        suspects += _scalars(connection, _SUSPECT_MODELS, chunk)
    findings = {}
    for chunk in chunks(sorted(set(suspects))):
        findings.update(_judge(connection, chunk))
    if connection.exec_driver_sql("SELECT 1 FROM price_flag LIMIT 1").first() is not None:
        for chunk in chunks(wanted):
            _run(connection, _UNFLAG, chunk)
    bulk_insert(
        connection,
        _flag,
        [
            {"interval_id": interval_id, "flag": str(found.flag), "reason": found.reason, "flagged_at": now}
            for interval_id, found in findings.items()
        ],
    )
    return len(findings)


def _judge(connection: Connection, models: Sequence[str]) -> dict:
    by_model: dict[str | None, list[PricePoint]] = {}
    from_nano = money.from_nano
    for row in _run(connection, _POINTS, models):
        (interval_id, offering_pk, offering_id, name, source, provider, lab, basis, tier,
         input_nusd, output_nusd, start, end, model_id) = row  # fmt: skip
        by_model.setdefault(model_id, []).append(
            PricePoint(
                interval_id,
                offering_pk,
                offering_id,
                name,
                source,
                provider,
                lab,
                basis,
                tier,
                from_nano(input_nusd),
                from_nano(output_nusd),
                stored_time(start, f"price_interval row {interval_id}: effective_from"),
                stored_time(end, f"price_interval row {interval_id}: effective_to"),
            )  # fmt: skip
        )
    findings = {}
    for points in by_model.values():
        findings.update(detect(points))
    return findings


# Returns a CursorResult, typed Any so that its rows unpack as the tuples they are.
def _run(connection: Connection, sql: str, models: Sequence[str]) -> Any:
    """Run ``sql`` over these models; on SQLite straight through the driver (SQLAlchemy's
    compiling of hundreds of bound names costs more than the query)."""
    statement = sql.format(models=_slots(models))
    if connection.dialect.name == "sqlite":
        return connection.exec_driver_sql(statement, _params(models))
    return connection.execute(text(statement), _params(models))


def _scalars(connection: Connection, sql: str, models: Sequence[str]) -> list[str]:
    return list(_run(connection, sql, models).scalars())


def _slots(models: Sequence[str]) -> str:
    return ", ".join(f":m{index}" for index in range(len(models)))


def _params(models: Sequence[str]) -> dict[str, str]:
    return {f"m{index}": model_id for index, model_id in enumerate(models)}
