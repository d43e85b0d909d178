"""Trends: the capability-price trend, release cadence and cluster growth, as charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from frontier_watch.output import safe_text
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data, trend_reports
from frontier_watch.tui.widgets import Chart

if TYPE_CHECKING:
    from frontier_watch.tui.app import FrontierWatchApp

THRESHOLD_STEP = 5.0


class TrendsView(Vertical):
    """Three charts; ``b`` changes the benchmark, ``+``/``-`` the threshold."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "next_benchmark", "Benchmark"),
        Binding("plus,equals_sign", "threshold(1)", "Threshold +"),
        Binding("minus", "threshold(-1)", "Threshold -"),
    ]
    can_focus = True
    name_ = "trends"
    title = "Trends"

    def __init__(self) -> None:
        super().__init__(id="view-trends")
        self.loaded_version: int | None = None
        self.benchmarks: list[str] = []
        self.benchmark: str | None = None
        self.threshold: float | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="capability-panel", classes="trend-panel"):
            yield Static("", id="capability-caption")
            yield Chart(id="capability-chart")
        with Horizontal(id="trend-row"):
            yield Chart(id="cadence-chart", classes="trend-panel")
            yield Chart(id="cluster-chart", classes="trend-panel")

    @property
    def fw_app(self) -> FrontierWatchApp:
        return self.app  # type: ignore[return-value]

    def reload(self) -> None:
        app = self.fw_app
        now = app.now()
        benchmark, threshold = self.benchmark, self.threshold

        def read(reader: Reader) -> dict[str, Any]:
            from frontier_watch.store import queries

            return {
                "benchmarks": trend_reports.benchmarks(reader),
                "capability": trend_reports.capability(reader, now, benchmark, threshold),
                "cadence": data.release_cadence(reader, now),
                "clusters": data.cluster_growth(reader),
                "version": queries.data_version(reader),
            }

        app.read("trends", read, self._show)

    def _show(self, result: dict[str, Any]) -> None:
        self.loaded_version = result["version"]
        self.benchmarks = result["benchmarks"]
        if self.benchmark is None and self.benchmarks:
            self.benchmark = self.benchmarks[0]
        capability = result["capability"]
        caption = self.query_one("#capability-caption", Static)
        chart = self.query_one("#capability-chart", Chart)
        if capability is None:
            caption.update(
                Text.assemble(
                    ("Capability-price trend: ", "bold"),
                    (f"{trend_reports.UNAVAILABLE}.\n", ""),
                    (
                        f"benchmark {safe_text(self.benchmark)} (b changes it; +/- the threshold) · "
                        f"{len(self.benchmarks)} benchmarks with scores",
                        "dim",
                    ),
                )
            )
            chart.show(None)
        else:
            caption.update(Text(safe_text(trend_reports.capability_caption(capability))))
            chart.show(trend_reports.capability_chart(capability))
        self.query_one("#cadence-chart", Chart).show(result["cadence"])
        self.query_one("#cluster-chart", Chart).show(result["clusters"])
        self.fw_app.view_status(self)

    def action_next_benchmark(self) -> None:
        if not self.benchmarks:
            self.notify("no benchmark scores stored", severity="warning")
            return
        at = self.benchmarks.index(self.benchmark) if self.benchmark in self.benchmarks else -1
        self.benchmark = self.benchmarks[(at + 1) % len(self.benchmarks)]
        self.threshold = None
        self.reload()

    def action_threshold(self, direction: int) -> None:
        self.threshold = max(0.0, (self.threshold or 50.0) + direction * THRESHOLD_STEP)
        self.reload()
