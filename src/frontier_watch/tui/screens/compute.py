"""Compute: clusters, power, capex, hardware and rules, each signal with its evidence."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from frontier_watch.render.output import safe_text
from frontier_watch.render.public_rows import SIGNALS, Listing, signal_record
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data
from frontier_watch.tui.screens.table_view import TableView

SIGNAL_LISTING = Listing(
    SIGNALS.columns, "no compute signals stored yet: press f to fetch Epoch AI and the feeds"
)


class ComputeView(TableView):
    name_ = "compute"
    title = "Compute"
    listing = SIGNAL_LISTING
    search_keys = ("category", "entity", "item", "metric", "unit", "evidence", "source")

    def read_rows(self, reader: Reader) -> list[dict[str, Any]]:
        return data.signal_rows(reader)

    def row_line(self, row: Any) -> Text:
        return Text(
            f"{safe_text(row.get('entity'))} · {safe_text(row.get('item'))} · {safe_text(row.get('metric'))} "
            f"· evidence {safe_text(row.get('evidence'))} · confidence {safe_text(row.get('confidence'))}\n"
            f"source: {safe_text(row.get('source_url'))}"
        )

    def read_detail(self, reader: Reader, row: Any) -> dict[str, Any]:
        return data.signal_detail(reader, row)

    def detail_text(self, row: Any, detail: Any) -> Text:
        text = Text()
        text.append(f"{safe_text(row.get('entity'))}: {safe_text(row.get('item'))}\n", style="bold")
        value = row.get("value_text") or row.get("value")
        high = f"–{safe_text(row.get('value_high'))}" if row.get("value_high") is not None else ""
        text.append(
            f"{safe_text(row.get('metric'))}: {safe_text(value)}{high} {safe_text(row.get('unit'))} "
            f"on {safe_text(row.get('date'))} ({safe_text(row.get('date_precision'))})\n"
            f"category {safe_text(row.get('category'))}\n"
        )
        text.append("evidence class ", style="bold")
        text.append(f"{safe_text(row.get('evidence'))}\n")
        text.append("confidence ", style="bold")
        text.append(f"{safe_text(row.get('confidence'))}\n")
        text.append("source URL ", style="bold")
        text.append(f"{safe_text(row.get('source_url'))}\n")
        text.append(
            f"from source {safe_text(row.get('source_id'))} · "
            f"verified via {safe_text(row.get('verified_via'))}\n"
        )
        if row.get("notes"):
            text.append(f"notes: {safe_text(row.get('notes'))}\n")
        if detail is None:
            return text
        history = detail["history"]
        if history:
            text.append(f"\nchanged {len(history)} times; earlier versions:\n", style="bold")
            for version in history:
                text.append(
                    f"  {safe_text(version.get('value_text') or version.get('value'))} "
                    f"{safe_text(version.get('unit'))} · {safe_text(version.get('evidence'))} "
                    f"· replaced {safe_text(version.get('replaced_at'))}\n"
                )
        return text

    def export_rows(self) -> list[dict[str, Any]]:
        records = [signal_record(row) for row in self.table.shown_rows()]
        for record in records:
            record.pop("history", None)
        return records
