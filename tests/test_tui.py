"""The dashboard driven as a person would with Pilot: screens, sorting, filtering, details, export, errors."""

import time
from datetime import datetime
from decimal import Decimal

import pytest
from textual.widgets import Static

from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.tui.app import create_app
from frontier_watch.tui.screens.help import HelpScreen
from frontier_watch.tui.widgets import Chart, RowTable

CLOCK = datetime(2026, 11, 1, 12, 0)


def app_for(database, **kwargs):
    kwargs.setdefault("poll_seconds", 3600)
    return create_app(database, clock=lambda: CLOCK, **kwargs)


async def settle(pilot, app, until=lambda: True, seconds=60.0):
    """Wait until no worker runs and ``until()`` holds (reads run in threads, timers fire
    later): a generous deadline, as the machine may be busy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = any(worker.is_running and worker.group != "poll" for worker in app.workers)
        if not busy and until():
            break
        await pilot.pause(0.02)
    await pilot.pause()
    assert until()


async def filter_to(pilot, app, view, text: str) -> None:
    """ "/", ``text`` and Enter, as a person types them; returns once the table shows the
    filter's answer and has the focus (a filter waits out a burst of keys on a timer)."""
    await pilot.press("slash", *text, "enter")
    await settle(pilot, app, lambda: view.table.filter_text == text.lower() and app.focused is view.table)


async def open_screen(pilot, app, key: str, name: str):
    await pilot.press(key)
    view = app.view(name)
    await settle(pilot, app, lambda: view.loaded_version is not None)
    return view


def text_of(widget) -> str:
    return str(widget.render())


def headings(table: RowTable) -> list[str]:
    return [table.listing.columns[index].heading for index in table.shown_columns]


# ---------------------------------------------------------------- screens


async def test_opens_on_the_overview_with_headline_figures(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        overview = app.view("overview")
        await settle(pilot, app, lambda: overview.loaded_version is not None)
        assert app.active_name == "overview"
        releases = text_of(app.query_one("#headline-releases", Static))
        assert "Llama" in releases or "DeepSeek" in releases or "GPT" in releases
        assert "per month" in releases
        prices = text_of(app.query_one("#headline-prices", Static))
        assert "price changes and new models in the last 30 days" in prices
        assert "2026-09-01  Claude Sonnet 5" in prices and "2/10 -> 3/15" in prices  # the model's change
        health = text_of(app.query_one("#headline-health", Static))
        assert "ok" in health and "warning" in health and "shipped data" in health
        trend = text_of(app.query_one("#headline-trend", Static))
        assert "cheaper a year for gpqa_diamond >= 35.7" in trend and "published: Epoch AI" in trend
        # The other screens are read only when shown: first paint reads the Overview alone.
        assert app.view("prices").loaded_version is None


async def test_a_headline_opens_the_screen_behind_it(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)
        app.query_one("#headline-releases").focus()
        await pilot.press("enter")
        await settle(pilot, app, lambda: app.view("releases").loaded_version is not None)
        assert app.active_name == "releases"
        await pilot.press("1")
        await pilot.click("#headline-health")
        await settle(pilot, app, lambda: app.view("sources").loaded_version is not None)
        assert app.active_name == "sources"


async def test_number_keys_move_between_the_screens_and_each_shows_its_rows(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        counts = {}
        for key, name in (("2", "prices"), ("3", "releases"), ("4", "compute"), ("7", "sources")):
            view = await open_screen(pilot, app, key, name)
            assert app.active_name == name
            assert app.focused is view.table  # keys go straight to the table
            counts[name] = view.table.row_count
            assert view.title in app.sub_title
        assert counts["prices"] > 100 and counts["releases"] > 10 and counts["compute"] > 10
        assert counts["sources"] >= 8
        changes = await open_screen(pilot, app, "6", "changes")
        # in the last 30 days only the changes declared for later days (2027-01-01)
        await settle(pilot, app, lambda: changes.table.row_count > 0)
        assert {row["kind"] for row in changes.table.shown_rows()} == {"scheduled"}
        await pilot.press("plus", "plus")  # 30 -> 90 -> 365 days
        await settle(pilot, app, lambda: changes.table.row_count > 0)
        assert changes.days == 365 and "last 365 days" in app.sub_title
        kinds = {row["kind"] for row in changes.table.shown_rows()}
        assert "new model" in kinds and "release" in kinds
        assert all(row["source_url"] for row in changes.table.shown_rows() if row["kind"] != "signal")
        await open_screen(pilot, app, "5", "trends")
        caption = text_of(app.query_one("#capability-caption", Static))
        assert "gpqa_diamond >= 35.7" in caption and "cheaper a year" in caption
        assert "published: Epoch AI" in caption and "https://epoch.ai/" in caption
        assert "Cheapest gpqa_diamond >= 35.7" in text_of(app.query_one("#capability-chart", Chart))
        assert "Releases per quarter" in text_of(app.query_one("#cadence-chart", Chart))
        assert "GPUs in one cluster" in text_of(app.query_one("#cluster-chart", Chart))
        trends = app.view("trends")
        await pilot.press("plus")  # the threshold, from the keyboard
        caption_widget = app.query_one("#capability-caption", Static)
        await settle(pilot, app, lambda: "gpqa_diamond >= 40.7" in text_of(caption_widget))
        await pilot.press("b")  # the next benchmark, at its own default threshold
        await settle(pilot, app, lambda: trends.benchmark != "gpqa_diamond")
        assert f"{trends.benchmark} >=" in text_of(caption_widget)
        await pilot.press("1")
        await pilot.pause()
        assert app.active_name == "overview"


async def test_a_screen_says_it_is_reading_until_its_rows_come(seeded_database, monkeypatch):
    """Not an empty table that looks like "no prices": the line under it and the title say so."""
    import threading

    from frontier_watch.tui import model_prices

    arrived = threading.Event()
    price_rows = model_prices.price_rows

    def slow(reader, now):
        arrived.wait(60)
        return price_rows(reader, now)

    monkeypatch.setattr(model_prices, "price_rows", slow)
    app = app_for(seeded_database)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)
            await pilot.press("2")
            view = app.view("prices")
            assert view.table.total_count == 0
            assert text_of(app.query_one("#prices-line", Static)) == "reading prices…"
            assert app.sub_title == "Prices: reading…"
        finally:
            arrived.set()
        await settle(pilot, app, lambda: view.table.row_count > 0)
        assert "reading" not in text_of(app.query_one("#prices-line", Static))
        assert app.sub_title == (
            f"Prices: {view.table.row_count:,} of {view.table.total_count:,} · models (v: offerings)"
        )


def answer_of(row) -> tuple:
    return (row["model_id"] or row["offering_id"], row["provider"], row["tier"], row["variant"])


async def test_prices_are_one_row_per_model_seller_and_tier_with_the_tier_shown_when_not_default(
    seeded_database,
):
    """At 80 columns: model, seller, tier, both prices and why. The tier cell is blank for the
    default tier and says any other, so a long-context price never passes for the standard one."""
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        assert headings(view.table) == ["model", "seller", "tier", "input $/M", "output $/M", "why"]
        rows = view.table.shown_rows()
        assert len({answer_of(row) for row in rows}) == len(rows)  # no look-alike rows
        [sonnet] = [row for row in rows if answer_of(row) == ("claude-sonnet-5", "Anthropic", "default", "")]
        assert (sonnet["input_usd_per_mtok"], sonnet["output_usd_per_mtok"]) == (3, 15)
        assert sonnet["why"] == "first-party, declared by 2 sources; 1 stale"
        tier_at = view.table.listing.columns.index(
            next(column for column in view.table.listing.columns if column.heading == "tier")
        )
        cells = {row["tier"]: view.table.cells_at(rows.index(row))[tier_at] for row in rows}
        assert cells["default"] == "" and cells["long-context>200k"] == "ctx>200k"
        assert all(cell for tier, cell in cells.items() if tier != "default")
        line = view.table.render_line(1).text
        assert "$" not in line and line.strip()
    async with app_for(seeded_database, initial="prices").run_test(size=(160, 45)) as pilot:
        wide = pilot.app.view("prices")
        await settle(pilot, pilot.app, lambda: wide.table.row_count > 0)
        assert {"from", "cache rd $/M", "source"} <= set(headings(wide.table))


async def test_v_shows_every_offerings_row_with_its_verdict_and_back(seeded_database):
    """The toggle: from a model row to its reference offering's row, each source's row with
    its verdict in the model's answer (as `prices --offerings`), and back to the model row."""
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        models = view.table.total_count
        await filter_to(pilot, app, view, "claude-sonnet-5")
        row = next(row for row in view.table.shown_rows() if row["provider"] == "Anthropic")
        view.table.move_cursor(view.table.shown_rows().index(row))
        await pilot.press("v")
        await settle(pilot, app, lambda: view.offerings_shown)
        shown = headings(view.table)
        assert shown[:6] == ["model", "seller", "source", "input $/M", "output $/M", "verdict"]
        # the tier column is last: it may be left out to fit only when every row's is the default
        assert shown[6:] == ["tier"] or all(row["tier"] == "default" for row in view.table.shown_rows())
        assert view.table.total_count > models and view.table.filter_text == "claude-sonnet-5"
        assert "offerings (v: models)" in app.sub_title
        landed = view.table.highlighted  # the model row's reference
        assert (landed["source"], landed["offering_id"], landed["verdict"]) == (
            row["source"],
            row["offering_id"],
            "reference",
        )
        anthropic = {
            (item["source"], item["verdict"])
            for item in view.table.shown_rows()
            if item["provider"] == "Anthropic" and item["tier"] == "default"
        }
        assert anthropic == {("genai-prices", "reference"), ("llm-prices", "agrees"), ("litellm", "stale")}
        [stale] = [
            index
            for index, item in enumerate(view.table.shown_rows())
            if item["provider"] == "Anthropic" and item["verdict"] == "stale"
        ]
        view.table.move_cursor(stale)
        await pilot.pause()
        line = text_of(app.query_one("#prices-line", Static))
        assert "stale: older than the change to 3/15 on 2026-09-01" in line
        bindings = {binding.binding.description for binding in app.active_bindings.values()}
        assert "Models" in bindings and "Offerings" not in bindings
        await pilot.press("v")  # back: on the model row the stale offering belongs to
        await settle(pilot, app, lambda: not view.offerings_shown)
        assert answer_of(view.table.highlighted) == ("claude-sonnet-5", "Anthropic", "default", "")
        assert view.table.total_count == models


async def test_p_sorts_cheapest_first_and_s_walks_the_columns(seeded_database):
    app = app_for(seeded_database, initial="prices")
    # wide enough that the column after the output price (tier) is shown: at 120 columns the
    # shipped offering ids and sellers (LiteLLM's catalogue keys) leave no room for it
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
        await pilot.press("p")
        inputs = [
            row["input_usd_per_mtok"] for row in table.shown_rows() if row["input_usd_per_mtok"] is not None
        ]
        assert inputs == sorted(inputs) and inputs[0] < inputs[-1]
        assert "sorted by input $/M ascending" in app.sub_title
        await pilot.press("p")  # again: the output price
        outputs = [
            row["output_usd_per_mtok"] for row in table.shown_rows() if row["output_usd_per_mtok"] is not None
        ]
        assert outputs == sorted(outputs)
        await pilot.press("S")  # reverse
        outputs = [
            row["output_usd_per_mtok"] for row in table.shown_rows() if row["output_usd_per_mtok"] is not None
        ]
        assert outputs == sorted(outputs, reverse=True)
        output = table.sort_column[0]
        await pilot.press("s")  # the next column along
        shown = table.shown_columns
        assert table.sort_column == (shown[shown.index(output) + 1], False)
        assert table.listing.columns[table.sort_column[0]].heading == "why"


# ---------------------------------------------------------------- filtering


async def test_slash_on_the_overview_opens_the_prices_filter_and_down_returns_to_the_table(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)
        await pilot.press("slash")
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.total_count > 0)
        assert app.active_name == "prices"
        assert app.focused is view.filter_input
        everything = view.table.row_count
        await pilot.press(*"deepseek-r")
        await settle(pilot, app, lambda: view.table.filter_text == "deepseek-r")
        assert 0 < view.table.row_count < everything
        names = {row["model_name"].lower() + row["offering_id"] for row in view.table.shown_rows()}
        assert all("deepseek" in name or "r1" in name or "reasoner" in name for name in names), names
        await pilot.press("down")
        assert app.focused is view.table
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert view.table.row_count == everything and view.filter_input.value == ""


async def test_keys_typed_ahead_of_a_busy_dashboard_land_where_they_were_meant(seeded_database):
    """All queued before any is handled, as a terminal delivers keys to an app that is behind:
    "/" and Enter move the focus as they are read, so the text reaches the filter and "p"
    the table (it used to sort on the letters, or type "p" into the filter)."""
    from textual import events

    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        for key in ("slash", *"claude", "enter", "p"):
            event = events.Key(key, {"slash": "/", "enter": "\r"}.get(key, key))
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(
            pilot, app, lambda: view.table.sort_column is not None and view.table.filter_text == "claude"
        )
        assert view.filter_input.value == "claude" and app.focused is view.table
        assert all(
            "claude" in (row["model_name"] + row["offering_id"]).lower() for row in view.table.shown_rows()
        )


async def test_slash_filters_the_screen_you_are_on(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        view = await open_screen(pilot, app, "3", "releases")
        await filter_to(pilot, app, view, "meta")
        assert app.active_name == "releases"
        assert app.focused is view.table
        assert 0 < view.table.row_count < view.table.total_count
        assert all(
            row["lab"] == "Meta" or "meta" in (row["hf_repo_id"] or "") for row in view.table.shown_rows()
        )


async def test_moving_the_cursor_shows_that_rows_offering_and_source(seeded_database):
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
        await filter_to(pilot, app, app.view("prices"), "claude-sonnet-5")
        assert table.row_count >= 2
        for _ in range(2):
            highlighted = table.highlighted
            line = text_of(app.query_one("#prices-line", Static))
            # The reference's offering, source URL and evidence class: what a writer cites.
            assert f"reference {highlighted['offering_id']} via {highlighted['source']}" in line
            assert highlighted["source_url"] in line
            assert f"evidence {highlighted['evidence']}" in line
            assert highlighted["why"] in line
            await pilot.press("down")
            await pilot.pause()


async def test_an_undated_source_says_why_it_is_not_the_answer_under_the_table(seeded_database):
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(160, 40)) as pilot:
        view = app.view("prices")
        table = view.table
        await settle(pilot, app, lambda: table.row_count > 0)
        await pilot.press("v")
        await filter_to(pilot, app, view, "o3")
        rows = table.shown_rows()
        [undated] = [
            index
            for index, row in enumerate(rows)
            if row["source"] == "llm-prices" and row["model_id"] == "o3"
        ]
        table.move_cursor(undated)
        await pilot.pause()
        line = text_of(app.query_one("#prices-line", Static))
        assert "undated: no start date; the reference 2/8 is curated from 2025-06-10" in line


# ---------------------------------------------------------------- details


def x_axis_days(chart_text: str) -> list[str]:
    """The dates on a plotext chart's x axis (its last line), as drawn."""
    import re

    return re.findall(r"\d{4}-\d{2}-\d{2}", chart_text.strip().splitlines()[-1])


async def test_enter_on_a_model_row_shows_its_timeline_chart_and_the_evidence(seeded_database):
    """o3 at OpenAI: 10/40 at launch, 2/8 from the cut, on an axis from launch to now; under
    the chart the timeline and each source's row with its verdict, basis, dates and URL."""
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        await filter_to(pilot, app, view, "o3")
        row = next(
            row for row in view.table.shown_rows() if answer_of(row) == ("o3", "OpenAI", "default", "")
        )
        view.table.move_cursor(view.table.shown_rows().index(row))
        await pilot.press("enter")
        pane = app.query_one("#prices-detail")
        await settle(pilot, app, lambda: view.detail_shown is row)
        assert pane.display
        chart_widget = pane.query_one(Chart)
        series = {item.label: item for item in chart_widget.chart.series}
        assert [value for value in series["input $/M"].values if value is not None] == [10, 2]
        assert [value for value in series["output $/M"].values if value is not None] == [40, 8]
        assert series["input $/M"].dates[0].isoformat() == "2025-04-16"
        assert series["input $/M"].dates[1].isoformat() == "2025-06-10"
        drawn = text_of(chart_widget)
        days = x_axis_days(drawn)
        assert days[0] == "2025-04-16" and days[-1] > "2025-06-10"  # launch to well past the cut
        assert "40.0" in drawn and "2.0" in drawn
        text = text_of(pane.query_one(".detail-text"))
        assert "o3 · OpenAI · now 2 / 8 $/M" in text and row["why"] in text
        below = text_of(pane.query_one(".detail-below"))
        assert "timeline, oldest first: 2 segments" in below
        assert "2025-04-16 → 2025-06-10  10 / 40" in below and "2025-06-10 → now  2 / 8" in below
        evidence = row.as_record()["evidence"]  # as `prices --json` gives it
        assert len(evidence) == 5 and "evidence on 2026-11-01: 5 rows" in below
        for item in evidence:
            assert item["source_url"] in below
        assert "undated" in below and "no start date; the reference 2/8" in below
        assert "1 intervals" not in text + below
        await pilot.press("escape")
        await pilot.pause()
        assert not pane.display


async def test_claude_sonnet_5s_chart_steps_from_3_15_to_2_10_and_back(seeded_database):
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        await filter_to(pilot, app, view, "claude-sonnet-5")
        row = next(row for row in view.table.shown_rows() if row["provider"] == "Anthropic")
        view.table.move_cursor(view.table.shown_rows().index(row))
        await pilot.press("enter")
        await settle(pilot, app, lambda: view.detail_shown is row)
        chart = app.query_one("#prices-detail Chart", Chart).chart
        series = {item.label: item for item in chart.series}
        steps = list(zip(series["input $/M"].values, series["output $/M"].values, strict=True))
        # the last three steps (what went before depends on the launch rows: the timeline's test)
        assert [step for step in steps if step != (None, None)][-3:] == [(3, 15), (2, 10), (3, 15)]
        days = [day.isoformat() for day in series["input $/M"].dates]
        assert days[-4:] == ["2026-07-01", "2026-07-03", "2026-09-01", "2026-11-01"]  # the last to today
        drawn = text_of(app.query_one("#prices-detail Chart", Chart))
        assert x_axis_days(drawn)[0] == days[0]  # the axis spans the whole timeline


async def test_a_reload_keeps_the_model_row_and_reads_its_detail_again(seeded_database):
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        await filter_to(pilot, app, view, "claude-sonnet-5")
        row = next(row for row in view.table.shown_rows() if row["provider"] == "Anthropic")
        view.table.move_cursor(view.table.shown_rows().index(row))
        await pilot.press("enter")
        await settle(pilot, app, lambda: view.detail_shown is row)
        await pilot.press("r")  # new rows: the cursor keeps the answer, the pane reads it again
        await settle(
            pilot,
            app,
            lambda: view.table.highlighted is not row and view.detail_shown is view.table.highlighted,
        )
        assert answer_of(view.table.highlighted) == ("claude-sonnet-5", "Anthropic", "default", "")
        below = text_of(app.query_one("#prices-detail .detail-below"))
        assert "timeline, oldest first:" in below and "2026-09-01" in below


async def test_enter_on_an_offering_row_shows_its_intervals_with_their_evidence(seeded_database):
    app = app_for(seeded_database, initial="prices")
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        await pilot.press("v")
        await filter_to(pilot, app, view, "gpt-4o-2024-05-13")
        row = next(row for row in view.table.shown_rows() if row["source"] == "curated")
        view.table.move_cursor(view.table.shown_rows().index(row))
        await pilot.press("enter")
        pane = app.query_one("#prices-detail")
        await settle(pilot, app, lambda: view.detail_shown is row)
        assert pane.display
        text = text_of(pane.query_one(".detail-text"))
        assert f"verdict {row['verdict']}" in text
        detail = text_of(pane.query_one(".detail-below"))
        assert detail.startswith("1 interval, oldest first:\n2024-05-13 → now  in 5 out 15  curated")
        assert "curated" in detail and row["source_url"] in detail and row["evidence"] in detail
        assert "\n\u200b" not in detail
        chart = text_of(pane.query_one(Chart))
        assert "offering price" in chart and "┤" in chart  # a plotext chart with a y axis
        await pilot.press("escape")
        await pilot.pause()
        assert not pane.display


async def test_a_release_detail_has_downloads_over_time_openness_and_derived_models(seeded_database):
    with seeded_database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO release_stat (hf_repo_id, observed_at, downloads, likes, day) VALUES "
            "('meta-llama/Llama-3.1-405B', '2026-10-01 00:00:00', 1000, 5, '2026-10-01'), "
            "('meta-llama/Llama-3.1-405B', '2026-10-08 00:00:00', 4000, 9, '2026-10-08')"
        )
        connection.exec_driver_sql(
            "INSERT INTO release_base_model (release_id, base_repo_id, relation, stated_in) "
            "VALUES (5, 'meta-llama/Llama-3.1-405B', 'finetune', 'card')"
        )
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        view = await open_screen(pilot, app, "3", "releases")
        await filter_to(pilot, app, view, "Llama-3.1-405B")
        assert view.table.highlighted["hf_repo_id"] == "meta-llama/Llama-3.1-405B"
        await pilot.press("enter")
        text = app.query_one("#releases-detail .detail-text", Static)
        await settle(pilot, app, lambda: "derived models" in text_of(text))
        detail = text_of(text)
        assert "openness: weights" in detail and "licence" in detail
        assert "derived models: 1" in detail and "meta-llama/Llama-4-Scout-17B-16E" in detail
        assert "downloads" in text_of(app.query_one("#releases-detail Chart", Chart))


async def test_a_signal_detail_shows_evidence_class_confidence_and_source_url(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 45)) as pilot:
        view = await open_screen(pilot, app, "4", "compute")
        row = view.table.highlighted
        await pilot.press("enter")
        text = app.query_one("#compute-detail .detail-text", Static)
        await settle(pilot, app, lambda: "evidence class" in text_of(text))
        detail = text_of(text)
        assert f"evidence class {row['evidence']}" in detail
        assert f"confidence {row['confidence']}" in detail
        assert f"source URL {row['source_url']}" in detail
        # Long names are shortened in the table and whole in the detail.
        long_row = max(view.table.shown_rows(), key=lambda item: len(item["item"] or ""))
        view.table.move_cursor(view.table.shown_rows().index(long_row))
        await settle(pilot, app, lambda: long_row["item"] in text_of(text))
        position = view.table.cursor - int(view.table.scroll_offset.y) + 1
        assert long_row["item"] not in view.table.render_line(position).text


# ---------------------------------------------------------------- export, help, palette, errors


async def test_e_exports_the_filtered_view_to_csv_and_says_where(seeded_database, tmp_path):
    import csv

    app = app_for(seeded_database, initial="prices")
    app.settings.export_folder = tmp_path / "exports"
    async with app.run_test(size=(160, 45)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
        await filter_to(pilot, app, app.view("prices"), "claude")
        await pilot.press("e")
        await pilot.pause()
        path = app.last_export
        assert path is not None and path.parent == (tmp_path / "exports").resolve()
        assert any(str(path) in str(notice.message) for notice in app._notifications)
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == table.row_count
        assert all("claude" in (row["model_name"] + row["offering_id"]).lower() for row in rows)
        assert {"input_usd_per_mtok", "source_url", "evidence", "basis"} <= set(rows[0])


async def test_exported_cells_cannot_run_as_spreadsheet_formulas(empty_engine, tmp_path):
    """A hostile name reaches the CSV as inert text; numbers stay numbers."""
    import csv

    from frontier_watch.store.database import Database

    with empty_engine.begin() as connection:
        record_offerings(
            connection,
            [
                PricedOffering(
                    "evil/formula",
                    '=HYPERLINK("http://x.test","click")',
                    "openrouter",
                    segments=[PriceSegment(input=Decimal("0.5"), output=Decimal(2))],
                )
            ],
            Provenance("openrouter", Basis.OBSERVED, "https://x.test", "official-announcement"),
            observed_at=datetime(2026, 10, 1),
            identity=Identity({}, {}),
        )
    app = app_for(Database(engine=empty_engine, url=str(empty_engine.url)), initial="prices")
    app.settings.export_folder = tmp_path
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app, lambda: app.view("prices").table.row_count == 1)
        await pilot.press("e")
        await pilot.pause()
    with app.last_export.open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["offering_name"] == '\'=HYPERLINK("http://x.test","click")'
    assert row["input_usd_per_mtok"] == "0.5" and row["output_usd_per_mtok"] == "2"


async def test_question_mark_shows_the_keys(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app.screen.query_one("#keys", Static))
        for expected in ("cheapest first", "export the current view", "fetch every enabled source", "theme"):
            assert expected in keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_offers_the_same_actions(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(100, 40)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in (
            "Fetch all sources",
            "Export view to CSV",
            "Show keys",
            "Go to Prices",
            "Go to Trends",
        ):
            assert expected in titles
        assert any("theme" in title.lower() for title in titles)
        go_to_releases = next(c for c in app.get_system_commands(app.screen) if c.title == "Go to Releases")
        go_to_releases.callback()
        await settle(pilot, app, lambda: app.view("releases").loaded_version is not None)
        assert app.active_name == "releases"


async def test_t_changes_the_theme(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(100, 40)) as pilot:
        before = app.theme
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"dracula", "enter")
        await settle(pilot, app, lambda: app.theme == "dracula")
        assert app.theme != before


async def test_a_failing_read_is_a_notification_not_a_crash(seeded_database, monkeypatch):
    from frontier_watch.tui import data

    def broken(reader):
        raise RuntimeError("disk \x1b[31mon fire")

    monkeypatch.setattr(data, "release_rows", broken)
    app = app_for(seeded_database)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot, app, lambda: bool(app._notifications))
        [notice] = list(app._notifications)
        assert notice.severity == "error" and "disk" in notice.message and "\x1b" not in notice.message
        await pilot.press("2")  # still running, still answering keys
        await settle(pilot, app, lambda: app.view("prices").table.row_count > 0)


# ---------------------------------------------------------------- empty states and hostile text


async def test_an_empty_database_says_what_to_do(empty_engine):
    from frontier_watch.store.database import Database

    app = app_for(Database(engine=empty_engine, url=str(empty_engine.url)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)
        assert "press f to fetch" in text_of(app.query_one("#headline-prices", Static))
        assert "warning: " in text_of(app.query_one("#headline-health", Static))
        await open_screen(pilot, app, "2", "prices")
        assert "no prices stored yet: press f to fetch" in text_of(app.query_one("#prices-line", Static))
        assert "no benchmark scores stored" in text_of(app.query_one("#headline-trend", Static))
        await open_screen(pilot, app, "5", "trends")
        assert "no cluster or site figures" in text_of(app.query_one("#cluster-chart", Chart))
        assert "no benchmark scores stored" in text_of(app.query_one("#capability-caption", Static))
        sources = await open_screen(pilot, app, "7", "sources")
        assert {row["health"] for row in sources.table.shown_rows()} <= {"warning", "not fetched", "disabled"}
        await filter_to(pilot, app, sources, "openrouter")
        line = text_of(app.query_one("#sources-line", Static))
        assert "openrouter: warning" in line and "never fetched successfully yet" in line


async def test_escape_sequences_in_names_are_not_rendered_raw(empty_engine):
    from frontier_watch.store.database import Database

    with empty_engine.begin() as connection:
        record_offerings(
            connection,
            [
                PricedOffering(
                    "evil/x",
                    "Evil\x1b[31m Red [bold]markup[/]",
                    "openrouter",
                    segments=[PriceSegment(input=Decimal(1), output=Decimal(2))],
                )
            ],
            Provenance("openrouter", Basis.OBSERVED, "https://x.test/\x1b]8;;evil", "official-announcement"),
            observed_at=datetime(2026, 10, 1),
            identity=Identity({}, {}),
        )
    app = app_for(Database(engine=empty_engine, url=str(empty_engine.url)), initial="prices")
    async with app.run_test(size=(120, 20)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count == 1)
        assert "\x1b" not in table.cells_at(0)[0]
        await pilot.press("enter")
        text = app.query_one("#prices-detail .detail-text", Static)
        below = app.query_one("#prices-detail .detail-below", Static)
        await settle(pilot, app, lambda: "evidence on" in text_of(below))
        for widget in (text, below, app.query_one("#prices-line", Static)):
            assert "\x1b" not in text_of(widget)
        await pilot.press("v")  # the offering row, whose name the source gave
        await settle(pilot, app, lambda: "interval" in text_of(below))
        for widget in (text, below, app.query_one("#prices-line", Static)):
            shown = text_of(widget)
            assert "\x1b" not in shown
        for widget in (text, app.query_one("#prices-line", Static)):
            assert "[bold]markup[/]" in text_of(widget)  # text, not markup


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_every_screen_renders_at_both_sizes_without_errors(seeded_database, size):
    app = app_for(seeded_database)
    async with app.run_test(size=size) as pilot:
        names = ("overview", "prices", "releases", "compute", "trends", "changes", "sources")
        for key, name in zip("1234567", names, strict=True):
            await open_screen(pilot, app, key, name)
        assert not [notice for notice in app._notifications if notice.severity == "error"]
