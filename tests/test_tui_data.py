"""What the dashboard's screens read (tui/data.py, tui/trend_reports.py), checked against the store."""

from datetime import datetime, timedelta

from frontier_watch.store.reading import Reader
from frontier_watch.tui import data, trend_reports

NOW = datetime(2026, 11, 1, 12, 0)


def reader_of(database):
    return Reader.from_sqlalchemy(database.engine.connect())


def test_sparkline_scales_values_to_eight_heights():
    assert data.sparkline([]) == ""
    assert data.sparkline([0, 7]) == "▁█"
    assert data.sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert data.sparkline([0, 0, 0]) == "▁▁▁"  # nothing happened: flat at the bottom
    assert data.sparkline([5, 5]) == "▄▄"


def test_sources_are_judged_against_their_schedule_as_doctor_judges_them(seeded_database):
    from frontier_watch.settings.config import load_settings
    from frontier_watch.store.fetch_runs import RunOutcome, finish_run, start_run

    with seeded_database.engine.begin() as connection:
        for hour in (1, 2, 3):
            run = start_run(connection, "openrouter", datetime(2026, 10, 31, hour))
            finish_run(connection, run, RunOutcome(status="failed", error=f"HTTP 503 at {hour}"))
        run = start_run(connection, "litellm", datetime(2026, 11, 1, 6))
        finish_run(connection, run, RunOutcome(status="ok", records=3))
    settings = load_settings(db=str(seeded_database.url))
    with reader_of(seeded_database) as reader:
        rows = {row["id"]: row for row in data.source_rows(reader, settings, NOW)}
    assert rows["openrouter"]["health"] == "unhealthy"
    assert "its last 3 runs failed" in rows["openrouter"]["reasons"]
    assert rows["openrouter"]["last_error"] == "HTTP 503 at 3"
    assert rows["litellm"]["health"] == "ok" and rows["litellm"]["last_success"] is not None
    assert rows["curated"]["health"] == "not fetched" and rows["curated"]["rows"] > 100


def test_recent_intervals_are_every_current_interval_that_began_in_the_window(seeded_database):
    """The indexed read (open intervals and those ending later) finds what a full scan finds."""
    since = NOW - timedelta(days=400)
    with reader_of(seeded_database) as reader:
        found = data.recent_intervals(reader, since, NOW)
        scanned = reader.rows(
            "SELECT effective_from FROM price_interval WHERE superseded_at IS NULL "
            "AND effective_from > :since AND effective_from <= :now ORDER BY effective_from DESC",
            {"since": since, "now": NOW},
        )
    assert len(found) == len(scanned) > 10
    assert [row["effective_from"] for row in found] == [row["effective_from"] for row in scanned]
    assert all(row["model"] and row["source"] for row in found)


def test_the_overview_counts_prices_that_began_in_the_last_30_days(seeded_database):
    from frontier_watch.settings.config import load_settings

    settings = load_settings(db=str(seeded_database.url))
    later = datetime(2026, 9, 15)  # two weeks after the seeded Claude Sonnet 5 prices began
    with reader_of(seeded_database) as reader:
        figures = data.overview(reader, settings, later)
        began = reader.scalar(
            "SELECT count(*) FROM price_interval WHERE superseded_at IS NULL "
            "AND effective_from > :since AND effective_from <= :now",
            {"since": later - timedelta(days=30), "now": later},
        )
    assert figures["price_changes_30d"] == began > 0
    assert figures["recent_prices"][0]["model"] == "Claude Sonnet 5"
    assert len({row["model"] for row in figures["recent_prices"]}) == len(figures["recent_prices"])
    assert len(figures["price_spark"]) == 26


def test_changes_rows_cover_prices_offerings_releases_and_signals(seeded_database):
    with reader_of(seeded_database) as reader:
        rows = trend_reports.changes(reader, NOW, days=365)
        start = (NOW - timedelta(365)).date()
        releases = [row for row in reader.rows("SELECT date FROM release") if row["date"] >= start]
    kinds = {row["kind"] for row in rows}
    assert {"new offering", "release"} <= kinds
    assert len([row for row in rows if row["kind"] == "release"]) <= len(releases)
    dates = [str(row["date"] or "") for row in rows]
    assert dates == sorted(dates, reverse=True)  # newest first, undated last


def test_capability_view_says_why_when_nothing_qualifies(seeded_database):
    with reader_of(seeded_database) as reader:
        view = trend_reports.capability(reader, NOW, "gpqa_diamond", 99.0)
        default = trend_reports.capability(reader, NOW, None, None)
    assert view.report is not None and view.report.fit is None
    assert "no model scores 99 or more on gpqa_diamond" in view.headline
    assert trend_reports.capability_chart(view) is None
    assert default.benchmark == "gpqa_diamond" and default.threshold == 35.7
    assert "cheaper a year" in default.headline
    caption = trend_reports.capability_caption(default, wide=False)
    assert caption.count("\n") == 1 and "published: Epoch AI" in caption


def test_the_price_table_lists_language_models_as_prices_does_and_others_when_asked(seeded_database):
    """The Prices screen (and its cheapest-first sort) sees language models only: no reranker
    at $0.01 tops it. Its data can still hold every kind."""
    with reader_of(seeded_database) as reader:
        default = data.price_rows(reader, NOW)
        every = data.price_rows(reader, NOW, kinds=None)
    assert default and {row["kind"] for row in default} == {"language"}
    offerings = [row["offering_id"] for row in default]
    assert not [offering for offering in offerings if "bge-reranker" in offering or "embed" in offering]
    others = {row["model_id"]: row["kind"] for row in every if row["kind"] != "language"}
    assert others["bge-reranker-v2-m3"] == "reranker" and others["titan-embed-text"] == "embedding"
    assert len(every) == len(default) + sum(1 for row in every if row["kind"] != "language")


def test_the_price_table_rows_have_the_keys_and_values_of_prices_json(seeded_database):
    """The dashboard's Prices rows answer by the public keys (input_usd_per_mtok, not input),
    each with the values `prices --json` gives, and never show a secret a URL once held."""
    from frontier_watch.render import public_rows
    from frontier_watch.store import price_reads

    secret = "hunter2hunter2"
    with seeded_database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE price_interval SET source_url = ? "
            "WHERE offering_pk IN (SELECT id FROM offering WHERE model_id = 'gpt-4o')",
            (f"https://u:{secret}@example.org/p?a=1",),
        )
    with reader_of(seeded_database) as reader:
        rows = data.price_rows(reader, NOW)
        records = [
            public_rows.price_record(row) for row in price_reads.prices_as_of(reader, NOW, kinds={"language"})
        ]
    assert len(rows) == len(records) > 100
    assert [row.as_record() for row in rows] == records
    first = rows[0]
    assert first["input_usd_per_mtok"] == records[0]["input_usd_per_mtok"]
    assert first.get("input") is None and first.get("cache_read") is None  # the store's names are gone
    shown = [row["source_url"] for row in rows if row["model_id"] == "gpt-4o"]
    assert shown and all(url == "https://example.org/p?a=1" for url in shown)
    assert not any(secret in str(value) for row in rows for value in row)
