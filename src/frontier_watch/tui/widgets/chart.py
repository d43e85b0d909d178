"""Chart: a plotext chart (``frontier_watch.render.charts``) drawn to text at the widget's own size.

The chart arrives as data; it is drawn here, on the UI thread, when the chart or the
widget's size changes (plotext keeps global state: never from a worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from frontier_watch.domain.errors import DataError

if TYPE_CHECKING:
    from frontier_watch.render.charts import Chart as ChartData


def render_chart(chart: ChartData | None, width: int, height: int, empty: str = "") -> Text:
    """The chart as styled text of ``width`` x ``height`` cells, or the note for an empty one."""
    if chart is None:
        return Text(empty, style="dim")
    from frontier_watch.render.charts import render

    try:
        return Text.from_ansi(render(chart, width, height))
    except DataError:
        return Text(f"{chart.title}: {empty or 'nothing to draw'}", style="dim")


class Chart(Static):
    """A chart that redraws itself to fit when resized."""

    DEFAULT_CSS = """
    Chart { height: 1fr; min-height: 8; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__("", id=id, classes=classes)
        self.chart: ChartData | None = None
        self.empty = ""

    def show(self, chart: ChartData | None, empty: str = "") -> None:
        self.chart, self.empty = chart, empty
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        region = self.content_region
        if region.width < 30 or region.height < 8:
            self.update(Text(self.chart.title if self.chart else self.empty, style="dim"))
            return
        self.update(render_chart(self.chart, region.width, region.height, self.empty))
