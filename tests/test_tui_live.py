"""The dashboard and the world: a fetch from it over real HTTP, and data written by another process."""

import os
import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal

import pytest
from test_fetch_end_to_end import served  # noqa: F401 - the fixture server with every price source
from test_tui import app_for, filter_to, settle

from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.settings.config import load_settings
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.store.seed import open_seeded_database
from frontier_watch.tui.widgets import FetchPanel

pytestmark = pytest.mark.slow


async def test_f_fetches_every_source_in_the_background_with_progress_and_results(served):  # noqa: F811
    server, config, db_path = served
    answer = server.next_route

    def slowly(path):  # each response takes a while, as over the internet
        time.sleep(0.5)
        return answer(path)

    server.next_route = slowly
    settings = load_settings(config)
    database = open_seeded_database(settings.database_url)
    app = create(database, settings)
    async with app.run_test(size=(160, 45)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
        before = table.total_count
        keystrokes_while_fetching = 0
        await pilot.press("f")
        panel = app.query_one(FetchPanel)
        deadline = time.monotonic() + 120
        while app.fetching and time.monotonic() < deadline:  # the UI answers keys while the fetch runs
            await pilot.press("down")
            keystrokes_while_fetching += 1
            await pilot.pause(0.02)
        assert not app.fetching
        assert keystrokes_while_fetching > 0
        shown = str(panel.render())
        assert "fetch done: 4 ok, 0 failed" in shown
        for source in ("openrouter", "litellm", "genai-prices", "llm-prices"):
            assert f"✓ {source}:" in shown and "records" in shown
        assert {path for path, _ in server.requests} >= {
            "/api/v1/models",
            "/litellm.json",
            "/genai/data.json",
        }
        # The fetched rows reach the table without a key being pressed.
        await settle(pilot, app, lambda: table.total_count != before)
        assert any(row["source"] == "openrouter" and row["basis"] == "observed" for row in table.shown_rows())
        assert any("fetch done" in str(notice.title) for notice in app._notifications)
        await pilot.press("f")  # a second fetch finds nothing changed and says so source by source
        await settle(pilot, app, lambda: not app.fetching and "fetch done" in str(panel.render()))
    database.engine.dispose()


async def test_a_fetch_that_cannot_reach_its_source_is_reported_not_raised(served):  # noqa: F811
    server, config, db_path = served
    server.serve("/litellm.json", b"not json", 500)
    settings = load_settings(config)
    database = open_seeded_database(settings.database_url)
    app = create(database, settings)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f")
        panel = app.query_one(FetchPanel)
        await settle(pilot, app, lambda: not app.fetching and "fetch done" in str(panel.render()))
        shown = str(panel.render())
        assert "✗ litellm: failed" in shown and "✓ openrouter" in shown
        assert "3 ok, 1 failed" in shown
    database.engine.dispose()


async def test_data_written_by_another_process_refreshes_the_screen_keeping_cursor_and_filter(served):  # noqa: F811
    """Cron runs `frontier-watch fetch` in its own process; the open dashboard follows."""
    server, config, db_path = served
    settings = load_settings(config)
    database = open_seeded_database(settings.database_url)
    app = create(database, settings, poll_seconds=0.1)
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.view("prices")
        table = view.table
        await settle(pilot, app, lambda: table.row_count > 0)
        await filter_to(pilot, app, view, "gpt")
        await pilot.press("down", "down", "down")
        await settle(pilot, app, lambda: table.cursor == 3)
        kept = table.highlighted  # a model row: its model, seller and tier
        kept_identity = (kept["model_id"], kept["provider"], kept["tier"])
        rows_before, version_before = table.total_count, view.loaded_version
        environment = dict(os.environ, PYTHONPATH=str(_src()))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "frontier_watch",
                "--config",
                str(config),
                "fetch",
                "openrouter",
                "--json",
            ],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        await settle(pilot, app, lambda: view.loaded_version != version_before)
        assert table.total_count != rows_before  # the sheet's offerings came and went
        highlighted = table.highlighted
        assert (highlighted["model_id"], highlighted["provider"], highlighted["tier"]) == kept_identity
        assert view.filter_input.value == "gpt" and table.filter_text == "gpt"
        assert all(
            "gpt"
            in " ".join(
                str(row[key] or "") for key in ("model_name", "offering_id", "offering_name", "searched")
            ).lower()
            or "gpt" in str(row["model_id"] or "").lower()
            or "gpt" in str(row["provider"] or "").lower()
            or "gpt" in str(row["source"] or "").lower()
            for row in table.shown_rows()
        )
    database.engine.dispose()


async def test_a_run_that_has_not_finished_yet_does_not_reload(seeded_database):
    """The run row is committed before the download; the reload waits for the data."""
    from frontier_watch.store.fetch_runs import RunOutcome, finish_run, start_run

    app = app_for(seeded_database, poll_seconds=0.05, initial="prices")
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
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
        await settle(pilot, app, lambda: table.row_count == before + 1)


async def test_a_read_slower_than_the_poll_still_shows_the_new_data(seeded_database, monkeypatch):
    """Each poll that sees newer data used to start the screen's read again, cancelling the one
    under way: with a read slower than the poll (a busy machine, a large database) no read ever
    finished and the screen never showed the new data. A read under way is left to finish."""
    import time as clock

    from frontier_watch.store.fetch_runs import RunOutcome, finish_run, start_run
    from frontier_watch.tui import model_prices

    price_rows = model_prices.price_rows

    def slow(reader, now):
        clock.sleep(0.3)  # six polls' worth
        return price_rows(reader, now)

    monkeypatch.setattr(model_prices, "price_rows", slow)
    app = app_for(seeded_database, poll_seconds=0.05, initial="prices")
    async with app.run_test(size=(160, 40)) as pilot:
        view = app.view("prices")
        await settle(pilot, app, lambda: view.table.row_count > 0)
        before = view.table.total_count
        with seeded_database.engine.begin() as connection:
            run_id = start_run(connection, "openrouter", datetime(2026, 11, 1, 11, 0))
            record_offerings(
                connection,
                [
                    PricedOffering(
                        "brand/slow-model",
                        "Brand Slow Model",
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
            finish_run(connection, run_id, RunOutcome(status="ok", records=1, new=1))  # the version moves
        deadline = clock.monotonic() + 30
        while view.table.total_count == before and clock.monotonic() < deadline:
            await pilot.pause(0.05)
        assert view.table.total_count == before + 1
        assert any(row["offering_id"] == "brand/slow-model" for row in view.table.shown_rows())


def create(database, settings, poll_seconds=3600):
    from frontier_watch.tui.app import create_app

    # The real clock: what a fetch observes now is in force now.
    return create_app(database, settings, poll_seconds=poll_seconds, initial="prices")


def _src():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "src"


async def test_f_while_cron_holds_the_fetch_lock_says_so_and_the_dashboard_goes_on(served):  # noqa: F811
    from frontier_watch.store.fetch_lock import fetch_lock, lock_path_for

    server, config, db_path = served
    settings = load_settings(config)
    database = open_seeded_database(settings.database_url)
    app = create(database, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
        with fetch_lock(lock_path_for(database)):
            await pilot.press("f")
            await settle(pilot, app, lambda: not app.fetching and bool(app._notifications))
        [notice] = [notice for notice in app._notifications if notice.severity == "error"]
        assert notice.title == "fetch failed" and "another fetch holds the lock" in notice.message
        assert not server.requests  # nothing was downloaded
        await pilot.press("f")  # the lock is free again: this one runs
        panel = app.query_one(FetchPanel)
        await settle(pilot, app, lambda: not app.fetching and "fetch done" in str(panel.render()))
    database.engine.dispose()


async def test_a_reload_slower_than_the_poll_still_shows_the_new_data(seeded_database, monkeypatch):
    """Each poll that sees new data must not restart a reload already reading it: a read that
    takes longer than the poll interval (a big store, a busy machine) would never finish."""
    from frontier_watch.store.fetch_runs import RunOutcome, finish_run, start_run
    from frontier_watch.tui.screens.table_view import TableView

    app = app_for(seeded_database, poll_seconds=0.05, initial="prices")
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.view("prices").table
        await settle(pilot, app, lambda: table.row_count > 0)
        before = table.row_count
        read_rows = TableView._read_rows

        def slowly(self, reader):  # each read takes several poll intervals
            time.sleep(0.4)
            return read_rows(self, reader)

        monkeypatch.setattr(TableView, "_read_rows", slowly)
        with seeded_database.engine.begin() as connection:  # a fetch's run: the data version moves
            run_id = start_run(connection, "openrouter", datetime(2026, 11, 1, 11, 0))
            record_offerings(
                connection,
                [
                    PricedOffering(
                        "brand/slow-model",
                        "Brand Slow Model",
                        "openrouter",
                        segments=[PriceSegment(input=Decimal(1), output=Decimal(2))],
                    )
                ],
                Provenance("openrouter", Basis.OBSERVED, "https://openrouter.ai/api/v1/models", None, run_id),
                observed_at=datetime(2026, 11, 1, 11, 0),
                identity=Identity({}, {}),
            )
            finish_run(connection, run_id, RunOutcome(status="ok", records=1, new=1))
        await settle(pilot, app, lambda: table.row_count == before + 1)
