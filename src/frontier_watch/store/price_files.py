"""Price files in bounded memory: rows staged in a temporary table, checked there, written in batches.

A price file (the shipped data/prices/*.csv, or a user's ``import``) can hold hundreds of
thousands of rows, and two of its rules need every row at once: one span per offering,
tier and start, and no two spans of one offering and tier in force together. So each row,
once valid on its own (sources/curated.price_rows), goes into a temporary table; SQL checks
those rules there; then the rows come back a page at a time, in the file's order of
offerings, and are written through record_offerings in batches of whole offerings (a
dated schedule is its source's whole statement for an offering, so an offering is never
split between batches). Memory stays flat however long the file is (bench/import_memory.py).

Everything runs in the caller's transaction: a bad row anywhere, found while staging or by
the checks, or a failure while writing, leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, text

from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import PRICE_FIELDS, Basis
from frontier_watch.sources.curated import CuratedDataError, PriceRow
from frontier_watch.store.price_flags import review_prices
from frontier_watch.store.price_intervals import Provenance, record_offerings

STAGE_ROWS = 5_000  # rows per insert into the staging table
WRITE_ROWS = 2_000  # rows per batch handed to record_offerings (whole offerings: a batch may exceed it)
REVIEW_MODELS = 5_000  # models judged at once after the last batch

_SEGMENT_FIELDS = tuple(field.name for field in fields(PriceSegment))  # PriceSegment(*values)
# One row per valid line of the file. Prices are kept as text (exact decimals, as parsed)
# and times as fixed-width ISO text, which sorts as the times do and parses back fast.
_COLUMNS = (
    "line",
    "source",
    "basis",
    "observed_at",
    "provider",
    "offering_id",
    "name",
    "lab",
    "platform",
    "kind",
    *_SEGMENT_FIELDS,
)
_metadata = MetaData()
_staged = Table(
    "fw_staged_price",
    _metadata,
    *(
        Column(name, Integer, primary_key=True, autoincrement=False)
        if name == "line"
        else Column(name, String)
        for name in _COLUMNS
    ),
    prefixes=["TEMPORARY"],
)
# The order the rows are written in: seq numbers them by the first line of their group
# (source, basis, snapshot), then of their offering, then by line, so offerings are whole
# and in the file's order, and pages can be read by seq.
_order = Table(
    "fw_staged_price_order",
    _metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("line", Integer, nullable=False),
    prefixes=["TEMPORARY"],
)
# The models whose prices the batches changed, judged once after the last batch.
_models = Table(
    "fw_staged_price_model", _metadata, Column("model_id", String, primary_key=True), prefixes=["TEMPORARY"]
)
_PRICES = tuple(_SEGMENT_FIELDS.index(name) for name in PRICE_FIELDS)
_TIMES = tuple(_SEGMENT_FIELDS.index(name) for name in ("effective_from", "effective_to"))

# Each offering and tier's spans by start (unstarted first), for the checks between rows.
_SPANS = """
SELECT source, provider, offering_id, tier, line, effective_from, effective_to FROM fw_staged_price
ORDER BY source, provider, offering_id, tier, effective_from IS NOT NULL, effective_from, line
"""
_NUMBER_ROWS = """
INSERT INTO fw_staged_price_order (seq, line)
SELECT ROW_NUMBER() OVER (ORDER BY group_head, offering_head, line), line FROM (
    SELECT line,
           MIN(line) OVER (PARTITION BY source, basis, observed_at) AS group_head,
           MIN(line) OVER (PARTITION BY source, basis, observed_at, provider, offering_id) AS offering_head
    FROM fw_staged_price
) AS heads
"""


def record_price_rows(
    connection: Connection,
    rows: Iterable[PriceRow],
    where: str,
    identity: Identity,
    now: datetime,
    *,
    source_id: str | None = None,
) -> int:
    """Stage, check and store the rows of one price file; returns how many rows were stored.

    Rows keep the source their ``source`` column names unless ``source_id`` is given
    (``import`` stores a user's rows under ``user``). Every model whose prices the file
    changed is judged again (price flags) once, after the last batch. A rule broken between
    rows raises CuratedDataError naming file:line.
    """
    _drop_staging(connection)
    for table in _metadata.sorted_tables:
        table.create(connection)
    _stage(connection, rows)
    _check_spans(connection, where)
    connection.execute(text(_NUMBER_ROWS))
    written = 0
    for group, offerings in _batches(_rows_in_order(connection)):
        group_source, basis, observed = group
        changed: set[str] = set()
        record_offerings(
            connection,
            offerings,
            Provenance(
                source_id=source_id or group_source, basis=Basis(basis), source_url=None, evidence=None
            ),
            observed_at=observed or now,
            identity=identity,
            review_later=changed,
        )
        _note_models(connection, changed)
        written += sum(len(offering.segments) for offering in offerings)
    for models in _changed_models(connection):
        review_prices(connection, now, models)
    _drop_staging(connection)
    return written


def _drop_staging(connection: Connection) -> None:
    """Drop the staging tables (a connection from the pool may hold them from an earlier load)."""
    for table in reversed(_metadata.sorted_tables):
        connection.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def _note_models(connection: Connection, models: set[str]) -> None:
    """Remember models to judge after the last batch (in the database: there may be many)."""
    if models:
        connection.exec_driver_sql(
            f"INSERT INTO {_models.name} (model_id) VALUES ({_slot(connection)}) ON CONFLICT DO NOTHING",
            [(model,) for model in sorted(models)],
        )


def _changed_models(connection: Connection) -> Iterator[list[str]]:
    """The models noted, a page at a time, in order."""
    slot = _slot(connection)
    query = (
        f"SELECT model_id FROM {_models.name} WHERE model_id > {slot} ORDER BY model_id LIMIT {REVIEW_MODELS}"
    )
    after = ""
    while True:
        page = [model for (model,) in connection.exec_driver_sql(query, (after,))]
        if page:
            yield page
        if len(page) < REVIEW_MODELS:
            return
        after = page[-1]


def _stage(connection: Connection, rows: Iterable[PriceRow]) -> None:
    """Insert the rows into the staging table a few thousand at a time."""
    slots = ", ".join([_slot(connection)] * len(_COLUMNS))
    insert = f"INSERT INTO {_staged.name} ({', '.join(_COLUMNS)}) VALUES ({slots})"
    pending: list[tuple] = []
    for row in rows:
        segment = row.segment
        pending.append(
            (
                row.line,
                row.source,
                row.basis,
                _time_text(row.observed_at),
                row.provider,
                row.offering_id,
                row.name,
                row.lab,
                row.platform,
                row.kind,
                *_staged_segment(segment),
            )
        )
        if len(pending) >= STAGE_ROWS:
            connection.exec_driver_sql(insert, pending)
            pending = []
    if pending:
        connection.exec_driver_sql(insert, pending)


def _staged_segment(segment: PriceSegment) -> list:
    values = [getattr(segment, name) for name in _SEGMENT_FIELDS]
    for index in _PRICES:
        if values[index] is not None:
            values[index] = str(values[index])
    for index in _TIMES:
        values[index] = _time_text(values[index])
    return values


def _slot(connection: Connection) -> str:
    """The driver's placeholder: these statements go straight to it, as many rows at once."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(sep=" ", timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _check_spans(connection: Connection, where: str) -> None:
    """One span per offering, tier and start: the first repeat in the file is named. Then no
    two spans in force at once: the first clash (by start) of the offering and tier that
    comes first in the file. One pass over the spans in order of start, a cursor streaming."""
    repeat: tuple[int, int] | None = None  # (line, the earlier line with the same start)
    clash: tuple[int, int, int] | None = None  # (first line of its offering and tier, line, earlier line)
    spans = connection.exec_driver_sql(_SPANS, execution_options={"stream_results": True})
    for _, group in groupby(spans, key=itemgetter(0, 1, 2, 3)):
        tier_spans = iter(group)
        *_, head, previous_start, previous_end = next(tier_spans)  # head: the first line in the file
        previous_line = head
        first_clash: tuple[int, int] | None = None
        for *_, line, start, end in tier_spans:
            head = min(head, line)
            if previous_start == start and (repeat is None or line < repeat[0]):
                repeat = (line, previous_line)
            if first_clash is None and (previous_end is None or start is None or previous_end > start):
                first_clash = (line, previous_line)
            previous_line, previous_start, previous_end = line, start, end
        if first_clash is not None and (clash is None or head < clash[0]):
            clash = (head, *first_clash)
    if repeat is not None:
        raise CuratedDataError(
            f"{where}:{repeat[0]}: same offering, tier and effective_from as line {repeat[1]}"
        )
    if clash is not None:
        raise CuratedDataError(
            f"{where}:{clash[1]}: overlaps line {clash[2]} (same offering and tier in force at once)"
        )


def _rows_in_order(connection: Connection) -> Iterator[tuple]:
    """The staged rows in write order, read a page at a time (no cursor stays open while
    the batches are written on the same connection)."""
    slot = _slot(connection)
    query = (
        f"SELECT {', '.join(f'staged.{name}' for name in _COLUMNS)}, ordered.seq "
        f"FROM {_order.name} AS ordered JOIN {_staged.name} AS staged ON staged.line = ordered.line "
        f"WHERE ordered.seq > {slot} ORDER BY ordered.seq LIMIT {slot}"
    )
    after = 0
    while True:
        page = connection.exec_driver_sql(query, (after, WRITE_ROWS)).all()
        yield from page
        if len(page) < WRITE_ROWS:
            return
        after = page[-1][-1]


_Group = tuple[str, str, datetime | None]  # (source, basis, observed_at): one Provenance


def _batches(rows: Iterator[tuple]) -> Iterator[tuple[_Group, list[PricedOffering]]]:
    """(group, offerings) batches: whole offerings of one group, about WRITE_ROWS rows each."""
    batch: list[PricedOffering] = []
    size = 0
    staged_group: tuple[str, str, str | None] | None = None  # as staged: the time as text
    for (source, basis, observed, provider, offering_id), spans in groupby(
        rows, key=itemgetter(1, 2, 3, 4, 5)
    ):
        if batch and ((source, basis, observed) != staged_group or size >= WRITE_ROWS):
            yield _group(staged_group), batch
            batch, size = [], 0
        staged_group = (source, basis, observed)
        offering = None
        for row in spans:
            if offering is None:  # named (and its kind stated) as its first row does
                offering = PricedOffering(
                    offering_id=offering_id,
                    name=row[6],
                    provider=provider,
                    lab=row[7],
                    platform=row[8],
                    kind=row[9],
                )
            offering.segments.append(_segment(row[10:-1]))
        assert offering is not None
        batch.append(offering)
        size += len(offering.segments)
    if batch:
        yield _group(staged_group), batch


def _group(staged: tuple[str, str, str | None] | None) -> _Group:
    assert staged is not None  # a batch always has its group
    source, basis, observed = staged
    return source, basis, _time(observed)


def _segment(staged: tuple) -> PriceSegment:
    values = list(staged)
    for index in _PRICES:
        if values[index] is not None:
            values[index] = Decimal(values[index])
    for index in _TIMES:
        values[index] = _time(values[index])
    return PriceSegment(*values)
