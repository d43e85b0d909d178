"""Trends: the capability-price trend, release cadence and cluster growth, as charts."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from frontier_watch.render.output import safe_text
from frontier_watch.store.reading import Reader
from frontier_watch.tui import trend_reports
from frontier_watch.tui.host import DashboardHost, host_of
from frontier_watch.tui.widgets import Chart

WIDE = 150  # from this width the published figures carry their URLs


def safe_text_lines(text: str) -> str:
    """Each line made safe on its own (safe_text turns newlines into spaces)."""
    return "\n".join(safe_text(line) for line in text.split("\n"))


class TrendsView(VerticalScroll):
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
        self.capability: trend_reports.CapabilityView | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="capability-panel", classes="trend-panel"):
            yield Static("", id="capability-caption")
            yield Chart(id="capability-chart")
        with Horizontal(id="trend-row"):
            yield Chart(id="cadence-chart", classes="trend-panel")
            yield Chart(id="cluster-chart", classes="trend-panel")

    @property
    def fw_app(self) -> DashboardHost:
        return host_of(self)

    def reload(self) -> None:
        app = self.fw_app
        now = app.now()
        benchmark, threshold = self.benchmark, self.threshold

        def read(reader: Reader) -> dict[str, Any]:
            from frontier_watch.store import catalog

            clusters, _ = trend_reports.compute_growth(reader)
            return {
                "benchmarks": trend_reports.benchmarks(reader),
                "capability": trend_reports.capability(reader, now, benchmark, threshold),
                "cadence": trend_reports.release_chart(reader),
                "clusters": clusters,
                "version": catalog.data_version(reader),
            }

        app.read("trends", read, self._show)

    def _show(self, result: dict[str, Any]) -> None:
        self.loaded_version = result["version"]
        self.benchmarks = result["benchmarks"]
        capability: trend_reports.CapabilityView = result["capability"]
        self.benchmark, self.threshold = capability.benchmark, capability.threshold
        self.capability = capability
        self._show_caption()
        self.query_one("#capability-chart", Chart).show(
            trend_reports.capability_chart(capability), "no fitted trend to chart at this threshold"
        )
        self.query_one("#cadence-chart", Chart).show(result["cadence"], "no releases stored")
        self.query_one("#cluster-chart", Chart).show(
            result["clusters"], "no cluster or site figures (fetch the Epoch AI sources)"
        )
        self.fw_app.view_status(self)

    def _show_caption(self) -> None:
        if self.capability is None:
            return
        wide = self.size.width >= WIDE
        caption = trend_reports.capability_caption(self.capability, wide=wide)
        self.query_one("#capability-caption", Static).update(Text(safe_text_lines(caption)))

    def on_resize(self, event: Resize) -> None:
        self._show_caption()

    def action_next_benchmark(self) -> None:
        if not self.benchmarks:
            self.notify("no benchmark scores stored", severity="warning")
            return
        at = self.benchmarks.index(self.benchmark) if self.benchmark in self.benchmarks else -1
        self.benchmark = self.benchmarks[(at + 1) % len(self.benchmarks)]
        self.threshold = None
        self.reload()

    def action_threshold(self, direction: int) -> None:
        current = self.threshold if self.threshold is not None else 50.0
        self.threshold = min(100.0, max(0.0, current + direction * trend_reports.THRESHOLD_STEP))
        self.reload()
