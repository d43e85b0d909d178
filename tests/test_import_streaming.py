"""``import`` reads a file as it writes it, in batches, and is still all or nothing.

Batch sizes are made small here so a file of a few hundred rows spans many batches: what
is proved is the structure (rows staged as they are read, written a batch of whole
offerings at a time, a bad row or a failing batch anywhere rolling everything back), not
a memory figure; bench/import_memory.py measures that on 300,000 rows.
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from frontier_watch.cli import main
from frontier_watch.sources.curated import PRICE_COLUMNS

FIRST_DAY = date(2020, 1, 6)


def price_rows(offerings: int, spans: int, *, interleaved: bool = False) -> list[dict[str, str]]:
    """``spans`` consecutive daily spans for each offering (the last open); ``interleaved``
    lists span 1 of every offering, then span 2 of every offering, and so on."""
    rows = []
    order = (
        [(o, s) for s in range(spans) for o in range(offerings)]
        if interleaved
        else [(o, s) for o in range(offerings) for s in range(spans)]
    )
    for offering, span in order:
        start = FIRST_DAY + timedelta(days=span)
        rows.append(
            {
                "source": "mine",
                "provider": f"Provider {offering % 3}",
                "offering_id": f"p{offering % 3}/model-{offering}",
                "name": f"Model {offering}",
                "tier": "default",
                "input_usd_per_mtok": f"{1 + span / 100:.2f}",
                "output_usd_per_mtok": "4",
                "effective_from": start.isoformat(),
                "effective_to": "" if span == spans - 1 else (start + timedelta(days=1)).isoformat(),
                "basis": "curated",
                "source_url": "https://example.com/prices",
                "evidence": "official-announcement",
            }
        )
    return rows


def write_prices(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(PRICE_COLUMNS)
        writer.writerows([[row.get(column, "") for column in PRICE_COLUMNS] for row in rows])
    return path


def snapshot(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("offering", "price_interval", "model", "price_flag", "signal")
        }


def run(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 40 rows, so a few hundred rows are many batches."""
    from frontier_watch.store import fact_files, price_files

    monkeypatch.setattr(price_files, "STAGE_ROWS", 40)
    monkeypatch.setattr(price_files, "WRITE_ROWS", 40)
    monkeypatch.setattr(fact_files, "WRITE_ROWS", 40)


@pytest.fixture
def written_batches(monkeypatch):
    """Every batch the price writer is handed: a list of [(provider, offering id, spans)]."""
    from frontier_watch.store import price_files

    calls: list[list[tuple[str, str, int]]] = []
    real = price_files.record_offerings

    def spy(connection, offerings, *args, **kwargs):
        calls.append([(o.provider, o.offering_id, len(o.segments)) for o in offerings])
        return real(connection, offerings, *args, **kwargs)

    monkeypatch.setattr(price_files, "record_offerings", spy)
    return calls


@pytest.mark.parametrize("interleaved", [False, True])
def test_a_file_is_written_in_batches_of_whole_offerings(
    seeded_db_path, tmp_path, capsys, small_batches, written_batches, interleaved
):
    path = write_prices(tmp_path / "mine.csv", price_rows(30, 7, interleaved=interleaved))
    code, out, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 0, err
    assert "imported 210 prices rows" in out
    assert len(written_batches) >= 5  # 210 rows in batches of about 40
    offerings = [offering for batch in written_batches for offering in batch]
    assert len(offerings) == len(set(offerings)) == 30  # each offering whole, in one batch
    assert all(spans == 7 for _, _, spans in offerings)
    assert all(sum(spans for *_, spans in batch) <= 40 + 6 for batch in written_batches)
    # The same as one big batch would store: every span, each offering's last one open.
    with sqlite3.connect(seeded_db_path) as connection:
        stored = connection.execute(
            "SELECT count(*), count(*) - count(i.effective_to) FROM price_interval i "
            "JOIN offering o ON o.id = i.offering_pk WHERE o.source_id = 'user' AND i.superseded_at IS NULL"
        ).fetchone()
    assert stored == (210, 30)
    # Importing it again changes nothing.
    before = snapshot(seeded_db_path)
    assert run(seeded_db_path, capsys, "import", str(path))[0] == 0
    assert snapshot(seeded_db_path) == before


def test_rows_are_staged_as_they_are_read_not_after_the_whole_file(tmp_path, empty_engine, monkeypatch):
    """The file is read lazily: when row n is read, all but the last few dozen before it are
    already in the database (the staging table), so the rows in memory never grow with the file."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.domain.identity import Identity
    from frontier_watch.sources import curated
    from frontier_watch.store import price_files
    from frontier_watch.use_cases.importing import text_lines

    monkeypatch.setattr(price_files, "STAGE_ROWS", 40)
    path = write_prices(tmp_path / "mine.csv", price_rows(50, 6))
    behind: list[int] = []  # rows read but not yet staged, each time a row is read
    with empty_engine.begin() as connection:

        def watched(rows):
            for number, row in enumerate(rows):
                if number:
                    staged = connection.exec_driver_sql("SELECT count(*) FROM fw_staged_price").scalar_one()
                    behind.append(number - staged)
                yield row

        where = str(path)
        stored = price_files.record_price_rows(
            connection,
            watched(curated.price_rows(text_lines(path), where)),
            where,
            Identity({}, {}),
            utc_now(),
        )
    assert stored == 300
    assert len(behind) == 299 and max(behind) <= 40  # never more than one staging batch held


def test_a_bad_row_on_the_last_line_of_a_many_batch_file_stores_nothing(
    seeded_db_path, tmp_path, capsys, small_batches
):
    rows = price_rows(40, 10)
    rows[-1]["input_usd_per_mtok"] = "-4"
    path = write_prices(tmp_path / "mine.csv", rows)
    before = snapshot(seeded_db_path)
    code, _, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 2 and err.startswith(f"frontier-watch: error: {path}:401: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(seeded_db_path) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # the last row starts inside the first offering's second span
        (
            lambda rows: rows[-1].update(offering_id="p0/model-0", effective_from="2020-01-07T12:00:00Z"),
            "overlaps line 3 ",
        ),
        # the last row repeats the first offering's first span
        (
            lambda rows: rows[-1].update(offering_id="p0/model-0", effective_from="2020-01-06"),
            "same offering, tier and effective_from as line 2",
        ),
    ],
)
def test_a_clash_between_the_first_and_the_last_line_names_both_and_stores_nothing(
    seeded_db_path, tmp_path, capsys, small_batches, change, message
):
    rows = price_rows(40, 10)
    change(rows)
    path = write_prices(tmp_path / "mine.csv", rows)
    before = snapshot(seeded_db_path)
    code, _, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 2 and f"{path}:401: {message}" in err, err
    assert snapshot(seeded_db_path) == before


def test_a_batch_that_fails_after_others_were_written_rolls_them_all_back(
    seeded_db_path, tmp_path, capsys, small_batches, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from frontier_watch.store import price_files

    real = price_files.record_offerings
    calls = []

    def failing_third(connection, offerings, *args, **kwargs):
        calls.append(len(offerings))
        if len(calls) == 3:
            raise OperationalError("INSERT ...", {}, Exception("database or disk is full"))
        return real(connection, offerings, *args, **kwargs)

    monkeypatch.setattr(price_files, "record_offerings", failing_third)
    path = write_prices(tmp_path / "mine.csv", price_rows(40, 10))
    before = snapshot(seeded_db_path)
    code, _, err = run(seeded_db_path, capsys, "import", str(path))
    assert len(calls) == 3  # two batches were written before the third failed
    assert code == 2 and "database or disk is full" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert snapshot(seeded_db_path) == before


def test_a_byte_that_is_not_utf8_deep_in_the_file_names_its_line(seeded_db_path, tmp_path, capsys):
    path = write_prices(tmp_path / "mine.csv", price_rows(30, 10))
    lines = path.read_bytes().splitlines(keepends=True)
    lines[250] = lines[250].replace(b"Model", b"Mod\xffel")
    path.write_bytes(b"".join(lines))
    before = snapshot(seeded_db_path)
    code, _, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 2 and f"{path}:251: not UTF-8 text" in err and "Traceback" not in err
    assert snapshot(seeded_db_path) == before


def test_a_cell_too_large_for_the_csv_reader_is_one_line_naming_its_line(seeded_db_path, tmp_path, capsys):
    rows = price_rows(3, 2)
    rows[4]["notes"] = "x" * 200_000
    path = write_prices(tmp_path / "mine.csv", rows)
    before = snapshot(seeded_db_path)
    code, _, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 2 and f"{path}:6: field larger than field limit" in err and "Traceback" not in err
    assert snapshot(seeded_db_path) == before


def signal_rows(count: int) -> tuple[list[str], list[list[str]]]:
    from frontier_watch.settings.paths import data_dir

    header = next(csv.reader((data_dir() / "signals.csv").open(encoding="utf-8")))
    rows = []
    for number in range(count):
        row = dict.fromkeys(header, "")
        row.update(
            date=(FIRST_DAY + timedelta(days=number % 300)).isoformat(),
            category="cluster",
            entity=f"Lab {number}",
            item=f"cluster {number}",
            metric="GPUs",
            value=str(1000 + number),
            unit="GPUs",
            source_url="https://example.com/cluster",
            evidence="press-report",
        )
        rows.append([row[column] for column in header])
    return header, rows


def test_signals_are_written_in_batches_and_a_repeated_key_at_the_end_stores_nothing(
    seeded_db_path, tmp_path, capsys, small_batches
):
    header, rows = signal_rows(200)
    path = tmp_path / "signals.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *rows])
    before = snapshot(seeded_db_path)
    code, out, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 0 and "imported 200 signals rows" in out, err
    assert snapshot(seeded_db_path)["signal"] == before["signal"] + 200

    repeated = tmp_path / "repeated.csv"
    rows = [[cell.replace("Lab", "Org") for cell in row] for row in rows]
    rows[-1] = rows[4]  # line 202 repeats line 6
    with repeated.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *rows])
    before = snapshot(seeded_db_path)
    code, _, err = run(seeded_db_path, capsys, "import", str(repeated))
    assert code == 2 and f"{repeated}:201: duplicate of line 6 " in err, err
    assert snapshot(seeded_db_path) == before


def test_streaming_import_on_sqlite_and_postgresql(storage_engine, tmp_path, small_batches):
    """The staging SQL is portable: a many-batch file is stored, a clash on its last line is not."""
    from sqlalchemy import text

    from frontier_watch.domain.errors import DataError
    from frontier_watch.use_cases.importing import import_file

    def user_intervals():
        with storage_engine.connect() as connection:
            return connection.execute(
                text(
                    "SELECT count(*) FROM price_interval i JOIN offering o ON o.id = i.offering_pk "
                    "WHERE o.source_id = 'user'"
                )
            ).scalar_one()

    good = write_prices(tmp_path / "good.csv", price_rows(25, 8, interleaved=True))
    assert import_file(storage_engine, good).rows == 200
    assert user_intervals() == 200
    assert import_file(storage_engine, good).rows == 200  # again: the staging tables are made anew
    assert user_intervals() == 200
    rows = price_rows(25, 8)
    rows[-1].update(offering_id="p0/model-0", effective_from="2020-01-08T12:00:00Z")
    bad = write_prices(tmp_path / "bad.csv", [{**row, "source": "other"} for row in rows])
    with pytest.raises(DataError, match=r"bad\.csv:201: overlaps line 4 "):
        import_file(storage_engine, bad)
    assert user_intervals() == 200
