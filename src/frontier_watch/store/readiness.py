"""Is a database ready to read as it is? Two cheap checks that need no SQLAlchemy.

* ``SCHEMA_HEAD``: the newest schema version (migrations.py checks it matches its list).
* ``curated_stamp()``: the names, sizes and modification times of the curated files; a
  database that loaded the files with this stamp needs no seeding, and nothing is hashed.
"""

from __future__ import annotations

from pathlib import Path

from frontier_watch.domain.identity import IDENTITY_RULES_VERSION
from frontier_watch.settings.paths import data_dir

SCHEMA_HEAD = 8
CURATED_STAMP_KEY = "curated_stamp"


def schema_advice(version: int | None, *, writable: bool = True) -> str:
    """What a database at schema ``version`` needs, as advice that works (None: another program's).

    ``doctor`` and the read-only path say it; ``db upgrade`` is named only where it would succeed.
    """
    if version is None:
        return (
            "it is not a frontier-watch database (it holds another program's tables): "
            "point --db at a frontier-watch database, or move this file away"
        )
    if version > SCHEMA_HEAD:
        return (
            f"its schema is version {version}, newer than this frontier-watch knows ({SCHEMA_HEAD}): "
            "upgrade frontier-watch to the version that wrote it (or newer)"
        )
    where = "" if writable else " where the file and its folder can be written"
    return (
        f"its schema is version {version}, older than this frontier-watch's ({SCHEMA_HEAD}): "
        f"run frontier-watch db upgrade{where}"
    )


def curated_stamp(folder: Path | None = None) -> str:
    """A short text that changes whenever a curated file is added, removed or rewritten."""
    folder = (folder or data_dir()).resolve()
    parts = [str(folder), f"identity rules {IDENTITY_RULES_VERSION}"]
    for path in sorted(folder.rglob("*.csv")):
        stat = path.stat()
        parts.append(f"{path.relative_to(folder).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return ";".join(parts)
