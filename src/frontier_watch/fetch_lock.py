"""One fetch at a time per database: a lock file next to it, taken over when stale."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from frontier_watch.db import Database
from frontier_watch.paths import default_database_path


class LockHeld(RuntimeError):
    """Another live fetch holds the lock. The message names its pid and start time."""


def lock_path_for(database: Database) -> Path:
    path = database.sqlite_path
    if path is not None:
        return path.with_name(path.name + ".fetch.lock")
    digest = hashlib.sha256(database.url.encode()).hexdigest()[:16]
    return default_database_path().with_name(f"fetch-{digest}.lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _holder(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextmanager
def fetch_lock(path: Path) -> Iterator[list[str]]:
    """Hold the lock for the duration; yields notes (e.g. a stale lock taken over)."""
    notes: list[str] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    me = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for _ in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            stale = holder is None or (
                holder.get("host") == me["host"] and not _alive(int(holder.get("pid", 0)))
            )
            if not stale:
                raise LockHeld(
                    f"another fetch holds the lock {path} (pid {holder.get('pid')} on "
                    f"{holder.get('host')}, started {holder.get('started')})"
                ) from None
            notes.append(f"took over a stale lock from pid {holder.get('pid') if holder else '?'}")
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(me, handle)
        break
    else:
        raise LockHeld(f"could not take the lock {path}")
    try:
        yield notes
    finally:
        holder = _holder(path)
        if holder and holder.get("pid") == me["pid"]:
            path.unlink(missing_ok=True)
