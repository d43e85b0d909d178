"""Fact files of any length: rows written a batch at a time, their keys staged to check they are unique.

Fact rows (signals, benchmark scores) are written by their natural key, each on its own,
so a file can be written in batches as it is read. The one rule between rows, that no two
share a key, is checked against a temporary table of (line, key) before each batch is
written, so the first repeat in the file is the one named and memory stays flat however
long the file is. Everything runs in the caller's transaction: a repeated key, or a bad
row anywhere, leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, MetaData, String, Table, text

from frontier_watch.sources.curated import CuratedDataError, FactFile, duplicate_message
from frontier_watch.store.database import bulk_insert

WRITE_ROWS = 5_000  # facts per batch handed to the writer

_keys = Table(
    "fw_staged_fact_key",
    MetaData(),
    Column("line", Integer, primary_key=True, autoincrement=False),
    Column("natural_key", String, nullable=False),
    Index("fw_staged_fact_key_by_key", "natural_key"),
    prefixes=["TEMPORARY"],
)
# The first line from :first on whose key an earlier line already has, and that line.
_FIRST_REPEAT = """
SELECT later.line, MIN(earlier.line) AS first_line
FROM fw_staged_fact_key AS later
JOIN fw_staged_fact_key AS earlier ON earlier.natural_key = later.natural_key AND earlier.line < later.line
WHERE later.line >= :first
GROUP BY later.line
ORDER BY later.line
LIMIT 1
"""


def record_fact_rows(
    connection: Connection,
    rows: Iterable[tuple[int, tuple, Any]],
    where: str,
    spec: FactFile,
    write: Callable[[Connection, Sequence[Any]], object],
) -> int:
    """Write (line, key, fact) rows through ``write`` in batches; returns how many.

    A key repeated in the file raises CuratedDataError naming the repeat's file:line.
    """
    connection.execute(text(f"DROP TABLE IF EXISTS {_keys.name}"))  # a pooled connection's leftover
    _keys.create(connection)
    count = 0
    for batch in _batches(rows):
        bulk_insert(connection, _keys, [{"line": line, "natural_key": repr(key)} for line, key, _ in batch])
        repeat = connection.execute(text(_FIRST_REPEAT), {"first": batch[0][0]}).first()
        if repeat is not None:
            raise CuratedDataError(f"{where}:{repeat.line}: {duplicate_message(spec, repeat.first_line)}")
        write(connection, [fact for _, _, fact in batch])
        count += len(batch)
    connection.execute(text(f"DROP TABLE {_keys.name}"))
    return count


def _batches(rows: Iterable[tuple[int, tuple, Any]]) -> Iterator[list[tuple[int, tuple, Any]]]:
    batch: list[tuple[int, tuple, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= WRITE_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch
