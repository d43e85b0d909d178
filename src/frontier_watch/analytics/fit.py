"""Log-linear fits: a rate per year from dated values, with a 90% interval.

A price that falls 10x a year is a straight line in log(price) against time; the slope of
an ordinary least-squares fit, read back through exp, is the factor per year. The interval
comes from the slope's standard error and Student's t at n - 2 degrees of freedom. Pure
arithmetic over a frame's two columns: no I/O.

A fit never raises anything but :class:`CannotFit`, whose message says why (too few
points, or a line so steep its factor per year is beyond a float): values that are not
finite are left out, and every figure of the result is a finite number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import polars as pl

DAYS_PER_YEAR = 365.25
CONFIDENCE = 0.90

# Student's t at 0.95 (two-sided 90%) for 1..5 degrees of freedom; above, a series expansion.
_T95 = {1: 6.313752, 2: 2.919986, 3: 2.353363, 4: 2.131847, 5: 2.015048}
_Z95 = 1.6448536269514722


class CannotFit(ValueError):
    """No rate can be fitted to these values; the one-line message says why."""


class NotEnoughPoints(CannotFit):
    """Fewer than two distinct dates: no rate can be fitted."""


def t_quantile_95(degrees: int) -> float:
    """Student's t 0.95 quantile (Cornish-Fisher expansion beyond the table; error < 1e-4)."""
    if degrees < 1:
        raise ValueError("at least one degree of freedom is needed")
    if degrees in _T95:
        return _T95[degrees]
    z, v = _Z95, float(degrees)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


@dataclass(frozen=True)
class RateFit:
    """A fitted rate. ``factor_per_year`` > 1: the value is multiplied (growth) or divided
    (decline) by it each year, as ``direction`` says; the interval is in the same terms."""

    direction: str  # "decline" | "growth"
    factor_per_year: float
    ci_low: float | None  # None with two points (no degrees of freedom left)
    ci_high: float | None
    start: date
    end: date
    points: int
    total_factor: float  # the fitted line's change from start to end, in the same terms
    slope_per_year: float  # of ln(value)
    intercept: float  # ln(value) at start

    @property
    def doubling_years(self) -> float | None:
        """Years for the value to double (growth) or halve (decline); None when flat."""
        rate = math.log(self.factor_per_year)
        return math.log(2) / rate if rate > 0 else None

    def value_at(self, day: date) -> float:
        """The fitted line's value on ``day``."""
        return math.exp(self.intercept + self.slope_per_year * (day - self.start).days / DAYS_PER_YEAR)


def fit_rate(series: pl.DataFrame, *, value: str = "value", when: str = "date", decline: bool) -> RateFit:
    """Fit ln(value) against time in years over the rows of ``series`` with a positive value.

    ``decline`` reads the slope as a fall (price: 10x cheaper a year is 10.0); otherwise as a
    rise (cluster size: 2.5x a year is 2.5). A negative trend then shows as a factor below 1.
    Raises NotEnoughPoints with fewer than two distinct dates, CannotFit when the fitted line
    is too steep to state (a value stored out of all proportion, say).
    """
    number = pl.col(value).cast(pl.Float64)
    usable = series.filter(number.is_not_null() & number.is_finite() & (number > 0)).select(when, value)
    if usable.select(pl.col(when).n_unique()).item() < 2:
        raise NotEnoughPoints(
            f"a rate needs values on at least two dates; {usable.height} usable point(s) found"
        )
    start: date = usable.get_column(when).min()  # type: ignore[assignment]
    end: date = usable.get_column(when).max()  # type: ignore[assignment]
    frame = usable.select(
        ((pl.col(when) - pl.lit(start)).dt.total_days() / DAYS_PER_YEAR).alias("x"),
        pl.col(value).cast(pl.Float64).log().alias("y"),
    )
    x = frame.get_column("x").to_list()
    y = frame.get_column("y").to_list()
    n = len(x)
    mean_x, mean_y = sum(x) / n, sum(y) / n
    sxx = sum((xi - mean_x) ** 2 for xi in x)
    sxy = sum((xi - mean_x) * (yi - mean_y) for xi, yi in zip(x, y, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    sign = -1.0 if decline else 1.0
    years = (end - start).days / DAYS_PER_YEAR
    factor = _factor(sign * slope)
    total = _factor(sign * slope * years)
    for exponent in (intercept, intercept + slope * years):  # the line's ends, which value_at reads
        _factor(exponent)
    low = high = None
    if n > 2:
        residual = sum((yi - (intercept + slope * xi)) ** 2 for xi, yi in zip(x, y, strict=True))
        error = math.sqrt(residual / (n - 2) / sxx)
        margin = t_quantile_95(n - 2) * error
        bounds = sorted((_factor(sign * (slope - margin)), _factor(sign * (slope + margin))))
        low, high = bounds
    return RateFit(
        direction="decline" if decline else "growth",
        factor_per_year=factor,
        ci_low=low,
        ci_high=high,
        start=start,
        end=end,
        points=n,
        total_factor=total,
        slope_per_year=slope,
        intercept=intercept,
    )


# exp() of more than this overflows a float, and of less than its negative is 0 (a factor
# nothing can be divided by): a line that steep is stated as a CannotFit, not a number.
_MAX_EXPONENT = 700.0


def _factor(exponent: float) -> float:
    """exp(exponent), or CannotFit when the result would not be a positive, finite float."""
    if not math.isfinite(exponent) or abs(exponent) > _MAX_EXPONENT:
        raise CannotFit(
            "the values change too steeply to fit a rate (a factor beyond 1e300): "
            "check the series for a value out of proportion"
        )
    return math.exp(exponent)
