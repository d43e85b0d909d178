"""Chart: a plotext chart drawn to text at the widget's own size.

The chart arrives as data (``data.ChartSpec``); plotext's global state is only touched
here, on the UI thread, when the chart or the widget's size changes.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from frontier_watch.tui.data import ChartSpec

DATE_FORM = "%Y-%m-%d"


def _steps(days: list[date], values: list[float], until: date | None) -> tuple[list[str], list[float]]:
    """A step line: each value holds until the next day (and the last until ``until``)."""
    xs: list[str] = []
    ys: list[float] = []
    for index, (day, value) in enumerate(zip(days, values, strict=True)):
        xs.append(day.isoformat())
        ys.append(value)
        end = days[index + 1] if index + 1 < len(days) else until
        if end is not None and end > day:
            xs.append(end.isoformat())
            ys.append(value)
    return xs, ys


def render_chart(spec: ChartSpec, width: int, height: int) -> Text:
    """The chart as styled text ``width`` x ``height`` cells (a plain note when there is nothing to draw)."""
    if not spec.series:
        return Text(f"{spec.title}: {spec.empty}", style="dim")
    if width < 20 or height < 5:
        return Text(spec.title, style="dim")
    import plotext as plt

    figure = plt.figure
    figure.clear()
    plt.terminal.limit(False, False)  # the widget's size, not the terminal's
    figure.theme("clear")
    figure.plot_size(width, height)
    figure.title(spec.title)
    if spec.bars:
        series = spec.series[0]
        figure.draw(figure.bar([_quarter(day) for day in series.days], series.values))
        return Text.from_ansi(figure.build().string())
    figure.date("x").activate(form=DATE_FORM)
    last = max(max(series.days) for series in spec.series)
    for series in spec.series:
        if series.steps:
            xs, ys = _steps(series.days, series.values, last)
        else:
            xs, ys = [day.isoformat() for day in series.days], series.values
        signal = figure.signal(xs, ys)
        signal.lines()
        if len(spec.series) > 1:
            signal.label(series.label)
        figure.draw(signal)
    if spec.log_y:
        figure.ruler("y").scale("log")
    return Text.from_ansi(figure.build().string())


def _quarter(day: date) -> str:
    return f"{day.year % 100:02d}Q{(day.month - 1) // 3 + 1}"


class Chart(Static):
    """A chart that redraws itself to fit when resized."""

    DEFAULT_CSS = """
    Chart { height: 1fr; min-height: 8; }
    """

    def __init__(
        self,
        spec: ChartSpec | None = None,
        *,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes=classes)
        self.spec = spec

    def show(self, spec: ChartSpec | None) -> None:
        self.spec = spec
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.spec is None:
            self.update("")
            return
        width, height = self.content_region.width, self.content_region.height
        self.update(render_chart(self.spec, width, height))
