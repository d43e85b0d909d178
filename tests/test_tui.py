"""The first dashboard screen, driven as a person would with Pilot, plus SVG snapshots."""

from datetime import datetime
from decimal import Decimal

import pytest
from textual.widgets import Input, Static

from frontier_watch.batch import PricedOffering, PriceSegment
from frontier_watch.identity import Identity
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.tui.app import create_app
from frontier_watch.tui.widgets import RowTable
from frontier_watch.vocabulary import Basis

CLOCK = datetime(2026, 11, 1, 12, 0)


def app_for(database, **kwargs):
    return create_app(database, clock=lambda: CLOCK, **kwargs)


async def wait_for_rows(pilot, app):
    """Wait until the first load has filled the table (the load runs in a thread)."""
    table = app.query_one("#prices", RowTable)
    for _ in range(200):
        if table.row_count and not any(worker.is_running for worker in app.workers):
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)
    await pilot.pause()
    return table


async def test_opens_on_current_prices_from_the_seeded_database(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 40)) as pilot:
        table = await wait_for_rows(pilot, app)
        assert table.row_count > 100
        assert "prices in force now" in app.sub_title
        detail = str(app.query_one("#detail", Static).render())
        assert "basis" in detail and "source:" in detail


async def test_filter_narrows_the_table_and_escape_clears_it(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 40)) as pilot:
        table = await wait_for_rows(pilot, app)
        everything = table.row_count
        await pilot.press("slash")
        assert app.focused is app.query_one("#filter", Input)
        await pilot.press(*"deepseek-r")
        await pilot.pause(0.2)  # the filter waits for typing to pause
        assert 0 < table.row_count < everything
        models = {table.cells_at(index)[0].lower() for index in range(table.row_count)}
        assert all("deepseek" in name or "r1" in name or "reasoner" in name for name in models), models
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == everything


async def test_moving_the_cursor_shows_that_rows_source(seeded_database):
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 40)) as pilot:
        table = await wait_for_rows(pilot, app)
        await pilot.press("slash", *"gpt-4o-mini", "tab")
        await pilot.pause(0.2)
        assert table.row_count >= 2
        for _ in range(2):
            highlighted = table.highlighted
            detail = str(app.query_one("#detail", Static).render())
            assert highlighted["offering_id"] in detail
            assert highlighted["source_url"] in detail
            assert f"evidence {highlighted['evidence']}" in detail
            await pilot.press("down")
            await pilot.pause()
        curated = [
            row
            for row in table.shown_rows()
            if row["source"] == "curated" and row["offering_id"].startswith("gpt-4o-mini")
        ]
        assert curated and curated[0]["source_url"].startswith("https://openai.com/")


async def test_a_disagreeing_source_says_so_under_the_table(seeded_database):
    """The detail line carries a row's caveats: here a stale aggregator's outlier mark."""
    app = app_for(seeded_database)
    async with app.run_test(size=(160, 40)) as pilot:
        table = await wait_for_rows(pilot, app)
        await pilot.press("slash", *"o3", "tab")
        await pilot.pause(0.2)
        rows = table.shown_rows()
        [stale] = [
            index
            for index, row in enumerate(rows)
            if row["source"] == "llm-prices" and row["model_id"] == "o3"
        ]
        table.move_cursor(stale)
        await pilot.pause()
        detail = str(app.query_one("#detail", Static).render())
        assert "outlier: differs from the first-party price (curated): 2/8" in detail


async def test_a_fetch_written_elsewhere_refreshes_the_table_when_its_data_lands(seeded_database):
    """The run row is committed before the download; the reload must wait for the data."""
    from frontier_watch.store.fetch_runs import RunOutcome, finish_run, start_run

    app = app_for(seeded_database, poll_seconds=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        table = await wait_for_rows(pilot, app)
        before = table.row_count
        with seeded_database.engine.begin() as connection:
            run_id = start_run(connection, "openrouter", datetime(2026, 11, 1, 11, 0))
        await pilot.pause(0.3)  # several polls see the running run and no new data
        assert table.row_count == before
        with seeded_database.engine.begin() as connection:
            record_offerings(
                connection,
                [
                    PricedOffering(
                        "brand/new-model",
                        "Brand New Model",
                        "openrouter",
                        segments=[PriceSegment(input=Decimal(1), output=Decimal(2))],
                    )
                ],
                Provenance(
                    "openrouter",
                    Basis.OBSERVED,
                    "https://openrouter.ai/api/v1/models",
                    "official-announcement",
                    run_id,
                ),
                observed_at=datetime(2026, 11, 1, 11, 0),
                identity=Identity({}, {}),
            )
            finish_run(connection, run_id, RunOutcome(status="ok", records=1, new=1))
        for _ in range(60):  # the poll runs every 0.05 s; give it up to 3 s
            await pilot.pause(0.05)
            if table.row_count == before + 1:
                break
        assert table.row_count == before + 1


async def test_escape_sequences_in_names_are_not_rendered_raw(empty_engine):
    from frontier_watch.store.database import Database

    with empty_engine.begin() as connection:
        record_offerings(
            connection,
            [
                PricedOffering(
                    "evil/x",
                    "Evil\x1b[31m Red",
                    "openrouter",
                    segments=[PriceSegment(input=Decimal(1), output=Decimal(2))],
                )
            ],
            Provenance("openrouter", Basis.OBSERVED, "https://x.test", "official-announcement"),
            observed_at=datetime(2026, 10, 1),
            identity=Identity({}, {}),
        )
    app = app_for(Database(engine=empty_engine, url=str(empty_engine.url)))
    async with app.run_test(size=(120, 20)) as pilot:
        table = await wait_for_rows(pilot, app)
        assert table.row_count == 1
        assert "\x1b" not in table.cells_at(0)[0]


@pytest.fixture
def snapshot_app(seeded_database):
    return app_for(seeded_database)


def test_snapshot_current_prices(snap_compare, snapshot_app):
    async def settle(pilot):
        await wait_for_rows(pilot, snapshot_app)

    assert snap_compare(snapshot_app, terminal_size=(150, 36), run_before=settle)


def test_snapshot_filtered_to_deepseek(snap_compare, snapshot_app):
    async def filter_rows(pilot):
        await wait_for_rows(pilot, snapshot_app)
        await pilot.press("slash", *"deepseek")
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(150, 36), run_before=filter_rows)
