"""TableView: the shape every table screen shares.

A filter line, a RowTable, one line about the highlighted row, and a detail pane that
opens on Enter (below the table when narrow, beside it when wide). Rows and details are
read in worker threads through the app (``FrontierWatchApp.read``); a reload keeps the
filter, the sort and the highlighted row.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from frontier_watch.render.public_rows import Listing
from frontier_watch.store.reading import Reader
from frontier_watch.tui.host import DashboardHost, host_of
from frontier_watch.tui.widgets import Chart, RowTable

if TYPE_CHECKING:
    from frontier_watch.render.charts import Chart as ChartData

FILTER_DEBOUNCE_SECONDS = 0.05  # type a word without redrawing on every letter
DETAIL_DEBOUNCE_SECONDS = 0.08
WIDE = 150  # from this width the detail pane sits beside the table


class FilterInput(Input):
    """The filter line: Enter or Down goes back to the table, the filter applied.

    Priority bindings, so the focus moves as the app reads the key: a key typed right after
    (``p`` to sort) reaches the table even when the app is behind, not the filter.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "to_table", "Table", show=False, priority=True),
        Binding("down", "to_table", "Table", show=False, priority=True),
    ]

    def action_to_table(self) -> None:
        for ancestor in self.ancestors:
            if isinstance(ancestor, TableView):
                ancestor.filter_and_focus_table()
                return


class TableView(Vertical):
    """One table screen: subclasses say what rows are, how a row reads, and what its detail holds."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_table", "Table", show=False),
        Binding("escape", "escape", "Back", show=False),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("p", "sort_cheapest", "Cheapest", show=False),
    ]

    name_: ClassVar[str] = "rows"
    title: ClassVar[str] = "Rows"
    listing: ClassVar[Listing]
    search_keys: ClassVar[tuple[str, ...]] = ()
    placeholder: ClassVar[str] = "filter (/ to focus, Down or Enter for the table, Esc to clear)"

    def __init__(self) -> None:
        super().__init__(id=f"view-{self.name_}", classes="table-view")
        self.loaded_version: int | None = None
        self.empty_note = ""
        self.detail_open = False
        self._filter_timer: Timer | None = None
        self._last_filtered = 0.0
        self._detail_row: Any = None
        self.detail_shown: Any = None  # the row whose detail, read, is in the pane
        self._detail_timer: Timer | None = None

    # ------------------------------------------------------------------ hooks

    def read_rows(self, reader: Reader) -> list[Any]:
        raise NotImplementedError

    def keep(self, row: Any) -> object:
        """What stays the same about a row across reloads (the cursor follows it)."""
        return row.get("id")

    def row_line(self, row: Any) -> Text:
        return Text("")

    def read_detail(self, reader: Reader, row: Any) -> Any:
        return None

    def detail_text(self, row: Any, detail: Any) -> Text:
        return self.row_line(row)

    def detail_chart(self, row: Any, detail: Any) -> tuple[ChartData | None, str]:
        """The detail pane's chart, and what to say when there is none."""
        return None, ""

    def detail_below(self, row: Any, detail: Any) -> Text | None:
        """What the detail pane shows under its chart (None: nothing)."""
        return None

    def export_rows(self) -> list[dict[str, Any]]:
        """The rows shown, filtered and sorted as on screen, in their public shape."""
        return [dict(row) for row in self.table.shown_rows()]

    def empty_text(self) -> str:
        return self.empty_note or self.table.listing.empty

    def reading_text(self) -> str:
        """Until the first read comes back, the screen says so rather than look empty."""
        return f"reading {self.title.lower()}…"

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder=self.placeholder, id=f"{self.name_}-filter", classes="filter", compact=True
        )
        with Horizontal(classes="body"):
            yield RowTable(self.listing, id=self.name_)
            with VerticalScroll(id=f"{self.name_}-detail", classes="detail-pane"):
                yield Static("", classes="detail-text")
                yield Chart(classes="detail-chart")
                yield Static("", classes="detail-below")
        yield Static(Text(self.reading_text()), id=f"{self.name_}-line", classes="row-line")

    @property
    def fw_app(self) -> DashboardHost:
        return host_of(self)

    @property
    def table(self) -> RowTable:
        return self.query_one(f"#{self.name_}", RowTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one(f"#{self.name_}-filter", Input)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < WIDE, "-narrow")

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        self.fw_app.read(f"rows-{self.name_}", self._read_rows, self._show_rows)

    def _read_rows(self, reader: Reader) -> tuple[list[Any], int]:
        from frontier_watch.store import catalog

        return self.read_rows(reader), catalog.data_version(reader)

    def _show_rows(self, result: tuple[Any, int]) -> None:
        rows, version = result
        self.loaded_version = version
        self.present(rows)
        if self.detail_open:
            self._load_detail(self.table.highlighted)

    def present(self, rows: Any) -> None:
        """Show what ``read_rows`` gave (a reload keeps the filter, the sort and the cursor's row)."""
        self.table.set_rows(rows, search_keys=self.search_keys, keep=self.keep)
        self.show_status()

    def show_status(self) -> None:
        table = self.table
        line = self.query_one(f"#{self.name_}-line", Static)
        row = table.highlighted
        if row is None:
            if self.loaded_version is None:
                line.update(Text(self.reading_text()))
            elif table.total_count:
                line.update(Text(f"nothing matches '{table.filter_text}' (Esc clears the filter)"))
            else:
                line.update(Text(self.empty_text()))
        else:
            line.update(self.row_line(row))
        self.fw_app.view_status(self)

    # ------------------------------------------------------------------ filter

    @on(Input.Changed, ".filter")
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
        if self.table.filter_text != self.filter_input.value.strip().lower():
            self.table.filter(self.filter_input.value)  # (a filter already applied keeps the cursor)
        self.show_status()

    def filter_and_focus_table(self) -> None:
        """Enter or Down in the filter: a filter still waiting for the end of a burst of keys
        is applied now, so the table the focus moves to shows its answer."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        self._apply_filter()
        self.focus_now(self.table)

    def focus_now(self, widget: Widget) -> None:
        """Move the focus before the next key is handled (``Widget.focus`` waits a turn, and a
        key typed quickly after "/" or Enter would reach the widget it is leaving)."""
        self.app.set_focus(widget)

    def focus_filter(self) -> None:
        self.focus_now(self.filter_input)

    def action_focus_table(self) -> None:
        self.focus_now(self.table)

    def action_escape(self) -> None:
        if self.detail_open:
            self.close_detail()
        elif self.filter_input.value:
            self.filter_input.value = ""
            self._apply_filter()
            self.focus_now(self.table)
        else:
            self.focus_now(self.table)

    # ------------------------------------------------------------------ sorting

    def action_sort_next(self) -> None:
        table = self.table
        shown = table.shown_columns
        current = table.sort_column
        if current is None or current[0] not in shown:
            column = shown[0]
        else:
            column = shown[(shown.index(current[0]) + 1) % len(shown)]
        table.sort_by(column, descending=False)
        self.show_status()

    def action_sort_reverse(self) -> None:
        table = self.table
        if table.sort_column is None:
            table.sort_by(table.shown_columns[0], descending=True)
        else:
            table.sort_by(table.sort_column[0])
        self.show_status()

    def action_sort_cheapest(self) -> None:
        """The lowest price first: input price, then (pressed again) output price."""
        columns = self.table.listing.columns
        prices = [index for index, column in enumerate(columns) if column.numeric]
        if not prices:
            return
        current = self.table.sort_column
        column = prices[0]
        if current is not None and current == (prices[0], False) and len(prices) > 1:
            column = prices[1]
        self.table.sort_by(column, descending=False)
        self.show_status()

    def sort_description(self) -> str:
        current = self.table.sort_column
        if current is None:
            return ""
        heading = self.table.listing.columns[current[0]].heading
        return f"sorted by {heading} {'descending' if current[1] else 'ascending'}"

    # ------------------------------------------------------------------ the highlighted row and its detail

    @on(RowTable.RowHighlighted)
    def _row_highlighted(self, event: RowTable.RowHighlighted) -> None:
        event.stop()
        self.show_status()
        # The row under the cursor now, not the event's: new rows move the cursor twice (to the
        # top, then to the row kept), and the first event arrives after the second move.
        if self.detail_open and self._cursor_left_detail():
            # Holding a key down moves through many rows: read the detail of the one it stops on.
            if self._detail_timer is not None:
                self._detail_timer.stop()
            self._detail_timer = self.set_timer(DETAIL_DEBOUNCE_SECONDS, self._follow_cursor)

    def _cursor_left_detail(self) -> bool:
        row = self.table.highlighted
        return row is not None and row is not self._detail_row

    def _follow_cursor(self) -> None:
        if self.detail_open and self._cursor_left_detail():
            self._load_detail(self.table.highlighted)

    @on(RowTable.RowSelected)
    def _row_selected(self, event: RowTable.RowSelected) -> None:
        event.stop()
        self.open_detail()

    def open_detail(self) -> None:
        row = self.table.highlighted
        if row is None:
            return
        self.detail_open = True
        self.add_class("-detail")
        self._load_detail(row)

    def close_detail(self) -> None:
        self.detail_open = False
        self._detail_row = self.detail_shown = None
        self.remove_class("-detail")
        self.focus_now(self.table)

    def _load_detail(self, row: Any) -> None:
        if row is None:
            return
        self._detail_row = row
        self.detail_shown = None
        text = self.query_one(".detail-text", Static)
        text.update(self.detail_text(row, None))
        self._show_below(None)

        def read(reader: Reader) -> tuple[Any, Any]:
            return row, self.read_detail(reader, row)

        self.fw_app.read(f"detail-{self.name_}", read, self._show_detail)

    def _show_detail(self, result: tuple[Any, Any]) -> None:
        row, detail = result
        if row is not self._detail_row:
            return  # the cursor has moved on; its own detail is on the way
        self.query_one(".detail-text", Static).update(self.detail_text(row, detail))
        self.query_one(".detail-chart", Chart).show(*self.detail_chart(row, detail))
        self._show_below(self.detail_below(row, detail))
        self.detail_shown = row

    def _show_below(self, text: Text | None) -> None:
        below = self.query_one(".detail-below", Static)
        below.display = text is not None
        below.update(text or "")
