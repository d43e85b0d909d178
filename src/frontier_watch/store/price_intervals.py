"""The price-interval writer: the one code path that records price observations as intervals.

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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from frontier_watch.domain.anomalies import is_free_variant
from frontier_watch.domain.batch import PricedOffering, is_zero_price
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis, Tier
from frontier_watch.store.gc_pause import collector_paused
from frontier_watch.store.interval_changes import CITATION, PRICE_COLUMNS, IntervalChanges, Provenance, Spans
from frontier_watch.store.keyed_rows import chunks, update_in_chunks
from frontier_watch.store.offerings import OFFERING_FACTS, load_offerings, upsert_offerings
from frontier_watch.store.price_flags import review_prices
from frontier_watch.store.tables import Offering, PriceInterval, table_of
from frontier_watch.store.write_context import ChangeCounts, SuspiciousBatch, WriteContext

_offering = table_of(Offering)
_interval = table_of(PriceInterval)


def record_offerings(
    connection: Connection,
    offerings: Iterable[PricedOffering],
    provenance: Provenance,
    *,
    observed_at: datetime,
    identity: Identity,
    withdraw_missing: bool = False,
    keep_ids: Iterable[str] = (),
    withdraw_providers: set[str] | None = None,
    review_later: set[str] | None = None,
) -> ChangeCounts:
    """Record every offering's segments; optionally withdraw offerings not in the batch.

    ``keep_ids`` are offering ids the source listed but the parser skipped (bad
    prices): they are neither updated nor withdrawn. ``withdraw_providers`` limits
    withdrawal to those providers (a source fetched one file per provider).
    ``review_later``: the models whose prices changed are added to it rather than judged
    now, for a caller that writes one file in many batches and judges each model once,
    after its last batch (judging a model reads its whole history).
    """
    with collector_paused():
        return _record(
            connection,
            list(offerings),
            provenance,
            observed_at,
            identity,
            withdraw_missing,
            set(keep_ids),
            withdraw_providers,
            review_later,
        )


def _record(
    connection: Connection,
    batch: list[PricedOffering],
    provenance: Provenance,
    observed_at: datetime,
    identity: Identity,
    withdraw_missing: bool,
    kept: set[str],
    withdraw_providers: set[str] | None,
    review_later: set[str] | None,
) -> ChangeCounts:
    counts = ChangeCounts()
    # Only a full sheet needs every offering of its source (to withdraw those it no longer
    # lists); any other batch reads its own, so a file written in batches costs each batch
    # the same however many the source already has.
    batch_keys = None if withdraw_missing else {(record.provider, record.offering_id) for record in batch}
    existing = load_offerings(connection, provenance.source_id, batch_keys)
    # Only a full sheet can withdraw an offering, so only a full sheet brings one back.
    facts = OFFERING_FACTS if withdraw_missing else OFFERING_FACTS[:-1]
    pks, model_of, created = upsert_offerings(
        connection, batch, provenance, existing, observed_at, identity, counts, facts, batch_keys
    )
    intervals: defaultdict[tuple[int, str], Spans]
    if existing:
        batch_pks = [pks[(record.provider, record.offering_id)] for record in batch]
        intervals = _load_intervals(connection, batch_pks, observed_at, provenance.basis)
    else:  # a source seen for the first time has no intervals to compare with
        intervals = defaultdict(Spans)

    stored_tiers: defaultdict[int, list[str]] = defaultdict(list)
    for offering_pk, tier in list(intervals):
        stored_tiers[offering_pk].append(tier)
    changes = IntervalChanges(provenance, observed_at, counts)
    touched: set[int] = set()  # offerings whose intervals this batch changes
    models_by_pk = {pks[key]: model_id for key, model_id in model_of.items()}
    plain: dict[str, int] = {}  # per model, its new offerings that cannot be suspect alone
    busy: dict[str, int] = {}  # per model, its offerings whose prices changed
    first_party: set[str] = set()  # models the lab itself prices in this batch
    for record in batch:
        offering_pk = pks[(record.provider, record.offering_id)]
        moved_before = counts.new + counts.changed
        tiers: set[str] = set()
        listed: set[tuple[str, datetime | None]] = set()
        for segment in record.segments:
            if (
                segment.tier == Tier.DEFAULT
                and (segment.input == 0 or segment.output == 0)
                and is_zero_price(segment)
            ):
                segment.tier = Tier.FREE  # $0 is a free tier or a placeholder, never the default price
            rows = intervals[(offering_pk, segment.tier)]
            tiers.add(str(segment.tier))
            if provenance.basis is Basis.OBSERVED and segment.effective_from is None:
                changes.observe_live(rows, offering_pk, record, segment)
            else:
                changes.observe_dated(rows, offering_pk, record, segment)
                listed.add((str(segment.tier), segment.effective_from))
        stored = {tier: intervals[(offering_pk, tier)] for tier in stored_tiers[offering_pk]}
        if provenance.basis is Basis.OBSERVED:
            changes.close_unlisted_tiers(stored, tiers)
        else:
            changes.supersede_unlisted_spans(stored, listed)
        if counts.new + counts.changed != moved_before:
            touched.add(offering_pk)
            model_id = model_of[(record.provider, record.offering_id)]
            busy[model_id] = busy.get(model_id, 0) + 1
            if (record.provider, record.offering_id) not in existing and _plain(
                record, [intervals[(offering_pk, tier)] for tier in tiers]
            ):
                plain[model_id] = plain.get(model_id, 0) + 1
            lab = created.get(model_id)
            if provenance.basis is Basis.CURATED or (lab is not None and record.provider == lab):
                first_party.add(model_id)

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
        touched.update(row["id"] for row in gone)
        models_by_pk.update((row["id"], row["model_id"]) for row in gone)
    changes.write(connection)
    if touched and review_later is not None:
        review_later.update({models_by_pk[pk] for pk in touched} - {None})
    elif touched:
        models = {models_by_pk[pk] for pk in touched} - {None}
        # A model whose every changed offering is plain has nothing to judge its prices by
        # (no neighbour; no lab's own price beside another seller's), if it has no offering
        # from before: certain when this batch created it; else ask.
        quiet = {
            model
            for model, count in plain.items()
            if count == busy[model] and (count == 1 or model not in first_party)
        }
        models -= {model for model in quiet if model in created}
        _review_models_of(
            connection, models, {m for m in quiet if m not in created and plain[m] == 1}, observed_at
        )
    return counts


def _plain(record: PricedOffering, tiers: list[Spans]) -> bool:
    """A new offering that cannot hold a suspect price on its own: one price per tier, and
    none $0 but a free variant's."""
    if any(len(states) != 1 for states in tiers):
        return False
    return all(0 not in states[0]["prices"][:2] for states in tiers) or is_free_variant(
        record.offering_id, record.name
    )


def _review_models_of(connection: Connection, models: set[str], single: set[str], now: datetime) -> None:
    """Flag suspect prices again for every model these offerings price; ``single`` are models
    of one plain new offering, skipped unless another offering prices them too."""
    if single:
        shared: set[str] = set()
        for chunk in chunks(sorted(single)):
            query = select(_offering.c.model_id).where(_offering.c.model_id.in_(chunk))
            shared.update(
                connection.execute(query.group_by(_offering.c.model_id).having(func.count() > 1)).scalars()
            )
        models = models - (single - shared)
    if models:
        review_prices(connection, now, models)


def _load_intervals(
    connection: Connection, offering_pks: Iterable[int], observed_at: datetime, basis: Basis
) -> defaultdict[tuple[int, str], Spans]:
    """The intervals a batch can change, grouped by (offering, tier): never the whole history.

    A live sheet compares with what is open or starts later; each comes through an index
    (open intervals have a partial index of their own, later ends an index on the end). A
    dated schedule also restates its own past spans, so those of its basis come too.
    Closed intervals of other bases are never read, so a re-fetch costs the same with a
    year of history or ten.
    """
    grouped: defaultdict[tuple[int, str], Spans] = defaultdict(Spans)
    columns = [
        _interval.c.id,
        _interval.c.offering_pk,
        _interval.c.tier,
        _interval.c.effective_from,
        _interval.c.effective_to,
        _interval.c.basis,
        *(_interval.c[name] for name in PRICE_COLUMNS),
    ]
    dated = basis is not Basis.OBSERVED
    if dated:  # a dated statement may correct its citation in place; a live sheet never does
        columns += [_interval.c[name] for name in CITATION]
    prices = len(PRICE_COLUMNS)
    live = _interval.c.superseded_at.is_(None)
    queries = []
    for chunk in chunks(sorted(set(offering_pks))):
        queries += [
            select(*columns).where(
                live, _interval.c.effective_to.is_(None), _interval.c.offering_pk.in_(chunk)
            ),
            # "+ 0" keeps the planner on the end index: few intervals end later than now.
            select(*columns).where(
                live, _interval.c.effective_to > observed_at, (_interval.c.offering_pk + 0).in_(chunk)
            ),
        ]
        if dated:
            queries.append(
                select(*columns).where(
                    live, _interval.c.basis == str(basis), _interval.c.offering_pk.in_(chunk)
                )
            )
    seen: set[int] = set()
    for query in queries:
        for (
            interval_id,
            offering_pk,
            tier,
            effective_from,
            effective_to,
            row_basis,
            *values,
        ) in connection.execute(query):
            if interval_id in seen:
                continue
            seen.add(interval_id)
            state = {
                "id": interval_id,
                "effective_from": effective_from,
                "effective_to": effective_to,
                "basis": row_basis,
                "prices": tuple(values[:prices]),
            }
            if dated:
                state["citation"] = dict(zip(CITATION, values[prices:], strict=True))
            grouped[(offering_pk, tier)].append(state)
    return grouped


def _withdraw(
    connection: Connection, gone: list[dict[str, Any]], observed_at: datetime, counts: ChangeCounts
) -> None:
    """Close every interval of offerings gone from a healthy sheet: the one in force ends
    now, and prices announced for later dates will not take effect."""
    if not gone:
        return
    pks = [row["id"] for row in gone]
    update_in_chunks(connection, _offering, pks, withdrawn_at=observed_at)
    live = _interval.c.superseded_at.is_(None)
    for chunk in chunks(pks):
        connection.execute(
            update(_interval)
            .where(
                _interval.c.offering_pk.in_(chunk),
                live,
                or_(_interval.c.effective_from.is_(None), _interval.c.effective_from <= observed_at),
                or_(_interval.c.effective_to.is_(None), _interval.c.effective_to > observed_at),
            )
            .values(effective_to=observed_at)
        )
        connection.execute(
            update(_interval)
            .where(_interval.c.offering_pk.in_(chunk), live, _interval.c.effective_from > observed_at)
            .values(superseded_at=observed_at)
        )
    counts.withdrawn += len(pks)


# ---------------------------------------------------------------- the writer of the "offerings" part

SHRINK_LIMIT = 0.5  # a list under half of what is open for the source is suspicious


class PriceIntervalWriter:
    """Writes a fetched price list; refuses an empty list or one that shrank by more than half."""

    def check(self, connection: Connection, context: WriteContext, items: Sequence[PricedOffering]) -> None:
        """Compare with what is open for the source now, seeded rows included.

        Offerings the source listed but that could not be read count as listed (they are
        kept, not withdrawn). A source fetched one file per provider is compared only for
        the providers it fetched: listing fewer vendors is not a shrink.
        """
        if not items:
            raise SuspiciousBatch("the response listed no usable offerings; nothing written")
        listed = len(items) + len(context.kept_ids)
        if context.accept_shrink or (context.shrink_floor is not None and listed >= context.shrink_floor):
            return
        query = select(func.count()).where(
            _offering.c.source_id == context.source_id, _offering.c.withdrawn_at.is_(None)
        )
        if context.withdraw_by_provider:
            query = query.where(_offering.c.provider.in_(sorted({item.provider for item in items})))
        open_now = connection.execute(query).scalar_one()
        if listed < open_now * SHRINK_LIMIT:
            raise SuspiciousBatch(
                f"catalogue shrank from {open_now} to {listed} offerings (more than half); nothing written "
                f"(if the smaller list is right: fetch --accept-shrink {context.source_id})"
            )

    def write(
        self, connection: Connection, context: WriteContext, items: Sequence[PricedOffering]
    ) -> ChangeCounts:
        assert context.basis is not None  # a kind that yields prices declares their basis
        return record_offerings(
            connection,
            items,
            Provenance(
                context.source_id, context.basis, context.source_url, context.evidence, context.fetch_run_id
            ),
            observed_at=context.observed_at,
            identity=context.identity,
            withdraw_missing=context.full_list,
            keep_ids=context.kept_ids,
            withdraw_providers={o.provider for o in items} if context.withdraw_by_provider else None,
        )


WRITER = PriceIntervalWriter()
