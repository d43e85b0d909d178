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
    records: pl.DataFrame  # date, item, value, entity, source, evidence, source_url
    fit: RateFit | None
    message: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.name,
            **fit_json(self.fit),
            "message": self.message,
            "records": json_records(self.records),
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


def _growth(name: str, rows: list[dict[str, Any]]) -> GrowthSeries:
    from frontier_watch.analytics.compute import record_points
    from frontier_watch.analytics.fit import CannotFit, fit_rate
    from frontier_watch.store import frames

    # A value that is not a finite number (written by hand, or scaled past a float) is no record.
    rows = [row for row in rows if _finite(row.get("value"))]
    records = record_points(frames.signal_frame(rows)) if rows else frames.signal_frame([])
    fit, message = None, None
    if not rows:
        message = f"no {name} figures stored (fetch the Epoch sources or add signals)"
    else:
        try:
            fit = fit_rate(records, decline=False)
        except CannotFit as exc:
            message = str(exc)
    return GrowthSeries(name, records, fit, message)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def compute_trends_report(reader: Reader) -> ComputeTrends:
    """Largest known cluster (GPUs, H100 equivalents) and site power (MW) over time; capex per company."""
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
            _growth("GPUs in one cluster", gpus),
            _growth("H100 equivalents in one cluster", signal_reads.cluster_sizes(reader)),
            _growth("MW at one site", power),
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
        if item["message"]:
            lines.append(f"  {safe_text(item['message'])}")
        else:
            halving = item.get("doubling_years")
            doubling = f", doubling every {halving * 12:.1f} months" if halving else ""
            lines.append(
                f"  grows {factor_text(item['factor_per_year'])} a year{doubling} "
                f"({item['start']} .. {item['end']})"
            )
        for record in item["records"]:
            lines.append(
                f"    {record['date']}  {record['value']:>12,.0f}  {safe_text(record.get('item'))[:60]}"
                f"  [{safe_text(record.get('evidence'))}]"
            )
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
