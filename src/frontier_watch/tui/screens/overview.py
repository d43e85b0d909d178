"""Overview: the headline figures, each with a sparkline; what the dashboard opens on."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from frontier_watch.domain.money import format_usd
from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import cheaper_a_year, factor_text, interval_text
from frontier_watch.reports.capability import claim_figure
from frontier_watch.store.reading import Reader
from frontier_watch.tui import data, trend_reports
from frontier_watch.tui.host import DashboardHost, host_of

NARROW = 110  # below this width the headlines stack in one column
PANELS = (
    ("trend", "Capability-price trend", "trends"),
    ("prices", "Recent price changes", "prices"),
    ("releases", "Newest releases", "releases"),
    ("clusters", "Largest clusters and sites", "trends"),
    ("health", "Source health", "sources"),
)


class Headline(Static, can_focus=True):
    """One headline figure: a bordered box whose title says what it is; Enter or a click opens
    the screen behind it (named in the bottom border)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "open", "Open", show=False)]

    def __init__(self, key: str, title: str, goes_to: str) -> None:
        super().__init__(Text("reading…", style="dim"), id=f"headline-{key}", classes="headline")
        self.border_title = title
        self.border_subtitle = f"enter: {goes_to}"
        self.goes_to = goes_to

    def action_open(self) -> None:
        host_of(self).action_show(self.goes_to)

    def on_click(self) -> None:
        self.action_open()


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

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    @property
    def fw_app(self) -> DashboardHost:
        return host_of(self)

    def reload(self) -> None:
        app = self.fw_app
        now = app.now()

        def read(reader: Reader) -> tuple[dict[str, Any], Any, int]:
            from frontier_watch.store import catalog

            figures = data.overview(reader, app.settings, now)
            trend = trend_reports.capability(reader, now, None, None)
            return figures, trend, catalog.data_version(reader)

        app.read("overview", read, self._show)

    def show_error(self, message: str) -> None:
        """The read failed: each headline says why instead of "reading…"."""
        for headline in self.query(Headline):
            headline.update(Text(f"could not read: {message}", style="red"))

    def _show(self, result: tuple[dict[str, Any], Any, int]) -> None:
        figures, trend, version = result
        self.loaded_version = version
        self.query_one("#headline-trend", Headline).update(trend_text(trend))
        self.query_one("#headline-prices", Headline).update(prices_text(figures, self.fw_app.now()))
        self.query_one("#headline-releases", Headline).update(releases_text(figures))
        self.query_one("#headline-clusters", Headline).update(clusters_text(figures))
        self.query_one("#headline-health", Headline).update(health_text(figures))
        self.fw_app.view_status(self)


def trend_text(trend: trend_reports.CapabilityView) -> Text:
    text = Text()
    report = trend.report
    if report is None or report.fit is None:
        text.append(f"price of {trend.benchmark} >= {trend.threshold:g}: {safe_text(trend.message)}", "dim")
        return text
    fit = report.fit
    if report.problem:
        text.append(
            f"price of {trend.benchmark} >= {trend.threshold:g}: {safe_text(report.problem)}\n", "dim"
        )
        text.append(data.sparkline(trend_reports.capability_points(trend)), style="green")
        text.append(f"  {fit.points} points, {fit.start}..{fit.end}; evidence: {report.evidence_classes()}\n")
        return text
    factor, sentence = factor_text(fit.factor_per_year), cheaper_a_year(fit.factor_per_year)
    text.append(factor, style="bold")  # the figure in bold, the rest of the one sentence after it
    text.append(f"{sentence.removeprefix(factor)} for {trend.benchmark} >= {trend.threshold:g}\n")
    text.append(data.sparkline(trend_reports.capability_points(trend)), style="green")
    text.append(f"  cheapest qualifying price, {fit.start}..{fit.end}\n")
    text.append(f"{interval_text(fit.ci_low, fit.ci_high)} · {fit.points} points\n")
    text.append(f"evidence: {safe_text(report.evidence_classes())}\n", "dim")
    for claim in report.published_json()[:2]:
        text.append(f"published: {claim_figure(claim, applies=False)}\n", "dim")
    return text


def prices_text(figures: dict[str, Any], now: datetime) -> Text:
    """Model-level price changes and new models (as ``changes`` lists them), newest first."""
    text = Text()
    weeks = figures["price_weeks"]
    text.append(f"{figures['price_changes_recent']}", style="bold")
    text.append(f" price changes and new models in the last {figures['price_changes_days']} days\n")
    text.append(figures["price_spark"] or "", style="green")
    text.append(f"  per week, {weeks} week{'s' if weeks != 1 else ''}\n")
    if not figures["prices_stored"]:
        text.append("no prices stored yet: press f to fetch", style="dim")
    elif not figures["recent_prices"]:
        text.append(f"no price changes in {weeks} weeks (6 Changes looks further back)\n", style="dim")
    for row in figures["recent_prices"]:
        text.append(
            f"{row['date'].isoformat()}  {safe_text(row['model'])[:24]:<24} {_step(row):<21} "
            f"{safe_text(row['provider'])[:14]}\n"
        )
    scheduled = figures["scheduled_prices"]
    if scheduled:
        first = scheduled[-1]  # the soonest
        text.append(
            f"scheduled: {len(scheduled)}, first {first['date'].isoformat()} "
            f"{safe_text(first['model'])[:24]} {_step(first)}\n",
            style="dim",
        )
    return text


def _step(row: dict[str, Any]) -> str:
    """``2/10 -> 3/15`` for a change, ``new 3/15`` for a first price (USD per million tokens)."""
    new = _pair(row["new"])
    return f"new {new}" if row["old"] is None else f"{_pair(row['old'])} -> {new}"


def _pair(price: tuple[Any, Any]) -> str:
    return "/".join(format_usd(part) for part in price)


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
    growth = figures["growth"]
    if not growth:
        return Text("no cluster or site figures yet: fetch the Epoch AI sources (f)", style="dim")
    text = Text()
    for record in growth:
        text.append(f"{record['measure']}: ", style="bold")
        text.append(f"{record['value']:,.0f}", style="bold")
        rate = record["factor_per_year"]
        text.append(f"  {record['spark']}", style="green")
        if rate and not record["headline_problem"]:
            text.append(f"  {rate:.3g}x a year\n")
        else:
            text.append("  no rate\n", style="dim")
        text.append(
            f"  {record['points']} points: {safe_text(record['evidence_classes'])}"
            + (f"; {safe_text(record['headline_problem'])}" if record["headline_problem"] else "")
            + "\n",
            style="dim",
        )
        text.append(
            f"  {safe_text(record['entity'])}: {safe_text(record['item'])[:40]} "
            f"({safe_text(record['date'])[:7]}, {safe_text(record['evidence'])})\n"
        )
    return text


def health_text(figures: dict[str, Any]) -> Text:
    health = figures["health"]
    text = Text()
    text.append(f"{health.get('ok', 0)} ok", style="bold green")
    text.append(" · ")
    text.append(f"{health.get('warning', 0)} warning", style="bold yellow" if health.get("warning") else "")
    text.append(" · ")
    text.append(
        f"{health.get('unhealthy', 0)} unhealthy", style="bold red" if health.get("unhealthy") else ""
    )
    text.append(f" · {health.get('not fetched', 0)} shipped data · {health.get('disabled', 0)} disabled\n")
    for row in figures["sources"]:
        if row["health"] == "unhealthy":
            text.append(f"✗ {safe_text(row['id'])}: {safe_text(row['reasons'])[:70]}\n", style="red")
    never = [safe_text(row["id"]) for row in figures["sources"] if row["health"] == "warning"]
    if never:
        text.append(f"warning: {', '.join(never)} (7 Sources says why; f fetches)\n", style="dim")
    return text
