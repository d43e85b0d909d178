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
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, or_, select, update

from frontier_watch.domain import money
from frontier_watch.domain.anomalies import is_free_variant
from frontier_watch.domain.batch import PricedOffering, PriceSegment, is_zero_price
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import PRICE_FIELDS, Basis, Tier
from frontier_watch.net.urls import stored_url
from frontier_watch.store.database import bulk_insert, upsert_rows
from frontier_watch.store.gc_pause import collector_paused
from frontier_watch.store.keyed_rows import chunks, move_last_seen, update_in_chunks
from frontier_watch.store.model_identity import model_label, offering_model, record_offering_spans
from frontier_watch.store.price_flags import review_prices
from frontier_watch.store.tables import Model, Offering, PriceInterval, table_of
from frontier_watch.store.write_context import ChangeCounts, SuspiciousBatch, WriteContext

_offering = table_of(Offering)
_interval = table_of(PriceInterval)
_model = table_of(Model)
_PRICE_COLUMNS = tuple(f"{name}_nusd" for name in PRICE_FIELDS)
_CITATION = ("source_url", "evidence", "confidence", "date_precision", "note")


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
    return money.nano_prices(
        (
            segment.input,
            segment.output,
            segment.cache_read,
            segment.cache_write,
            segment.reasoning,
            segment.request,
        )
    )


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
    connection,
    batch,
    provenance,
    observed_at,
    identity,
    withdraw_missing,
    kept,
    withdraw_providers,
    review_later,
):
    counts = ChangeCounts()
    # Only a full sheet needs every offering of its source (to withdraw those it no longer
    # lists); any other batch reads its own, so a file written in batches costs each batch
    # the same however many the source already has.
    batch_keys = None if withdraw_missing else {(record.provider, record.offering_id) for record in batch}
    existing = _load_offerings(connection, provenance.source_id, batch_keys)
    # Only a full sheet can withdraw an offering, so only a full sheet brings one back.
    facts = _OFFERING_FACTS if withdraw_missing else _OFFERING_FACTS[:-1]
    pks, model_of, created = _upsert_offerings(
        connection, batch, provenance, existing, observed_at, identity, counts, facts, batch_keys
    )
    if existing:
        batch_pks = [pks[(record.provider, record.offering_id)] for record in batch]
        intervals = _load_intervals(connection, batch_pks, observed_at, provenance.basis)
    else:  # a source seen for the first time has no intervals to compare with
        intervals = defaultdict(_Spans)

    stored_tiers: defaultdict[int, list[str]] = defaultdict(list)
    for offering_pk, tier in list(intervals):
        stored_tiers[offering_pk].append(tier)
    changes = _IntervalChanges(provenance, observed_at, counts)
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


def _plain(record: PricedOffering, tiers: list[list[dict]]) -> bool:
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


class _IntervalChanges:
    """The interval rows one batch inserts, closes, restates or merely confirms.

    Each interval is tracked as a state dict (id, dates, prices); a state opened in this
    batch has id None and carries the row it will insert, so a later observation in the
    same batch edits that row instead of a database row.
    """

    def __init__(self, provenance: Provenance, observed_at: datetime, counts: ChangeCounts) -> None:
        self.provenance = provenance
        self.observed_at = observed_at
        self.counts = counts
        self.inserts: list[dict] = []
        self.touched: list[int] = []
        self.closes: list[dict] = []  # {"pk": id, "to": datetime | None}
        self.supersedes: list[int] = []
        self.recites: list[dict] = []  # {"pk": id, **citation}: provenance corrected in place

    def observe_live(
        self, rows: list[dict], offering_pk: int, record: PricedOffering, segment: PriceSegment
    ) -> None:
        """An undated observation from a live sheet: confirm, or close and open."""
        prices = segment_prices(segment)
        in_force = _in_force(rows, self.observed_at)
        if in_force is not None and in_force["prices"] == prices:
            self._touch(in_force)
            self.counts.unchanged += 1
            return
        if in_force is not None:
            self._set_end(in_force, self.observed_at)
            self.counts.changed += 1
        else:
            self.counts.new += 1
        end = segment.effective_to
        if end is None:
            # A price already announced for a later date still takes over on that date.
            upcoming = [
                r["effective_from"]
                for r in rows
                if r["effective_from"] and r["effective_from"] > self.observed_at
            ]
            end = min(upcoming, default=None)
        self._open(rows, offering_pk, record, segment, prices, start=self.observed_at, end=end)

    def observe_dated(
        self, rows: _Spans, offering_pk: int, record: PricedOffering, segment: PriceSegment
    ) -> None:
        """A span whose dates the source states: keyed by its start."""
        prices = segment_prices(segment)
        same_start = rows.by_start.get(segment.effective_from)
        if same_start is not None and same_start["prices"] == prices:
            self._touch(same_start)
            cited = self._citation(record, segment)
            # the same statement, its end, source URL, evidence or notes corrected in place
            recited = same_start["id"] is not None and same_start.get("citation") not in (None, cited)
            moved_end = same_start["effective_to"] != segment.effective_to
            if recited:
                self.recites.append({"pk": same_start["id"], **cited})
            if moved_end:
                self._set_end(same_start, segment.effective_to)
            if recited or moved_end:
                self.counts.changed += 1
            else:
                self.counts.unchanged += 1
            return
        if same_start is not None:
            self._supersede(rows, same_start)
            self.counts.changed += 1
        else:
            self.counts.new += 1
        self._open(
            rows, offering_pk, record, segment, prices, start=segment.effective_from, end=segment.effective_to
        )

    def close_unlisted_tiers(self, stored: dict[str, list[dict]], tiers: set[str]) -> None:
        """A live sheet that no longer prices a tier (say, batch) ends that tier's interval.

        ``stored`` maps each tier the offering had before this batch to its interval states.
        """
        for tier, rows in stored.items():
            if tier in tiers:
                continue
            in_force = _in_force(rows, self.observed_at)
            if in_force is not None:
                self._set_end(in_force, self.observed_at)
                self.counts.changed += 1

    def supersede_unlisted_spans(
        self, stored: dict[str, list[dict]], listed: set[tuple[str, datetime | None]]
    ) -> None:
        """A dated schedule is the source's whole statement: spans of the same basis that it
        no longer lists (a cancelled or moved future price) are restated away, not kept open."""
        basis = str(self.provenance.basis)
        for tier, rows in stored.items():
            for state in [row for row in rows if row["basis"] == basis]:
                if (tier, state["effective_from"]) not in listed:
                    self._supersede(rows, state)
                    self.counts.changed += 1

    def write(self, connection: Connection) -> None:
        move_last_seen(connection, _interval, self.touched, self.observed_at)
        if self.closes:
            connection.execute(
                update(_interval)
                .where(_interval.c.id == bindparam("pk"))
                .values(effective_to=bindparam("to")),
                self.closes,
            )
        update_in_chunks(connection, _interval, self.supersedes, superseded_at=self.observed_at)
        if self.recites:
            connection.execute(
                update(_interval)
                .where(_interval.c.id == bindparam("pk"))
                .values({name: bindparam(name) for name in _CITATION}),
                self.recites,
            )
        bulk_insert(connection, _interval, self.inserts)

    def _citation(self, record: PricedOffering, segment: PriceSegment) -> dict:
        """Where a row's prices come from and how sure they are, as stored."""
        provenance = self.provenance
        return {
            "source_url": stored_url(segment.source_url or record.source_url or provenance.source_url),
            "evidence": segment.evidence or record.evidence or provenance.evidence,
            "confidence": segment.confidence or record.confidence,
            "date_precision": segment.date_precision,
            "note": segment.note,
        }

    def _touch(self, state: dict) -> None:
        if state["id"] is not None:  # a row opened in this batch is already seen now
            self.touched.append(state["id"])

    def _set_end(self, state: dict, end: datetime | None) -> None:
        state["effective_to"] = end
        if state["id"] is None:
            state["row"]["effective_to"] = end
        else:
            self.closes.append({"pk": state["id"], "to": end})

    def _supersede(self, rows: list[dict], state: dict) -> None:
        rows.remove(state)
        if state["id"] is None:
            self.inserts.remove(state["row"])
        else:
            self.supersedes.append(state["id"])

    def _open(self, rows, offering_pk, record, segment, prices, *, start, end) -> None:
        provenance = self.provenance
        row = {
            "offering_pk": offering_pk,
            "tier": str(segment.tier),
            "effective_from": start,
            "effective_to": end,
            "first_seen_at": self.observed_at,
            "last_seen_at": self.observed_at,
            "basis": str(provenance.basis),
            # the citation (as _citation gives it, spelt out: thousands of rows per sheet)
            "source_url": stored_url(segment.source_url or record.source_url or provenance.source_url),
            "evidence": segment.evidence or record.evidence or provenance.evidence,
            "confidence": segment.confidence or record.confidence,
            "date_precision": segment.date_precision,
            "note": segment.note,
            "fetch_run_id": provenance.fetch_run_id,
            "superseded_at": None,
        }
        row.update(zip(_PRICE_COLUMNS, prices, strict=True))
        self.inserts.append(row)
        rows.append(
            {
                "id": None,
                "row": row,
                "effective_from": start,
                "effective_to": end,
                "basis": row["basis"],
                "prices": prices,
            }
        )


class _Spans(list):
    """One offering and tier's interval states, also findable by their start in one step.

    A schedule of hundreds of dated spans is compared span by span; a scan per span made
    that quadratic.
    """

    def __init__(self) -> None:
        super().__init__()
        self.by_start: dict[datetime | None, dict] = {}

    def append(self, row: dict) -> None:
        super().append(row)
        self.by_start.setdefault(row["effective_from"], row)

    def remove(self, row: dict) -> None:
        super().remove(row)
        start = row["effective_from"]
        if self.by_start.get(start) is row:
            del self.by_start[start]
            other = next((state for state in self if state["effective_from"] == start), None)
            if other is not None:
                self.by_start[start] = other


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


def _load_offerings(
    connection: Connection, source_id: str, keys: set[tuple[str, str]] | None = None
) -> dict[tuple[str, str], dict]:
    """The stored offerings of a source by (provider, offering id): all, or only ``keys``."""
    columns = (
        _offering.c.id,
        _offering.c.provider,
        _offering.c.offering_id,
        *(_offering.c[name] for name in _OFFERING_FACTS),
    )
    return {
        (row.provider, row.offering_id): dict(row._mapping)
        for row in _offering_rows(connection, source_id, keys, columns)
    }


def _offering_rows(connection: Connection, source_id: str, keys: set[tuple[str, str]] | None, columns):
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


# withdrawn_at last: a source that is not a full sheet leaves it alone (see _record).
_OFFERING_FACTS = (
    "name",
    "model_id",
    "lab",
    "deprecation_date",
    "hf_repo",
    "platform",
    "listed_at",
    "withdrawn_at",
)


def _upsert_offerings(
    connection, batch, provenance, existing, observed_at, identity, counts, fact_names, batch_keys
):
    resolved = {
        record.offering_id: offering_model(identity, provenance.source_id, record.offering_id)
        for record in batch
    }
    known_models: set[str] = set()
    for chunk in chunks(sorted({model_id for model_id, _ in resolved.values()})):
        known_models.update(connection.execute(select(_model.c.id).where(_model.c.id.in_(chunk))).scalars())
    new_models: dict[str, dict] = {}
    new_offerings: list[dict] = []
    changed_facts: list[dict] = []
    seen_pks: list[int] = []
    moving: dict[tuple[str, str], tuple] = {}
    model_of: dict[tuple[str, str], str] = {}
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
            for row in _offering_rows(
                connection,
                provenance.source_id,
                new_keys,
                (_offering.c.id, _offering.c.provider, _offering.c.offering_id),
            )
        )
        record_offering_spans(connection, {pks[key]: spans for key, spans in moving.items()})
    return pks, model_of, {model_id: row["lab"] for model_id, row in new_models.items()}


def _load_intervals(
    connection: Connection, offering_pks: Iterable[int], observed_at: datetime, basis: Basis
) -> defaultdict:
    """The intervals a batch can change, grouped by (offering, tier): never the whole history.

    A live sheet compares with what is open or starts later; each comes through an index
    (open intervals have a partial index of their own, later ends an index on the end). A
    dated schedule also restates its own past spans, so those of its basis come too.
    Closed intervals of other bases are never read, so a re-fetch costs the same with a
    year of history or ten.
    """
    grouped: defaultdict[tuple[int, str], _Spans] = defaultdict(_Spans)
    columns = [
        _interval.c.id,
        _interval.c.offering_pk,
        _interval.c.tier,
        _interval.c.effective_from,
        _interval.c.effective_to,
        _interval.c.basis,
        *(_interval.c[name] for name in _PRICE_COLUMNS),
    ]
    dated = basis is not Basis.OBSERVED
    if dated:  # a dated statement may correct its citation in place; a live sheet never does
        columns += [_interval.c[name] for name in _CITATION]
    prices = len(_PRICE_COLUMNS)
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
                state["citation"] = dict(zip(_CITATION, values[prices:], strict=True))
            grouped[(offering_pk, tier)].append(state)
    return grouped


def _withdraw(connection: Connection, gone: list[dict], observed_at: datetime, counts: ChangeCounts) -> None:
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
