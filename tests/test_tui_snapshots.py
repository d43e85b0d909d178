"""SVG snapshots of the main screens on the seeded database, at 80x24 and 160x45 (fixed clock)."""

import pytest
from test_tui import app_for, open_screen, settle


@pytest.fixture
def app(seeded_database):
    return app_for(seeded_database)


def overview_loaded(app):
    async def run_before(pilot):
        await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)

    return run_before


def screen(app, key, name, *keys):
    async def run_before(pilot):
        await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)
        await open_screen(pilot, app, key, name)
        if keys:
            await pilot.press(*keys)
            await pilot.pause(0.2)
            await settle(pilot, app)
        await pilot.pause(0.3)  # the tab underline's animation

    return run_before


def test_snapshot_overview_160x45(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 45), run_before=overview_loaded(app))


def test_snapshot_prices_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "2", "prices"))


def test_snapshot_prices_cheapest_first_with_price_history_160x45(snap_compare, app):
    keys = ("slash", *"gpt-4o-mini", "enter", "p", "enter")
    assert snap_compare(app, terminal_size=(160, 45), run_before=screen(app, "2", "prices", *keys))


def test_snapshot_releases_160x45(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 45), run_before=screen(app, "3", "releases"))


def test_snapshot_compute_signal_detail_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "4", "compute", "enter"))


def test_snapshot_trends_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "5", "trends"))


def test_snapshot_trends_160x45(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 45), run_before=screen(app, "5", "trends"))
