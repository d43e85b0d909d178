"""The one place that opens the database: engine, SQLite pragmas and migrations.

Opening does not seed: store/seed.py loads the curated data through the writers, and the
callers that want a ready database (the CLI, the dashboard) call it after opening.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError

from frontier_watch.domain.errors import DatabaseError, first_line
from frontier_watch.store.driver_errors import translated
from frontier_watch.store.sqlite import missing_folder_error, resolved_path, sqlite_time_text, translating

if TYPE_CHECKING:
    pass

BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Database:
    engine: Engine
    url: str  # as given by the user (a path or a URL)

    @property
    def sqlite_path(self) -> Path | None:
        parsed = make_url(self.engine.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            return Path(parsed.database)
        return None

    def describe(self) -> str:
        path = self.sqlite_path
        return str(path) if path else self.engine.url.render_as_string(hide_password=True)


IN_MEMORY = (
    "an in-memory database cannot be used: every command runs in its own process, so it would "
    "start empty each time and be lost at exit; give a file path (for a trial: --db /tmp/trial.db)"
)


def to_sqlalchemy_url(location: str) -> str:
    """A plain path becomes an SQLite URL; ``postgresql://`` uses psycopg 3; other URLs are used as given.

    An in-memory SQLite database (``:memory:``, ``sqlite://``) is a DatabaseError rather than a
    file named ``:memory:``.
    """
    if "://" in location:
        scheme, rest = location.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        if _in_memory(location):
            raise DatabaseError(f"{location}: {IN_MEMORY}")
        return location
    if _in_memory(location):
        raise DatabaseError(f"{location or '(empty)'}: {IN_MEMORY}")
    return f"sqlite:///{resolved_path(location)}"


def _in_memory(location: str) -> bool:
    if location.strip() in ("", ":memory:") or location.startswith("file::memory:"):
        return True
    if not location.startswith("sqlite"):
        return False
    try:
        parsed = make_url(location)
    except ArgumentError:
        return False
    return parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"


def make_engine(location: str, *, create_folder: bool = True) -> Engine:
    """An engine on ``location``; an SQLite file's folder is made when ``create_folder`` (else a
    missing folder is a DatabaseError: no read creates folders)."""
    url = to_sqlalchemy_url(location)
    parsed = make_url(url)
    where = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        _translate_driver_errors(engine, where)
        return engine
    if parsed.database:
        where = parsed.database
        if not create_folder and (error := missing_folder_error(parsed.database)):
            raise error
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{parsed.database}: cannot create its folder: {exc}") from None
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _translate_driver_errors(engine, where)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # DBAPI types
        # The driver's own transaction handling commits before DDL, so a migration could
        # half-apply; with it off, SQLAlchemy's BEGIN (below) covers DDL and data alike.
        dbapi_connection.isolation_level = None
        # Raised while the pool connects, so SQLAlchemy's handle_error never sees these.
        with translating(where):
            cursor = dbapi_connection.cursor()
            # The busy timeout makes a second writer wait instead of failing at once. (WAL is
            # switched on once the file is known to be ours: see use_wal.)
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _translate_driver_errors(engine: Engine, where: str) -> None:
    """Every driver error of the engine passes through driver_errors: a damaged file is one line."""

    @event.listens_for(engine, "handle_error")
    def _translate(context: ExceptionContext) -> None:
        error = translated(context.original_exception, where)
        if error is not None:
            raise error from None


def open_database(location: str, *, migrate: bool = True, create_folder: bool = True) -> Database:
    """Open (creating if needed) the database and apply pending migrations.

    With ``create_folder`` False, an SQLite path under a missing folder is a DatabaseError.
    """
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from frontier_watch.net.urls import without_secrets
    from frontier_watch.store import migrations

    shown = without_secrets(location, keep_user=True)  # a password in a URL is never printed
    try:
        database = Database(engine=make_engine(location, create_folder=create_folder), url=location)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseError(f"{shown}: not a database path or URL we can open ({first_line(exc)})") from None
    except ImportError as exc:
        raise DatabaseError(f"{shown}: the database driver is not installed ({exc.name or exc})") from None
    try:
        if migrate:
            migrations.upgrade(database.engine)
            use_wal(database.engine)
    except migrations.SchemaError as exc:
        raise DatabaseError(f"{database.describe()}: {exc}") from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"{database.describe()}: {first_line(exc)}") from None
    return database


def use_wal(engine: Engine) -> None:
    """Put an SQLite database of ours in WAL mode (lasting), so the dashboard reads while cron writes."""
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()  # outside any transaction, which the switch needs
    try:
        with translating(make_url(engine.url).database or "the database"):
            cursor = connection.cursor()
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
    finally:
        connection.close()


def upsert_rows(
    connection: Connection, table: Table, rows: list[dict], key: tuple[str, ...], *, update: bool = True
) -> None:
    """Insert rows; on a conflict of ``key``, update the other columns (or leave the row).

    ``first_seen_at`` is never overwritten: it records when we first had the row.
    """
    if not rows:
        return
    columns = sorted({name for row in rows for name in row})
    rows = [{name: row.get(name) for name in columns} for row in rows]
    updates = [name for name in columns if name not in key and name not in {"first_seen_at", "id"}]
    dialect = connection.dialect.name
    if dialect == "sqlite":
        action = (
            "DO UPDATE SET " + ", ".join(f"{name} = excluded.{name}" for name in updates)
            if update and updates
            else "DO NOTHING"
        )
        _sqlite_executemany(connection, table, rows, f"ON CONFLICT ({', '.join(key)}) {action}")
        return
    if dialect != "postgresql":  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise DatabaseError(f"unsupported database dialect {dialect}")
    from sqlalchemy.dialects.postgresql import insert

    statement = insert(table)
    if update and updates:
        statement = statement.on_conflict_do_update(
            index_elements=list(key), set_={name: statement.excluded[name] for name in updates}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    connection.execute(statement, rows)  # one compiled statement, executed for many rows


def _sqlite_time_text(value: date, formatted: dict) -> str:
    text = formatted.get(value)
    if text is None:  # a batch repeats the same few times; format each once
        text = sqlite_time_text(value)
        formatted[value] = text
    return text


def bulk_insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows with the same keys.

    On SQLite the rows go straight to the driver's executemany: SQLAlchemy's per-row
    parameter processing costs more than the insert itself for thousands of rows. Dates and
    times are written as SQLAlchemy writes them (SQLite compares them as text).
    """
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(table.insert(), rows)
        return
    _sqlite_executemany(connection, table, rows)


def _sqlite_executemany(connection: Connection, table: Table, rows: list[dict], conflict: str = "") -> None:
    """INSERT rows that share their keys through the driver's executemany, times as SQLAlchemy writes them."""
    from sqlalchemy import Date, DateTime

    columns = list(rows[0])
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) {conflict}"
    )
    dated = [index for index, name in enumerate(columns) if isinstance(table.c[name].type, Date | DateTime)]
    pick = operator.itemgetter(*columns)
    formatted: dict = {}
    values: list[tuple] = []
    for row in rows:
        picked = pick(row)
        if len(columns) == 1:
            picked = (picked,)
        if dated:
            picked = list(picked)
            for index in dated:
                if picked[index] is not None:
                    picked[index] = _sqlite_time_text(picked[index], formatted)
        values.append(tuple(picked))
    connection.exec_driver_sql(sql, values)
