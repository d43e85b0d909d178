"""Rows identified by (source, natural key): insert the new, update the changed, confirm the rest.

Releases, signals and feed items are written this way. Confirming only moves
``last_seen_at`` (and never backwards); an update keeps ``first_seen_at``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, bindparam, select, update

from frontier_watch.store.database import bulk_insert
from frontier_watch.store.write_context import ChangeCounts

CHUNK = 500  # ids per IN (...), under SQLite's bound-parameter limit
_BOOKKEEPING = frozenset({"id", "first_seen_at", "last_seen_at", "fetch_run_id"})


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices short enough for one IN (...) list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_in_chunks(
    connection: Connection, table: Table, pks: Sequence[int], *conditions: ColumnElement[bool], **values: Any
) -> None:
    """UPDATE table SET values WHERE id IN pks [AND conditions], chunk by chunk."""
    for chunk in chunks(pks):
        connection.execute(update(table).where(table.c.id.in_(chunk), *conditions).values(**values))


def move_last_seen(connection: Connection, table: Table, pks: Sequence[int], observed_at: datetime) -> None:
    """last_seen_at only moves forward: re-applying an older snapshot must not pull it back."""
    update_in_chunks(connection, table, pks, table.c.last_seen_at < observed_at, last_seen_at=observed_at)


def write_keyed_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    source_column: str,
    key_column: str,
    observed_at: datetime,
    fetch_run_id: int | None,
    before_change: Callable[[dict[str, Any]], None] | None = None,
) -> ChangeCounts:
    """Write ``rows`` (all of one source) keyed by ``(source_column, key_column)``.

    ``before_change`` sees each stored row that is about to be overwritten, so a writer
    can keep what it said before.
    """
    counts = ChangeCounts()
    if not rows:
        return counts
    # A key listed twice in one batch is one row: the last listing wins.
    rows = list({row[key_column]: row for row in rows}.values())
    source = rows[0][source_column]
    keys = [row[key_column] for row in rows]
    existing: dict[str, dict[str, Any]] = {}
    for chunk in chunks(keys):
        result = connection.execute(
            select(table).where(table.c[source_column] == source, table.c[key_column].in_(chunk))
        )
        existing.update((row._mapping[key_column], dict(row._mapping)) for row in result)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    confirmed: list[int] = []
    columns = sorted({name for row in rows for name in row} - _BOOKKEEPING)
    for row in rows:
        stored = existing.get(row[key_column])
        if stored is None:
            full = {name: row.get(name) for name in columns}
            inserts.append(
                {
                    **full,
                    "first_seen_at": observed_at,
                    "last_seen_at": observed_at,
                    "fetch_run_id": fetch_run_id,
                }
            )
            counts.new += 1
        elif any(stored.get(name) != row.get(name) for name in columns):
            if before_change is not None:
                before_change(stored)
            updates.append({"pk": stored["id"], **{name: row.get(name) for name in columns}})
            counts.changed += 1
        else:
            confirmed.append(stored["id"])
            counts.unchanged += 1
    if updates:
        values: dict[str, Any] = {name: bindparam(f"v_{name}") for name in columns}
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("pk"))
            .values(**values, last_seen_at=observed_at, fetch_run_id=fetch_run_id),
            [{"pk": row["pk"], **{f"v_{name}": row[name] for name in columns}} for row in updates],
        )
    move_last_seen(connection, table, confirmed, observed_at)
    bulk_insert(connection, table, inserts)
    return counts
