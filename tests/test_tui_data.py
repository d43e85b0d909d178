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
    # Gemini 3.7 Flash's declared 2027-01-01 price (3.6 Flash's is no longer its answer: LiteLLM
    # observed 1.5/7.5 from 2026-07-22, newer than genai-prices' undated launch row)
    assert "Gemini 3.7 Flash" in [row["model"] for row in figures["scheduled_prices"]]


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


def test_the_price_table_lists_language_models_as_prices_does_and_others_when_asked(seeded_database):
    """The Prices screen (and its cheapest-first sort) sees language models only: no reranker
    at $0.01 tops it. Its data can still hold every kind."""
    from frontier_watch.tui import model_prices

    with reader_of(seeded_database) as reader:
        default = model_prices.price_rows(reader, NOW).offerings
        every = model_prices.price_rows(reader, NOW, kinds=None).offerings
    assert default and {row["kind"] for row in default} == {"language"}
    offerings = [row["offering_id"] for row in default]
    assert not [offering for offering in offerings if "bge-reranker" in offering or "embed" in offering]
    others = {row["model_id"]: row["kind"] for row in every if row["kind"] != "language"}
    assert others["bge-reranker-v2-m3"] == "reranker" and others["titan-embed-text"] == "embedding"
    assert len(every) == len(default) + sum(1 for row in every if row["kind"] != "language")


def test_the_price_rows_are_what_prices_json_and_prices_offerings_json_give(seeded_database):
    """The dashboard's model rows are `prices --json`'s records (the reference, its why and the
    evidence array), its offering rows `prices --offerings --json`'s (each with its verdict),
    and neither shows a secret a URL once held."""
    from frontier_watch.cli.prices import _answered_records
    from frontier_watch.store import price_reads
    from frontier_watch.tui import model_prices

    secret = "hunter2hunter2"
    with seeded_database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE price_interval SET source_url = ? "
            "WHERE offering_pk IN (SELECT id FROM offering WHERE model_id = 'gpt-4o')",
            (f"https://u:{secret}@example.org/p?a=1",),
        )
    with reader_of(seeded_database) as reader:
        rows = model_prices.price_rows(reader, NOW)
        stored = price_reads.prices_as_of(reader, NOW, kinds={"language"})
    answers, _ = _answered_records(stored, offerings=False, disagreements=False, for_table=False)
    offerings, _ = _answered_records(stored, offerings=True, disagreements=False, for_table=False)
    assert len(rows.models) == len(answers) > 100 and len(rows.offerings) == len(offerings) > len(answers)
    assert [row.as_record() for row in rows.models] == answers
    assert [row.as_record() for row in rows.offerings] == offerings
    first = rows.offerings[0]
    assert first["input_usd_per_mtok"] == offerings[0]["input_usd_per_mtok"]
    assert first.get("input") is None and first.get("cache_read") is None  # the store's names are gone
    shown = [row["source_url"] for row in rows.offerings if row["model_id"] == "gpt-4o"]
    shown += [
        item["source_url"]
        for row in rows.models
        if row["model_id"] == "gpt-4o"
        for item in row.as_record()["evidence"]
    ]
    assert shown and all(url == "https://example.org/p?a=1" for url in shown)
    assert not any(secret in str(value) for row in rows.offerings for value in row)
    shown_keys = [key for key in rows.models[0].keys() if key != "answered"]  # (the store rows behind it)
    assert not any(secret in str(row[key]) for row in rows.models for key in shown_keys)
    assert not any(secret in str(row.as_record()) for row in rows.models)


def test_a_model_rows_timeline_is_its_seller_and_tiers_reference_price_up_to_today(seeded_database):
    """Claude Sonnet 5 at Anthropic: 3/15, then LiteLLM's 2/10 from 2026-07-03, then the declared
    change back to 3/15 on 2026-09-01, held to today; the other sellers' segments are not in it."""
    from frontier_watch.tui import model_prices

    with reader_of(seeded_database) as reader:
        rows = model_prices.price_rows(reader, NOW)
        [row] = [
            row
            for row in rows.models
            if (row["model_id"], row["provider"], row["tier"], row["variant"])
            == ("claude-sonnet-5", "Anthropic", "default", "")
        ]
        detail = model_prices.model_detail(reader, row, NOW.date())
    prices = [(segment.start.isoformat(), segment.input, segment.output) for segment in detail.segments]
    assert prices[-3:] == [("2026-07-01", 3, 15), ("2026-07-03", 2, 10), ("2026-09-01", 3, 15)]
    assert prices == [(s.start.isoformat(), s.input, s.output) for s in timeline_of_sonnet(seeded_database)]
    assert {segment.provider for segment in detail.segments} == {"Anthropic"}
    assert detail.segments[-1].end is None
    inputs, outputs = detail.chart.series
    assert [day.isoformat() for day in inputs.dates][-1] == "2026-11-01" and inputs.values[-1] is None


def test_a_gap_in_the_timeline_breaks_the_step_line():
    """A span that ends before the next begins: the line stops there, it neither holds the old
    price across the gap nor drops to the new one before it starts."""
    from datetime import date
    from decimal import Decimal

    from frontier_watch.render.charts import render
    from frontier_watch.tui.model_prices import Span, price_steps

    spans = [
        Span(date(2025, 1, 1), date(2025, 3, 1), Decimal(4), Decimal(16)),
        Span(date(2025, 6, 1), None, Decimal(1), Decimal(2)),
    ]
    chart = price_steps(spans, "gap", date(2025, 12, 31))
    inputs, outputs = chart.series
    days = [day.isoformat() for day in inputs.dates]
    assert days == ["2025-01-01", "2025-03-01", "2025-06-01", "2025-12-31"]
    assert list(inputs.values) == [4.0, None, 1.0, None] and list(outputs.values) == [16.0, None, 2.0, None]

    def marks(chart, tick: str) -> list[int]:
        """The columns with a mark on the plot row labelled ``tick``."""
        drawn = render(chart, 60, 14, colour=False).splitlines()
        row = next(line for line in drawn if line.lstrip().startswith(tick + "┤"))
        return [column for column, cell in enumerate(row.split("┤", 1)[1].rstrip("│")) if cell.strip()]

    assert max(marks(chart, "16.0")) < min(marks(chart, "1.0"))  # nothing drawn between March and June
    assert "▌" not in render(chart, 60, 14, colour=False)  # no drop from one to the other
    joined = price_steps([spans[0]._replace(end=date(2025, 6, 1)), spans[1]], "joined", date(2025, 12, 31))
    assert max(marks(joined, "16.0")) >= min(marks(joined, "1.0"))  # the same prices, no gap: held
    assert price_steps([], "none", date(2025, 1, 1)) is None


def timeline_of_sonnet(database):
    """Claude Sonnet 5's Anthropic default timeline as `history` reads it (the pane must agree)."""
    from frontier_watch.reports.model_timeline import model_timeline

    with reader_of(database) as reader:
        return [
            s
            for s in model_timeline(reader, "claude-sonnet-5")
            if s.line == ("claude-sonnet-5", "Anthropic", "default", "") and s.start is not None
        ]
