"""Compute over time: the largest known cluster and site, their growth rates, capex per company."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import factor_text
from frontier_watch.reports.common import claim_frame, fit_json, json_records

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.analytics.fit import RateFit
    from frontier_watch.store.reading import Reader


@dataclass
class GrowthSeries:
    """The largest known value of one measure at each date, and its growth rate."""

    name: str  # "GPUs", "H100 equivalents", "MW"
    records: pl.DataFrame  # date, item, value, entity, source, evidence, evidence_class, source_url
    fit: RateFit | None
    message: str | None
    # The records of the figures the fit left out (analytics.headline: not independent enough),
    # as their own series; empty when every figure counts.
    set_apart: pl.DataFrame | None = None

    @property
    def problem(self) -> str | None:
        """Why the rate is no headline (no fit, too few points, too uncertain...), or None."""
        from frontier_watch.analytics.headline import headline_problem

        return self.message if self.fit is None else headline_problem(self.fit)

    def evidence_classes(self) -> str:
        """The evidence classes of the records fitted, each with its count."""
        from frontier_watch.analytics.headline import classes_text

        if self.records.is_empty() or "evidence_class" not in self.records.columns:
            return classes_text([])
        return classes_text(self.records.get_column("evidence_class").to_list())

    def headline(self) -> str:
        """The rate in words with what it rests on, or why there is none:
        ``grows 2.1x a year, doubling every 11.2 months; 6 points, 2022-01..2025-06; evidence: ...``."""
        rests_on = f"{self.fit.points} points" if self.fit else f"{self.records.height} points"
        rests_on += f"; evidence: {self.evidence_classes()}"
        if self.problem or self.fit is None:
            return f"no rate: {self.problem}; {rests_on}"
        fit = self.fit
        doubling = f", doubling every {fit.doubling_years * 12:.1f} months" if fit.doubling_years else ""
        interval = (
            f", 90% interval {factor_text(fit.ci_low)}-{factor_text(fit.ci_high)}" if fit.ci_low else ""
        )
        return (
            f"grows {factor_text(fit.factor_per_year)} a year{doubling}{interval} "
            f"({fit.start} .. {fit.end}); {rests_on}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.name,
            **fit_json(self.fit),
            "message": self.message,
            "headline": self.headline(),
            "headline_problem": self.problem,
            "points": self.records.height,
            "evidence_classes": self.evidence_classes(),
            "records": json_records(self.records),
            "set_apart": [] if self.set_apart is None else json_records(self.set_apart),
        }


@dataclass
class ComputeTrends:
    series: list[GrowthSeries]
    capex: pl.DataFrame
    published: pl.DataFrame

    def as_json(self) -> dict[str, Any]:
        return {
            "largest": [item.as_json() for item in self.series],
            "capex_per_company_year": json_records(self.capex),
            "published": json_records(self.published),
        }


def _growth(name: str, rows: list[dict[str, Any]], *, all_evidence: bool = False) -> GrowthSeries:
    from frontier_watch.analytics.compute import record_points
    from frontier_watch.analytics.fit import CannotFit, fit_rate
    from frontier_watch.analytics.headline import INDEPENDENT_EVIDENCE, evidence_class
    from frontier_watch.store import frames

    # A value that is not a finite number (written by hand, or scaled past a float) is no record.
    rows = [{**row, "evidence_class": evidence_class(row)} for row in rows if _finite(row.get("value"))]
    counted = rows if all_evidence else [row for row in rows if row["evidence_class"] in INDEPENDENT_EVIDENCE]
    apart = [] if all_evidence else [row for row in rows if row["evidence_class"] not in INDEPENDENT_EVIDENCE]
    set_apart = record_points(frames.signal_frame(apart)) if apart else None
    records = record_points(frames.signal_frame(counted)) if counted else frames.signal_frame([])
    fit, message = None, None
    if rows and not counted:
        message = f"no {name} figure from independent-enough evidence (--all-evidence fits on every figure)"
    elif not rows:
        message = f"no {name} figures stored (fetch the Epoch sources or add signals)"
    else:
        try:
            fit = fit_rate(records, decline=False)
        except CannotFit as exc:
            message = str(exc)
    return GrowthSeries(name, records, fit, message, set_apart)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def compute_trends_report(reader: Reader, *, all_evidence: bool = False) -> ComputeTrends:
    """Largest known cluster (GPUs, H100 equivalents) and site power (MW) over time; capex per company.

    The growth rates are fitted on independent-enough evidence (analytics.headline), the other
    figures set apart, unless ``all_evidence``."""
    from frontier_watch.analytics import claims
    from frontier_watch.analytics.compute import latest_per_year
    from frontier_watch.store import frames, signal_reads

    signal_rows = signal_reads.signals(reader)
    gpus = [
        row
        for row in signal_rows
        if row["category"] == "cluster"
        and (row.get("metric") or "").startswith("GPUs")
        and row.get("value")
        and "plan" not in (row.get("metric") or "")
        and "per rack" not in (row.get("metric") or "")
    ]
    power = []
    for row in signal_rows:
        unit = (row.get("unit") or "").split(" ")[0]
        if (
            row["category"] == "power"
            and (row.get("metric") or "").startswith("power capacity")
            and row.get("value")
        ):
            if (
                "target" in row["metric"]
                or "goal" in row["metric"]
                or "eventual" in row["metric"]
                or "added" in row["metric"]
            ):
                continue
            scale = {"GW": 1000.0, "MW": 1.0}.get(unit)
            if scale:
                power.append({**row, "value": row["value"] * scale, "unit": "MW"})
    power += signal_reads.site_power(reader)
    capex_rows = [
        row
        for row in signal_rows
        if row["category"] == "capex" and _finite(row.get("value")) and row.get("unit") == "billion USD"
    ]
    capex = latest_per_year(frames.signal_frame(capex_rows)) if capex_rows else frames.signal_frame([])
    return ComputeTrends(
        [
            _growth("GPUs in one cluster", gpus, all_evidence=all_evidence),
            _growth(
                "H100 equivalents in one cluster",
                signal_reads.cluster_sizes(reader),
                all_evidence=all_evidence,
            ),
            _growth("MW at one site", power, all_evidence=all_evidence),
        ],
        capex,
        claims.claims_matching(claim_frame(reader), r"compute growth|budget growth|cost decline per year"),
    )


def compute_trends_text(report: ComputeTrends) -> str:
    """The report as ``trends compute`` prints it: each measure's growth and records, capex, claims."""
    data = report.as_json()
    lines = []
    for item in data["largest"]:
        lines.append(f"Largest known: {item['measure']}")
        lines.append(f"  {safe_text(item['headline'])}")
        for record in item["records"]:
            lines.append(_record_line(record))
        if item["set_apart"]:
            lines.append(
                "  set apart (vendor claims, letters of intent, rumours; --all-evidence fits on them):"
            )
            lines.extend(_record_line(record) for record in item["set_apart"])
    if data["capex_per_company_year"]:
        lines.append("Capex per company and year (latest figure given, billion USD):")
        for row in data["capex_per_company_year"]:
            lines.append(
                f"    {row['year']}  {safe_text(row['entity']):<28} "
                f"{safe_text(row['metric']):<28} {row['value']:>8g}"
            )
    for claim in data["published"]:
        high = f"-{claim['value_high']:g}" if claim.get("value_high") else ""
        lines.append(
            f"  published: {safe_text(claim['source_org'])} {safe_text(claim['metric'])} "
            f"{claim['value']:g}{high} {safe_text(claim['unit'])} {safe_text(claim['source_url'])}"
        )
    return "\n".join(lines)


def _record_line(record: dict[str, Any]) -> str:
    return (
        f"    {record['date']}  {record['value']:>12,.0f}  {safe_text(record.get('item'))[:60]}"
        f"  [{safe_text(record.get('evidence_class') or record.get('evidence'))}]"
    )
