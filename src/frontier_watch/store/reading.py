"""Reading: plain SQL with :named parameters, without the ORM, on SQLite or PostgreSQL.

Read commands must start at once, so on SQLite a read goes straight through the
``sqlite3`` driver: no SQLAlchemy, no pydantic. The same SQL runs on PostgreSQL through
SQLAlchemy, imported only then. :func:`ready_reader` lets ``opening.open_reader`` skip
migrating and seeding when the database is already at the current schema and has loaded the
curated files as they are now (checked by a cheap file stamp, not by hashing them).

A file that cannot be written (read-only file, folder or file system) is read as it is:
opened read-only (or, when its folder cannot take SQLite's ``-shm`` file, as immutable), never
migrated or seeded. A driver error that says the file is damaged becomes one line
(store/driver_errors.py) on this path as on SQLAlchemy's.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.errors import DamagedDatabase, DatabaseError, UnreadableValue
from frontier_watch.store.readiness import SCHEMA_HEAD, curated_stamp, schema_advice
from frontier_watch.store.sqlite import sqlite_file, sqlite_time_text, translating, writable

if TYPE_CHECKING:
    from frontier_watch.store.database import Database

_DAY_COLUMNS = frozenset({"date", "day", "deprecation_date", "release_date"})
_TIME_COLUMNS = frozenset({"effective_from", "effective_to", "last_success", "valid_from", "valid_to"})


def _is_time(name: str) -> bool:
    return name.endswith("_at") or name in _TIME_COLUMNS


def _is_day(name: str) -> bool:
    return name in _DAY_COLUMNS


class Reader:
    """One read connection. ``rows`` returns dicts with dates and times as Python objects."""

    def __init__(
        self, connection: Any, dialect: str, *, driver: str = "sqlite3", where: str = "the database"
    ) -> None:
        self._connection = connection
        self.dialect = dialect
        self._driver = driver  # sqlite3 (the fast path) or sqlalchemy
        self.where = where  # the file or the URL (password hidden), for messages

    @classmethod
    def from_sqlalchemy(cls, connection: Any, where: str = "the database") -> Reader:
        """A reader over an SQLAlchemy connection (PostgreSQL, or tests holding one)."""
        return cls(connection, connection.dialect.name, driver="sqlalchemy", where=where)

    # -- the two drivers ------------------------------------------------------------

    @contextmanager
    def _translating(self) -> Iterator[None]:
        """sqlite3's errors as the project's (a damaged file is one line); SQLAlchemy translates its own."""
        with translating(self.where):
            yield

    def _cursor_rows(self, cursor: Any) -> Iterator[Any]:
        # A damaged page may be met half-way through the rows. (A for loop, not "yield from":
        # a generator dropped after its reader closed must not close the cursor then.)
        with self._translating():
            for row in cursor:  # noqa: UP028
                yield row

    def _execute(self, sql: str, params: Mapping[str, Any], *, lazily: bool = False) -> tuple[list[str], Any]:
        """Column names and the rows: a list, or with ``lazily`` an iterator over the cursor."""
        if self.dialect == "sqlite":
            params = {key: _sqlite_param(value) for key, value in params.items()}
        if self._driver == "sqlite3":
            with self._translating():
                cursor = self._connection.execute(sql, params)
                names = [column[0] for column in cursor.description or ()]
                return names, (self._cursor_rows(cursor) if lazily else cursor.fetchall())
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
            with self._translating():
                self._connection.execute("BEGIN")
            try:
                yield self
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # the read's own error is the one to report
                    self._connection.rollback()
                raise
            with self._translating():
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
    """A read connection; a file that cannot be written is opened read-only (see the module's notes)."""
    with translating(str(path)):
        connection = _connect(path) if writable(path) else _read_only_connection(path)
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute("PRAGMA query_only=ON")
    return connection


def _connect(target: Path | str, *, uri: bool = False) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; snapshot() begins one when asked.
    return sqlite3.connect(target, timeout=10.0, isolation_level=None, check_same_thread=False, uri=uri)


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """``mode=ro`` reads a WAL database when its -shm file exists or can be made; else, when no
    write-ahead log holds data that only the -shm file could find, ``immutable=1`` reads the
    file alone (nothing can change it while neither the file nor its folder can be written)."""
    uri = path.as_uri()
    connection = _connect(f"{uri}?mode=ro", uri=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the -shm now
        return connection
    except sqlite3.OperationalError:
        connection.close()
        log = path.with_name(path.name + "-wal")
        if log.exists() and log.stat().st_size > 0:
            raise
    return _connect(f"{uri}?immutable=1", uri=True)


def reader_for(database: Database) -> Reader:
    """A reader on an open database: the sqlite3 driver for a file, SQLAlchemy otherwise."""
    path = database.sqlite_path
    if path is not None:
        return Reader(_sqlite_connection(path), "sqlite", where=database.describe())
    return Reader.from_sqlalchemy(database.engine.connect(), where=database.describe())


def ready_reader(location: str) -> Reader | None:
    """A reader straight on an SQLite file that needs no migration and no seeding, else None.

    A damaged file is a DamagedDatabase here, so that nothing tries to write to it.
    """
    path = sqlite_file(location)
    if path is None or not path.is_file():
        return None
    try:
        reader = Reader(_sqlite_connection(path), "sqlite", where=str(path))
    except DamagedDatabase:
        raise
    except (sqlite3.Error, DatabaseError):
        return None
    try:
        if not reader.has_table("meta"):
            raise LookupError
        version = reader.scalar("SELECT max(version) FROM schema_migration")
        stamp = reader.scalar("SELECT value FROM meta WHERE key = 'curated_stamp'")
        if version == SCHEMA_HEAD and stamp == curated_stamp():
            return reader
    except DamagedDatabase:
        reader.close()
        raise
    except (sqlite3.Error, DatabaseError, LookupError):
        pass
    reader.close()
    return None


def read_only_reader(path: Path) -> Reader:
    """A reader on an SQLite file that cannot be written, taken as it is: no migration, no seeding.

    Its schema must be this version's (a DatabaseError says what to do otherwise); curated
    data newer than what it holds is not loaded until it is opened where it can be written.
    """
    reader = Reader(_sqlite_connection(path), "sqlite", where=str(path))
    try:
        version = schema_version(reader)
    except BaseException:
        reader.close()
        raise
    if version == SCHEMA_HEAD:
        return reader
    reader.close()
    raise DatabaseError(f"{path}: the database is read-only, and {schema_advice(version, writable=False)}")


def schema_version(reader: Reader) -> int | None:
    """The highest applied migration; 0 for a database with no tables; None for another program's."""
    if not reader.has_table("schema_migration"):
        if reader.dialect != "sqlite":
            return 0
        return None if reader.column("SELECT name FROM sqlite_master WHERE type = 'table'") else 0
    try:
        return int(reader.scalar("SELECT max(version) FROM schema_migration") or 0)
    except (TypeError, ValueError):
        return None
