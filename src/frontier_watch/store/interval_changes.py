"""The interval rows one batch of prices inserts, closes, restates or merely confirms.

Each offering and tier's intervals are held as state dicts (id, dates, prices) while a batch
is compared with them; the changes are written at the end in a few statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, update

from frontier_watch.domain import money
from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.vocabulary import PRICE_FIELDS, Basis
from frontier_watch.net.urls import stored_url
from frontier_watch.store.database import bulk_insert
from frontier_watch.store.keyed_rows import move_last_seen, update_in_chunks
from frontier_watch.store.tables import PriceInterval, table_of
from frontier_watch.store.write_context import ChangeCounts

_interval = table_of(PriceInterval)
PRICE_COLUMNS = tuple(f"{name}_nusd" for name in PRICE_FIELDS)
CITATION = ("source_url", "evidence", "confidence", "date_precision", "note")


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


class IntervalChanges:
    """The interval rows one batch inserts, closes, restates or merely confirms.

    Each interval is tracked as a state dict (id, dates, prices); a state opened in this
    batch has id None and carries the row it will insert, so a later observation in the
    same batch edits that row instead of a database row.
    """

    def __init__(self, provenance: Provenance, observed_at: datetime, counts: ChangeCounts) -> None:
        self.provenance = provenance
        self.observed_at = observed_at
        self.counts = counts
        self.inserts: list[dict[str, Any]] = []
        self.touched: list[int] = []
        self.closes: list[dict[str, Any]] = []  # {"pk": id, "to": datetime | None}
        self.supersedes: list[int] = []
        self.recites: list[dict[str, Any]] = []  # {"pk": id, **citation}: provenance corrected in place

    def observe_live(
        self, rows: list[dict[str, Any]], offering_pk: int, record: PricedOffering, segment: PriceSegment
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
        self, rows: Spans, offering_pk: int, record: PricedOffering, segment: PriceSegment
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

    def close_unlisted_tiers(self, stored: dict[str, Spans], tiers: set[str]) -> None:
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
        self, stored: dict[str, Spans], listed: set[tuple[str, datetime | None]]
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
                .values({name: bindparam(name) for name in CITATION}),
                self.recites,
            )
        bulk_insert(connection, _interval, self.inserts)

    def _citation(self, record: PricedOffering, segment: PriceSegment) -> dict[str, Any]:
        """Where a row's prices come from and how sure they are, as stored."""
        provenance = self.provenance
        return {
            "source_url": stored_url(segment.source_url or record.source_url or provenance.source_url),
            "evidence": segment.evidence or record.evidence or provenance.evidence,
            "confidence": segment.confidence or record.confidence,
            "date_precision": segment.date_precision,
            "note": segment.note,
        }

    def _touch(self, state: dict[str, Any]) -> None:
        if state["id"] is not None:  # a row opened in this batch is already seen now
            self.touched.append(state["id"])

    def _set_end(self, state: dict[str, Any], end: datetime | None) -> None:
        state["effective_to"] = end
        if state["id"] is None:
            state["row"]["effective_to"] = end
        else:
            self.closes.append({"pk": state["id"], "to": end})

    def _supersede(self, rows: list[dict[str, Any]], state: dict[str, Any]) -> None:
        rows.remove(state)
        if state["id"] is None:
            self.inserts.remove(state["row"])
        else:
            self.supersedes.append(state["id"])

    def _open(
        self,
        rows: list[dict[str, Any]],
        offering_pk: int,
        record: PricedOffering,
        segment: PriceSegment,
        prices: tuple[int | None, ...],
        *,
        start: datetime | None,
        end: datetime | None,
    ) -> None:
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
        row.update(zip(PRICE_COLUMNS, prices, strict=True))
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


class Spans(list[dict[str, Any]]):
    """One offering and tier's interval states, also findable by their start in one step.

    A schedule of hundreds of dated spans is compared span by span; a scan per span made
    that quadratic.
    """

    def __init__(self) -> None:
        super().__init__()
        self.by_start: dict[datetime | None, dict[str, Any]] = {}

    def append(self, row: dict[str, Any]) -> None:
        super().append(row)
        self.by_start.setdefault(row["effective_from"], row)

    def remove(self, row: dict[str, Any]) -> None:
        super().remove(row)
        start = row["effective_from"]
        if self.by_start.get(start) is row:
            del self.by_start[start]
            other = next((state for state in self if state["effective_from"] == start), None)
            if other is not None:
                self.by_start[start] = other


def _in_force(rows: list[dict[str, Any]], at: datetime) -> dict[str, Any] | None:
    candidates = [
        row
        for row in rows
        if (row["effective_from"] is None or row["effective_from"] <= at)
        and (row["effective_to"] is None or row["effective_to"] > at)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda row: row["effective_from"] or datetime.min)
