"""One fetch at a time per database: an OS lock on a file next to it.

The lock is an advisory lock held on an open file (flock on POSIX, msvcrt on Windows),
not the file's existence: the operating system releases it when the holder exits or is
killed, so a lock left by a dead process is taken over without any guessing, and two
fetches racing for it cannot both win. The file is never deleted; it only records who
holds or last held the lock, for the error message.
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

from frontier_watch.clock import utc_now
from frontier_watch.paths import default_database_path
from frontier_watch.store.database import Database

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockHeld(RuntimeError):
    """Another live fetch holds the lock. The message names its pid and start time."""


def lock_path_for(database: Database) -> Path:
    path = database.sqlite_path
    if path is not None:
        return path.with_name(path.name + ".fetch.lock")
    # A server database (PostgreSQL): one lock per URL on this machine.
    digest = hashlib.sha256(database.url.encode()).hexdigest()[:16]
    return default_database_path().with_name(f"fetch-{digest}.lock")


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
