"""What both sides of the store, writing and reading, need to know about SQLite: where a
database file is, whether it can be written, how its driver errors read, how it stores times."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from frontier_watch.domain.errors import DatabaseError
from frontier_watch.store.driver_errors import translated

# How SQLAlchemy stores DATETIME on SQLite (text compares in order). Write with
# sqlite_time_text: strftime writes year 1 as '1', which nothing reads back.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def sqlite_time_text(value: date) -> str:
    """A date or time as SQLAlchemy stores it on SQLite, the year always in four digits.

    (``strftime('%Y')`` writes year 1 as '1', which no reader parses back.)
    """
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value.isoformat()


@contextmanager
def translating(where: str) -> Iterator[None]:
    """Raise the project's error for an sqlite3 error that has one (driver_errors), else the driver's."""
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        error = translated(exc, where)
        if error is None:
            raise
        raise error from None


def writable(path: Path) -> bool:
    """Whether SQLite may write the file at ``path``: the file and its folder (journal, -wal, -shm)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def sqlite_file(location: str) -> Path | None:
    """The file behind a location when it is a plain SQLite path or sqlite:/// URL."""
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    elif "://" in location:
        return None
    if location in ("", ":memory:") or "?" in location:
        return None
    return resolved_path(location)


def resolved_path(location: str) -> Path:
    """The absolute path of an SQLite file; a path that cannot be resolved (a symlink loop, an
    unknown ~user) is a DatabaseError."""
    try:
        return Path(location).expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        raise DatabaseError(f"{location}: not a path to a database file ({exc})") from None


def missing_folder_error(location: str) -> DatabaseError | None:
    """A read must not create folders: the error for an SQLite path under a folder that does not exist."""
    path = sqlite_file(location)
    if path is None or path.exists() or path.parent.is_dir():
        return None
    return DatabaseError(
        f"{path}: no database there, and its folder {path.parent} does not exist (a typo?); "
        "a command that writes (db upgrade) creates it"
    )
