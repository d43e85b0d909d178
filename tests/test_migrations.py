"""Migrations: from an empty file or any past version to the head, recorded, matching tables.py."""

import dataclasses
import gzip
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, UniqueConstraint, inspect
from sqlmodel import SQLModel

from frontier_watch.domain.batch import ReleaseFact
from frontier_watch.store import migrations
from frontier_watch.store.database import make_engine, open_database
from frontier_watch.store.tables import Release, table_of

FIXTURES = Path(__file__).parent / "fixtures"
# SQLAlchemy cannot reflect indexes on expressions; index_names() checks those by name.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")


def test_migrations_from_an_empty_file_reach_head(tmp_path):
    path = tmp_path / "new.db"
    path.touch()  # an empty file, as `touch` or a failed earlier start leaves it
    engine = make_engine(str(path))
    applied = migrations.upgrade(engine)
    assert [m.version for m in applied] == [m.version for m in migrations.MIGRATIONS]
    assert migrations.current_version(engine) == migrations.HEAD
    assert migrations.upgrade(engine) == []


def declared_schema(dialect) -> dict[str, dict]:
    """What tables.py declares: per table, its columns (type, nullable) and its indexes."""
    schema = {}
    for name, table in SQLModel.metadata.tables.items():
        columns = {
            column.name: (
                column.type.compile(dialect=dialect),
                bool(column.nullable) and not column.primary_key,
            )
            for column in table.columns
        }
        # Expression indexes (on lower(...)) are compared by name only: reflection skips them.
        indexes = {
            (tuple(c.name for c in index.columns), bool(index.unique))
            for index in table.indexes
            if all(isinstance(expression, Column) for expression in index.expressions)
        }
        indexes |= {
            (tuple(c.name for c in constraint.columns), True)
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        }
        schema[name] = {"columns": columns, "indexes": indexes}
    return schema


def migrated_schema(engine) -> dict[str, dict]:
    """What the database holds, in the same shape."""
    inspector = inspect(engine)
    schema = {}
    for name in inspector.get_table_names():
        columns = {
            column["name"]: (
                column["type"].compile(dialect=engine.dialect),
                bool(column["nullable"])
                and column["name"] not in inspector.get_pk_constraint(name)["constrained_columns"],
            )
            for column in inspector.get_columns(name)
        }
        indexes = {
            (tuple(index["column_names"]), bool(index["unique"])) for index in inspector.get_indexes(name)
        }
        indexes |= {
            (tuple(unique["column_names"]), True) for unique in inspector.get_unique_constraints(name)
        }
        schema[name] = {"columns": columns, "indexes": indexes}
    return schema


def index_names(engine) -> tuple[set[str], set[str]]:
    """Every named index: as the migrations made them, and as tables.py declares them."""
    with engine.connect() as connection:
        made = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"
            ).scalars()
        )
    declared = {index.name for table in SQLModel.metadata.tables.values() for index in table.indexes}
    return made, declared


def test_migrated_schema_matches_the_tables_column_for_column(tmp_path):
    engine = make_engine(str(tmp_path / "m.db"))
    migrations.upgrade(engine)
    assert migrated_schema(engine) == declared_schema(engine.dialect)
    made, declared = index_names(engine)
    assert made == declared


@pytest.mark.parametrize("version", range(1, migrations.HEAD))
def test_a_database_at_every_past_version_upgrades_to_the_head(tmp_path, version):
    engine = make_engine(str(tmp_path / f"v{version}.db"))
    migrations.upgrade(engine, target=version)
    assert migrations.current_version(engine) == version
    applied = migrations.upgrade(engine)
    assert [m.version for m in applied] == list(range(version + 1, migrations.HEAD + 1))
    assert migrated_schema(engine) == declared_schema(engine.dialect)


def test_a_seeded_database_from_version_0_1_0_upgrades_and_reseeds_without_duplicates(tmp_path, capsys):
    """A real database made and seeded by frontier-watch 0.1.0 (schema version 2)."""
    from frontier_watch.cli import main
    from frontier_watch.store.seed import open_seeded_database

    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript(
        gzip.decompress((FIXTURES / "databases/v2_seeded_0.1.0.sql.gz").read_bytes()).decode()
    )
    connection.close()
    old = sqlite3.connect(path)
    releases_before = old.execute("select count(*) from release").fetchone()[0]
    signals_before = old.execute("select count(*) from signal").fetchone()[0]
    assert old.execute("select max(version) from schema_migration").fetchone()[0] == 2
    old.close()

    database = open_seeded_database(str(path))
    assert migrations.current_version(database.engine) == migrations.HEAD
    assert migrated_schema(database.engine) == declared_schema(database.engine.dialect)
    upgraded = sqlite3.connect(path)
    # Rows from 0.1.0 got their source and natural key, so the curated files match them.
    assert upgraded.execute("select count(*) from release").fetchone()[0] == releases_before
    assert upgraded.execute("select count(*) from signal").fetchone()[0] == signals_before
    assert upgraded.execute(
        "select count(*) from release where source_id is null or release_key is null"
    ).fetchone() == (0,)
    assert upgraded.execute(
        "select count(*) from signal where source_id = 'curated' and signal_key like '____-__-__|%'"
    ).fetchone() == (signals_before,)
    assert main(["--db", str(path), "prices", "--as-of", "2023-03-20", "--model", "gpt-4", "--json"]) == 0
    assert '"input_usd_per_mtok": 30' in capsys.readouterr().out
    # One spelling per organisation: the old lower-case providers were rewritten in place, so
    # the new files matched them and no offering was duplicated; the data passes db check.
    providers = {row[0] for row in upgraded.execute("select distinct provider from offering")}
    assert "OpenAI" in providers and "openai" not in providers
    fresh = open_seeded_database(str(tmp_path / "fresh.db"))
    with fresh.engine.connect() as connection:
        fresh_offerings = connection.exec_driver_sql("select count(*) from offering").scalar()
    assert upgraded.execute("select count(*) from offering").fetchone()[0] == fresh_offerings
    assert main(["--db", str(path), "db", "check"]) == 0


def test_migration_5_merges_offerings_that_now_share_a_spelling(tmp_path):
    """LiteLLM moved a key from bedrock to bedrock_converse: one offering, both histories."""
    engine = make_engine(str(tmp_path / "v4.db"))
    migrations.upgrade(engine, target=4)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        for pk, provider, seen in ((1, "bedrock", "2025-03-01"), (2, "bedrock_converse", "2025-06-01")):
            run(
                "insert into offering (id, source_id, provider, offering_id, name, first_seen_at, "
                f"last_seen_at) values ({pk}, 'litellm', '{provider}', 'anthropic.claude-x', 'x', "
                f"'{seen} 00:00:00', '{seen} 00:00:00')"
            )
        for pk, offering, start, end in ((1, 1, "2025-01-01", "2025-05-01"), (2, 2, "2025-05-01", None)):
            ends = "NULL" if end is None else f"'{end} 00:00:00'"
            run(
                "insert into price_interval (id, offering_pk, tier, input_nusd, effective_from, "
                "effective_to, first_seen_at, last_seen_at, basis) values "
                f"({pk}, {offering}, 'default', 3000000000, "
                f"'{start} 00:00:00', {ends}, '{start} 00:00:00', '{start} 00:00:00', 'observed')"
            )
    migrations.upgrade(engine)
    with engine.connect() as connection:
        offerings = connection.exec_driver_sql("select id, provider, platform from offering").all()
        intervals = connection.exec_driver_sql(
            "select offering_pk, superseded_at is null from price_interval order by id"
        ).all()
    assert offerings == [(2, "Amazon", "Bedrock")]  # the one seen last keeps its row
    assert intervals == [(2, 1), (2, 1)]  # both spans, neither overlapping the other
    engine.dispose()


def test_migration_8_reloads_the_curated_files_so_a_seeded_database_learns_the_kinds(seeded_db_path):
    """A database seeded at version 7 has no kinds; after the upgrade the crosswalk and the price
    files load again (the rows were there already: nothing is added or restated) and fill them."""
    from frontier_watch.store.seed import open_seeded_database

    count = (
        "select (select count(*) from offering), (select count(*) from price_interval), "
        "(select count(*) from price_interval where superseded_at is not null)"
    )
    old = sqlite3.connect(seeded_db_path)
    before = old.execute(count).fetchone()
    old.executescript(
        "alter table offering drop column kind; alter table model drop column kind; "
        "delete from schema_migration where version = 8;"
    )
    old.commit()
    old.close()
    database = open_seeded_database(str(seeded_db_path))
    assert migrations.current_version(database.engine) == migrations.HEAD
    database.engine.dispose()
    upgraded = sqlite3.connect(seeded_db_path)
    assert upgraded.execute(count).fetchone() == before
    stated = dict(
        upgraded.execute("select offering_id, kind from offering where source_id = 'litellm'").fetchall()
    )
    assert stated["novita/baai/bge-reranker-v2-m3"] == "reranker" and stated["gpt-image-1"] == "image"
    assert stated["novita/deepseek/deepseek-ocr"] == "language"  # as LiteLLM states it...
    curated = dict(upgraded.execute("select id, kind from model where kind is not null").fetchall())
    assert curated["deepseek-ocr"] == "ocr"  # ...and as the crosswalk corrects it
    upgraded.close()


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


def test_migration_1_is_frozen_ddl_not_todays_tables():
    """Migration 1 must not follow tables.py (the 'duplicate column name' fault)."""
    source = Path(migrations.__file__).read_text()
    assert "metadata.create_all" not in source and "from frontier_watch.store.tables" not in source
    assert "CREATE TABLE price_interval" in migrations.INITIAL_SCHEMA_DDL
    assert "release_key" not in migrations.INITIAL_SCHEMA_DDL  # added by a later migration


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


def test_a_migration_that_fails_half_way_leaves_no_trace(tmp_path, monkeypatch):
    """DDL is transactional here: a failure after some statements undoes all of them."""
    engine = make_engine(str(tmp_path / "half.db"))
    migrations.upgrade(engine)

    def half(connection):
        connection.exec_driver_sql("CREATE TABLE half_done (a INTEGER)")
        connection.exec_driver_sql("ALTER TABLE release ADD COLUMN half_column VARCHAR")
        raise RuntimeError("the third statement fails")

    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        (*migrations.MIGRATIONS, migrations.Migration(migrations.HEAD + 1, "half", half)),
    )
    monkeypatch.setattr(migrations, "HEAD", migrations.HEAD + 1)
    with pytest.raises(RuntimeError):
        migrations.upgrade(engine)
    inspector = inspect(engine)
    assert not inspector.has_table("half_done")
    assert "half_column" not in {column["name"] for column in inspector.get_columns("release")}
    assert migrations.current_version(engine) == migrations.HEAD - 1


def test_version_2_rows_that_share_a_new_key_upgrade_to_distinct_keys(tmp_path):
    """Version 2 allowed two signals with no metric on the same date, entity and item."""
    engine = make_engine(str(tmp_path / "v2.db"))
    migrations.upgrade(engine, target=2)
    with engine.begin() as connection:
        for value in (1, 2):
            connection.exec_driver_sql(
                "INSERT INTO signal (source_url, evidence, origin, date, date_precision, category, entity, "
                "item, value, first_seen_at) VALUES ('https://x.test', 'rumor', 'curated', '2025-01-01', "
                f"'day', 'capex', 'Lab', 'spend', {value}, '2025-01-02 00:00:00.000000')"
            )
    migrations.upgrade(engine)
    with engine.connect() as connection:
        keys = connection.exec_driver_sql("SELECT signal_key FROM signal ORDER BY id").scalars().all()
    assert len(set(keys)) == 2 and keys[0] == "2025-01-01|Lab|spend|"


def test_two_releases_from_one_source_may_share_lab_model_and_date(tmp_path):
    """A release is identified by its source and key (say a repo id), not by lab, model and date."""
    from datetime import date, datetime

    from frontier_watch.domain.batch import ReleaseFact
    from frontier_watch.domain.identity import Identity
    from frontier_watch.store.releases import WRITER
    from frontier_watch.store.write_context import WriteContext

    engine = make_engine(str(tmp_path / "r.db"))
    migrations.upgrade(engine)
    context = WriteContext(
        "huggingface", datetime(2026, 1, 1), Identity({}, {}), "https://hf.test", "vendor-claim"
    )
    facts = [
        ReleaseFact(key=f"org/model-{variant}", date=date(2026, 1, 1), lab="Org", model="Model")
        for variant in ("base", "instruct")
    ]
    with engine.begin() as connection:
        counts = WRITER.write(connection, context, facts)
    assert counts.new == 2


# ---------------------------------------------------------------- the same migrations on PostgreSQL


def test_migrations_reach_the_head_on_postgresql_and_are_recorded_once(postgres_url):
    engine = make_engine(postgres_url)
    applied = migrations.upgrade(engine)
    assert [m.version for m in applied] == [m.version for m in migrations.MIGRATIONS]
    assert migrations.current_version(engine) == migrations.HEAD
    assert migrations.upgrade(engine) == []
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("select version, name from schema_migration order by version").all()
    assert [tuple(row) for row in rows] == [(m.version, m.name) for m in migrations.MIGRATIONS]
    engine.dispose()


def test_migrated_postgresql_schema_matches_the_tables_column_for_column(postgres_url):
    engine = make_engine(postgres_url)
    migrations.upgrade(engine)
    migrated = migrated_schema(engine)
    for table in migrated.values():
        # PostgreSQL reflects FLOAT as what it is (DOUBLE PRECISION), and an index on an
        # expression (lower(name)) with no column names: those are compared by name below.
        table["columns"] = {
            name: ("FLOAT" if kind == "DOUBLE PRECISION" else kind, nullable)
            for name, (kind, nullable) in table["columns"].items()
        }
        table["indexes"] = {index for index in table["indexes"] if None not in index[0]}
    assert migrated == declared_schema(engine.dialect)
    with engine.connect() as connection:
        made = set(
            connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes "
                "WHERE schemaname = 'public' AND indexname NOT LIKE '%%_pkey'"
            ).scalars()
        )
    declared_names = {index.name for table in SQLModel.metadata.tables.values() for index in table.indexes}
    assert declared_names <= made
    engine.dispose()


@pytest.mark.parametrize("version", [1, migrations.HEAD // 2, migrations.HEAD - 1])
def test_a_postgresql_database_at_a_past_version_upgrades_to_the_head(postgres_url, version):
    engine = make_engine(postgres_url)
    migrations.upgrade(engine, target=version)
    assert migrations.current_version(engine) == version
    migrations.upgrade(engine)
    assert migrations.current_version(engine) == migrations.HEAD
    engine.dispose()


def test_a_migration_that_fails_half_way_leaves_no_trace_on_postgresql(postgres_url, monkeypatch):
    engine = make_engine(postgres_url)
    migrations.upgrade(engine)

    def half(connection):
        connection.exec_driver_sql("CREATE TABLE half_done (a INTEGER)")
        connection.exec_driver_sql("ALTER TABLE release ADD COLUMN half_column VARCHAR")
        raise RuntimeError("the third statement fails")

    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        (*migrations.MIGRATIONS, migrations.Migration(migrations.HEAD + 1, "half", half)),
    )
    monkeypatch.setattr(migrations, "HEAD", migrations.HEAD + 1)
    with pytest.raises(RuntimeError):
        migrations.upgrade(engine)
    inspector = inspect(engine)
    assert not inspector.has_table("half_done")
    assert "half_column" not in {column["name"] for column in inspector.get_columns("release")}
    assert migrations.current_version(engine) == migrations.HEAD - 1
    engine.dispose()


def test_the_release_table_has_a_column_for_every_field_of_a_release_fact():
    """The fields are stated once, in ReleaseFact; the table takes them (key and lineage are stored apart)."""
    fields = {field.name for field in dataclasses.fields(ReleaseFact)} - {"key", "base_models"}
    columns = set(table_of(Release).columns.keys())
    assert fields <= columns
    assert columns - fields == {
        "id",
        "origin",
        "first_seen_at",
        "source_id",
        "release_key",
        "fetch_run_id",
        "last_seen_at",
    }
