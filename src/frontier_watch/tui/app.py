"""The dashboard: current prices from the local database, refreshed when cron writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from frontier_watch import output
from frontier_watch.clock import utc_now
from frontier_watch.config import Settings
from frontier_watch.store import queries
from frontier_watch.store.database import Database
from frontier_watch.store.reading import reader_for

# (heading, row key, widest the column may grow)
PRICE_COLUMNS = (
    ("model", "model_name", 34),
    ("provider", "provider", 16),
    ("source", "source", 12),
    ("tier", "tier", 17),
    ("input $/M", "input", 10),
    ("output $/M", "output", 10),
    ("cache rd $/M", "cache_read", 12),
    ("since", "effective_from", 10),
    ("basis", "basis", 13),
)


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if isinstance(value, datetime):
        return value.date().isoformat()  # the detail line has the full time
    return output.safe_text(value)


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
        self._rows: list[dict] = []
        self._data_version = -1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="filter by model, provider or source  (/ to focus, Esc to clear)", id="filter"
        )
        yield DataTable(id="prices", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self._set_columns([])
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
        self._rows = rows
        self._data_version = version
        self._fill_table()

    def _set_columns(self, cells: list[tuple[str, ...]]) -> None:
        # Widths come from the rows shown, capped per column: set explicitly, so the
        # table is laid out right on its first paint after a threaded load.
        table = self.query_one("#prices", DataTable)
        table.clear(columns=True)
        for index, (label, key, widest) in enumerate(PRICE_COLUMNS):
            content = max((len(row[index]) for row in cells), default=0)
            table.add_column(label, key=key, width=min(max(len(label), content), widest))

    def _fill_table(self) -> None:
        needle = self.query_one("#filter", Input).value.strip().lower()
        table = self.query_one("#prices", DataTable)
        shown: list[tuple[str, tuple[str, ...]]] = []
        for index, row in enumerate(self._rows):
            haystack = " ".join(
                str(row.get(key) or "")
                for key in ("model_name", "offering_name", "model_id", "provider", "source", "offering_id")
            ).lower()
            if needle and needle not in haystack:
                continue
            shown.append((str(index), tuple(_cell(row, key) for _, key, _ in PRICE_COLUMNS)))
        self._set_columns([cells for _, cells in shown])
        for key, cells in shown:
            table.add_row(*cells, key=key)
        self.sub_title = f"prices in force now: {len(shown)} of {len(self._rows)} offerings"
        self._show_detail()

    def _show_detail(self) -> None:
        table = self.query_one("#prices", DataTable)
        detail = self.query_one("#detail", Static)
        if table.row_count == 0:
            detail.update("no prices match the filter")
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        if row_key.value is None:
            return
        row = self._rows[int(row_key.value)]
        detail.update(
            f"{output.safe_text(row['offering_name'])} · {output.safe_text(row['offering_id'])} "
            f"({output.safe_text(row['provider'])} via {output.safe_text(row['source'])}) · "
            f"basis {row['basis']} · evidence {output.safe_text(row['evidence'])}\n"
            f"source: {output.safe_text(row['source_url'])}"
        )

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._fill_table()

    @on(DataTable.RowHighlighted, "#prices")
    def _row_highlighted(self) -> None:
        self._show_detail()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#prices", DataTable).focus()

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
