"""The dashboard: current prices from the local database, refreshed when cron writes."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime
from time import monotonic

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Static

from frontier_watch import output
from frontier_watch.clock import utc_now
from frontier_watch.config import Settings
from frontier_watch.public_rows import Column, Listing
from frontier_watch.store import queries
from frontier_watch.store.database import Database
from frontier_watch.store.reading import reader_for
from frontier_watch.tui.widgets import RowTable

# What the price table shows; at 80 columns the model, provider and prices stay, the rest
# give way (highest priority number first) and remain in the detail line.
PRICE_LISTING = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "provider"),
        Column("input", "input $/M", numeric=True),
        Column("output", "output $/M", numeric=True),
        Column("tier", "tier", priority=2),
        Column("offering_id", "offering", priority=2),
        Column("source", "source", priority=3),
        Column("cache_read", "cache rd $/M", numeric=True, priority=4),
        Column("answers_from", "since", fixed=True, priority=4),
        Column("flag", "flag", priority=3),
        Column("basis", "basis", priority=5),
    ),
    "no prices",
)
SEARCHED = ("model_name", "offering_name", "model_id", "provider", "source", "offering_id", "tier")
FILTER_DEBOUNCE_SECONDS = 0.05  # type a word without redrawing on every letter


def row_identity(row: dict) -> tuple:
    """What stays the same about a price row across reloads: its offering and tier."""
    return (row["source"], row["provider"], row["offering_id"], row["tier"])


class FrontierWatchApp(App[None]):
    """Current prices, filterable, with the source of the highlighted row."""

    TITLE = "frontier-watch"
    SUB_TITLE = "prices in force now"
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = "#prices"  # keys go to the table; "/" moves to the filter
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        poll_seconds: float = 5.0,
    ) -> None:
        super().__init__()
        self.database = database
        self.settings = settings
        self._clock = clock or utc_now
        self._poll_seconds = poll_seconds
        self._data_version = -1
        self._filter_timer: Timer | None = None
        self._last_filtered = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="filter by model, provider or source  (/ to focus, Esc to clear)", id="filter"
        )
        yield RowTable(PRICE_LISTING, id="prices")
        yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load_prices()
        # Cron writes to the same database; poll its data version and reload when it moves.
        self.set_interval(self._poll_seconds, self.check_for_new_data)

    @work(thread=True, exclusive=True, group="load")
    def load_prices(self, only_if_changed: bool = False) -> None:
        """Read current prices in a thread; skip the read when the data has not changed.

        The version and the rows are read in one transaction, so rows that land after the
        version was read are seen on the next poll, never lost.
        """
        with reader_for(self.database) as reader, reader.snapshot():
            version = queries.data_version(reader)
            if only_if_changed and version == self._data_version:
                return
            rows = queries.prices_as_of(reader, self._clock())
        self.call_from_thread(self._show_prices, rows, version)

    def check_for_new_data(self) -> None:
        # Timer callback: a load already under way will see the new data itself.
        if any(worker.group == "load" and worker.is_running for worker in self.workers):
            return
        self.load_prices(only_if_changed=True)

    def _show_prices(self, rows: list[dict], version: int) -> None:
        self._data_version = version
        table = self.prices_table
        table.set_rows(rows, search_keys=SEARCHED, keep=row_identity)
        # Thousands of long-lived rows need no cycle collection: keep them out of the
        # collector's full passes, which would otherwise stall a keystroke now and then.
        # (Replaced rows are still freed by reference counting.)
        gc.freeze()
        self._show_status()

    @property
    def prices_table(self) -> RowTable:
        return self.query_one("#prices", RowTable)

    @property
    def shown_filter(self) -> str:
        """The filter text the table shows the answer to (the input may be ahead of it)."""
        return self.prices_table.filter_text

    def _show_status(self) -> None:
        table = self.prices_table
        self.sub_title = f"prices in force now: {table.row_count} of {table.total_count} offerings"
        self._show_detail(table.highlighted)

    def _show_detail(self, row: dict | None) -> None:
        detail = self.query_one("#detail", Static)
        if row is None:
            detail.update("no prices match the filter")
            return
        detail.update(
            f"{output.safe_text(row['offering_name'])} · {output.safe_text(row['offering_id'])} "
            f"({output.safe_text(row['provider'])} via {output.safe_text(row['source'])}) · "
            f"basis {row['basis']} · evidence {output.safe_text(row['evidence'])}\n"
            f"source: {output.safe_text(row['source_url'])}"
            + "".join(
                f"\n{label}: {output.safe_text(row[key])}"
                for label, key in (("flag", "flag_reason"), ("outlier", "outlier"), ("narrowed", "clipped"))
                if row.get(key)
            )
        )

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        # A key after a pause filters at once; keys in a burst (fast typing, a paste) wait
        # for the burst to end and filter once.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if monotonic() - self._last_filtered > FILTER_DEBOUNCE_SECONDS:
            self._apply_filter()
        else:
            self._filter_timer = self.set_timer(FILTER_DEBOUNCE_SECONDS, self._apply_filter)

    def _apply_filter(self) -> None:
        self._last_filtered = monotonic()
        self.prices_table.filter(self.query_one("#filter", Input).value)
        self._show_status()

    @on(RowTable.RowHighlighted, "#prices")
    def _row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        self._show_detail(event.row)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self._apply_filter()
        self.prices_table.focus()

    def action_refresh(self) -> None:
        self.load_prices()


def create_app(
    database: Database,
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    poll_seconds: float = 5.0,
) -> FrontierWatchApp:
    """The dashboard as the CLI and the tests build it."""
    return FrontierWatchApp(database, settings, clock=clock, poll_seconds=poll_seconds)
