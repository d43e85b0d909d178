"""Overview: the headline figures, each with a sparkline; what the dashboard opens on."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from frontier_watch.output import safe_text
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data, trend_reports

if TYPE_CHECKING:
    from frontier_watch.tui.app import FrontierWatchApp

PANELS = (
    ("trend", "Capability-price trend", "trends"),
    ("prices", "Recent price changes", "prices"),
    ("releases", "Newest releases", "releases"),
    ("clusters", "Largest clusters", "compute"),
    ("health", "Source health", "sources"),
)


class Headline(Static):
    """One headline figure: a bordered box whose title says what it is."""

    def __init__(self, key: str, title: str, goes_to: str) -> None:
        super().__init__(Text("reading…", style="dim"), id=f"headline-{key}", classes="headline")
        self.border_title = title
        self.border_subtitle = f"{goes_to}"
        self.goes_to = goes_to


class OverviewView(VerticalScroll):
    """The headline figures in two columns (one when narrow)."""

    name_ = "overview"
    title = "Overview"

    def __init__(self) -> None:
        super().__init__(id="view-overview")
        self.loaded_version: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="headline-row"):
            yield Headline(*PANELS[0])
            yield Headline(*PANELS[1])
        with Horizontal(classes="headline-row"):
            yield Headline(*PANELS[2])
            yield Headline(*PANELS[3])
        with Horizontal(classes="headline-row"):
            yield Headline(*PANELS[4])

    @property
    def fw_app(self) -> FrontierWatchApp:
        return self.app  # type: ignore[return-value]

    def reload(self) -> None:
        app = self.fw_app
        now = app.now()

        def read(reader: Reader) -> tuple[dict[str, Any], Any, int]:
            from frontier_watch.store import queries

            figures = data.overview(reader, app.settings, now)
            trend = trend_reports.capability(reader, now, None, None)
            return figures, trend, queries.data_version(reader)

        app.read("overview", read, self._show)

    def _show(self, result: tuple[dict[str, Any], Any, int]) -> None:
        figures, trend, version = result
        self.loaded_version = version
        self.query_one("#headline-trend", Headline).update(trend_text(trend))
        self.query_one("#headline-prices", Headline).update(prices_text(figures, self.fw_app.now()))
        self.query_one("#headline-releases", Headline).update(releases_text(figures))
        self.query_one("#headline-clusters", Headline).update(clusters_text(figures))
        self.query_one("#headline-health", Headline).update(health_text(figures))
        self.fw_app.view_status(self)


def trend_text(trend: Any) -> Text:
    if trend is None:
        note = "(release cadence and cluster growth: Trends, key 5)"
        return Text(f"{trend_reports.UNAVAILABLE}\n{note}", "dim")
    return Text(safe_text(getattr(trend, "headline", trend)))


def prices_text(figures: dict[str, Any], now: datetime) -> Text:
    text = Text()
    text.append(f"{figures['price_changes_30d']}", style="bold")
    text.append(" new or changed prices in the last 30 days\n")
    text.append(figures["price_spark"] or "", style="green")
    text.append("  per week, 26 weeks\n")
    if not figures["recent_prices"]:
        text.append("no prices stored yet: press f to fetch", style="dim")
    for row in figures["recent_prices"]:
        text.append(
            f"{safe_text(row['effective_from'])[:10]}  {safe_text(row['model'])[:28]:<28} "
            f"{safe_text(row['input']):>7} / {safe_text(row['output']):<7} {safe_text(row['source'])}\n"
        )
    return text


def releases_text(figures: dict[str, Any]) -> Text:
    text = Text()
    text.append(f"{figures['releases_90d']}", style="bold")
    text.append(" releases in the last 3 months\n")
    text.append(figures["release_spark"] or "", style="green")
    text.append("  per month, 12 months\n")
    if not figures["newest_releases"]:
        text.append("no releases stored yet: press f to fetch", style="dim")
    for row in figures["newest_releases"]:
        text.append(
            f"{safe_text(row['date'])}  {safe_text(row.get('model'))[:30]:<30} "
            f"{safe_text(row.get('lab'))[:14]}\n"
        )
    return text


def clusters_text(figures: dict[str, Any]) -> Text:
    text = Text()
    clusters = figures["largest_clusters"]
    if not clusters:
        return Text("no cluster data yet: fetch epoch-gpu-clusters (f)", style="dim")
    text.append(figures["cluster_spark"] or "", style="green")
    text.append("  largest to date\n")
    for row in clusters:
        text.append(f"{row['value']:>12,.0f} H100e  ", style="bold")
        text.append(
            f"{safe_text(row['item'])[:34]} ({safe_text(row['date'])[:4]}, {safe_text(row['evidence'])})\n"
        )
    return text


def health_text(figures: dict[str, Any]) -> Text:
    health = figures["health"]
    text = Text()
    text.append(f"{health.get('ok', 0)} ok", style="bold green")
    text.append(" · ")
    text.append(f"{health.get('failing', 0)} failing", style="bold red" if health.get("failing") else "")
    text.append(
        f" · {health.get('stored', 0)} shipped data only · {health.get('never', 0)} never succeeded"
        f" · {health.get('off', 0)} off\n"
    )
    for row in figures["sources"]:
        if row["health"] == "failing":
            text.append(f"✗ {safe_text(row['id'])}: {safe_text(row['last_error'])[:60]}\n", style="red")
    never = [safe_text(row["id"]) for row in figures["sources"] if row["health"] == "never"]
    if never:
        text.append(f"never succeeded: {', '.join(never)} (press f to fetch)\n", style="dim")
    return text
