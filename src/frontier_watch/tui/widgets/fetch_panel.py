"""FetchPanel: a background fetch's progress, source by source, then its results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from frontier_watch.render.output import safe_text

if TYPE_CHECKING:
    from frontier_watch.use_cases.fetching import RunSummary


class FetchPanel(Static):
    """Hidden until a fetch starts; one line per source."""

    DEFAULT_CSS = """
    FetchPanel { display: none; height: auto; max-height: 10; padding: 0 1; background: $panel; }
    FetchPanel.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__("", id=id)
        self.order: list[str] = []
        self.lines: dict[str, Text] = {}
        self.heading = ""

    def start(self, source_ids: list[str]) -> None:
        self.order = list(source_ids)
        self.lines = {source: Text(f"· {source}: waiting", style="dim") for source in source_ids}
        self.heading = f"fetching {len(source_ids)} sources…"
        self.add_class("-shown")
        self._draw()

    def fetching(self, source_id: str) -> None:
        self.lines[source_id] = Text(f"↻ {source_id}: downloading…")
        self._draw()

    def fetched(self, summary: RunSummary) -> None:
        self.lines[summary.source_id] = summary_line(summary)
        if summary.source_id not in self.order:
            self.order.append(summary.source_id)
        self._draw()

    def finished(self, failed: int, total: int) -> None:
        self.heading = f"fetch done: {total - failed} ok, {failed} failed"
        self._draw()

    def _draw(self) -> None:
        text = Text(self.heading + "\n", style="bold")
        for source in self.order:
            text.append_text(self.lines[source])
            text.append("\n")
        text.rstrip()
        self.update(text)


def summary_line(summary: RunSummary) -> Text:
    if summary.status == "ok":
        return Text(
            f"✓ {summary.source_id}: {summary.records} records, {summary.new} new, {summary.changed} changed "
            f"({summary.seconds:.1f} s)",
            style="green",
        )
    return Text(f"✗ {summary.source_id}: {summary.status}: {safe_text(summary.error)}", style="red")
