"""One model's price over its life: each change and the rate per year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.errors import DataError
from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import factor_text, usd_text
from frontier_watch.reports.common import fit_json, json_records, model_frame, rounded

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.analytics.fit import RateFit
    from frontier_watch.store.reading import Reader


@dataclass
class ModelTrend:
    asked: str
    model_id: str
    changes: pl.DataFrame  # the days its price changed, with basis and sources
    fit: RateFit | None
    blend: tuple[float, float]
    message: str | None

    def as_json(self) -> dict[str, Any]:
        rows = json_records(self.changes)
        first, latest = (rows[0], rows[-1]) if rows else (None, None)
        total = None
        if first and latest and latest["blended_usd_per_mtok"]:
            total = rounded(first["blended_usd_per_mtok"] / latest["blended_usd_per_mtok"])
        fit = fit_json(self.fit)
        return {
            "model_id": self.model_id,
            "blend": f"{self.blend[0]:g}:{self.blend[1]:g} input:output",
            "first": first,
            "latest": latest,
            "total_factor": total,
            "factor_per_year": fit["factor_per_year"],
            "ci_low": fit["ci_low"],
            "ci_high": fit["ci_high"],
            "message": self.message,
            "changes": rows,
        }


def model_trend_report(reader: Reader, text: str, today: date, blend: tuple[float, float]) -> ModelTrend:
    """One model's price over its life: each change (first-party else host median) and the rate."""

    from frontier_watch.analytics import capability
    from frontier_watch.analytics.fit import CannotFit, fit_rate

    frame, model_id = model_frame(reader, text)
    if not model_id:
        found = ", ".join(sorted(set(frame.get_column("model_id").drop_nulls().to_list())))
        raise DataError(f"{text!r} names several models ({found}); name one")
    query = capability.CapabilityQuery.pricing(blend)
    usable = capability.usable_prices(frame, query)
    grid = capability.change_days(usable, [], None, today)
    daily = capability.model_prices_on_days(usable, grid).rename({"day": "date"})
    changes = capability.change_points(daily, ("blended_usd_per_mtok",))
    changes = capability.points_with_sources(
        changes.select(
            "date",
            "model_id",
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "blended_usd_per_mtok",
            "price_basis",
        ),
        frame,
        query,
    )
    fit, message = None, None
    try:
        fit = fit_rate(changes, value="blended_usd_per_mtok", decline=True)
    except CannotFit:
        message = "its price never changed" if changes.height == 1 else "no usable price"
    return ModelTrend(text, model_id, changes, fit, blend, message)


def model_trend_text(report: ModelTrend) -> str:
    """The report as ``trends model`` prints it: first and latest price, the rates, every change."""
    data = report.as_json()
    first, latest = data["first"], data["latest"]
    blend = report.blend
    lines = [
        f"{safe_text(report.model_id)}: blended price "
        f"({blend[0]:g}:{blend[1]:g} input:output), USD per M tokens"
    ]
    if first and latest:
        lines.append(f"  first  {first['date']}  {usd_text(first['blended_usd_per_mtok'])}")
        lines.append(f"  latest {latest['date']}  {usd_text(latest['blended_usd_per_mtok'])}")
        lines.append(
            f"  total: {factor_text(data['total_factor'])} cheaper; "
            f"per year: {factor_text(data['factor_per_year'])}"
        )
    if report.message:
        lines.append(f"  {safe_text(report.message)}")
    for change in data["changes"]:
        lines.append(
            f"    {change['date']}  in {usd_text(change['input_usd_per_mtok'])}  "
            f"out {usd_text(change['output_usd_per_mtok'])}"
            f"  blended {usd_text(change['blended_usd_per_mtok'])}  {safe_text(change['price_basis'])}"
            f" ({safe_text(change['source'])})"
        )
    return "\n".join(lines)
