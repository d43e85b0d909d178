"""Changes: what changed lately (prices, releases, signals), from the trend analytics."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from frontier_watch.output import safe_text
from frontier_watch.public_rows import Column, Listing
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

    def read_rows(self, reader: Reader) -> list[dict[str, Any]]:
        rows = trend_reports.changes(reader, self.fw_app.now())
        self.empty_note = trend_reports.UNAVAILABLE if rows is None else ""
        return rows or []

    def keep(self, row: Any) -> object:
        return (row.get("date"), row.get("kind"), row.get("subject"))

    def row_line(self, row: Any) -> Text:
        return Text(
            f"{safe_text(row.get('subject'))}: {safe_text(row.get('change'))}\n"
            f"source: {safe_text(row.get('source_url') or row.get('source'))}"
        )
