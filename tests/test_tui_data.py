"""What the dashboard's screens read (tui/data.py, tui/trend_reports.py), checked against the store."""

from datetime import date, datetime, timedelta

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


def test_the_overview_counts_the_model_level_price_changes_of_the_last_30_days(seeded_database):
    """The Overview's recent price changes are ``changes``' model-level ones (issue 20): one
    line per model, seller and tier on a day, never one per source's offering."""
    from frontier_watch.reports.changes import price_news
    from frontier_watch.settings.config import load_settings

    settings = load_settings(db=str(seeded_database.url))
    later = datetime(2026, 9, 15)  # two weeks after Claude Sonnet 5 went from 2/10 to 3/15
    with reader_of(seeded_database) as reader:
        figures = data.overview(reader, settings, later)
        news = price_news(reader, later - timedelta(days=30), later)
        began = reader.scalar(
            "SELECT count(*) FROM price_interval WHERE superseded_at IS NULL "
            "AND effective_from > :since AND effective_from <= :now",
            {"since": later - timedelta(days=30), "now": later},
        )
    recent = [c for c in news.changes if c.date <= later.date()]
    recent += [e for e in news.new_models if e.date <= later.date() and e.dating != "undated"]
    assert (figures["price_weeks"], figures["price_changes_days"]) == (26, 30)
    assert figures["price_changes_recent"] == len(recent) > 0
    assert figures["price_changes_recent"] < began  # the offerings' own intervals are no longer counted
    first = figures["recent_prices"][0]
    assert (first["model"], first["provider"], first["date"]) == (
        "Claude Sonnet 5",
        "Anthropic",
        date(2026, 9, 1),
    )
    assert (first["old"], first["new"]) == ((2, 10), (3, 15))
    assert len({row["model"] for row in figures["recent_prices"]}) == len(figures["recent_prices"])
    assert len(figures["price_spark"]) == 26
    assert [row["model"] for row in figures["scheduled_prices"]] == ["Gemini 3.7 Flash", "Gemini 3.6 Flash"]


def test_the_overview_looks_back_fewer_weeks_where_more_prices_began_than_its_budget(
    seeded_database, monkeypatch
):
    """The Overview judges at most its budget of prices begun in its window: on a store that
    churns, it looks back fewer weeks (and says so) rather than keep the screen waiting."""
    from frontier_watch.settings.config import load_settings
    from frontier_watch.store import price_reads

    settings = load_settings(db=str(seeded_database.url))
    later = datetime(2026, 9, 15)
    with reader_of(seeded_database) as reader:
        begun = {
            weeks: price_reads.prices_begun_since(reader, later - timedelta(weeks=weeks), 100_000)
            for weeks in data.PRICE_NEWS_WEEKS
        }
        assert begun[26] > begun[8] > begun[2] > 0  # the shipped data began prices in each
        monkeypatch.setattr(data, "PRICE_NEWS_BUDGET", begun[8])
        figures = data.overview(reader, settings, later)
    assert (figures["price_weeks"], len(figures["price_spark"])) == (8, 8)
    assert figures["price_changes_days"] == 30
    assert all(row["date"] >= (later - timedelta(weeks=8)).date() for row in figures["recent_prices"])


def test_changes_rows_cover_prices_offerings_releases_and_signals(seeded_database):
    with reader_of(seeded_database) as reader:
        rows = trend_reports.changes(reader, NOW, days=365)
        start = (NOW - timedelta(365)).date()
        releases = [row for row in reader.rows("SELECT date FROM release") if row["date"] >= start]
    kinds = {row["kind"] for row in rows}
    assert {"price", "new model", "release"} <= kinds
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
        records = [public_rows.price_record(row) for row in price_reads.prices_as_of(reader, NOW)]
    assert len(rows) == len(records) > 100
    assert [row.as_record() for row in rows] == records
    first = rows[0]
    assert first["input_usd_per_mtok"] == records[0]["input_usd_per_mtok"]
    assert first.get("input") is None and first.get("cache_read") is None  # the store's names are gone
    shown = [row["source_url"] for row in rows if row["model_id"] == "gpt-4o"]
    assert shown and all(url == "https://example.org/p?a=1" for url in shown)
    assert not any(secret in str(value) for row in rows for value in row)
