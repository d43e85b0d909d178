"""A number outside what its quantity can be never reaches the store, and no fit ever raises.

An Epoch cluster of 1e308 H100 equivalents used to be stored, after which ``trends compute``
died with OverflowError and the dashboard's Overview never left "reading…"; ``signals add
--value 1e308`` was accepted; a repository with 10**30 likes failed the whole Hugging Face
source ("Python int too large to convert to SQLite INTEGER"). Each quantity now has one
plausible bound (frontier_watch.domain.plausible), an item outside it is skipped with the reason,
and a fit that cannot be computed is a message.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
from datetime import date, datetime

import polars as pl
import pytest
from fixture_server import fixture_server
from hostile_input import (
    HF_PAGE,
    assert_one_line_error,
    assert_reads_work,
    epoch_cell,
    epoch_csv,
    fetch_one,
    hf_page,
    hf_repo_ids,
    integrity_ok,
    run_cli,
    run_note,
    served_config,
    table_counts,
)

from frontier_watch.analytics.fit import CannotFit, fit_rate

# ---------------------------------------------------------------- fetches

# (source id, route, body with one value out of bounds, options, label in the note, what the note says)
FETCH_CASES = {
    "gpu-cluster-h100e-1e200": (
        "epoch-gpu-clusters",
        "/gpu_clusters.csv",
        epoch_csv("epoch-gpu-clusters", 15, **{"H100 equivalents": "1e200"}),
        {},
        epoch_cell("epoch-gpu-clusters", 15, "Name"),
        "H100 equivalents",
    ),
    "gpu-cluster-h100e-1e308": (
        "epoch-gpu-clusters",
        "/gpu_clusters.csv",
        epoch_csv("epoch-gpu-clusters", 19, **{"H100 equivalents": "1e308"}),
        {},
        epoch_cell("epoch-gpu-clusters", 19, "Name"),
        "H100 equivalents",
    ),
    "gpu-cluster-chips-1e12": (
        "epoch-gpu-clusters",
        "/gpu_clusters.csv",
        epoch_csv("epoch-gpu-clusters", 23, **{"Chip quantity (primary)": "1000000000000"}),
        {},
        epoch_cell("epoch-gpu-clusters", 23, "Name"),
        "chips",
    ),
    "gpu-cluster-cost-1e300-usd": (
        "epoch-gpu-clusters",
        "/gpu_clusters.csv",
        epoch_csv("epoch-gpu-clusters", 24, **{"Hardware Cost": "1e300"}),
        {},
        epoch_cell("epoch-gpu-clusters", 24, "Name"),
        "hardware cost",
    ),
    "data-centre-power-1e200-mw": (
        "epoch-data-centers",
        "/data_center_timelines.csv",
        epoch_csv("epoch-data-centers", 3, **{"Power (MW)": "1e200"}),
        {},
        epoch_cell("epoch-data-centers", 3, "Data center"),
        "power capacity",
    ),
    "hardware-tdp-1e300-w": (
        "epoch-hardware",
        "/ml_hardware.csv",
        epoch_csv("epoch-hardware", 1, **{"TDP (W)": "1e300"}),
        {},
        epoch_cell("epoch-hardware", 1, "Hardware name"),
        "TDP",
    ),
    "model-parameters-1e300": (
        "epoch-models",
        "/notable_ai_models.csv",
        epoch_csv("epoch-models", 0, Parameters="1e300"),
        {},
        epoch_cell("epoch-models", 0, "Model"),
        "parameter count",
    ),
    "model-compute-1e300-flop": (
        "epoch-models",
        "/notable_ai_models.csv",
        epoch_csv("epoch-models", 1, **{"Training compute (FLOP)": "1e300"}),
        {},
        epoch_cell("epoch-models", 1, "Model"),
        "training compute",
    ),
    "hf-likes-10-to-the-30": (
        "huggingface",
        HF_PAGE,
        hf_page(0, likes=10**30),
        {"orgs": ["deepseek-ai"], "limit": 6},
        hf_repo_ids()[0],
        "likes",
    ),
    "hf-downloads-2-to-the-64": (
        "huggingface",
        HF_PAGE,
        hf_page(1, downloads=2**64),
        {"orgs": ["deepseek-ai"], "limit": 6},
        hf_repo_ids()[1],
        "downloads",
    ),
    "hf-parameters-10-to-the-30": (
        "huggingface",
        HF_PAGE,
        hf_page(2, safetensors={"total": 10**30}),
        {"orgs": ["deepseek-ai"], "limit": 6},
        hf_repo_ids()[2],
        "params",
    ),
}


@pytest.mark.parametrize("case", list(FETCH_CASES))
def test_a_fetch_skips_the_value_out_of_bounds_naming_it_and_keeps_the_rest(tmp_path, capsys, case):
    source_id, route, body, options, label, metric = FETCH_CASES[case]
    with fixture_server() as server:
        url = server.serve(route, body)
        config = served_config(
            tmp_path, source_id, server.base_url if source_id == "huggingface" else url, **options
        )
        summary = fetch_one(capsys, config, source_id)
    db = tmp_path / "fw.db"
    note = run_note(db)
    assert summary["status"] == "ok", summary
    assert summary["records"] > 0 and summary["skipped"] >= 1
    assert label in note and metric in note and "plausible" in note, note
    with sqlite3.connect(db) as connection:  # nothing out of bounds was stored, whatever its column
        assert connection.execute("SELECT count(*) FROM signal WHERE abs(value) >= 1e27").fetchone()[0] == 0
        assert (
            connection.execute(
                "SELECT count(*) FROM signal WHERE metric = 'chips' AND value >= 1e12"
            ).fetchone()[0]
            == 0
        )
        assert (
            connection.execute(
                "SELECT count(*) FROM release WHERE total_params_b > 1e6 OR training_compute_flop > 1e32 "
                "OR params > 1e15"
            ).fetchone()[0]
            == 0
        )
        assert (
            connection.execute(
                "SELECT count(*) FROM release_stat WHERE likes > 1e9 OR downloads > 1e12"
            ).fetchone()[0]
            == 0
        )
    assert integrity_ok(db)
    assert_reads_work(capsys, db)


def test_a_repository_with_absurd_likes_keeps_its_release_and_the_rest_of_the_source(tmp_path, capsys):
    with fixture_server() as server:
        server.serve(HF_PAGE, hf_page(0, likes=10**30))
        config = served_config(tmp_path, "huggingface", server.base_url, orgs=["deepseek-ai"], limit=6)
        summary = fetch_one(capsys, config, "huggingface")
    db = tmp_path / "fw.db"
    with sqlite3.connect(db) as connection:
        releases = {
            row[0]
            for row in connection.execute("SELECT release_key FROM release WHERE source_id = 'huggingface'")
        }
        stats = {row[0] for row in connection.execute("SELECT hf_repo_id FROM release_stat")}
    assert summary["status"] == "ok" and releases == set(hf_repo_ids())
    assert stats == set(hf_repo_ids()) - {hf_repo_ids()[0]}


# ---------------------------------------------------------------- a person's numbers


def signal_argv(db, *changes: str) -> list[str]:
    base = {
        "--date": "2025-06-01",
        "--entity": "xAI",
        "--category": "cluster",
        "--metric": "GPUs",
        "--value": "100000",
        "--unit": "GPUs",
        "--source-url": "https://example.com/x",
        "--evidence": "press-report",
    }
    base.update(dict(zip(changes[::2], changes[1::2], strict=True)))
    return ["--db", str(db), "signals", "add", *[part for pair in base.items() for part in pair]]


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        (("--value", "1e308"), "--value"),
        (("--value", "1e10"), "--value"),  # ten billion GPUs
        (("--value", "100", "--value-high", "1e308"), "--value-high"),
        (("--metric", "power capacity", "--unit", "GW", "--value", "2e6"), "--value"),  # two million GW
        (("--metric", "capex", "--unit", "billion USD", "--value", "1e9", "--category", "capex"), "--value"),
    ],
)
def test_signals_add_refuses_a_value_beyond_its_quantity(seeded_db_path, capsys, changes, flag):
    before = table_counts(seeded_db_path)
    run = run_cli(capsys, *signal_argv(seeded_db_path, *changes))
    assert_one_line_error(run, flag, "plausible")
    assert table_counts(seeded_db_path) == before


@pytest.mark.parametrize(
    "changes",
    [
        ("--metric", "power capacity", "--unit", "GW", "--value", "10", "--category", "power"),
        ("--metric", "TDP", "--unit", "W", "--value", "1200", "--category", "chip_launch"),
        ("--metric", "capex", "--unit", "billion USD", "--value", "175", "--category", "capex"),
        ("--metric", "training compute threshold", "--unit", "operations", "--value", "1e26"),
    ],
)
def test_signals_add_keeps_values_in_the_range_of_their_quantity(seeded_db_path, capsys, changes):
    run = run_cli(capsys, *signal_argv(seeded_db_path, *changes))
    assert run.code == 0, run.err


def test_import_refuses_a_signal_value_beyond_its_quantity(seeded_db_path, tmp_path, capsys):
    path = tmp_path / "signals.csv"
    path.write_text(
        "date,category,entity,item,metric,value,unit,source_url,evidence\n"
        "2025-01-01,cluster,xAI,Colossus,H100 equivalents,1e308,H100 equivalents,https://example.com/a,press-report\n",
        encoding="utf-8",
    )
    before = table_counts(seeded_db_path)
    run = run_cli(capsys, "--db", str(seeded_db_path), "import", str(path))
    assert_one_line_error(run, "signals.csv:2", "plausible")
    assert table_counts(seeded_db_path) == before


# ---------------------------------------------------------------- fits never raise


def series(*points: tuple[date, float]) -> pl.DataFrame:
    return pl.DataFrame(
        {"date": [day for day, _ in points], "value": [value for _, value in points]},
        schema={"date": pl.Date, "value": pl.Float64},
    )


@pytest.mark.parametrize(
    "points",
    [
        ((date(2024, 1, 1), 1.0), (date(2024, 1, 2), 1e300)),  # the slope overflows exp()
        ((date(2024, 1, 1), 1e300), (date(2024, 1, 2), 1e-300), (date(2024, 1, 3), 1.0)),  # underflow
        ((date(2024, 1, 1), math.inf), (date(2025, 1, 1), 10.0)),  # one usable point
        ((date(2024, 1, 1), math.nan), (date(2025, 1, 1), 10.0), (date(2025, 6, 1), math.nan)),
    ],
)
def test_a_fit_that_cannot_be_computed_says_why_instead_of_raising(points):
    with pytest.raises(CannotFit) as refused:
        fit_rate(series(*points), decline=False)
    assert str(refused.value).strip() and "\n" not in str(refused.value)


def test_non_finite_values_are_left_out_of_a_fit():
    fit = fit_rate(
        series(
            (date(2023, 1, 1), 100.0),
            (date(2023, 6, 1), math.inf),
            (date(2024, 1, 1), 1000.0),
            (date(2024, 6, 1), math.nan),
            (date(2025, 1, 1), 10000.0),
        ),
        decline=False,
    )
    assert fit.points == 3 and fit.factor_per_year == pytest.approx(10.0, rel=0.01)


# Values an older version stored, or a person with sqlite3: the commands and the dashboard still answer.
STORED_NUMBERS = {"1e308": 1e308, "1e200": 1e200, "inf": math.inf, "-inf": -math.inf, "nan": math.nan}


@pytest.fixture(scope="module")
def seeded_copy(tmp_path_factory):
    from frontier_watch.store.seed import open_seeded_database

    path = tmp_path_factory.mktemp("numbers") / "seeded.db"
    open_seeded_database(str(path)).engine.dispose()
    return path


def _poison_largest_cluster(db, value: float) -> None:
    """A cluster dated after every other, holding ``value`` GPUs and H100 equivalents."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE signal SET value = ?, date = '2026-06-02' WHERE id IN (SELECT id FROM signal "
            "WHERE category = 'cluster' ORDER BY value DESC LIMIT 2)",
            (value,),
        )
        connection.execute(
            "INSERT INTO signal (origin, source_id, signal_key, date, date_precision, category, entity, "
            "item, metric, value, unit, source_url, evidence, first_seen_at, last_seen_at) "
            "SELECT origin, source_id, signal_key || '|x', '2026-06-03', date_precision, category, entity, "
            "item, metric, ?, unit, source_url, evidence, first_seen_at, last_seen_at FROM signal "
            "WHERE category = 'power' LIMIT 1",
            (value,),
        )


@pytest.mark.parametrize("stored", list(STORED_NUMBERS))
def test_trends_compute_answers_over_stored_values_out_of_range(seeded_copy, tmp_path, capsys, stored):
    db = tmp_path / "fw.db"
    shutil.copyfile(seeded_copy, db)
    _poison_largest_cluster(db, STORED_NUMBERS[stored])
    for argv in (
        ("trends", "compute"),
        ("trends", "compute", "--json"),
        ("signals",),
        ("export", "signals", "trends"),
    ):
        extra = ("--out", str(tmp_path / "export")) if argv[0] == "export" else ()
        run = run_cli(capsys, "--db", str(db), *argv, *extra)
        assert run.code == 0 and "Traceback" not in run.err, (argv, run.err)


@pytest.mark.parametrize("stored", ["1e308", "inf", "nan"])
async def test_the_overview_leaves_reading_over_stored_values_out_of_range(seeded_copy, tmp_path, stored):
    from textual.widgets import Static

    from frontier_watch.store.seed import open_seeded_database
    from frontier_watch.tui.app import create_app

    db = tmp_path / "fw.db"
    shutil.copyfile(seeded_copy, db)
    _poison_largest_cluster(db, STORED_NUMBERS[stored])
    database = open_seeded_database(str(db))
    app = create_app(database, clock=lambda: datetime(2026, 11, 1, 12, 0), poll_seconds=3600)
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            overview = app.view("overview")
            for _ in range(1500):  # a generous deadline: the read runs in a thread
                if overview.loaded_version is not None:
                    break
                await pilot.pause(0.02)
            assert overview.loaded_version is not None
            clusters = str(app.query_one("#headline-clusters", Static).render())
            assert "reading" not in clusters
    finally:
        database.engine.dispose()


# Text written by hand where a number is stored: SQLite keeps it, and every reader must cope.
STORED_TEXT = {
    "price": ("price_interval", "input_nusd", "abc", "superseded_at IS NULL"),
    "signal-value": ("signal", "value", "lots", "category = 'cluster'"),
}


@pytest.mark.parametrize("case", list(STORED_TEXT))
def test_a_stored_number_that_is_text_is_one_line_and_db_check_names_its_row(
    seeded_copy, tmp_path, capsys, case
):
    from hostile_input import READ_COMMANDS

    table, column, value, where = STORED_TEXT[case]
    db = tmp_path / "fw.db"
    shutil.copyfile(seeded_copy, db)
    with sqlite3.connect(db) as connection:
        (row_id,) = connection.execute(f"SELECT id FROM {table} WHERE {where} LIMIT 1").fetchone()
        connection.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, row_id))
    for argv in READ_COMMANDS:
        extra = ("--out", str(tmp_path / "export")) if argv[0] == "export" else ()
        run = run_cli(capsys, "--db", str(db), *argv, *extra)
        assert "Traceback" not in run.err, (argv, run.err)
        if argv in (("db", "check"), ("doctor",)):
            assert run.code == 1 and f"{table} row {row_id}" in run.out and column in run.out, run.out
        elif run.code != 0:
            assert run.code == 2 and len(run.err.strip().splitlines()) == 1, (argv, run.err)
            assert table in run.err, run.err
    assert integrity_ok(db)
