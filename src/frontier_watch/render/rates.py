"""How a rate reads: ``40x``, ``40x cheaper a year``, the 90% interval beside it.

The one wording of a fitted rate, for the CLI, the dashboard, the charts and the exports.
"""

from __future__ import annotations


def factor_text(value: float | None) -> str:
    """A factor as ``40x`` (three significant figures), or ``-`` when there is none."""
    return "-" if value is None else f"{value:.3g}x"


def cheaper_a_year(factor: float | None) -> str:
    """A price's fitted rate of decline: ``40x cheaper a year``."""
    return f"{factor_text(factor)} cheaper a year"


def interval_text(low: float | None, high: float | None) -> str:
    """The 90% interval of a fitted rate, or why there is none (two points leave no freedom)."""
    if low and high:
        return f"90% interval {factor_text(low)}-{factor_text(high)}"
    return "two points: no interval"


def usd_text(value: float | None) -> str:
    """A price in USD per million tokens as the trend texts show it (``$0.15``), or ``-``."""
    return "-" if value is None else f"${value:.4g}"
