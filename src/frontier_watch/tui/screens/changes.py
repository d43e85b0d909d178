"""Changes: what changed lately (prices, releases, signals), from the trend analytics."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from frontier_watch.render.output import safe_text
from frontier_watch.render.public_rows import Column, Listing
from frontier_watch.store.reading import Reader
from frontier_watch.tui import trend_reports
from frontier_watch.tui.screens.table_view import TableView

CHANGE_LISTING = Listing(
    (
        Column("date", "date", fixed=True),
        Column("kind", "kind"),
        Column("subject", "what"),
        Column("change", "change"),
        Column("source", "source", priority=2),
    ),
    "no changes in the period",
)


class ChangesView(TableView):
    name_ = "changes"
    title = "Changes"
    listing = CHANGE_LISTING
    search_keys = ("kind", "subject", "change", "source")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "window(1)", "Longer period"),
        Binding("minus", "window(-1)", "Shorter period"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.days = trend_reports.CHANGES_DAYS

    def read_rows(self, reader: Reader) -> list[dict[str, Any]]:
        days = self.days
        self.empty_note = f"no changes in the last {days} days (+ looks further back)"
        return trend_reports.changes(reader, self.fw_app.now(), days)

    def action_window(self, step: int) -> None:
        windows = trend_reports.CHANGES_WINDOWS
        at = windows.index(self.days) if self.days in windows else 1
        self.days = windows[max(0, min(len(windows) - 1, at + step))]
        self.reload()

    def sort_description(self) -> str:
        sort = super().sort_description()
        return f"last {self.days} days" + (f" · {sort}" if sort else "")

    def keep(self, row: Any) -> object:
        return (row.get("date"), row.get("kind"), row.get("subject"))

    def row_line(self, row: Any) -> Text:
        return Text(
            f"{safe_text(row.get('subject'))}: {safe_text(row.get('change'))}\n"
            f"source: {safe_text(row.get('source_url') or row.get('source'))}"
        )
