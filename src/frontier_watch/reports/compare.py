"""Two models' prices on one day, and how many times dearer B is than A."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.errors import DataError
from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import factor_text, usd_text
from frontier_watch.reports.common import model_frame, rounded

if TYPE_CHECKING:
    from frontier_watch.store.reading import Reader


@dataclass
class ModelPrice:
    """A model's price on a day: first-party where in force, else the median across hosts."""

    asked: str
    model_id: str
    input: float
    output: float
    blended: float
    basis: str  # "first-party" | "median of N hosts"
    sources: str


def model_price_on(reader: Reader, text: str, day: date, *, blend: tuple[float, float]) -> ModelPrice:
    import polars as pl

    from frontier_watch.analytics import capability

    frame, _ = model_frame(reader, text)
    query = capability.CapabilityQuery.pricing(blend)
    usable = capability.usable_prices(frame, query)
    daily = capability.model_prices_on_days(usable, pl.DataFrame({"day": [day]}, schema={"day": pl.Date}))
    if daily.is_empty():
        raise DataError(f"no price for {text!r} in force on {day.isoformat()}")
    if daily.height > 1:
        found = ", ".join(daily.get_column("model_id").to_list())
        raise DataError(f"{text!r} means several models on {day.isoformat()} ({found}); name one")
    row = daily.row(0, named=True)
    points = capability.points_with_sources(
        daily.rename({"day": "date"}).select("date", "model_id"), frame, query
    )
    return ModelPrice(
        asked=text,
        model_id=row["model_id"],
        input=row["input_usd_per_mtok"],
        output=row["output_usd_per_mtok"],
        blended=row["blended_usd_per_mtok"],
        basis=row["price_basis"],
        sources=points.get_column("source").item() or "",
    )


@dataclass
class Comparison:
    first: ModelPrice
    second: ModelPrice
    as_of: date
    blend: tuple[float, float]

    def ratios(self) -> dict[str, float | None]:
        def ratio(a: float, b: float) -> float | None:
            return a / b if b else None

        return {
            "input": ratio(self.second.input, self.first.input),
            "output": ratio(self.second.output, self.first.output),
            "blended": ratio(self.second.blended, self.first.blended),
        }

    def as_json(self) -> dict[str, Any]:
        def side(price: ModelPrice) -> dict[str, Any]:
            return {
                "asked": price.asked,
                "model_id": price.model_id,
                "input_usd_per_mtok": rounded(price.input, 6),
                "output_usd_per_mtok": rounded(price.output, 6),
                "blended_usd_per_mtok": rounded(price.blended, 6),
                "price_basis": price.basis,
                "source": price.sources,
            }

        return {
            "as_of": self.as_of.isoformat(),
            "blend": f"{self.blend[0]:g}:{self.blend[1]:g} input:output",
            "a": side(self.first),
            "b": side(self.second),
            "ratio_b_over_a": {key: rounded(value) for key, value in self.ratios().items()},
            "cheaper": self.first.model_id
            if self.first.blended < self.second.blended
            else self.second.model_id,
        }


def compare_report(
    reader: Reader, first: str, second: str, as_of: date, blend: tuple[float, float]
) -> Comparison:
    """Two models' prices on one day and how many times dearer B is than A."""
    return Comparison(
        model_price_on(reader, first, as_of, blend=blend),
        model_price_on(reader, second, as_of, blend=blend),
        as_of,
        blend,
    )


def comparison_text(comparison: Comparison) -> str:
    """The comparison as ``compare`` prints it: both prices and B over A."""
    data = comparison.as_json()
    lines = [f"Prices in force on {comparison.as_of.isoformat()}, USD per million tokens"]
    for key in ("a", "b"):
        side = data[key]
        lines.append(
            f"  {key.upper()} {safe_text(side['model_id']):<28} in {usd_text(side['input_usd_per_mtok']):>9}"
            f"  out {usd_text(side['output_usd_per_mtok']):>9}  "
            f"blended {usd_text(side['blended_usd_per_mtok']):>9}"
            f"  {safe_text(side['price_basis'])} ({safe_text(side['source'])})"
        )
    ratios = data["ratio_b_over_a"]
    lines.append(
        f"  B / A: input {factor_text(ratios['input'])}, output {factor_text(ratios['output'])},"
        f" blended {factor_text(ratios['blended'])} ({data['blend']})"
    )
    return "\n".join(lines)
