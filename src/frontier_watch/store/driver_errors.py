"""What the database driver's errors mean to a person: the one place they are translated.

Both ways to the database pass through here: the sqlite3 fast path of store/reading.py and
SQLAlchemy (its ``handle_error`` event, set up in store/database.py). A driver error that
says the file is damaged, or is not a database at all (or stored text that is not UTF-8,
which only damage makes), becomes
:class:`~frontier_watch.domain.errors.DamagedDatabase`; one that says the file cannot be written
becomes :class:`ReadOnlyDatabase`. Both are one line, and the CLI exits 2 on them.
Everything else is left as the driver raised it. No SQLAlchemy here: read commands do not
load it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from frontier_watch.domain.errors import DamagedDatabase, DatabaseError, first_line

# SQLite's primary result codes (an extended code keeps them in its low byte).
SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 11, 14, 26
_DAMAGE_WORDS = ("database disk image is malformed", "malformed database schema", "database corruption")
_NOT_A_DATABASE_WORDS = ("file is not a database",)
_READ_ONLY_WORDS = ("attempt to write a readonly database",)
_NOT_UTF8_WORDS = "could not decode to utf-8"
_COLUMN = re.compile(r"column '([^']*)'")
# PostgreSQL's SQLSTATEs for damaged data: data_corrupted, index_corrupted.
_POSTGRES_DAMAGE = frozenset({"XX001", "XX002"})


class ReadOnlyDatabase(DatabaseError):
    """A write to a database that cannot be written (file, folder or file system read-only)."""


def translated(exc: BaseException, where: str) -> DatabaseError | None:
    """The project's error for a driver error ``exc`` about the database at ``where``, or None.

    ``exc`` may be the driver's own exception or SQLAlchemy's wrapper of it.
    """
    if isinstance(exc, DatabaseError):
        return exc
    driver = getattr(exc, "orig", None) or exc
    if isinstance(driver, UnicodeDecodeError):  # we only ever write UTF-8: bytes changed under us
        return DamagedDatabase(where, f"stored text is not UTF-8: {driver.reason} at byte {driver.start}")
    reason = first_line(driver)
    lowered = reason.lower()
    if lowered.startswith(_NOT_UTF8_WORDS):  # sqlite3's words for the same; the garbled text stays out
        column = _COLUMN.search(reason)
        return DamagedDatabase(
            where, "stored text is not UTF-8" + (f" (column {column[1]})" if column else "")
        )
    code = getattr(driver, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_NOTADB or any(words in lowered for words in _NOT_A_DATABASE_WORDS):
        return DamagedDatabase(where, reason, not_sqlite=True)
    if primary == SQLITE_CORRUPT or any(words in lowered for words in _DAMAGE_WORDS):
        return DamagedDatabase(where, reason)
    if getattr(driver, "sqlstate", None) in _POSTGRES_DAMAGE:
        return DamagedDatabase(where, reason)
    if primary == SQLITE_READONLY or any(words in lowered for words in _READ_ONLY_WORDS):
        return _read_only(where, reason)
    if primary == SQLITE_CANTOPEN and _folder_read_only(where):
        return _read_only(where, f"{reason}: its folder cannot be written, and SQLite keeps files beside it")
    return None


def _read_only(where: str, reason: str) -> ReadOnlyDatabase:
    return ReadOnlyDatabase(
        f"{where}: the database is read-only ({reason}): this command writes to it; "
        "read commands still work, and a command that writes needs the file and its folder writable"
    )


def _folder_read_only(where: str) -> bool:
    """Whether ``where`` is an existing file whose folder cannot be written (SQLite's -wal, -shm)."""
    path = Path(where)
    return path.is_file() and not os.access(path.parent, os.W_OK)
