"""Small facts about the database itself, in the ``meta`` table.

``data_version`` goes up with every transaction that changes what a reader would show (a
finished fetch run, a curated file loaded, a signal added by hand), so the dashboard can
poll one number and reload only when it moved.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from frontier_watch.store.database import upsert_rows
from frontier_watch.store.tables import Meta, table_of

_meta = table_of(Meta)
DATA_VERSION = "data_version"


def get_value(connection: Connection, key: str) -> str | None:
    return connection.execute(select(_meta.c.value).where(_meta.c.key == key)).scalar()


def set_value(connection: Connection, key: str, value: str) -> None:
    upsert_rows(connection, _meta, [{"key": key, "value": value}], ("key",))


def data_version(connection: Connection) -> int:
    """The current data version (0 for a database nothing was written to)."""
    value = get_value(connection, DATA_VERSION)
    return int(value) if value and value.isdigit() else 0


def bump_data_version(connection: Connection) -> None:
    """Mark, inside the writing transaction, that readers have something new to show."""
    set_value(connection, DATA_VERSION, str(data_version(connection) + 1))
