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


def screen(app, key, name, *steps):
    """Open a screen, then each step: keys, and the condition that says they have been handled
    (a filter waits out a burst of keys on a timer, a detail is read in a thread)."""

    async def run_before(pilot):
        await settle(pilot, app, lambda: app.view("overview").loaded_version is not None)
        view = await open_screen(pilot, app, key, name)
        for keys, done in steps:
            await pilot.press(*keys)
            await settle(pilot, app, lambda done=done: done(app, view))
        await pilot.pause(0.3)  # the tab underline's animation

    return run_before


def detail_read(app, view):
    return view.detail_open and view.detail_shown is not None and view.detail_shown is view.table.highlighted


def test_snapshot_overview_160x45(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 45), run_before=overview_loaded(app))


def test_snapshot_prices_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "2", "prices"))


def test_snapshot_prices_cheapest_first_with_price_history_160x45(snap_compare, app):
    steps = (
        (
            ("slash", *"gpt-4o-mini", "enter"),
            lambda app, view: view.table.filter_text == "gpt-4o-mini" and app.focused is view.table,
        ),
        (("p",), lambda app, view: view.table.sort_column is not None),
        (("enter",), detail_read),
    )
    assert snap_compare(app, terminal_size=(160, 45), run_before=screen(app, "2", "prices", *steps))


def filtered_to(text):
    return (
        ("slash", *text, "enter"),
        lambda app, view: view.table.filter_text == text and app.focused is view.table,
    )


def test_snapshot_prices_model_detail_80x24(snap_compare, app):
    """Claude Sonnet 5 at Anthropic: its timeline 3/15, 2/10, 3/15 as steps over the whole
    timeline (the evidence scrolls under the chart)."""
    steps = (
        filtered_to("claude-sonnet-5"),
        (("down", "down"), lambda app, view: view.table.highlighted["provider"] == "Anthropic"),
        (("enter",), detail_read),
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "2", "prices", *steps))


def test_snapshot_prices_offerings_80x24(snap_compare, app):
    """`v` on Claude Sonnet 5 at Anthropic: every source's row with its verdict, the cursor on
    the reference."""
    steps = (
        filtered_to("claude-sonnet-5"),
        (("down", "down"), lambda app, view: view.table.highlighted["provider"] == "Anthropic"),
        (("v",), lambda app, view: view.offerings_shown),
    )
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "2", "prices", *steps))


def test_snapshot_releases_160x45(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 45), run_before=screen(app, "3", "releases"))


def test_snapshot_compute_signal_detail_80x24(snap_compare, app):
    steps = ((("enter",), detail_read),)
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "4", "compute", *steps))


def test_snapshot_trends_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=screen(app, "5", "trends"))


def test_snapshot_trends_160x45(snap_compare, app):
    assert snap_compare(app, terminal_size=(160, 45), run_before=screen(app, "5", "trends"))
