"""export: files that re-read as the database's rows, a past day reproduced, formulas made inert, hashes."""

import csv
import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from frontier_watch.cli import main
from frontier_watch.domain.clock import end_of_day, utc_now
from frontier_watch.render.public_rows import price_record
from frontier_watch.store import price_reads, release_reads, signal_reads
from frontier_watch.store.reading import reader_for
from frontier_watch.store.seed import open_seeded_database
from frontier_watch.use_cases.export import csv_cell, neutralised, selected_tables

PRICE_COLUMNS = ("input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok", "request_usd")


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def price_key(record):
    """A price row as typed values: what the CSV must give back exactly."""
    return (
        record["source"],
        record["provider"],
        record["offering_id"],
        record["tier"],
        record["model_id"] or None,
        *(None if record[column] in (None, "") else Decimal(str(record[column])) for column in PRICE_COLUMNS),
        _time(record["effective_from"]),
        _time(record["effective_to"]),
    )


def _time(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value.removesuffix("Z"))


def test_exported_csvs_read_back_as_the_databases_rows(database_url, tmp_path, capsys):
    database = open_seeded_database(database_url)
    out = tmp_path / "out"
    assert main(["--db", database_url, "export", "--out", str(out)]) == 0
    with reader_for(database) as reader:
        prices = [price_record(row) for row in price_reads.prices_as_of(reader, utc_now())]
        history = [price_record(row) for row in price_reads.all_price_history(reader)]
        releases = release_reads.releases(reader)
        signals = signal_reads.signals(reader)
    database.engine.dispose()

    exported_prices = read_csv(out / "prices.csv")
    assert sorted(map(price_key, exported_prices), key=repr) == sorted(map(price_key, prices), key=repr)
    assert len(prices) > 500
    exported_history = read_csv(out / "history.csv")
    assert sorted(map(price_key, exported_history), key=repr) == sorted(map(price_key, history), key=repr)
    assert len(history) > len(prices)

    exported_releases = read_csv(out / "releases.csv")
    assert sorted((row["source"], row["model"], row["date"]) for row in exported_releases) == sorted(
        (row["source_id"], row["model"], row["date"].isoformat()) for row in releases
    )
    exported_signals = read_csv(out / "signals.csv")
    assert sorted(int(row["id"]) for row in exported_signals) == sorted(row["id"] for row in signals)
    by_id = {int(row["id"]): row for row in exported_signals}
    for signal in signals:
        if signal["value"] is not None:
            assert (
                float(by_id[signal["id"]]["value"]) == signal["value"]
            )  # floats written to read back exactly
    assert "history.csv" in capsys.readouterr().out


def test_as_of_reproduces_a_past_days_prices(seeded_db_path, tmp_path, capsys):
    db = str(seeded_db_path)
    assert main(["--db", db, "prices", "--offerings", "--as-of", "2023-03-20", "--json"]) == 0
    asked = json.loads(capsys.readouterr().out)
    assert main(["--db", db, "export", "prices", "--as-of", "2023-03-20", "--out", str(tmp_path)]) == 0
    exported = read_csv(tmp_path / "prices.csv")
    assert sorted(map(price_key, exported), key=repr) == sorted(map(price_key, asked), key=repr)
    gpt4 = [row for row in exported if row["offering_id"] == "gpt-4" and row["source"] == "curated"]
    assert [(row["input_usd_per_mtok"], row["output_usd_per_mtok"]) for row in gpt4] == [("30", "60")]
    assert not [row for row in exported if row["model_id"] == "deepseek-r1"]  # released 2025
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["as_of"] == "2023-03-20"
    # History as of that day: no interval that starts later.
    assert main(["--db", db, "export", "history", "--as-of", "2023-03-20", "--out", str(tmp_path)]) == 0
    starts = [_time(row["effective_from"]) for row in read_csv(tmp_path / "history.csv")]
    assert starts and all(start is None or start <= end_of_day(date(2023, 3, 20)) for start in starts)


def test_a_formula_in_a_name_is_exported_inert_and_numbers_stay_numbers(tmp_path, capsys):
    from frontier_watch.domain.batch import PricedOffering, PriceSegment
    from frontier_watch.domain.identity import Identity
    from frontier_watch.domain.vocabulary import Basis
    from frontier_watch.store.price_intervals import Provenance, record_offerings

    db = str(tmp_path / "fw.db")
    database = open_seeded_database(db)
    evil = '=HYPERLINK("http://x","y")'
    with database.engine.begin() as connection:
        record_offerings(
            connection,
            [
                PricedOffering(
                    offering_id="@evil/model",
                    name=evil,
                    provider="openrouter",
                    lab="+lab",
                    segments=[PriceSegment(input=Decimal("0.55"), output=Decimal("2.19"))],
                )
            ],
            Provenance("openrouter", Basis.OBSERVED, "https://example.test/models", "official-announcement"),
            observed_at=datetime(2026, 3, 1, 6, 0),
            identity=Identity({}, {}),
        )
    database.engine.dispose()
    assert main(["--db", db, "export", "prices", "--out", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "prices.csv").read_text(encoding="utf-8")
    [row] = [row for row in read_csv(tmp_path / "out" / "prices.csv") if "HYPERLINK" in row["offering_name"]]
    assert row["offering_name"] == "'" + evil
    assert row["offering_id"] == "'@evil/model"
    assert (row["input_usd_per_mtok"], row["output_usd_per_mtok"]) == ("0.55", "2.19")
    assert "\n=" not in text and ",=" not in text and ',"=' not in text  # no cell starts a formula
    for line in csv.reader(text.splitlines()):
        assert not [cell for cell in line if cell[:1] in ("=", "+", "@", "\t", "\r")]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\ufffdx"),  # a carriage return is no text to keep: inert, so no formula either
        ("plain", "plain"),
        (Decimal("-1.5"), "-1.5"),  # a number stays a number
        (-3, "-3"),
        (1e25, "1e+25"),
        (Decimal("0.000100"), "0.0001"),
        (None, ""),
        (True, "true"),
        (datetime(2025, 1, 2, 3, 4, 5), "2025-01-02T03:04:05Z"),
        (date(2025, 1, 2), "2025-01-02"),
        (["-a", "b"], '["-a","b"]'),
    ],
)
def test_cells_are_exact_and_inert(value, cell):
    assert csv_cell(value) == cell


def test_neutralised_leaves_safe_text_alone():
    assert neutralised("GPT-4") == "GPT-4"


def test_the_manifest_hashes_match_the_files_and_name_every_contributing_source(seeded_db_path, tmp_path):
    db = str(seeded_db_path)
    assert main(["--db", db, "export", "all", "--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["tool"] == "frontier-watch" and manifest["version"]
    assert manifest["as_of"] is None and manifest["exported_at"].endswith("Z")
    assert [item["name"] for item in manifest["files"]] == [
        "prices.csv",
        "history.csv",
        "releases.csv",
        "signals.csv",
        "trends.csv",
    ]
    for item in manifest["files"]:
        body = (tmp_path / item["name"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(body).hexdigest()
        rows = read_csv(tmp_path / item["name"])
        assert item["rows"] == len(rows)
        assert sum(source["rows"] for source in item["sources"]) == sum(
            len(row["source"].split(", ")) for row in rows
        )
        # A trend point's price may come from several sources ("curated, llm-prices"): each is named.
        assert {source["id"] for source in item["sources"]} == {
            source for row in rows for source in row["source"].split(", ")
        }
    [prices] = [item for item in manifest["files"] if item["table"] == "prices"]
    licences = {source["id"]: source["licence"] for source in prices["sources"]}
    assert licences["litellm"].startswith("MIT") and licences["llm-prices"].startswith("Apache-2.0")
    assert all(source["attribution"] for source in prices["sources"])


def test_two_exports_of_the_same_data_are_the_same_bytes(seeded_db_path, tmp_path):
    db = str(seeded_db_path)
    for name in ("a", "b"):
        assert main(["--db", db, "export", "--out", str(tmp_path / name)]) == 0
    for name in ("prices.csv", "history.csv", "releases.csv", "signals.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    first = json.loads((tmp_path / "a" / "manifest.json").read_text())
    second = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert first["files"] == second["files"]


def test_json_format_keeps_numbers_as_numbers(seeded_db_path, tmp_path):
    db = str(seeded_db_path)
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "prices",
                "--format",
                "json",
                "--as-of",
                "2023-03-20",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    rows = json.loads((tmp_path / "prices.json").read_text())
    [gpt4] = [row for row in rows if row["offering_id"] == "gpt-4" and row["source"] == "curated"]
    assert (gpt4["input_usd_per_mtok"], gpt4["output_usd_per_mtok"]) == (30, 60)
    assert json.loads((tmp_path / "manifest.json").read_text())["files"][0]["name"] == "prices.json"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["export", "--as-of", "2025-13-01"],
            "export --as-of: '2025-13-01' is not a date (expected YYYY-MM-DD)",
        ),
        (["export", "--as-of", "2999-01-01"], "export --as-of: 2999-01-01 is in the future"),
        (
            ["export", "nosuch"],
            "export: unknown table 'nosuch' (known: prices, history, releases, signals, trends, all)",
        ),
    ],
)
def test_bad_export_arguments_are_one_line_errors(seeded_db_path, tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    assert main(["--db", str(seeded_db_path), *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"frontier-watch: error: {message}\n"
    assert not out.exists()


def test_an_unwritable_out_folder_is_one_line_and_leaves_the_database_as_it_was(
    seeded_db_path, tmp_path, capsys
):
    before = seeded_db_path.read_bytes()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["--db", str(seeded_db_path), "export", "--out", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontier-watch: error: export: ") and err.count("\n") == 1
    assert "cannot make the export folder" in err
    assert seeded_db_path.read_bytes() == before


def test_all_is_every_table_there_is_and_names_are_kept_once():
    assert selected_tables(["all"]) == ["prices", "history", "releases", "signals", "trends"]
    assert selected_tables(["signals", "prices", "signals"]) == ["signals", "prices"]
    assert selected_tables([]) == selected_tables(["all"])


def test_trends_export_the_standard_trends_and_as_of_ends_them_that_day(seeded_db_path, tmp_path):
    db = str(seeded_db_path)
    assert main(["--db", db, "export", "trends", "--out", str(tmp_path / "now")]) == 0
    assert (
        main(["--db", db, "export", "trends", "--as-of", "2024-12-31", "--out", str(tmp_path / "then")]) == 0
    )
    now = read_csv(tmp_path / "now" / "trends.csv")
    then = read_csv(tmp_path / "then" / "trends.csv")
    trends = {row["trend"] for row in now}
    assert trends == {"gpqa_diamond >= 35.7 (epoch)", "mmlu >= 83 (epoch)", "mmlu >= 83 (a16z)"}
    gpqa = [row for row in now if row["trend"].startswith("gpqa")]
    assert 40 / 10 <= float(gpqa[0]["factor_per_year"]) <= 40 * 2  # about 18x with the 90-day window
    assert {"date", "model_id", "blended_usd_per_mtok", "score", "source", "ci_low", "ci_high"} <= set(now[0])
    assert {"price_lag_days", "headline_problem"} <= set(now[0])
    assert all(int(row["price_lag_days"]) <= 90 for row in now if row["trend"].endswith("(epoch)"))
    assert then and all(row["date"] <= "2024-12-31" for row in then)
    assert len(then) < len(now)


def test_the_as_of_rule_a_date_means_the_end_of_that_day():
    """domain/clock.py: the one as-of rule `prices --as-of` and `export --as-of` both apply."""
    from frontier_watch.domain.clock import as_of_instant, by_end_of

    day, now = date(2024, 5, 13), datetime(2026, 1, 1, 9, 30)
    assert as_of_instant(day, now) == datetime(2024, 5, 13, 23, 59, 59, 999999)
    assert as_of_instant(None, now) is now and as_of_instant(None, None) is None
    assert by_end_of(day, datetime(2024, 5, 13, 23, 59)) and by_end_of(day, day)
    assert not by_end_of(day, datetime(2024, 5, 14)) and not by_end_of(day, date(2024, 5, 14))
    assert not by_end_of(day, None) and not by_end_of(day, "2024-05-01")  # no date: not dated by then
