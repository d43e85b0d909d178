"""The dashboard: current prices from the local database, refreshed when cron writes."""

from __future__ import annotations

from datetime import UTC, datetime

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static

from frontier_watch import output, queries
from frontier_watch.config import Settings
from frontier_watch.db import Database

PRICE_COLUMNS = (
    ("model", "model_name"),
    ("provider", "provider"),
    ("source", "source"),
    ("tier", "tier"),
    ("input $/M", "input"),
    ("output $/M", "output"),
    ("cache rd $/M", "cache_read"),
    ("since", "effective_from"),
    ("basis", "basis"),
    ("evidence", "evidence"),
)


class FrontierWatchApp(App[None]):
    """Current prices, filterable, with the source of the highlighted row."""

    TITLE = "frontier-watch"
    SUB_TITLE = "prices in force now"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, database: Database, settings: Settings | None = None) -> None:
        super().__init__()
        self.database = database
        self.settings = settings
        self._rows: list[dict] = []
        self._last_run_id = -1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="filter by model, provider or source  (/ to focus, Esc to clear)", id="filter"
        )
        yield DataTable(id="prices", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#prices", DataTable)
        for label, key in PRICE_COLUMNS:
            table.add_column(label, key=key)
        self.load_prices()
        # Cron writes to the same database; poll the newest run id and reload on change.
        self.set_interval(5.0, self.check_for_new_runs)

    @work(thread=True, exclusive=True, group="load")
    def load_prices(self) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.database.engine.connect() as connection:
            rows = queries.prices_as_of(connection, now)
            run_id = queries.latest_run_id(connection)
        self.call_from_thread(self._show_prices, rows, run_id)

    @work(thread=True, exclusive=True, group="poll")
    def check_for_new_runs(self) -> None:
        with self.database.engine.connect() as connection:
            run_id = queries.latest_run_id(connection)
        if run_id != self._last_run_id:
            self.call_from_thread(self.load_prices)

    def _show_prices(self, rows: list[dict], run_id: int) -> None:
        self._rows = rows
        self._last_run_id = run_id
        self._fill_table()

    def _fill_table(self) -> None:
        needle = self.query_one("#filter", Input).value.strip().lower()
        table = self.query_one("#prices", DataTable)
        table.clear()
        shown = 0
        for index, row in enumerate(self._rows):
            haystack = " ".join(
                str(row.get(key) or "")
                for key in ("model_name", "model_id", "provider", "source", "offering_id")
            ).lower()
            if needle and needle not in haystack:
                continue
            table.add_row(*(output.safe_text(row.get(key)) for _, key in PRICE_COLUMNS), key=str(index))
            shown += 1
        self.sub_title = f"prices in force now: {shown} of {len(self._rows)} offerings"
        self._show_detail()

    def _show_detail(self) -> None:
        table = self.query_one("#prices", DataTable)
        detail = self.query_one("#detail", Static)
        if table.row_count == 0:
            detail.update("no prices match the filter")
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        row = self._rows[int(row_key.value)]
        detail.update(
            f"{output.safe_text(row['model_name'])} · {output.safe_text(row['offering_id'])} "
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
