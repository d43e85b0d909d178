"""One fetch at a time per database: an OS lock on a file next to an SQLite database,
a PostgreSQL advisory lock on a server database.

On SQLite the lock is an advisory lock held on an open file (flock on POSIX, msvcrt on Windows),
not the file's existence: the operating system releases it when the holder exits or is
killed, so a lock left by a dead process is taken over without any guessing, and two
fetches racing for it cannot both win. The file is never deleted; it only records who
holds or last held the lock, for the error message.

On PostgreSQL (a team sharing one database from several machines) a file on one machine
cannot stop a fetch on another, so the lock is the server's: a session-level advisory
lock held on a connection of its own for the whole fetch. The server releases it when that
connection ends, a killed fetch's included.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, text

from frontier_watch.domain.clock import utc_now
from frontier_watch.settings.paths import default_database_path
from frontier_watch.store.database import Database

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockHeld(RuntimeError):
    """Another live fetch holds the lock. The message names its pid and start time."""


# The advisory lock's key: one fetch lock per PostgreSQL database (keys are per database).
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"frontier-watch fetch").digest()[:8], "big", signed=True)


def lock_path_for(database: Database) -> Path:
    path = database.sqlite_path
    if path is not None:
        return path.with_name(path.name + ".fetch.lock")
    # Another server database: one lock per URL on this machine.
    digest = hashlib.sha256(database.url.encode()).hexdigest()[:16]
    return default_database_path().with_name(f"fetch-{digest}.lock")


@contextmanager
def database_fetch_lock(database: Database) -> Iterator[list[str]]:
    """The fetch lock of ``database``: advisory on PostgreSQL, a lock file otherwise.

    Raises LockHeld when another fetch (on any machine, for PostgreSQL) holds it.
    """
    if database.engine.dialect.name == "postgresql":
        with advisory_lock(database) as notes:
            yield notes
        return
    with fetch_lock(lock_path_for(database)) as notes:
        yield notes


@contextmanager
def advisory_lock(database: Database) -> Iterator[list[str]]:
    """Hold PostgreSQL's session-level advisory lock for fetches on a connection of its own."""
    connection = database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar():
            raise LockHeld(
                f"another fetch holds the lock on {database.describe()} ({_advisory_holder(connection)})"
            )
        try:
            yield []
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
    finally:
        connection.close()


def _advisory_holder(connection: Connection) -> str:
    """Who holds the advisory lock, as the server sees it: backend pid, client address, since when."""
    classid, objid = (ADVISORY_KEY >> 32) & 0xFFFFFFFF, ADVISORY_KEY & 0xFFFFFFFF
    row = connection.execute(
        text(
            "SELECT a.pid, a.client_addr, a.backend_start FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :classid AND l.objid = :objid "
            "AND l.objsubid = 1 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"classid": classid, "objid": objid},
    ).first()
    if row is None:
        return "advisory lock"
    started = row.backend_start.isoformat(timespec="seconds") if row.backend_start else "?"
    return (
        f"advisory lock: server pid {row.pid} from {row.client_addr or 'a local socket'}, connected {started}"
    )


def _try_lock(handle: IO[str]) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    else:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _holder(handle: IO[str]) -> dict:
    handle.seek(0)
    try:
        holder = json.loads(handle.read() or "{}")
    except ValueError:
        return {}
    return holder if isinstance(holder, dict) else {}


@contextmanager
def fetch_lock(path: Path) -> Iterator[list[str]]:
    """Hold the fetch lock for the duration; yields notes (e.g. a dead holder's lock taken over)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        if not _try_lock(handle):
            holder = _holder(handle)
            raise LockHeld(
                f"another fetch holds the lock {path} (pid {holder.get('pid', '?')} on "
                f"{holder.get('host', '?')}, started {holder.get('started', '?')})"
            )
        notes = []
        previous = _holder(handle)
        if previous.get("pid"):
            notes.append(
                f"took over the lock left by pid {previous['pid']}, which ended without releasing it"
            )
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": utc_now().isoformat(timespec="seconds") + "Z",
        }
        handle.seek(0)
        handle.truncate()
        json.dump(me, handle)
        handle.flush()
        try:
            yield notes
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
    finally:
        handle.close()
