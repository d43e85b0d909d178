"""Migrations: from an empty file to the head, recorded, idempotent, matching models.py."""

import sqlite3

from sqlalchemy import inspect
from sqlmodel import SQLModel

from frontier_watch.store import migrations
from frontier_watch.store.database import make_engine, open_database


def test_migrations_from_an_empty_file_reach_head(tmp_path):
    path = tmp_path / "new.db"
    path.touch()  # an empty file, as `touch` or a failed earlier start leaves it
    engine = make_engine(str(path))
    applied = migrations.upgrade(engine)
    assert [m.version for m in applied] == [m.version for m in migrations.MIGRATIONS]
    assert migrations.current_version(engine) == migrations.HEAD
    assert migrations.upgrade(engine) == []


def test_migrated_schema_matches_the_models(tmp_path):
    engine = make_engine(str(tmp_path / "m.db"))
    migrations.upgrade(engine)
    inspector = inspect(engine)
    for name, table in SQLModel.metadata.tables.items():
        assert inspector.has_table(name), name
        columns = {column["name"] for column in inspector.get_columns(name)}
        assert columns == {column.name for column in table.columns}, name


def test_each_migration_is_recorded_once(tmp_path):
    path = tmp_path / "m.db"
    engine = make_engine(str(path))
    migrations.upgrade(engine)
    migrations.upgrade(engine)
    rows = (
        sqlite3.connect(path)
        .execute("select version, name from schema_migration order by version")
        .fetchall()
    )
    assert rows == [(m.version, m.name) for m in migrations.MIGRATIONS]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    database = open_database(str(tmp_path / "w.db"))
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    engine = make_engine(str(path))
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "insert into schema_migration (version, name, applied_at) values (999, 'future', '2030-01-01')"
        )
    try:
        migrations.upgrade(engine)
    except migrations.SchemaError as exc:
        assert "newer than this frontier-watch" in str(exc)
    else:
        raise AssertionError("a newer schema must be refused")
