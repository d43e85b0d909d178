"""RowTable, the dashboard's table: lazy, filterable, sortable, and it keeps your place."""

from __future__ import annotations

from decimal import Decimal

from textual.app import App, ComposeResult

from frontier_watch.render.public_rows import Column, Listing
from frontier_watch.tui.widgets import RowTable

LISTING = Listing(
    (
        Column("name", "name"),
        Column("price", "price", numeric=True),
        Column("note", "note", priority=3),
    )
)


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[RowTable.RowHighlighted] = []

    def compose(self) -> ComposeResult:
        yield RowTable(LISTING, id="table")

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        self.events.append(event)


def rows(count: int) -> list[dict]:
    return [
        {"id": n, "name": f"model-{n}", "price": Decimal(n % 97) / 10, "note": "x" * (n % 5)}
        for n in range(count)
    ]


async def test_a_large_table_renders_without_formatting_every_row():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(rows(300_000))
        await pilot.pause()
        assert table.row_count == 300_000
        # The widths come from a sample and the cells of the rows on screen: not 300,000 rows' worth.
        assert len(table._cells) <= 2 * 2000 + 30


async def test_filter_sort_and_the_cursor_follow_the_rows():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RowTable)
        data = rows(200) + [{"id": 999, "name": "model-none", "price": None, "note": ""}]
        table.set_rows(data)
        table.filter("MODEL-1")  # any case
        assert table.row_count == 1 + 10 + 100
        table.sort_by(1)  # price, ascending, numbers as numbers; no price goes last
        prices = [row["price"] for row in table.shown_rows()]
        assert prices == sorted(prices)
        table.sort_by(1)  # the same column again: descending
        assert [row["price"] for row in table.shown_rows()][0] == max(prices)
        table.filter("")
        assert table.shown_rows()[-1]["name"] == "model-none"  # missing values last both ways
        await pilot.pause()


async def test_a_reload_keeps_the_highlighted_row():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(rows(100), keep=lambda row: row["id"])
        table.move_cursor(40)
        await pilot.pause()
        assert table.highlighted["id"] == 40
        fresh = [dict(row, price=row["price"] + 1) for row in reversed(rows(100))]  # new order, new prices
        table.set_rows(fresh, keep=lambda row: row["id"])
        await pilot.pause()
        assert table.highlighted["id"] == 40


async def test_keys_move_the_cursor_and_enter_selects():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(rows(100))
        table.focus()
        await pilot.press("down", "down", "end", "up", "enter")
        await pilot.pause()
        assert table.cursor == 98
        assert app.events and app.events[-1].row["name"] == "model-98"
        await pilot.press("home", "pagedown")
        assert table.cursor > 10


async def test_clicking_a_heading_sorts_by_that_column():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(rows(50))
        await pilot.pause()
        name_width = table._widths[0]
        await pilot.click(RowTable, offset=(1 + name_width + 3, 0))  # on "price"
        assert table.sort_column == (1, False)


async def test_text_from_sources_cannot_reach_the_terminal_as_control_codes():
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows([{"name": "evil\x1b[31mred\u202etxt", "price": Decimal(1), "note": "ok"}])
        await pilot.pause()
        cells = table.cells_at(0)
        assert "\x1b" not in cells[0] and "\u202e" not in cells[0]
        line = table.render_line(1)
        assert "\x1b" not in line.text and "\u202e" not in line.text
