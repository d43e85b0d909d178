"""Charts drawn with plotext: the same figures for ``--chart``, ``--save-chart`` and the dashboard.

A chart is built into a plotext matrix and returned as text: with colour codes for a
terminal, plain for a pipe or a .txt file, and as plotext's own HTML page for a .html
file. Prices are drawn on a log scale (a constant rate of decline is a straight line),
dates along the x axis in ISO form. Nothing here prints.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from frontier_watch.domain.errors import DataError
from frontier_watch.render.output import safe_text

# plotext keeps one global figure: one chart is built at a time.
_LOCK = threading.Lock()
CHART_SUFFIXES = (".txt", ".html", ".ansi")


@dataclass
class Series:
    label: str
    dates: Sequence[date]
    values: Sequence[float]
    step: bool = False  # a price holds until the next change: drawn as steps


@dataclass
class Chart:
    title: str
    series: list[Series] = field(default_factory=list)
    log_scale: bool = False
    y_label: str = ""
    # Off where the legend would cover the data (a falling price starts top left, where
    # plotext puts it); the title then names the series.
    legend: bool = True


def _moment(day: date) -> datetime:
    return day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)


def _stepped(dates: Sequence[date], values: Sequence[float]) -> tuple[list[datetime], list[float]]:
    xs: list[datetime] = []
    ys: list[float] = []
    for index, (day, value) in enumerate(zip(dates, values, strict=True)):
        if index:
            xs.append(_moment(day))
            ys.append(ys[-1])
        xs.append(_moment(day))
        ys.append(value)
    return xs, ys


def _matrix(chart: Chart, width: int, height: int) -> Any:
    import plotext

    figure = plotext.figure
    figure.clear()
    figure.plot_size(max(width, 30), max(height, 8))
    figure.theme("default")
    figure.date("x").activate(form="%Y-%m-%d")
    if chart.log_scale:
        figure.ruler("y").scale("log")
    drawn = 0
    for series in chart.series:
        points = [(d, v) for d, v in zip(series.dates, series.values, strict=True) if v is not None and v > 0]
        if not points:
            continue
        dates, values = zip(*points, strict=True)
        xs, ys = _stepped(dates, values) if series.step else ([_moment(d) for d in dates], list(values))
        signal = figure.signal(xs, ys)
        signal.label(safe_text(series.label))  # names from sources: no control reaches the text
        if len(xs) > 1:
            signal.lines()
        figure.draw(signal)
        drawn += 1
    if not drawn:
        raise DataError(f"nothing to draw for {chart.title!r}")
    if not chart.legend:
        figure.legend(active=False)
    # plotext leaves out a title wider than the plot: shorten it instead.
    room = max(width, 30) - 2
    title = safe_text(chart.title)
    figure.title(title if len(title) <= room else title[: room - 1] + "…")
    if chart.y_label:
        figure.label(chart.y_label, axis="y")
    return figure.build()


def render(chart: Chart, width: int = 100, height: int = 24, *, colour: bool = True) -> str:
    """The chart as text, ``colour`` with ANSI codes (for a terminal) or plain."""
    with _LOCK:
        return _matrix(chart, width, height).string(colorless=not colour)


def save(chart: Chart, path: Path, width: int = 100, height: int = 24) -> None:
    """Write the chart to ``path``: .html (a page), .ansi (colour codes) or .txt (plain)."""
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise DataError(f"--save-chart {path}: give a file ending in {', '.join(CHART_SUFFIXES)}")
    if not path.parent.exists():
        raise DataError(f"--save-chart {path}: the folder {path.parent} does not exist")
    with _LOCK:
        matrix = _matrix(chart, width, height)
        try:
            matrix.save(str(path), colorless=path.suffix.lower() == ".txt")
        except OSError as exc:
            raise DataError(f"--save-chart {path}: {exc.strerror or exc}") from None
