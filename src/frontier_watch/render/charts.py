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
from typing import TYPE_CHECKING, Any, Protocol

from frontier_watch.domain.errors import DataError
from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import cheaper_a_year

if TYPE_CHECKING:
    import polars as pl

# plotext keeps one global figure: one chart is built at a time.
_LOCK = threading.Lock()
CHART_SUFFIXES = (".txt", ".html", ".ansi")


# The colours plotext's default theme gives the series in turn (its palette 12, 10, 9, 14), as
# Rich names them: a legend written beside a chart (``Chart.legend`` off) uses the same.
SERIES_COLOURS = ("bright_blue", "bright_green", "bright_red", "bright_cyan")


@dataclass
class Series:
    label: str
    dates: Sequence[date]
    values: Sequence[float | None]
    step: bool = False  # a price holds until the next change: drawn as steps
    # A step series with gaps: a value of None (or not above zero on a log scale) is "no price
    # from this day": the step before it ends there and the line breaks until the next value.
    # Without it, such points are left out and the step before holds across them.
    gaps: bool = False


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


def _stepped(
    dates: Sequence[date], values: Sequence[float | None]
) -> tuple[list[datetime], list[float], set[int]]:
    """The corners of a step line, and the indexes of the points that start a new run (a gap
    before them: a None value ends the step before it)."""
    xs: list[datetime] = []
    ys: list[float] = []
    breaks: set[int] = set()
    broken = False
    for day, value in zip(dates, values, strict=True):
        if ys and not broken:
            xs.append(_moment(day))
            ys.append(ys[-1])  # the price before holds until this day
        if value is None:
            broken = bool(ys)
            continue
        if broken:
            breaks.add(len(xs))
            broken = False
        xs.append(_moment(day))
        ys.append(value)
    return xs, ys, breaks


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
        points = _points(series)
        if not points:
            continue
        dates, values = zip(*points, strict=True)
        breaks: set[int] = set()
        if series.step:
            xs, ys, breaks = _stepped(dates, values)
        else:
            xs, ys = [_moment(d) for d in dates], [v for v in values if v is not None]
        signal = figure.signal(xs, ys)
        signal.label(safe_text(series.label))  # names from sources: no control reaches the text
        if len(xs) > 1:
            signal.lines()
        for index in breaks:
            signal.line(index, False)
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


def _points(series: Series) -> list[tuple[date, float | None]]:
    """The series' points that can be drawn (a value above zero: the scale may be log); with
    ``gaps``, the others stay as None, where a step line breaks."""
    pairs = zip(series.dates, series.values, strict=True)
    if series.gaps and series.step:
        points = [(d, v if v is not None and v > 0 else None) for d, v in pairs]
        return points if any(v is not None for _, v in points) else []
    return [(d, v) for d, v in pairs if v is not None and v > 0]


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


# ---------------------------------------------------------------- the reports' charts


class FittedLine(Protocol):
    """A fitted rate as a chart draws it (analytics.fit.RateFit)."""

    @property
    def factor_per_year(self) -> float: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    def value_at(self, day: date) -> float: ...


def capability_chart(
    benchmark: str, threshold: float, method: str, points: pl.DataFrame, fit: FittedLine | None
) -> Chart:
    """The price of a fixed capability: the fitted points on a log scale, the fitted line beside them."""
    fitted = f"; line: {fit.factor_per_year:.3g}x cheaper/yr" if fit else ""
    chart = Chart(
        f"Cheapest {benchmark} >= {threshold:g} ({method}), USD/M{fitted}", log_scale=True, legend=False
    )
    dates = points.get_column("date").to_list()
    chart.series.append(
        Series("price", dates, points.get_column("blended_usd_per_mtok").to_list(), step=method == "a16z")
    )
    if fit is not None:
        chart.series.append(
            Series(
                f"fit: {cheaper_a_year(fit.factor_per_year)}",
                [fit.start, fit.end],
                [fit.value_at(fit.start), fit.value_at(fit.end)],
            )
        )
    return chart


def model_price_chart(model_id: str, changes: pl.DataFrame) -> Chart:
    """One model's blended price at each change, as steps on a log scale."""
    return Chart(
        f"{model_id}: blended price, USD per M tokens",
        [
            Series(
                "price",
                changes.get_column("date").to_list(),
                changes.get_column("blended_usd_per_mtok").to_list(),
                step=True,
            )
        ],
        log_scale=True,
    )


def largest_known_chart(series: Sequence[tuple[str, pl.DataFrame]]) -> Chart:
    """Each measure's largest known value over time (name, records with date and value), log scale."""
    chart = Chart("Largest known (log scale)", log_scale=True)
    for name, records in series:
        if not records.is_empty():
            chart.series.append(
                Series(
                    name,
                    records.get_column("date").to_list(),
                    records.get_column("value").to_list(),
                    step=True,
                )
            )
    return chart


def release_chart(open_share: pl.DataFrame) -> Chart:
    """Releases per quarter, and how many of them with open weights."""
    quarters = open_share.get_column("quarter").to_list()
    return Chart(
        "Releases per quarter",
        [
            Series("releases", quarters, open_share.get_column("releases").to_list()),
            Series("open weights", quarters, open_share.get_column("open_weights").to_list()),
        ],
    )
