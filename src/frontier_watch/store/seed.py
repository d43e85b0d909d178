"""Seeding: load the curated data in data/ through the writers, once per file version.

Each file's content hash is recorded; an unchanged file is not read again, and a changed
file is applied through the same writers a fetch uses (prices as intervals, facts by their
natural key), so loading twice adds nothing. Each file loads in its own transaction: a bad
row fails with file:line and leaves the database as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from frontier_watch.domain.clock import utc_now
from frontier_watch.domain.errors import DatabaseError, first_line
from frontier_watch.domain.identity import (
    IDENTITY_RULES_VERSION,
    CrosswalkError,
    CrosswalkRow,
    Identity,
    identity_from_rows,
    read_crosswalk_rows,
)
from frontier_watch.settings.paths import data_dir
from frontier_watch.sources.curated import (
    FACT_FILES,
    CuratedDataError,
    FactFile,
    parse_fact_file,
    price_rows,
)
from frontier_watch.store import migrations
from frontier_watch.store.curated_facts import (
    record_benchmark_scores,
    record_model_events,
    record_trend_claims,
)
from frontier_watch.store.database import Database, open_database, upsert_rows
from frontier_watch.store.meta import bump_data_version, get_value, set_value
from frontier_watch.store.migrations import Migration
from frontier_watch.store.model_identity import record_crosswalk, resolve_offerings
from frontier_watch.store.price_files import record_price_rows
from frontier_watch.store.price_flags import review_prices
from frontier_watch.store.readiness import CURATED_STAMP_KEY, curated_stamp
from frontier_watch.store.reading import read_only_reader
from frontier_watch.store.sqlite import missing_folder_error, sqlite_file, writable
from frontier_watch.store.tables import CuratedLoad, table_of
from frontier_watch.store.write_context import WriteContext
from frontier_watch.store.writers import WRITERS

CROSSWALK_FILE = "model_crosswalk.csv"
CURATED_SOURCE = "curated"


def open_seeded_database(location: str, *, create_folder: bool = True) -> Database:
    """Open the database (migrating it) and load any curated file that is new or changed.

    A database that cannot take the load (read-only, full disk, locked) is a DatabaseError;
    so is a path under a missing folder when ``create_folder`` is False.
    """
    from sqlalchemy.exc import SQLAlchemyError

    database = open_database(location, create_folder=create_folder)
    try:
        seed_curated(database.engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(
            f"{database.describe()}: cannot load the curated data: {first_line(exc)}"
        ) from None
    return database


def open_database_to_read(location: str, *, create_folder: bool = True) -> Database:
    """The database for a reader that keeps it open (the dashboard), as open_seeded_database
    gives it, except that a file that cannot be written is taken as it is (its schema checked,
    nothing migrated or seeded) and no folder is made unless ``create_folder``."""
    path = sqlite_file(location)
    if path is not None and path.is_file() and not writable(path):
        read_only_reader(path).close()
        return open_database(location, migrate=False, create_folder=False)
    if not create_folder and (error := missing_folder_error(location)):
        raise error
    return open_seeded_database(location, create_folder=create_folder)


@dataclass
class Upgrade:
    """What ``db upgrade`` did: the schema version before, the migrations applied, the files loaded."""

    database: Database
    before: int
    applied: list[Migration]
    seeded: dict[str, int]


def upgrade_database(location: str) -> Upgrade:
    """Migrate to the newest schema and load new curated data, reporting each step."""
    from sqlalchemy.exc import SQLAlchemyError

    database = open_database(location, migrate=False)
    try:
        before = migrations.current_version(database.engine)
        applied = migrations.upgrade(database.engine)
        seeded = seed_curated(database.engine)
    except (migrations.SchemaError, SQLAlchemyError) as exc:
        raise DatabaseError(f"{database.describe()}: {first_line(exc)}") from None
    return Upgrade(database, before, applied, seeded)


def curated_files(folder: Path) -> list[tuple[str, Path]]:
    """(name, path) of every curated file in load order; the crosswalk first, the rest resolve through it."""
    names = [CROSSWALK_FILE] + [spec.name for spec in FACT_FILES]
    files = [(name, folder / name) for name in names if (folder / name).is_file()]
    files += [(f"prices/{path.name}", path) for path in sorted((folder / "prices").glob("*.csv"))]
    return files


def seed_curated(
    engine: Engine, folder: Path | None = None, *, now: datetime | None = None
) -> dict[str, int]:
    """Load every curated file that is new or changed since the last seed.

    Returns rows read per file loaded (empty when everything was already loaded).
    """
    folder = folder or data_dir()
    now = now or utc_now()
    stamp = curated_stamp(folder)
    loads = table_of(CuratedLoad)
    with engine.connect() as connection:
        if get_value(connection, CURATED_STAMP_KEY) == stamp:
            return {}  # the files are as they were at the last load: nothing to hash or read
        loaded: dict[str, str] = dict(connection.execute(select(loads.c.name, loads.c.content_hash)).all())
    pending = [(name, path, _digest(name, path)) for name, path in curated_files(folder)]
    pending = [item for item in pending if loaded.get(item[0]) != item[2]]
    if not pending:
        with engine.begin() as connection:
            set_value(connection, CURATED_STAMP_KEY, stamp)
        return {}
    crosswalk = folder / CROSSWALK_FILE
    identity = identity_from_rows(_crosswalk_rows(crosswalk)) if crosswalk.is_file() else Identity({}, {})
    result: dict[str, int] = {}
    for name, path, digest in pending:
        with engine.begin() as connection:
            rows = _load_file(connection, name, path, identity, now)
            upsert_rows(
                connection,
                loads,
                [{"name": name, "content_hash": digest, "rows": rows, "loaded_at": now}],
                ("name",),
            )
            bump_data_version(connection)
        result[name] = rows
    with engine.begin() as connection:
        set_value(connection, CURATED_STAMP_KEY, stamp)
    return result


def _digest(name: str, path: Path) -> str:
    """A file's content hash; the crosswalk's also covers the identity rules, so new rules
    resolve every offering again even when the file is unchanged."""
    digest = hashlib.sha256(path.read_bytes())
    if name == CROSSWALK_FILE:
        digest.update(IDENTITY_RULES_VERSION.encode())
    return digest.hexdigest()


def _load_file(connection: Connection, name: str, path: Path, identity: Identity, now: datetime) -> int:
    if name == CROSSWALK_FILE:
        count = record_crosswalk(connection, _crosswalk_rows(path))
        if resolve_offerings(connection, identity):
            review_prices(connection, now)  # models changed: judge every price again
        return count
    if name.startswith("prices/"):
        with path.open(encoding="utf-8", newline="") as lines:
            return record_price_rows(connection, price_rows(lines, str(path)), str(path), identity, now)
    text = path.read_text(encoding="utf-8")
    spec: FactFile = next(spec for spec in FACT_FILES if spec.name == name)
    facts = parse_fact_file(text, str(path), spec)
    if name == "benchmarks.csv":
        return record_benchmark_scores(connection, facts)
    if name == "trend_claims.csv":
        return record_trend_claims(connection, facts)
    if name == "model_dates.csv":
        return record_model_events(connection, facts)
    part = "releases" if name == "releases.csv" else "signals"
    context = WriteContext(source_id=CURATED_SOURCE, observed_at=now, identity=identity)
    WRITERS[part].write(connection, context, facts)
    return len(facts)


def _crosswalk_rows(path: Path) -> list[CrosswalkRow]:
    try:
        return read_crosswalk_rows(path)
    except CrosswalkError as exc:
        raise CuratedDataError(str(exc)) from None
