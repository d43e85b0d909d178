"""A damaged database file: every command says so in one line (exit 2), never a traceback.

The damage is made as ``dd if=/dev/urandom of=X.db bs=4096 seek=N count=M conv=notrunc``
makes it (random pages written over the file, here from a seeded generator so a run can be
repeated), plus a header page, a schema page, a text file, a truncated file and a small file.
Each command runs as a person runs it, in its own process.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_in_process import run  # the CLI as a terminal runs it, in this process

from frontier_watch.domain.clock import utc_now
from frontier_watch.domain.errors import DamagedDatabase
from frontier_watch.store import migrations
from frontier_watch.store.checks import check_database
from frontier_watch.store.database import make_engine, open_database
from frontier_watch.store.opening import open_reader

PAGE = 4096
DAMAGED = "the database file is damaged"
RESTORE = "restore it from a copy"


def overwrite_pages(path: Path, first: int, count: int, seed: int = 18) -> None:
    """What ``dd if=/dev/urandom bs=4096 seek=first count=count conv=notrunc`` does, repeatably."""
    noise = random.Random(seed)
    with path.open("r+b") as file:
        for page in range(first, first + count):
            file.seek(page * PAGE)
            file.write(noise.randbytes(PAGE))


def table_pages(path: Path, table: str | None = None) -> list[int]:
    """The pages (0-based, as dd counts) of ``table`` or of every table and index; never the schema's."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT name, pageno FROM dbstat").fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the pages of each table")
    finally:
        connection.close()
    return sorted(page - 1 for name, page in rows if name != "sqlite_schema" and table in (None, name))


def damage(path: Path, how: str) -> None:
    """Damage the database file at ``path`` in one of the ways below."""
    if how == "dd seek=100 count=20":  # the issue's reproduction, on a seeded (1.5 MB) database
        overwrite_pages(path, 100, 20)
    elif how == "every table page":
        for page in table_pages(path):
            overwrite_pages(path, page, 1, seed=page)
    elif how.startswith("table "):
        for page in table_pages(path, how.removeprefix("table ")):
            overwrite_pages(path, page, 1, seed=page)
    elif how == "header page":
        overwrite_pages(path, 0, 1)
    elif how == "schema page after the header":
        with path.open("r+b") as file:
            file.seek(100)
            file.write(random.Random(1).randbytes(PAGE - 100))
    elif how == "truncated":
        with path.open("r+b") as file:
            file.truncate(path.stat().st_size // 2 + 1234)
    elif how == "text file":
        path.write_text("name,price\ngpt-4,30\n", encoding="utf-8")
    elif how == "a schema entry that is not UTF-8":  # SQLite's own message then cannot be decoded
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA writable_schema=ON")
            connection.execute(
                "UPDATE sqlite_master SET name = CAST(x'9e9e' AS TEXT), sql = 'CREATE TABLE x(' "
                "WHERE name = 'meta'"
            )
        connection.close()
    else:  # pragma: no cover - a typo in a parameter
        raise AssertionError(how)


@pytest.fixture
def small_db_path(tmp_path) -> Path:
    """A migrated database without the curated data: about 200 kB, under dd's seek=100."""
    path = tmp_path / "small.db"
    engine = make_engine(str(path))
    migrations.upgrade(engine)
    engine.dispose()
    return path


def assert_one_line_about_damage(result: subprocess.CompletedProcess[str], command: list[str]) -> None:
    shown = f"{command}: rc={result.returncode}\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.returncode == 2, shown
    if command[0] == "doctor":  # its diagnosis is its output: the database line says it
        assert any(DAMAGED in line and RESTORE in line for line in result.stdout.splitlines()), shown
        return
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, shown
    assert DAMAGED in lines[0] and RESTORE in lines[0], shown


IMPORTED_SIGNAL = (
    "date,date_precision,category,entity,item,metric,value,value_high,unit,source_url,evidence,"
    "verified_via,confidence,notes\n"
    "2025-01-02,day,cluster,Acme,Acme cluster,GPUs,1000,,NVIDIA H100 GPUs,https://acme.test/news,"
    "vendor-claim,,medium,\n"
)


def read_commands(out: Path) -> list[list[str]]:
    return [
        ["prices"],
        ["prices", "--model", "gpt-4", "--as-of", "2024-01-01", "--json"],
        ["prices", "--unmatched"],
        ["prices", "--disagreements"],
        ["history", "deepseek-chat"],
        ["signals"],
        ["signals", "--unreviewed"],
        ["signals", "--history"],
        ["releases"],
        ["sources"],
        ["export", "--out", str(out)],
        ["trends", "capability", "--benchmark", "mmlu", "--threshold", "83"],
        ["trends", "model", "gpt-4o"],
        ["trends", "releases"],
        ["trends", "compute"],
        ["compare", "gpt-4", "gpt-4o"],
        ["changes", "--since", "2020-01-01"],
        ["db", "info"],
        ["db", "check"],
        ["doctor"],
    ]


def write_commands(tmp_path: Path, config: Path) -> list[list[str]]:
    csv = tmp_path / "mine.csv"
    csv.write_text(IMPORTED_SIGNAL, encoding="utf-8")
    return [
        ["db", "upgrade"],
        ["import", str(csv)],
        [
            "signals",
            "add",
            "--date",
            "2025-01-01",
            "--entity",
            "Acme",
            "--category",
            "cluster",
            "--metric",
            "GPUs",
            "--value",
            "5",
            "--unit",
            "GPUs",
            "--source-url",
            "https://acme.test/",
            "--evidence",
            "vendor-claim",
        ],  # fmt: skip
        ["signals", "review", "1", "--dismiss"],
        ["--config", str(config), "fetch", "openrouter"],
        ["--config", str(config), "schedule"],
    ]


# ---------------------------------------------------------------- every command, each damage


def test_every_command_on_a_database_whose_every_table_is_damaged_says_so_in_one_line(
    seeded_db_path, tmp_path, openrouter_served
):
    _, config = openrouter_served
    damage(seeded_db_path, "every table page")
    before = seeded_db_path.read_bytes()
    for command in read_commands(tmp_path / "out"):
        assert_one_line_about_damage(run("--db", str(seeded_db_path), *command), command)
    assert seeded_db_path.read_bytes() == before, "a read command changed the damaged file"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    for command in write_commands(tmp_path, config):
        assert_one_line_about_damage(run("--db", str(seeded_db_path), *command), command)


def test_the_issues_damage_never_shows_a_traceback_and_the_checks_find_it(seeded_db_path, tmp_path):
    """Pages 100-119 of 376: a command that reads only pages the damage missed may answer; the
    rest say it in one line. ``db check`` and ``doctor`` read every page (the integrity check),
    so they always find it."""
    damage(seeded_db_path, "dd seek=100 count=20")
    before = seeded_db_path.read_bytes()
    for command in read_commands(tmp_path / "out"):
        result = run("--db", str(seeded_db_path), *command)
        if command in (["db", "check"], ["doctor"]) or result.returncode != 0:
            assert_one_line_about_damage(result, command)
        assert "Traceback" not in result.stderr
    assert seeded_db_path.read_bytes() == before, "a read command changed the damaged file"


@pytest.mark.parametrize(
    "how",
    [
        "header page",
        "schema page after the header",
        "truncated",
        "text file",
        "a schema entry that is not UTF-8",
    ],
)
def test_a_file_damaged_where_every_command_opens_it_fails_them_all_in_one_line(
    seeded_db_path, tmp_path, how
):
    damage(seeded_db_path, how)
    before = seeded_db_path.read_bytes()
    for command in (["prices"], ["signals"], ["sources"], ["db", "info"], ["db", "check"], ["doctor"]):
        assert_one_line_about_damage(run("--db", str(seeded_db_path), *command), command)
    assert seeded_db_path.read_bytes() == before
    assert_one_line_about_damage(run("--db", str(seeded_db_path), "db", "upgrade"), ["db", "upgrade"])


def test_the_issues_reproduction_fails_the_commands_it_named_in_one_line(seeded_db_path, tmp_path):
    damage(seeded_db_path, "dd seek=100 count=20")
    for command in (["doctor"], ["db", "check"], ["export", "--out", str(tmp_path / "out")], ["signals"]):
        assert_one_line_about_damage(run("--db", str(seeded_db_path), *command), command)


def test_a_small_damaged_database_says_so_too(small_db_path):
    overwrite_pages(small_db_path, 10, 20)
    for command in (["db", "check"], ["doctor"], ["prices"]):
        assert_one_line_about_damage(run("--db", str(small_db_path), *command), command)


# ---------------------------------------------------------------- which check found it


def test_db_check_names_the_integrity_check_that_found_the_damage(seeded_db_path, tmp_path):
    damage(seeded_db_path, "dd seek=100 count=20")
    result = run("--db", str(seeded_db_path), "db", "check")
    assert_one_line_about_damage(result, ["db", "check"])
    assert "found by the integrity check" in result.stderr


def test_a_damaged_page_met_by_a_rule_names_that_rule(seeded_db_path, monkeypatch):
    """Should the integrity check miss it, the rule whose read met the damage is named (the
    first to read every table is the one that looks for unreadable values)."""
    from frontier_watch.store import checks

    monkeypatch.setattr(checks, "_integrity", lambda reader: iter(()))
    damage(seeded_db_path, "table price_interval")
    reader = open_reader(str(seeded_db_path))
    with reader, pytest.raises(DamagedDatabase, match=r"found by the rule unreadable") as raised:
        check_database(reader, utc_now())
    assert RESTORE in str(raised.value)


def test_the_integrity_check_passes_on_a_sound_database(seeded_db_path):
    with open_reader(str(seeded_db_path)) as reader:
        report = check_database(reader, utc_now())
    assert report.ok


# ---------------------------------------------------------------- the one place that translates


def test_the_driver_error_becomes_a_damaged_database_error_on_every_path(seeded_db_path):
    """The sqlite3 fast path, SQLAlchemy (migrations, writes) and opening: the same error."""
    copy = seeded_db_path.with_name("copy.db")
    shutil.copyfile(seeded_db_path, copy)
    damage(seeded_db_path, "every table page")
    with open_reader(str(copy)) as sound:
        tables = sound.column("SELECT name FROM sqlite_master WHERE type = 'table'")
    with pytest.raises(DamagedDatabase, match=DAMAGED):
        open_database(str(seeded_db_path))
    engine = make_engine(str(seeded_db_path))
    try:
        with pytest.raises(DamagedDatabase, match=str(seeded_db_path)), engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM price_interval").all()
    finally:
        engine.dispose()
    damage(copy, "header page")
    with pytest.raises(DamagedDatabase, match="not an SQLite database"):
        open_reader(str(copy))
    assert "price_interval" in tables


# ---------------------------------------------------------------- the dashboard


def test_the_dashboard_on_a_file_damaged_where_it_opens_stops_in_one_line(
    seeded_db_path, monkeypatch, capsys
):
    from frontier_watch.cli import main

    damage(seeded_db_path, "every table page")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--db", str(seeded_db_path)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert DAMAGED in line and RESTORE in line


async def test_the_dashboard_meeting_damage_later_says_so_and_keeps_running(seeded_db_path):
    from test_tui import app_for, settle

    damage(seeded_db_path, "table price_interval")
    database = open_database(str(seeded_db_path), migrate=False)
    app = app_for(database)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app, lambda: any(DAMAGED in str(n.message) for n in app._notifications))
            notice = next(n for n in app._notifications if DAMAGED in str(n.message))
            assert notice.severity == "error" and RESTORE in str(notice.message)
            await pilot.press("4")  # compute reads no price: it still answers
            await settle(pilot, app, lambda: app.view("compute").table.row_count > 0)
            await pilot.press("2")  # prices meet the same damage: said once, not once per read
            await settle(pilot, app)
            assert len([n for n in app._notifications if DAMAGED in str(n.message)]) == 1
    finally:
        database.engine.dispose()


def test_stored_text_that_is_not_utf8_is_damage_said_in_one_line(seeded_db_path):
    """frontier-watch only ever writes UTF-8: other bytes in a text cell mean the file changed under it."""
    with sqlite3.connect(seeded_db_path) as connection:
        connection.execute("UPDATE signal SET entity = CAST(x'fffe41' AS TEXT) WHERE id = 3")
        connection.execute("UPDATE meta SET value = CAST(x'c328' AS TEXT) WHERE key = 'data_version'")
    connection.close()
    for command in (["signals"], ["signals", "--json"], ["fetch", "curated"]):
        result = run("--db", str(seeded_db_path), *command)
        assert_one_line_about_damage(result, command)
        assert "not UTF-8" in result.stderr and "\ufffd" not in result.stderr
