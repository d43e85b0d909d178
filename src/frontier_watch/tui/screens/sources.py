"""Sources: each catalogued source's health, last success, last error and stored rows."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from frontier_watch.render.output import safe_text
from frontier_watch.render.public_rows import Column, Listing
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data
from frontier_watch.tui.screens.table_view import TableView

SOURCE_LISTING = Listing(
    (
        Column("id", "source"),
        Column("health", "health"),
        Column("kind", "kind", priority=3),
        Column("enabled", "on", priority=2),
        Column("schedule", "schedule", priority=3),
        Column("last_success", "last success", fixed=True),
        Column("rows", "rows", numeric=True, priority=2),
        Column("last_error", "last error", priority=2),
        Column("url", "url", priority=4),
    ),
    "no sources in the catalogue",
)
HEALTH_NOTE = {  # what each of health.py's judgements means to a person
    "ok": "fetched on schedule",
    "warning": "late, or its last run failed, or not fetched yet: press f to fetch",
    "unhealthy": "stale or failing for several runs: its data is getting old (doctor says more)",
    "disabled": "disabled in the config",
    "not fetched": "uses the data shipped with frontier-watch (no URL to fetch)",
}


class SourcesView(TableView):
    name_ = "sources"
    title = "Sources"
    listing = SOURCE_LISTING
    search_keys = ("id", "kind", "health", "last_error", "url")

    def read_rows(self, reader: Reader) -> list[dict[str, Any]]:
        return data.source_rows(reader, self.fw_app.settings, self.fw_app.now())

    def row_line(self, row: Any) -> Text:
        why = f" ({safe_text(row['reasons'])})" if row.get("reasons") else ""
        return Text(f"{safe_text(row['id'])}: {row['health']}: {HEALTH_NOTE.get(row['health'], '')}{why}")

    def detail_text(self, row: Any, detail: Any) -> Text:
        text = Text()
        text.append(f"{safe_text(row['id'])} ({safe_text(row['kind'])})\n", style="bold")
        text.append(
            f"health {row['health']}: {HEALTH_NOTE.get(row['health'], '')}\n"
            f"{'why: ' + safe_text(row['reasons']) + chr(10) if row.get('reasons') else ''}"
            f"latest runs (newest first): {safe_text(row['latest_runs'])}\n"
            f"enabled {safe_text(row['enabled'])} · schedule {safe_text(row['schedule'])}\n"
            f"url {safe_text(row['url'] or '(the shipped copy)')}\n"
            f"last success {safe_text(row['last_success'])} · rows stored {row['rows']}\n"
            f"evidence {safe_text(row['evidence'])}\nattribution {safe_text(row['attribution'])}\n"
            f"licence {safe_text(row['licence'])}\n"
        )
        if row.get("last_error"):
            text.append(f"last error ({safe_text(row['last_error_at'])}):\n", style="bold red")
            text.append(f"{safe_text(row['last_error'])}\n")
        return text
