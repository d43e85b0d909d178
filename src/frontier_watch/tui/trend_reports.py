"""The one place the dashboard reaches the trend analytics (``frontier_watch.reports``).

The Trends and Changes screens and the Overview's trend figure call these, in worker
threads; they turn the reports into what a screen shows (captions, rows, charts), so the
screens never depend on a report's insides.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.errors import DataError
from frontier_watch.domain.money import format_usd
from frontier_watch.store.reading import Reader

if TYPE_CHECKING:
    from frontier_watch.render.charts import Chart
    from frontier_watch.reports.capability import CapabilityReport

UNAVAILABLE = "trend analytics not available in this build"
DEFAULT_BENCHMARK = "gpqa_diamond"
# GPQA at GPT-4's score (35.7): Epoch AI's published 40x sits beside it, and at 50 the shipped
# data gives too few points for a headline (analytics.headline).
DEFAULT_THRESHOLDS = {"gpqa_diamond": 35.7, "mmlu": 70.0, "mmlu_pro": 70.0, "math": 70.0}
CHANGES_DAYS = 30
CHANGES_WINDOWS = (7, 30, 90, 365)  # days the Changes screen steps through
THRESHOLD_STEP = 5.0


def benchmarks(reader: Reader) -> list[str]:
    """The benchmarks with stored scores, for the Trends screen's benchmark key."""
    from frontier_watch.reports.common import benchmark_names

    return benchmark_names(reader)


def default_threshold(benchmark: str) -> float:
    return DEFAULT_THRESHOLDS.get(benchmark, 50.0)


class CapabilityView:
    """A capability-price report as the dashboard shows it, or why there is none."""

    def __init__(
        self, benchmark: str, threshold: float, report: CapabilityReport | None, message: str | None
    ):
        self.benchmark = benchmark
        self.threshold = threshold
        self.report = report
        self.message = message

    @property
    def headline(self) -> str:
        from frontier_watch.reports.capability import fit_headline

        fit = self.report.fit if self.report else None
        evidence = self.report.evidence_classes() if self.report else None
        return fit_headline(self.benchmark, self.threshold, fit, self.message, evidence)


def capability(
    reader: Reader, now: datetime, benchmark: str | None, threshold: float | None
) -> CapabilityView:
    """The price of a fixed capability (cheapest model at or above a benchmark score) over time."""
    from frontier_watch.analytics.capability import CapabilityQuery
    from frontier_watch.reports.capability import capability_report

    known = benchmarks(reader)
    if benchmark is None:
        benchmark = DEFAULT_BENCHMARK if DEFAULT_BENCHMARK in known else (known[0] if known else "")
    if threshold is None:
        threshold = default_threshold(benchmark)
    if not known:
        return CapabilityView(benchmark, threshold, None, "no benchmark scores stored (data/benchmarks.csv)")
    try:
        report = capability_report(reader, CapabilityQuery(benchmark, threshold), now.date())
    except DataError as error:
        return CapabilityView(benchmark, threshold, None, str(error))
    return CapabilityView(benchmark, threshold, report, report.message)


def capability_caption(view: CapabilityView, wide: bool = True) -> str:
    """The fitted rate and the published figures beside it (with their URLs when ``wide``)."""
    from frontier_watch.reports.capability import claim_figure, claim_line

    lines = [f"Price of {view.headline}"]
    report = view.report
    claims = report.published_json() if report is not None else []
    if wide:
        lines.extend(claim_line(claim) for claim in claims)
    elif claims:
        lines.append("published: " + " · ".join(claim_figure(claim) for claim in claims))
    return "\n".join(lines)


def capability_points(view: CapabilityView) -> list[float]:
    """The fitted points' blended prices, oldest first (for a sparkline)."""
    if view.report is None or view.report.points.is_empty():
        return []
    return [float(value) for value in view.report.points.get_column("blended_usd_per_mtok").to_list()]


def capability_chart(view: CapabilityView) -> Chart | None:
    """The cheapest price at the threshold over time (log scale) with the fitted line."""
    from frontier_watch.render.charts import capability_chart as chart

    report = view.report
    if report is None or report.fit is None:
        return None
    return chart(
        report.query.benchmark, report.query.threshold, report.query.method, report.points, report.fit
    )


def release_chart(reader: Reader) -> Chart:
    """Releases per quarter, and how many of them with open weights."""
    from frontier_watch.render.charts import release_chart as chart
    from frontier_watch.reports.releases import release_trends_report

    return chart(release_trends_report(reader).open_share)


def compute_growth(reader: Reader) -> tuple[Chart, list[dict[str, Any]]]:
    """The largest known cluster and site over time (log scale), and each measure's latest record and rate."""
    from frontier_watch.render.charts import largest_known_chart
    from frontier_watch.reports.compute import compute_trends_report

    report = compute_trends_report(reader)
    latest = []
    for series in report.series:
        if series.records.is_empty():
            continue
        record = series.records.tail(1).to_dicts()[0]
        latest.append(
            {
                "measure": series.name,
                "value": record["value"],
                "item": record.get("item"),
                "entity": record.get("entity"),
                "date": record["date"],
                "evidence": record.get("evidence"),
                "factor_per_year": series.fit.factor_per_year if series.fit else None,
                # the rate only where it may be a headline; else why not (analytics.headline)
                "headline_problem": series.problem,
                "points": series.records.height,
                "evidence_classes": series.evidence_classes(),
                "values": [float(value) for value in series.records.get_column("value").to_list()],
            }
        )
    return largest_known_chart([(series.name, series.records) for series in report.series]), latest


def changes(reader: Reader, now: datetime, days: int = CHANGES_DAYS) -> list[dict[str, Any]]:
    """What changed in the last ``days`` days as rows: the model-level price changes (and those
    scheduled later), new models, withdrawn prices, releases and signals (``changes``' digest)."""
    from frontier_watch.reports.changes import changes_report

    digest = changes_report(reader, now - timedelta(days=days), now)
    rows: list[dict[str, Any]] = []
    for change in digest.price_changes:
        rows.append(
            _price_row(
                change,
                "scheduled" if change.scheduled else "price",
                f"input {_usd(change.old_input)} -> {_usd(change.new_input)}, "
                f"output {_usd(change.old_output)} -> {_usd(change.new_output)}",
            )
        )
    for event in digest.new_models:
        kind = "new model" if event.dating != "undated" else "first seen"
        rows.append(_price_row(event, kind, f"input {_usd(event.input)}, output {_usd(event.output)}"))
    for event in digest.withdrawn:
        rows.append(
            _price_row(
                event,
                "withdrawn",
                f"no longer priced (was input {_usd(event.input)}, output {_usd(event.output)})",
            )
        )
    for release in digest.releases:
        rows.append(
            {
                "date": release["date"],
                "kind": "release",
                "subject": f"{release.get('model')} ({release.get('lab')})",
                "change": f"licence {release.get('license_class') or release.get('license') or '?'}, "
                f"open weights {release.get('open_weights') or '?'}",
                "source": release.get("source_id"),
                "source_url": release.get("source_url"),
            }
        )
    for signal in digest.signals:
        rows.append(
            {
                "date": signal["date"],
                "kind": "signal",
                "subject": f"{signal.get('entity')}: {signal.get('item')}",
                "change": f"{signal.get('metric')} {signal.get('value_text') or signal.get('value')} "
                f"{signal.get('unit') or ''} ({signal.get('evidence')})",
                "source": signal.get("source_id"),
                "source_url": signal.get("source_url"),
            }
        )
    rows.sort(key=lambda row: str(row["date"] or ""), reverse=True)
    return rows


def _price_row(item: Any, kind: str, change: str) -> dict[str, Any]:
    """A model-level price row (a ReferenceChange or a PriceEvent) as the Changes screen shows it."""
    tier = "" if item.tier == "default" else f", {item.tier}"
    return {
        "date": item.date,
        "kind": kind,
        "subject": f"{item.model_name} ({item.provider}{tier})",
        "change": change,
        "source": ", ".join(item.sources),
        "source_url": item.source_urls[0] if item.source_urls else None,
    }


def _usd(value: Any) -> str:
    from decimal import Decimal

    if value is None:
        return "-"
    return format_usd(Decimal(str(value)))
