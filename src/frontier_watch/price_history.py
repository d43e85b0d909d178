"""The one code path that records price observations as intervals.

Rules (DESIGN.md, "history as intervals"):
* an undated observation from a live sheet that matches the interval in force writes
  no price row, it only moves ``last_seen_at``;
* a changed price closes the interval in force at the observation time and opens a new one;
* a dated segment (declared, reconstructed, curated) is keyed by its ``effective_from``:
  the same prices only move ``last_seen_at`` (and adopt a new ``effective_to``); different
  prices for the same span mark the old row superseded and insert the restatement;
* future effective dates are stored as they are and are not "current" until they arrive;
* applying the same batch twice changes nothing.

Works on a Core connection inside the caller's transaction so a whole source is
written or nothing is.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, or_, select, update

from frontier_watch import money
from frontier_watch.db import bulk_insert, upsert_rows
from frontier_watch.identity import Identity, model_display_name, normalise
from frontier_watch.models import Model, Offering, PriceInterval
from frontier_watch.records import PRICE_FIELDS, Basis, OfferingRecord, PriceSegment

_offering = Offering.__table__
_interval = PriceInterval.__table__
_model = Model.__table__
_PRICE_COLUMNS = tuple(f"{name}_nusd" for name in PRICE_FIELDS)


@dataclass
class ChangeCounts:
    new: int = 0  # intervals opened for an offering/tier with none in force
    changed: int = 0  # intervals closed or restated because the price changed
    unchanged: int = 0  # observations that only moved last_seen_at
    withdrawn: int = 0  # offerings gone from a healthy sheet, their intervals closed
    offerings_added: int = 0


@dataclass(frozen=True)
class Provenance:
    """Where the rows of one batch come from, unless a record says otherwise."""

    source_id: str
    basis: Basis
    source_url: str | None
    evidence: str | None
    fetch_run_id: int | None = None


def segment_prices(segment: PriceSegment) -> tuple[int | None, ...]:
    """A segment's prices as the stored integers, in PRICE_FIELDS order."""
    return tuple(money.to_nano(value) for value in segment.prices())


def record_offerings(
    connection: Connection,
    offerings: Iterable[OfferingRecord],
    provenance: Provenance,
    *,
    observed_at: datetime,
    identity: Identity,
    withdraw_missing: bool = False,
    keep_ids: Iterable[str] = (),
    withdraw_providers: set[str] | None = None,
) -> ChangeCounts:
    """Record every offering's segments; optionally withdraw offerings not in the batch.

    ``keep_ids`` are offering ids the source listed but the parser skipped (bad
    prices): they are neither updated nor withdrawn. ``withdraw_providers`` limits
    withdrawal to those providers (a source fetched one file per provider).
    """
    with _collector_paused():
        return _record(
            connection,
            list(offerings),
            provenance,
            observed_at,
            identity,
            withdraw_missing,
            set(keep_ids),
            withdraw_providers,
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    # A batch builds tens of thousands of small dicts and tuples that are all alive until
    # the end; the cyclic collector would walk them again and again for nothing.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _record(connection, batch, provenance, observed_at, identity, withdraw_missing, kept, withdraw_providers):
    counts = ChangeCounts()
    existing = _load_offerings(connection, provenance.source_id)
    pks = _upsert_offerings(connection, batch, provenance, existing, observed_at, identity, counts)
    intervals = _load_intervals(connection, pks.values())

    inserts: list[dict] = []
    touched: list[int] = []
    closes: list[dict] = []  # {"pk": id, "to": datetime}
    supersedes: list[int] = []
    for record in batch:
        offering_pk = pks[(record.provider, record.offering_id)]
        for segment in record.segments:
            rows = intervals[(offering_pk, segment.tier)]
            prices = segment_prices(segment)
            if provenance.basis is Basis.OBSERVED and segment.effective_from is None:
                _observe_live(
                    rows,
                    offering_pk,
                    segment,
                    prices,
                    record,
                    provenance,
                    observed_at,
                    inserts,
                    touched,
                    closes,
                    counts,
                )
            else:
                _observe_dated(
                    rows,
                    offering_pk,
                    segment,
                    prices,
                    record,
                    provenance,
                    observed_at,
                    inserts,
                    touched,
                    closes,
                    supersedes,
                    counts,
                )

    if withdraw_missing:
        seen = {(record.provider, record.offering_id) for record in batch}
        gone = [
            row
            for key, row in existing.items()
            if key not in seen
            and key[1] not in kept
            and row["withdrawn_at"] is None
            and (withdraw_providers is None or key[0] in withdraw_providers)
        ]
        _withdraw(connection, gone, observed_at, counts)

    _update_in_chunks(connection, _interval, touched, last_seen_at=observed_at)
    if closes:
        connection.execute(
            update(_interval).where(_interval.c.id == bindparam("pk")).values(effective_to=bindparam("to")),
            closes,
        )
    _update_in_chunks(connection, _interval, supersedes, superseded_at=observed_at)
    bulk_insert(connection, _interval, inserts)
    return counts


def _observe_live(
    rows, offering_pk, segment, prices, record, provenance, observed_at, inserts, touched, closes, counts
) -> None:
    in_force = _in_force(rows, observed_at)
    if in_force is not None and in_force["prices"] == prices:
        touched.append(in_force["id"])
        counts.unchanged += 1
        return
    if in_force is not None:
        closes.append({"pk": in_force["id"], "to": observed_at})
        in_force["effective_to"] = observed_at
        counts.changed += 1
    else:
        counts.new += 1
    row = _new_row(offering_pk, segment, prices, record, provenance, observed_at, effective_from=observed_at)
    if row["effective_to"] is None:
        # A price already announced for a later date still takes over on that date.
        upcoming = [
            r["effective_from"] for r in rows if r["effective_from"] and r["effective_from"] > observed_at
        ]
        row["effective_to"] = min(upcoming, default=None)
    inserts.append(row)
    rows.append(_as_state(row))


def _observe_dated(
    rows,
    offering_pk,
    segment,
    prices,
    record,
    provenance,
    observed_at,
    inserts,
    touched,
    closes,
    supersedes,
    counts,
) -> None:
    start = segment.effective_from
    same_start = next((row for row in rows if row["effective_from"] == start), None)
    if same_start is not None and same_start["prices"] == prices:
        touched.append(same_start["id"])
        if same_start["effective_to"] != segment.effective_to:
            closes.append({"pk": same_start["id"], "to": segment.effective_to})
            same_start["effective_to"] = segment.effective_to
            counts.changed += 1
        else:
            counts.unchanged += 1
        return
    if same_start is not None:
        supersedes.append(same_start["id"])
        rows.remove(same_start)
        counts.changed += 1
    else:
        counts.new += 1
    row = _new_row(offering_pk, segment, prices, record, provenance, observed_at, effective_from=start)
    inserts.append(row)
    rows.append(_as_state(row))


def _in_force(rows: list[dict], at: datetime) -> dict | None:
    candidates = [
        row
        for row in rows
        if (row["effective_from"] is None or row["effective_from"] <= at)
        and (row["effective_to"] is None or row["effective_to"] > at)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda row: row["effective_from"] or datetime.min)


def _new_row(offering_pk, segment, prices, record, provenance, observed_at, *, effective_from) -> dict:
    row = {
        "offering_pk": offering_pk,
        "tier": str(segment.tier),
        "effective_from": effective_from,
        "effective_to": segment.effective_to,
        "first_seen_at": observed_at,
        "last_seen_at": observed_at,
        "basis": str(provenance.basis),
        "source_url": segment.source_url or record.source_url or provenance.source_url,
        "evidence": segment.evidence or record.evidence or provenance.evidence,
        "confidence": segment.confidence or record.confidence,
        "date_precision": segment.date_precision,
        "note": segment.note,
        "fetch_run_id": provenance.fetch_run_id,
        "superseded_at": None,
    }
    row.update(zip(_PRICE_COLUMNS, prices, strict=True))
    return row


def _as_state(row: dict) -> dict:
    return {
        "id": None,  # not yet inserted; never touched twice within one batch
        "effective_from": row["effective_from"],
        "effective_to": row["effective_to"],
        "prices": tuple(row[column] for column in _PRICE_COLUMNS),
    }


def _load_offerings(connection: Connection, source_id: str) -> dict[tuple[str, str], dict]:
    result = connection.execute(
        select(
            _offering.c.id,
            _offering.c.provider,
            _offering.c.offering_id,
            *(_offering.c[name] for name in _OFFERING_FACTS),
        ).where(_offering.c.source_id == source_id)
    )
    return {(row.provider, row.offering_id): dict(row._mapping) for row in result}


_OFFERING_FACTS = ("name", "model_id", "lab", "deprecation_date", "hf_repo", "withdrawn_at")


def _upsert_offerings(connection, batch, provenance, existing, observed_at, identity, counts):
    known_models = set(connection.execute(select(_model.c.id)).scalars())
    new_models: dict[str, dict] = {}
    new_offerings: list[dict] = []
    changed_facts: list[dict] = []
    seen_pks: list[int] = []
    for record in batch:
        key = (record.provider, record.offering_id)
        entry = identity.resolve(provenance.source_id, record.offering_id)
        model_id = entry.model_id if entry else normalise(record.offering_id)
        if model_id not in known_models and model_id not in new_models:
            name = entry.name if entry else model_display_name(record.offering_id, record.name, model_id)
            new_models[model_id] = {
                "id": model_id,
                "name": name,
                "lab": (entry.lab if entry else None) or record.lab,
            }
        facts = {
            "name": record.name,
            "model_id": model_id,
            "lab": record.lab,
            "deprecation_date": record.deprecation_date,
            "hf_repo": record.hf_repo,
            "withdrawn_at": None,
        }
        row = existing.get(key)
        if row is None:
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
        if any(row[name] != facts[name] for name in _OFFERING_FACTS):
            changed_facts.append({"pk": row["id"], **facts})
    if new_models:
        # Another writer may add the same model meanwhile; the first name wins.
        upsert_rows(connection, _model, list(new_models.values()), ("id",), update=False)
    if changed_facts:
        connection.execute(
            update(_offering)
            .where(_offering.c.id == bindparam("pk"))
            .values({name: bindparam(name) for name in _OFFERING_FACTS}),
            changed_facts,
        )
    _update_in_chunks(connection, _offering, seen_pks, last_seen_at=observed_at)
    bulk_insert(connection, _offering, new_offerings)
    counts.offerings_added += len(new_offerings)
    pks = {key: row["id"] for key, row in existing.items()}
    if new_offerings:
        pks.update(
            ((row.provider, row.offering_id), row.id)
            for row in connection.execute(
                select(_offering.c.id, _offering.c.provider, _offering.c.offering_id).where(
                    _offering.c.source_id == provenance.source_id
                )
            )
        )
    return pks


def _update_in_chunks(connection: Connection, table, pks: list[int], **values) -> None:
    """UPDATE table SET values WHERE id IN pks, in chunks under SQLite's parameter limit."""
    for start in range(0, len(pks), 500):
        connection.execute(update(table).where(table.c.id.in_(pks[start : start + 500])).values(**values))


def _load_intervals(connection: Connection, offering_pks: Iterable[int]) -> defaultdict:
    grouped: defaultdict[tuple[int, str], list[dict]] = defaultdict(list)
    pks = list(offering_pks)
    columns = [
        _interval.c.id,
        _interval.c.offering_pk,
        _interval.c.tier,
        _interval.c.effective_from,
        _interval.c.effective_to,
        *(_interval.c[name] for name in _PRICE_COLUMNS),
    ]
    # Chunked IN lists keep each query under SQLite's bound-parameter limit.
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        result = connection.execute(
            select(*columns).where(_interval.c.offering_pk.in_(chunk), _interval.c.superseded_at.is_(None))
        )
        for interval_id, offering_pk, tier, effective_from, effective_to, *prices in result:
            grouped[(offering_pk, tier)].append(
                {
                    "id": interval_id,
                    "effective_from": effective_from,
                    "effective_to": effective_to,
                    "prices": tuple(prices),
                }
            )
    return grouped


def _withdraw(connection: Connection, gone: list[dict], observed_at: datetime, counts: ChangeCounts) -> None:
    if not gone:
        return
    pks = [row["id"] for row in gone]
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        connection.execute(
            update(_offering).where(_offering.c.id.in_(chunk)).values(withdrawn_at=observed_at)
        )
        connection.execute(
            update(_interval)
            .where(
                _interval.c.offering_pk.in_(chunk),
                _interval.c.effective_to.is_(None),
                _interval.c.superseded_at.is_(None),
                or_(_interval.c.effective_from.is_(None), _interval.c.effective_from <= observed_at),
            )
            .values(effective_to=observed_at)
        )
    counts.withdrawn += len(pks)
