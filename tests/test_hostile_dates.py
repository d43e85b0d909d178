"""A date outside the tracked period never reaches the store, and one already there breaks no command.

A year below 1000 used to be stored as text SQLite and Python cannot read back
('1-01-01 00:00:00.000000'), after which prices, history, doctor, db check, export, releases
and trends releases all died with a traceback. Every kind that reads a date now refuses the
item (a fetch skips it with the reason) or the row (an import or curated file names its line),
and a bad value written by an older version or by hand is one line naming its table and row.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, timedelta

import pytest
from fixture_server import fixture_server
from hostile_input import (
    HF_PAGE,
    PRICE_OPTIONS,
    READ_COMMANDS,
    assert_one_line_error,
    assert_reads_work,
    epoch_cell,
    epoch_csv,
    feed_body,
    fetch_one,
    genai_data,
    genai_model,
    hf_page,
    hf_repo_ids,
    integrity_ok,
    litellm_entry,
    llm_prices_file,
    llm_prices_model,
    openrouter_model,
    openrouter_sheet,
    run_cli,
    run_note,
    served_config,
    stored_dates_out_of_range,
    table_counts,
)

from frontier_watch.domain.clock import utc_now
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources import get_kind
from frontier_watch.sources.kind import Response

TODAY = utc_now().date()
FAR_AHEAD = (TODAY + timedelta(days=3 * 366)).isoformat()  # past "today plus two years"
YEAR_1_UNIX = -62135596800  # 0001-01-01T00:00:00Z
DATED_PRICE = {"input_mtok": 3, "output_mtok": 4}


# ---------------------------------------------------------------- import


def price_csv(tmp_path, **cells: str):
    """A one-row price file in the curated format, with ``cells`` changed."""
    row = {
        "source": "user",
        "provider": "OpenAI",
        "platform": "",
        "offering_id": "evil-1",
        "name": "Evil",
        "lab": "OpenAI",
        "tier": "default",
        "input_usd_per_mtok": "1",
        "output_usd_per_mtok": "2",
        "cache_read_usd_per_mtok": "",
        "cache_write_usd_per_mtok": "",
        "effective_from": "2024-01-01",
        "effective_to": "",
        "date_precision": "day",
        "basis": "declared",
        "source_url": "https://example.com/price",
        "evidence": "vendor-claim",
        "confidence": "",
        "observed_at": "",
        "notes": "",
        **cells,
    }
    path = tmp_path / "prices.csv"
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"effective_from": "0001-01-01"}, "before 2015-01-01"),
        ({"effective_from": "0999-12-31"}, "before 2015-01-01"),
        ({"effective_from": "2014-12-31"}, "before 2015-01-01"),
        ({"effective_from": FAR_AHEAD}, "years ahead"),
        ({"effective_from": "2024-01-01", "effective_to": "0001-01-02"}, "effective_to"),
        ({"effective_from": "2024-01-01", "effective_to": "9999-12-31"}, "years ahead"),
        ({"observed_at": "0001-01-01T00:00:00Z"}, "before 2015-01-01"),
    ],
)
def test_import_refuses_a_price_dated_outside_the_tracked_period(
    seeded_db_path, tmp_path, capsys, cells, reason
):
    before = table_counts(seeded_db_path)
    run = run_cli(capsys, "--db", str(seeded_db_path), "import", str(price_csv(tmp_path, **cells)))
    assert_one_line_error(run, "prices.csv:2", reason)
    assert table_counts(seeded_db_path) == before
    assert integrity_ok(seeded_db_path) and stored_dates_out_of_range(seeded_db_path) == []


def test_import_keeps_a_price_dated_inside_the_period(seeded_db_path, tmp_path, capsys):
    """The bounds are not off by one: the first tracked day and a change two years ahead are fine."""
    ahead = (TODAY + timedelta(days=700)).isoformat()
    run = run_cli(
        capsys,
        "--db",
        str(seeded_db_path),
        "import",
        str(price_csv(tmp_path, effective_from="2015-01-01", effective_to=ahead)),
    )
    assert run.code == 0, run.err


@pytest.mark.parametrize(
    ("header", "row", "reason"),
    [
        (
            "date,category,entity,item,metric,value,unit,source_url,evidence",
            "0001-01-01,cluster,xAI,Colossus,GPUs,100000,GPUs,https://example.com/a,press-report",
            "before 2000-01-01",
        ),
        (
            "model,benchmark,score,release_date,source_url,evidence",
            "GPT-4,MMLU,86.4,0999-12-31,https://example.com/b,vendor-claim",
            "before 2015-01-01",
        ),
    ],
)
def test_import_refuses_facts_dated_outside_their_period(
    seeded_db_path, tmp_path, capsys, header, row, reason
):
    path = tmp_path / "facts.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    before = table_counts(seeded_db_path)
    run = run_cli(capsys, "--db", str(seeded_db_path), "import", str(path))
    assert_one_line_error(run, "facts.csv:2", reason)
    assert table_counts(seeded_db_path) == before


@pytest.mark.parametrize(
    ("when", "reason"), [("0001-01-01", "before 2000-01-01"), ("1999-12-31", "before 2000-01-01")]
)
def test_signals_add_refuses_a_date_before_the_tracked_period(seeded_db_path, capsys, when, reason):
    before = table_counts(seeded_db_path)
    run = run_cli(
        capsys,
        "--db",
        str(seeded_db_path),
        "signals",
        "add",
        "--date",
        when,
        "--entity",
        "xAI",
        "--category",
        "cluster",
        "--metric",
        "GPUs",
        "--value",
        "1000",
        "--unit",
        "GPUs",
        "--source-url",
        "https://example.com/x",
        "--evidence",
        "press-report",
    )
    assert_one_line_error(run, "--date", reason)
    assert table_counts(seeded_db_path) == before


# ---------------------------------------------------------------- every kind that fetches a date

# (source id, route served, body with one item dated out of range, options, that item's label, reason)
FETCH_CASES = {
    "openrouter-created-year-1": (
        "openrouter",
        "/api/v1/models",
        openrouter_sheet(openrouter_model(), openrouter_model("evil/old", created=YEAR_1_UNIX)),
        PRICE_OPTIONS,
        "evil/old",
        "before 2015-01-01",
    ),
    "openrouter-created-year-9999": (
        "openrouter",
        "/api/v1/models",
        openrouter_sheet(openrouter_model(), openrouter_model("evil/late", created=253402214399)),
        PRICE_OPTIONS,
        "evil/late",
        "years ahead",
    ),
    "openrouter-expiration-year-1": (
        "openrouter",
        "/api/v1/models",
        openrouter_sheet(openrouter_model(), openrouter_model("evil/gone", expiration_date="0001-01-01")),
        PRICE_OPTIONS,
        "evil/gone",
        "before 2015-01-01",
    ),
    "litellm-deprecation-year-999": (
        "litellm",
        "/prices.json",
        json.dumps(
            {"good-model": litellm_entry(), "evil-model": litellm_entry(deprecation_date="0999-12-31")}
        ).encode(),
        PRICE_OPTIONS,
        "evil-model",
        "before 2015-01-01",
    ),
    "genai-prices-start-year-1": (
        "genai-prices",
        "/data.json",
        genai_data(
            genai_model(),
            genai_model(
                "evil-model",
                [
                    {"prices": DATED_PRICE},
                    {"constraint": {"start_date": "0001-01-01"}, "prices": DATED_PRICE},
                ],
            ),
        ),
        PRICE_OPTIONS,
        "evil-model",
        "before 2015-01-01",
    ),
    "genai-prices-start-far-ahead": (
        "genai-prices",
        "/data.json",
        genai_data(
            genai_model(),
            genai_model(
                "evil-model",
                [{"prices": DATED_PRICE}, {"constraint": {"start_date": FAR_AHEAD}, "prices": DATED_PRICE}],
            ),
        ),
        PRICE_OPTIONS,
        "evil-model",
        "years ahead",
    ),
    "llm-prices-from-year-1": (
        "llm-prices",
        "/data/openai.json",
        llm_prices_file(llm_prices_model(), llm_prices_model("evil-model", from_date="0001-01-01")),
        {**PRICE_OPTIONS, "vendors": ["openai"]},
        "evil-model",
        "before 2015-01-01",
    ),
    "huggingface-created-year-1": (
        "huggingface",
        HF_PAGE,
        hf_page(0, createdAt="0001-01-01T00:00:00.000Z"),
        {"orgs": ["deepseek-ai"], "limit": 6},
        hf_repo_ids()[0],
        "before 2015-01-01",
    ),
    "huggingface-created-year-1-east-of-utc": (
        "huggingface",
        HF_PAGE,
        hf_page(1, createdAt="0001-01-01T00:00:00+05:00"),  # before the first representable UTC time
        {"orgs": ["deepseek-ai"], "limit": 6},
        hf_repo_ids()[1],
        "createdAt",
    ),
    "huggingface-last-modified-year-999": (
        "huggingface",
        HF_PAGE,
        hf_page(2, lastModified="0999-12-31T23:59:59.000Z"),
        {"orgs": ["deepseek-ai"], "limit": 6},
        hf_repo_ids()[2],
        "before 2015-01-01",
    ),
    "epoch-gpu-clusters-year-1": (
        "epoch-gpu-clusters",
        "/gpu_clusters.csv",
        epoch_csv("epoch-gpu-clusters", 0, **{"First Operational Date": "1/1/0001"}),
        {},
        epoch_cell("epoch-gpu-clusters", 0, "Name"),
        "before 2000-01-01",
    ),
    "epoch-data-centers-year-1": (
        "epoch-data-centers",
        "/data_center_timelines.csv",
        epoch_csv("epoch-data-centers", 0, Date="1/1/0001"),
        {},
        epoch_cell("epoch-data-centers", 0, "Data center"),
        "before 2000-01-01",
    ),
    "epoch-hardware-year-999": (
        "epoch-hardware",
        "/ml_hardware.csv",
        epoch_csv("epoch-hardware", 0, **{"Release date": "0999-12-31"}),
        {},
        epoch_cell("epoch-hardware", 0, "Hardware name"),
        "before 2000-01-01",
    ),
    "epoch-models-year-1": (
        "epoch-models",
        "/notable_ai_models.csv",
        epoch_csv("epoch-models", 0, **{"Publication date": "0001-01-01"}),
        {},
        epoch_cell("epoch-models", 0, "Model"),
        "before 2015-01-01",
    ),
    "feed-published-year-1": (
        "anthropic-news",
        "/feed.xml",
        feed_body(("Good news", "2026-05-06T00:00:00Z"), ("Evil news", "0001-01-01T00:00:00Z")),
        {"keywords": []},
        "https://example.com/1",
        "before 2000-01-01",
    ),
}


def _parsed_unchanged_count(source_id: str, url: str, body: bytes, options: dict) -> tuple[int, int]:
    """(items, skipped) the kind's parser finds in ``body`` before any check of plausibility."""
    from dataclasses import replace

    spec = load_catalogue()[source_id]
    spec = replace(spec, url=url, options={**spec.options, **options})
    kind = get_kind(spec.kind)
    assert kind is not None
    batch = kind.parse(Response(url, 200, {}, body), spec)
    return batch.count(), len(batch.skipped)


@pytest.mark.parametrize("case", list(FETCH_CASES))
def test_a_fetch_skips_the_item_dated_out_of_range_and_keeps_the_rest(tmp_path, capsys, case):
    source_id, route, body, options, label, reason = FETCH_CASES[case]
    with fixture_server() as server:
        url = server.serve(route, body)
        config_url = url.replace("/openai.json", "/{vendor}.json") if source_id == "llm-prices" else url
        if source_id == "huggingface":
            config_url = server.base_url
        config = served_config(tmp_path, source_id, config_url, **options)
        summary = fetch_one(capsys, config, source_id)
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert label in run_note(db) and reason in run_note(db), run_note(db)
    parsed, parsed_skipped = _parsed_unchanged_count(source_id, url, body, options)
    # The item dated out of range (an Epoch row gives one signal per measure) is all that is lost.
    assert summary["skipped"] > parsed_skipped or reason == "createdAt"
    assert 0 < summary["records"] < parsed or reason == "createdAt"
    assert integrity_ok(db) and stored_dates_out_of_range(db) == []
    assert_reads_work(capsys, db)


def test_a_curated_file_fetched_from_a_url_refuses_its_bad_row_by_line(tmp_path, capsys):
    """The curated format is all or nothing: the row is named by its line, nothing of the file is stored."""
    body = (
        b"date,category,entity,item,metric,value,unit,source_url,evidence\n"
        b"2025-01-01,cluster,xAI,Colossus,GPUs,100000,GPUs,https://example.com/a,press-report\n"
        b"0001-01-01,cluster,xAI,Colossus 0,GPUs,100000,GPUs,https://example.com/b,press-report\n"
    )
    with fixture_server() as server:
        url = server.serve("/team/signals.csv", body, **{"Content-Type": "text/csv"})
        config = served_config(tmp_path, "curated", url)
        run_cli(capsys, "--config", str(config), "sources")  # the database, seeded
        before = table_counts(tmp_path / "fw.db")
        summary = fetch_one(capsys, config, "curated")
    assert summary["status"] == "failed"
    assert "signals.csv:3" in summary["error"] and "before 2000-01-01" in summary["error"]
    assert table_counts(tmp_path / "fw.db") == before


# ---------------------------------------------------------------- values already stored


def _poison(db, table: str, column: str, value: object, where: str) -> int:
    """Write ``value`` into one row as an older version or a person with sqlite3 could; its id."""
    with sqlite3.connect(db) as connection:
        (row_id,) = connection.execute(f"SELECT id FROM {table} WHERE {where} LIMIT 1").fetchone()
        connection.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, row_id))
    return row_id


GPT4_INTERVAL = "offering_pk IN (SELECT id FROM offering WHERE model_id = 'gpt-4') AND superseded_at IS NULL"
# (table, column, value, which row, the commands that must name it)
STORED_POISON = {
    "interval-year-1-as-older-versions-wrote-it": (
        "price_interval",
        "effective_from",
        "1-01-01 00:00:00.000000",
        GPT4_INTERVAL,
        {"prices", "history", "export", "db"},
    ),
    "interval-not-a-time": ("price_interval", "effective_to", "soon", GPT4_INTERVAL, {"prices", "history"}),
    "interval-a-number": ("price_interval", "first_seen_at", 12345, GPT4_INTERVAL, {"prices", "history"}),
    "release-created-year-1": ("release", "created_at", "1-01-01 00:00:00", "1 = 1", {"releases", "export"}),
    "release-day-garbage": ("release", "date", "yesterday", "1 = 1", {"releases", "trends"}),
    "signal-day-month-13": ("signal", "date", "2024-13-01", "1 = 1", {"signals", "export"}),
}


@pytest.fixture(scope="module")
def seeded_copy(tmp_path_factory):
    from frontier_watch.store.seed import open_seeded_database

    path = tmp_path_factory.mktemp("poison") / "seeded.db"
    open_seeded_database(str(path)).engine.dispose()
    return path


@pytest.mark.parametrize("case", list(STORED_POISON))
def test_a_bad_stored_value_is_one_line_naming_its_table_and_row(seeded_copy, tmp_path, capsys, case):
    table, column, value, where, must_name = STORED_POISON[case]
    db = tmp_path / "fw.db"
    shutil.copyfile(seeded_copy, db)
    row_id = _poison(db, table, column, value, where)
    named = set()
    for argv in READ_COMMANDS:
        extra = ("--out", str(tmp_path / "export")) if argv[0] == "export" else ()
        run = run_cli(capsys, "--db", str(db), *argv, *extra)
        assert "Traceback" not in run.err, (argv, run.err)
        if run.code == 0:
            continue
        lines = run.err.strip().splitlines()
        if argv in (("db", "check"), ("doctor",)) and run.code == 1:  # they report it as a finding
            assert f"{table} row {row_id}" in run.out and column in run.out, run.out
        else:
            assert run.code == 2 and len(lines) == 1, (argv, run.code, run.err)
            assert f"{table} row {row_id}" in lines[0] and column in lines[0], lines[0]
        named.add(argv[0])
    assert must_name <= named, (must_name, named)
    assert integrity_ok(db)


def test_dates_are_written_with_four_digit_years(empty_engine):
    """The fast SQLite insert path writes the year as SQLAlchemy does, so any date that does get
    stored reads back (a year below 1000 came back as '1-01-01', which nothing could parse)."""
    from datetime import datetime

    from frontier_watch.store.database import bulk_insert
    from frontier_watch.store.reading import Reader, _sqlite_param
    from frontier_watch.store.tables import SchemaMigration, table_of

    with empty_engine.begin() as connection:
        bulk_insert(
            connection,
            table_of(SchemaMigration),
            [{"version": 999, "name": "old", "applied_at": datetime(999, 1, 2, 3, 4, 5)}],
        )
        reader = Reader.from_sqlalchemy(connection)
        assert reader.scalar("SELECT applied_at FROM schema_migration WHERE version = 999").startswith(
            "0999-01-02 03:04:05"
        )
    assert _sqlite_param(datetime(5, 1, 1)) == "0005-01-01 00:00:00.000000"
    assert _sqlite_param(date(5, 1, 1)) == "0005-01-01"


async def test_the_overview_says_what_it_could_not_read_instead_of_reading_for_ever(seeded_copy, tmp_path):
    from datetime import datetime

    from textual.widgets import Static

    from frontier_watch.store.seed import open_seeded_database
    from frontier_watch.tui.app import create_app

    db = tmp_path / "fw.db"
    shutil.copyfile(seeded_copy, db)
    row_id = _poison(db, "release", "date", "yesterday", "1 = 1")
    database = open_seeded_database(str(db))
    app = create_app(database, clock=lambda: datetime(2026, 11, 1, 12, 0), poll_seconds=3600)
    try:
        async with app.run_test(size=(160, 45)) as pilot:
            headline = app.query_one("#headline-releases", Static)
            for _ in range(1500):  # a generous deadline: the read runs in a thread
                if "could not read" in str(headline.render()):
                    break
                await pilot.pause(0.02)
            shown = str(headline.render())
            assert "could not read" in shown and f"release row {row_id}" in shown, shown
    finally:
        database.engine.dispose()
