"""RowTable: a fast, read-only table of rows for the dashboard (Textual's Line API).

Textual's DataTable builds every row as widgets' worth of state: thousands of prices take
close to a second to show and each filter keystroke hundreds of milliseconds. RowTable
keeps the rows as plain tuples of text and renders only the lines on screen, so showing,
filtering and sorting cost the same with ten rows or a million.

Columns come from a ``public_rows.Listing`` and are fitted to the width like the CLI's
tables (``output.fit_columns``): the least important columns go first, text is shortened
with an ellipsis, numbers and dates never. The first line is the header and stays put.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click, Resize
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from frontier_watch.render.output import GAP, cell_text, fit_columns
from frontier_watch.render.public_rows import Column, Listing

FIT_SAMPLE = 2000  # rows whose text decides the column widths


class RowTable(ScrollView, can_focus=True):
    """Rows of text under a fixed header, with a row cursor, filtering and sorting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Details", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--even",
        "row-table--sorted",
    }
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        scrollbar-gutter: stable;
    }
    RowTable > .row-table--header { text-style: bold; background: $panel; color: $text; }
    RowTable > .row-table--sorted { text-style: bold underline; background: $panel; color: $accent; }
    RowTable > .row-table--even { background: $boost; }
    RowTable > .row-table--cursor { background: $primary 40%; }
    RowTable:focus > .row-table--cursor { background: $primary; color: $text; }
    """

    cursor = reactive(0, always_update=True, repaint=False)

    class RowHighlighted(Message):
        """The cursor moved to a row (``row`` is None when no row is shown)."""

        def __init__(self, table: RowTable, row: dict[str, Any] | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RowTable:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter or a click on a row: open its details."""

    def __init__(self, listing: Listing, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.listing = listing
        self._rows: list[dict[str, Any]] = []
        self._cells: dict[int, tuple[str, ...]] = {}  # made when a row is first drawn
        self._haystacks: list[str] = []
        self._shown: list[int] = []  # indexes into _rows, in display order
        self._needle = ""
        self._sort: tuple[int, bool] | None = None  # (column index, descending)
        self._layout_width = -1
        self._shown_columns: list[int] = []
        self._widths: list[int] = []
        self.hidden_headings: list[str] = []

    # ------------------------------------------------------------------ data

    @property
    def row_count(self) -> int:
        """Rows shown (after the filter)."""
        return len(self._shown)

    @property
    def total_count(self) -> int:
        return len(self._rows)

    @property
    def filter_text(self) -> str:
        return self._needle

    @property
    def highlighted(self) -> dict[str, Any] | None:
        if not self._shown:
            return None
        return self._rows[self._shown[min(self.cursor, len(self._shown) - 1)]]

    def shown_rows(self) -> list[dict[str, Any]]:
        """The rows in display order, as given to ``set_rows``."""
        return [self._rows[index] for index in self._shown]

    def cells_at(self, position: int) -> tuple[str, ...]:
        """The text of every column of the row at ``position`` (in display order)."""
        return self._cells_of(self._shown[position])

    def _cells_of(self, index: int) -> tuple[str, ...]:
        cells = self._cells.get(index)
        if cells is None:
            row = self._rows[index]
            cells = self._cells[index] = tuple(
                cell_text(row.get(column.key), column) for column in self.listing.columns
            )
        return cells

    def set_rows(
        self,
        rows: Sequence[dict[str, Any]],
        *,
        search_keys: Sequence[str] = (),
        keep: Callable[[dict[str, Any]], object] | None = None,
    ) -> None:
        """Show new rows, keeping the filter, the sort and (by ``keep``) the highlighted row.

        ``search_keys`` are the fields the filter looks in (default: every column).
        """
        kept = keep(self.highlighted) if keep is not None and self.highlighted is not None else None
        offset = self.cursor - int(self.scroll_offset.y)
        self._rows = list(rows)
        self._cells = {}
        keys = list(search_keys) or [column.key for column in self.listing.columns]
        self._haystacks = [" ".join(str(row.get(key) or "") for key in keys).lower() for row in self._rows]
        self._layout_width = -1  # widths follow the data
        self._apply(keep_position=False)
        if kept is not None and keep is not None:
            for position, index in enumerate(self._shown):
                if keep(self._rows[index]) == kept:
                    self.cursor = position
                    self.scroll_to(y=max(0, position - offset), animate=False, immediate=True)
                    break

    def set_listing(self, listing: Listing) -> None:
        """Show the rows under other columns (call ``set_rows`` next with rows for them). A sort by
        a column the new listing also has (by key) goes on; any other is dropped."""
        if self._sort is not None:
            key = self.listing.columns[self._sort[0]].key
            keys = [column.key for column in listing.columns]
            self._sort = (keys.index(key), self._sort[1]) if key in keys else None
        self.listing = listing
        self._cells = {}
        self._layout_width = -1

    def filter(self, text: str) -> None:
        """Show only rows whose searched fields contain ``text`` (any case)."""
        self._needle = text.strip().lower()
        self._apply(keep_position=False)

    def sort_by(self, column: int, descending: bool | None = None) -> None:
        """Order rows by a column (numbers as numbers); the same column again reverses."""
        if descending is None:
            descending = self._sort is not None and self._sort[0] == column and not self._sort[1]
        self._sort = (column, descending)
        self._apply(keep_position=True)

    @property
    def sort_column(self) -> tuple[int, bool] | None:
        return self._sort

    @property
    def shown_columns(self) -> list[int]:
        """Indexes (into the listing) of the columns that fit the width, left to right."""
        self._fit()
        return list(self._shown_columns)

    def _apply(self, *, keep_position: bool) -> None:
        highlighted = self._shown[self.cursor] if keep_position and self._shown else None
        needle = self._needle
        shown = [index for index, haystack in enumerate(self._haystacks) if needle in haystack]
        if self._sort is not None:
            column, descending = self._sort
            key = self.listing.columns[column].key
            numbers: list[int] = []
            texts: list[int] = []
            for index in shown:
                value = self._rows[index].get(key)
                (texts if value is None or isinstance(value, str) else numbers).append(index)
            numbers.sort(key=lambda index: self._rows[index][key], reverse=descending)
            texts.sort(key=lambda index: str(self._rows[index].get(key) or "").lower(), reverse=descending)
            missing = [index for index in texts if self._rows[index].get(key) is None]
            texts = [index for index in texts if self._rows[index].get(key) is not None]
            shown = numbers + texts + missing  # rows without a value go last either way
        self._shown = shown
        position = shown.index(highlighted) if highlighted in shown else 0
        self.virtual_size = Size(self.size.width, len(shown) + 1)
        self.cursor = min(position, max(len(shown) - 1, 0))
        self._keep_cursor_visible()
        self.refresh()

    # ------------------------------------------------------------------ layout and rendering

    def _fit(self) -> None:
        width = max(self.scrollable_content_region.width, 10)
        if width == self._layout_width:
            return
        # Widths from a sample: a column wider than the sample's is shortened with "…".
        step = max(1, len(self._rows) // FIT_SAMPLE)
        sample = [list(self._cells_of(index)) for index in range(0, len(self._rows), step)]
        sample = sample or [[column.heading for column in self.listing.columns]]
        layout = fit_columns(sample, self.listing, width - 1)  # one cell of margin on the left
        self._shown_columns, self._widths = layout.shown, layout.widths
        self.hidden_headings = layout.hidden
        self._layout_width = width

    def on_resize(self, event: Resize) -> None:
        self._layout_width = -1
        self.virtual_size = Size(event.size.width, len(self._shown) + 1)
        self._keep_cursor_visible()

    def _line(self, texts: Sequence[str], style: Style, columns: Sequence[Column]) -> list[Segment]:
        parts = []
        for text, size, column in zip(texts, self._widths, columns, strict=True):
            length = cell_len(text)
            if length > size:
                text, length = set_cell_size(text, size - 1) + "…", size
            padding = " " * (size - length)
            parts.append(padding + text if column.numeric else text + padding)
        return [Segment(" " + (" " * GAP).join(parts), style)]

    def render_line(self, y: int) -> Strip:
        self._fit()
        width = self.scrollable_content_region.width
        columns = [self.listing.columns[index] for index in self._shown_columns]
        if y == 0:
            headings = [column.heading for column in columns]
            if self._sort is not None and self._sort[0] in self._shown_columns:
                at = self._shown_columns.index(self._sort[0])
                headings[at] = headings[at][: max(self._widths[at] - 1, 1)] + ("▼" if self._sort[1] else "▲")
            style = self.get_component_rich_style("row-table--header")
            return Strip(self._line(headings, style, columns)).extend_cell_length(width, style).crop(0, width)
        position = int(self.scroll_offset.y) + y - 1
        if position >= len(self._shown):
            return Strip.blank(width, self.rich_style)
        cells = self._cells_of(self._shown[position])
        texts = [cells[index] for index in self._shown_columns]
        if position == self.cursor:
            style = self.rich_style + self.get_component_rich_style("row-table--cursor")
        elif position % 2:
            style = self.rich_style + self.get_component_rich_style("row-table--even")
        else:
            style = self.rich_style
        return Strip(self._line(texts, style, columns)).extend_cell_length(width, style).crop(0, width)

    # ------------------------------------------------------------------ cursor

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.highlighted))

    def _keep_cursor_visible(self) -> None:
        rows_on_screen = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows_on_screen:
            self.scroll_to(y=self.cursor - rows_on_screen + 1, animate=False, immediate=True)

    def move_cursor(self, position: int) -> None:
        if not self._shown:
            return
        self.cursor = max(0, min(position, len(self._shown) - 1))
        self._keep_cursor_visible()

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(self.scrollable_content_region.height - 2, 1))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(self.scrollable_content_region.height - 2, 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._shown) - 1)

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.RowSelected(self, self.highlighted))

    def on_click(self, event: Click) -> None:
        if event.y == 0:  # a click on a heading sorts by that column
            x, offset = event.x - 1, 0
            for index, size in zip(self._shown_columns, self._widths, strict=True):
                if offset <= x < offset + size + GAP:
                    self.sort_by(index)
                    return
                offset += size + GAP
            return
        position = int(self.scroll_offset.y) + event.y - 1
        if 0 <= position < len(self._shown):
            self.move_cursor(position)
            if event.chain >= 2:
                self.action_select()
