"""Reading: plain SQL with :named parameters, without the ORM, on SQLite or PostgreSQL.

Read commands must start at once, so on SQLite a read goes straight through the
``sqlite3`` driver: no SQLAlchemy, no pydantic. The same SQL runs on PostgreSQL through
SQLAlchemy, imported only then. :func:`open_reader` also skips migrating and seeding when
the database is already at the current schema and has loaded the curated files as they
are now (checked by a cheap file stamp, not by hashing them).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontier_watch.errors import UnreadableValue
from frontier_watch.store.readiness import SCHEMA_HEAD, curated_stamp

if TYPE_CHECKING:
    from frontier_watch.store.database import Database

# How SQLAlchemy stores DATETIME on SQLite (text compares in order). Write with
# sqlite_time_text: strftime writes year 1 as '1', which nothing reads back.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
_DAY_COLUMNS = frozenset({"date", "day", "deprecation_date", "release_date"})
_TIME_COLUMNS = frozenset({"effective_from", "effective_to", "last_success", "valid_from", "valid_to"})


def _is_time(name: str) -> bool:
    return name.endswith("_at") or name in _TIME_COLUMNS


def _is_day(name: str) -> bool:
    return name in _DAY_COLUMNS


class Reader:
    """One read connection. ``rows`` returns dicts with dates and times as Python objects."""

    def __init__(self, connection: Any, dialect: str, *, driver: str = "sqlite3") -> None:
        self._connection = connection
        self.dialect = dialect
        self._driver = driver  # sqlite3 (the fast path) or sqlalchemy

    @classmethod
    def from_sqlalchemy(cls, connection: Any) -> Reader:
        """A reader over an SQLAlchemy connection (PostgreSQL, or tests holding one)."""
        return cls(connection, connection.dialect.name, driver="sqlalchemy")

    # -- the two drivers ------------------------------------------------------------

    def _execute(self, sql: str, params: Mapping[str, Any], *, lazily: bool = False) -> tuple[list[str], Any]:
        """Column names and the rows: a list, or with ``lazily`` an iterator over the cursor."""
        if self.dialect == "sqlite":
            params = {key: _sqlite_param(value) for key, value in params.items()}
        if self._driver == "sqlite3":
            cursor = self._connection.execute(sql, params)
            names = [column[0] for column in cursor.description or ()]
            return names, (cursor if lazily else cursor.fetchall())
        from sqlalchemy import text

        result = self._connection.execute(text(sql), dict(params))
        rows = (tuple(row) for row in result)
        return list(result.keys()), (rows if lazily else list(rows))

    # -- what callers use -----------------------------------------------------------

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        names, rows = self.tuples(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def tuples(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """The column names, and each row as a list of values with dates and times as objects."""
        names, rows = self.stream(sql, params)
        return names, list(rows)

    def stream(
        self, sql: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        """Like ``tuples``, one row at a time: a large answer is never held twice."""
        names, rows = self._execute(sql, params or {}, lazily=True)
        if self.dialect != "sqlite":
            return names, (list(row) for row in rows)
        converted = [
            (index, _time if _is_time(name) else _day)
            for index, name in enumerate(names)
            if _is_time(name) or _is_day(name)
        ]

        def convert(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
            for row in rows:
                values = list(row)
                for index, to_object in converted:
                    if values[index] is not None:
                        try:
                            values[index] = to_object(values[index])
                        except (TypeError, ValueError):
                            raise self._unreadable(names[index], values[index]) from None
                yield values

        return names, convert(rows)

    def column(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in self._execute(sql, params or {})[1]]

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        rows = self._execute(sql, params or {})[1]
        return rows[0][0] if rows else None

    def _unreadable(self, column: str, raw: Any) -> UnreadableValue:
        """The one-line error for a stored date or time that does not read back, naming its row."""
        found = locate_value(self, column, raw)
        where = f"{found[0]} row {found[1]}: " if found else ""
        return UnreadableValue(
            f"the database holds a value it cannot read: {where}{column} is {_quoted(raw)}, "
            f"not a {'time' if _is_time(column) else 'date'}; correct or delete that row "
            "(db check lists every such value)"
        )

    def has_table(self, name: str) -> bool:
        if self.dialect == "sqlite":
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"
        else:
            sql = "SELECT 1 FROM information_schema.tables WHERE table_name = :name"
        return self.scalar(sql, {"name": name}) is not None

    @contextmanager
    def snapshot(self) -> Iterator[Reader]:
        """Reads inside one transaction see one state of the database."""
        if self._driver == "sqlite3":
            self._connection.execute("BEGIN")
            try:
                yield self
            finally:
                self._connection.execute("COMMIT")
        else:
            with self._connection.begin():
                yield self

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sqlite_time_text(value: date) -> str:
    """A date or time as SQLAlchemy stores it on SQLite, the year always in four digits.

    (``strftime('%Y')`` writes year 1 as '1', which no reader parses back.)
    """
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value.isoformat()


def _sqlite_param(value: Any) -> Any:
    if isinstance(value, date):  # a datetime is a date too
        return sqlite_time_text(value)
    return value


@functools.lru_cache(maxsize=65536)  # rows share their seen-at times: parse each once
def _time(text: Any) -> datetime:
    """A stored time as a datetime; TypeError or ValueError when it is not one."""
    return text if isinstance(text, datetime) else datetime.fromisoformat(text)


@functools.lru_cache(maxsize=16384)
def _day(text: Any) -> date:
    """A stored date as a date (a time's day part will do); TypeError or ValueError when it is not one."""
    return text if isinstance(text, date) else date.fromisoformat(text[:10])


def stored_time(value: Any, column: str) -> datetime | None:
    """A time a raw statement read (SQLite hands text back) as a datetime; UnreadableValue
    naming the column when it is not one."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        return _time(value)
    except (TypeError, ValueError):
        raise UnreadableValue(
            f"the database holds a value it cannot read: {column} is {_quoted(value)}, not a time; "
            "correct or delete that row (db check lists every such value)"
        ) from None


def _quoted(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


# The typed columns on SQLite, whose values must read back as their type: dates and times,
# and numbers (SQLite keeps whatever text is written into an INTEGER or FLOAT column).
_SQLITE_TYPED_COLUMNS = """
SELECT m.name, p.name, upper(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND upper(p.type) IN ('DATE', 'DATETIME', 'INTEGER', 'BIGINT', 'FLOAT', 'REAL')
ORDER BY m.name, p.cid
"""
_TIME_TYPES = ("DATE", "DATETIME")


def locate_value(reader: Reader, column: str, raw: Any) -> tuple[str, int] | None:
    """(table, row id) of the first row whose ``column`` holds ``raw`` on SQLite, else None."""
    if reader.dialect != "sqlite":
        return None
    try:
        for table, name, declared in reader.tuples(_SQLITE_TYPED_COLUMNS)[1]:
            if name != column or declared not in _TIME_TYPES:
                continue
            found = reader.scalar(f'SELECT rowid FROM "{table}" WHERE "{name}" = :raw LIMIT 1', {"raw": raw})
            if found is not None:
                return table, found
    except Exception:  # noqa: BLE001 - only a finer message is at stake: the caller's error stands
        return None
    return None


def unreadable_values(reader: Reader) -> Iterator[tuple[str, int, str, Any, str]]:
    """(table, row id, column, value, what it should be) of every stored value that does not
    read back as its column's type: a date or time, or a number.

    One pass per table. SQLite's own date() finds most bad times (it refuses '1-01-01' and
    month 13); the days it lets through that Python refuses (a 30 February) are parsed to be
    sure. Other databases type their columns, so nothing unreadable can be stored there.
    """
    if reader.dialect != "sqlite":
        return
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, column, declared in reader.tuples(_SQLITE_TYPED_COLUMNS)[1]:
        by_table.setdefault(table, []).append((column, declared))
    for table, columns in by_table.items():
        suspect = " OR ".join(_suspect(column, declared) for column, declared in columns)
        names = ", ".join(f'"{column}"' for column, _ in columns)
        sql = f'SELECT rowid, {names} FROM "{table}" WHERE {suspect} ORDER BY rowid'
        for row_id, *values in reader._execute(sql, {})[1]:
            for (column, declared), value in zip(columns, values, strict=True):
                problem = _type_problem(value, declared)
                if problem:
                    yield table, row_id, column, value, problem


def _suspect(column: str, declared: str) -> str:
    """SQL that picks a row whose ``column`` may not read back as its declared type."""
    quoted = f'"{column}"'
    if declared in _TIME_TYPES:
        return (
            f"({quoted} IS NOT NULL AND (typeof({quoted}) != 'text' OR date({quoted}) IS NULL "
            f"OR substr({quoted}, 9, 2) > '28'))"
        )
    return f"typeof({quoted}) IN ('text', 'blob')"


def _type_problem(value: Any, declared: str) -> str | None:
    if value is None:
        return None
    if declared in _TIME_TYPES:
        try:
            (_day if declared == "DATE" else _time)(value)
        except (TypeError, ValueError):
            return "a date or time"
        return None
    return None if isinstance(value, int | float) else "a number"


def _sqlite_connection(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; snapshot() begins one when asked.
    connection = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout=10000")
    connection.execute("PRAGMA query_only=ON")
    return connection


def reader_for(database: Database) -> Reader:
    """A reader on an open database: the sqlite3 driver for a file, SQLAlchemy otherwise."""
    path = database.sqlite_path
    if path is not None:
        return Reader(_sqlite_connection(path), "sqlite")
    return Reader.from_sqlalchemy(database.engine.connect())


def sqlite_file(location: str) -> Path | None:
    """The file behind a location when it is a plain SQLite path or sqlite:/// URL."""
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    elif "://" in location:
        return None
    if location in ("", ":memory:") or "?" in location:
        return None
    return Path(location).expanduser().resolve()


def ready_reader(location: str) -> Reader | None:
    """A reader straight on an SQLite file that needs no migration and no seeding, else None."""
    path = sqlite_file(location)
    if path is None or not path.is_file():
        return None
    try:
        reader = Reader(_sqlite_connection(path), "sqlite")
    except sqlite3.Error:
        return None
    try:
        if not reader.has_table("meta"):
            raise LookupError
        version = reader.scalar("SELECT max(version) FROM schema_migration")
        stamp = reader.scalar("SELECT value FROM meta WHERE key = 'curated_stamp'")
        if version == SCHEMA_HEAD and stamp == curated_stamp():
            return reader
    except (sqlite3.Error, LookupError):
        pass
    reader.close()
    return None


def open_reader(location: str) -> Reader:
    """A reader on the database at ``location``, migrating and seeding it first if it needs that."""
    reader = ready_reader(location)
    if reader is not None:
        return reader
    from frontier_watch.store.seed import open_seeded_database

    return reader_for(open_seeded_database(location))
