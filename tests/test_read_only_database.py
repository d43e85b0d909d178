"""A database that cannot be written: every read command works, every write says so in one line.

Read-only comes in several forms: the file (``chattr +i``, which holds even for root, or
``chmod 444`` for anyone else), its folder (SQLite's WAL mode needs a ``-shm`` file beside the
database), or both. Doctor's advice for a database it cannot use is advice that works.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_in_process import run  # the CLI as a terminal runs it, in this process

from frontier_watch.store import migrations
from frontier_watch.store.database import make_engine
from frontier_watch.store.readiness import SCHEMA_HEAD

READS = [
    ["prices", "--model", "gpt-4", "--json"],
    ["history", "deepseek-r1"],
    ["signals"],
    ["signals", "--unreviewed"],
    ["releases"],
    ["sources"],
    ["trends", "compute"],
    ["compare", "gpt-4", "gpt-4o"],
    ["changes"],
    ["db", "info"],
    ["db", "check"],
]
ADD_SIGNAL = [
    "signals", "add", "--date", "2025-01-01", "--entity", "Acme", "--category", "cluster",
    "--metric", "GPUs", "--value", "5", "--unit", "GPUs", "--source-url", "https://acme.test/",
    "--evidence", "vendor-claim",
]  # fmt: skip


@contextmanager
def immutable(*paths: Path):
    """``chattr +i`` on each path (the file, or its folder), undone afterwards; skip where unsupported."""
    done: list[Path] = []
    try:
        for path in paths:
            if (
                shutil.which("chattr") is None
                or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode
            ):
                pytest.skip("cannot make a file immutable here (chattr needs root and ext4 or the like)")
            done.append(path)
        yield
    finally:
        for path in reversed(done):
            subprocess.run(["chattr", "-i", str(path)], check=True)


def reads_work_and_writes_say_so(db: Path, tmp_path: Path) -> None:
    before = db.read_bytes()
    for command in READS:
        result = run("--db", str(db), *command)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert json.loads(run("--db", str(db), "prices", "--model", "gpt-4", "--json").stdout)
    export = run("--db", str(db), "export", "--out", str(tmp_path / "out"))
    assert export.returncode == 0 and (tmp_path / "out" / "prices.csv").is_file(), export.stderr
    doctor = run("--db", str(db), "doctor")
    assert "Traceback" not in doctor.stderr and "ok        database" in doctor.stdout, doctor.stdout
    (tmp_path / "mine.csv").write_text(
        "date,date_precision,category,entity,item,metric,value,value_high,unit,source_url,evidence,"
        "verified_via,confidence,notes\n2025-01-02,day,cluster,Acme,Acme cluster,GPUs,1000,,GPUs,"
        "https://acme.test/news,vendor-claim,,,\n",
        encoding="utf-8",
    )
    upgrade = run("--db", str(db), "db", "upgrade")  # fine when there is nothing to write
    assert (
        upgrade.returncode == 2 or "schema is up to date" in upgrade.stdout and "seeded" not in upgrade.stdout
    )
    for command in (ADD_SIGNAL, ["import", str(tmp_path / "mine.csv")]) + (
        (["db", "upgrade"],) if upgrade.returncode else ()
    ):
        result = run("--db", str(db), *command)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert "the database is read-only" in lines[0], lines
    assert db.read_bytes() == before


def stale(db: Path) -> None:
    """As if the curated files changed since the load (another checkout, a touched file)."""
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE meta SET value = 'an older stamp' WHERE key = 'curated_stamp'")
    connection.close()


# ---------------------------------------------------------------- the forms of read-only


def test_an_immutable_file_is_read_and_never_written(seeded_db_path, tmp_path):
    with immutable(seeded_db_path):
        reads_work_and_writes_say_so(seeded_db_path, tmp_path)


def test_an_immutable_file_whose_curated_data_is_stale_is_read_as_it_is(seeded_db_path, tmp_path):
    stale(seeded_db_path)
    with immutable(seeded_db_path):
        reads_work_and_writes_say_so(seeded_db_path, tmp_path)


def test_a_database_in_a_folder_that_cannot_be_written_is_read(seeded_db_path, tmp_path):
    """No -shm file can be made beside it: the file is read as immutable."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "fw.db"
    shutil.move(seeded_db_path, db)
    stale(db)
    with immutable(folder):
        reads_work_and_writes_say_so(db, tmp_path)
        assert sorted(path.name for path in folder.iterdir()) == ["fw.db"]


def test_an_immutable_file_in_an_immutable_folder_is_read(seeded_db_path, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "fw.db"
    shutil.move(seeded_db_path, db)
    with immutable(db, folder):
        reads_work_and_writes_say_so(db, tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes a chmod 444 file anyway")
def test_a_file_and_folder_without_write_permission_are_read(seeded_db_path, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "fw.db"
    shutil.move(seeded_db_path, db)
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        reads_work_and_writes_say_so(db, tmp_path)
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)


def test_a_read_only_database_behind_this_versions_schema_says_what_to_do(tmp_path):
    db = tmp_path / "old.db"
    engine = make_engine(str(db))
    migrations.upgrade(engine, target=SCHEMA_HEAD - 1)
    engine.dispose()
    with immutable(db):
        result = run("--db", str(db), "prices")
    [line] = result.stderr.strip().splitlines()
    assert (
        result.returncode == 2 and "read-only" in line and "db upgrade" in line and "can be written" in line
    )


# ---------------------------------------------------------------- doctor's advice works


def newer(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, 'from the future', ?)",
            (SCHEMA_HEAD + 1, "2030-01-01 00:00:00.000000"),
        )
    connection.close()


def foreign(db: Path) -> None:
    db.unlink()
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.close()


def older(db: Path) -> None:
    db.unlink()
    engine = make_engine(str(db))
    migrations.upgrade(engine, target=SCHEMA_HEAD - 2)
    engine.dispose()


@pytest.mark.parametrize(
    "make, advice",
    [
        (newer, "upgrade frontier-watch"),
        (foreign, "point --db at a frontier-watch database, or move this file away"),
        (older, "run frontier-watch db upgrade"),
    ],
)
def test_doctor_advises_only_what_works(seeded_db_path, make, advice):
    make(seeded_db_path)
    doctor = run("--db", str(seeded_db_path), "doctor")
    [database] = [line for line in doctor.stdout.splitlines() if line.split()[:2] == ["failed", "database"]]
    assert advice in database, database
    upgrade = run("--db", str(seeded_db_path), "db", "upgrade")
    if "db upgrade" in database:  # the advice is followed, and then doctor is content
        assert upgrade.returncode == 0, upgrade.stderr
        assert "ok        database" in run("--db", str(seeded_db_path), "doctor").stdout
    else:
        assert upgrade.returncode == 2
        [refusal] = upgrade.stderr.strip().splitlines()
        assert advice in refusal, refusal  # db upgrade, asked anyway, gives the same advice


async def test_the_dashboard_reads_a_database_in_a_folder_that_cannot_be_written(seeded_db_path, tmp_path):
    from test_tui import app_for, settle

    from frontier_watch.store.seed import open_database_to_read

    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "fw.db"
    shutil.move(seeded_db_path, db)
    stale(db)
    with immutable(folder):
        database = open_database_to_read(str(db))
        app = app_for(database)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("2")
                await settle(pilot, app, lambda: app.view("prices").table.row_count > 0)
                assert not [notice for notice in app._notifications if notice.severity == "error"]
        finally:
            database.engine.dispose()
        assert sorted(path.name for path in folder.iterdir()) == ["fw.db"]
