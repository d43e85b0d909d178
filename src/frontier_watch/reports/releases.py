"""Release cadence: releases per lab per quarter, the open-weight share, the licence mix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from frontier_watch.render.output import safe_text
from frontier_watch.reports.common import json_records

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.store.reading import Reader


@dataclass
class ReleaseTrends:
    per_lab_quarter: pl.DataFrame
    open_share: pl.DataFrame
    licence_mix: pl.DataFrame
    releases: int

    def as_json(self) -> dict[str, Any]:
        return {
            "releases": self.releases,
            "per_lab_quarter": json_records(self.per_lab_quarter),
            "open_weight_share": json_records(self.open_share),
            "licence_mix": json_records(self.licence_mix),
        }


def release_trends_report(reader: Reader, since: date | None = None) -> ReleaseTrends:
    import polars as pl

    from frontier_watch.analytics import releases as cadence
    from frontier_watch.store import release_reads

    rows = release_reads.releases(reader, since=since)
    columns = ("date", "lab", "model_id", "model", "open_weights", "license_class", "source_id")
    schema: dict[str, Any] = {key: pl.String for key in columns}
    schema["date"] = pl.Date
    frame = pl.DataFrame({key: [row.get(key) for row in rows] for key in columns}, schema=schema)
    frame = frame.rename({"source_id": "source"})
    return ReleaseTrends(
        cadence.releases_per_lab_quarter(frame),
        cadence.open_weight_share(frame),
        cadence.licence_mix(frame),
        cadence.distinct_releases(frame).height,
    )


def release_trends_text(report: ReleaseTrends) -> str:
    """The report as ``trends releases`` prints it: the open-weight share, the busiest labs, the licences."""
    data = report.as_json()
    lines = [
        f"{report.releases} releases (a model listed by several sources counts once)",
        "  quarter     releases  open weights  share",
    ]
    for row in data["open_weight_share"]:
        lines.append(
            f"  {row['quarter']}  {row['releases']:>8}  {row['open_weights']:>12}  {row['open_share']:>5.0%}"
        )
    lines.append("  busiest labs per quarter:")
    shown: dict[str, int] = {}
    for row in data["per_lab_quarter"]:
        if shown.get(row["quarter"], 0) < 3:
            shown[row["quarter"]] = shown.get(row["quarter"], 0) + 1
            lines.append(f"    {row['quarter']}  {safe_text(row['lab']):<24} {row['releases']}")
    lines.append(
        "  licence mix per year: "
        + "; ".join(
            f"{row['year']} {safe_text(row['license_class'])} {row['releases']}"
            for row in data["licence_mix"]
        )
    )
    return "\n".join(lines)
