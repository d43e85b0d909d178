"""Ordered, recorded schema migrations, applied on open and by ``frontier-watch db upgrade``.

Each migration runs once, in one transaction, and is recorded in ``schema_migration``.
Migration 1 creates the first schema from the table definitions in models.py; every
later change to models.py adds a migration here with its own ALTER/CREATE statements
(tests/test_migrations.py checks that a migrated database matches models.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select
from sqlmodel import SQLModel

from frontier_watch import models


class SchemaError(RuntimeError):
    """The database's schema cannot be used by this version of the tool."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _initial_schema(connection: Connection) -> None:
    tables = [
        models.table_of(models.CuratedLoad),
        models.table_of(models.FetchRun),
        models.table_of(models.Model),
        models.table_of(models.ModelAlias),
        models.table_of(models.Offering),
        models.table_of(models.PriceInterval),
        models.table_of(models.Release),
        models.table_of(models.ReleaseStat),
        models.table_of(models.Signal),
        models.table_of(models.BenchmarkScore),
        models.table_of(models.TrendClaim),
    ]
    SQLModel.metadata.create_all(connection, tables=tables)


def _interval_lookup_index(connection: Connection) -> None:
    # The recorder and "prices --as-of" both look intervals up by offering, tier and date.
    connection.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_price_interval_lookup "
        "ON price_interval (offering_pk, tier, effective_from)"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial_schema),
    Migration(2, "price interval lookup index", _interval_lookup_index),
)
HEAD = MIGRATIONS[-1].version


def current_version(engine: Engine) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not inspect(engine).has_table("schema_migration"):
        return 0
    with engine.connect() as connection:
        table = models.table_of(models.SchemaMigration)
        versions = connection.execute(select(table.c.version)).scalars().all()
    return max(versions, default=0)


def upgrade(engine: Engine) -> list[Migration]:
    """Apply every pending migration in order; return the ones applied."""
    models.table_of(models.SchemaMigration).create(engine, checkfirst=True)
    start = current_version(engine)
    if start > HEAD:
        raise SchemaError(
            f"database schema version {start} is newer than this frontier-watch ({HEAD}); upgrade the tool"
        )
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= start:
            continue
        with engine.begin() as connection:
            migration.apply(connection)
            connection.execute(
                models.table_of(models.SchemaMigration)
                .insert()
                .values(
                    version=migration.version,
                    name=migration.name,
                    applied_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
        applied.append(migration)
    return applied
