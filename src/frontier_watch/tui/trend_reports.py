"""The one place the dashboard reaches the trend analytics (capability price, changes digest).

The Trends and Changes screens and the Overview's trend figure call these; each returns
None when this build has no trend analytics, and the screens then say so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontier_watch.store import queries
from frontier_watch.store.reading import Reader
from frontier_watch.tui.data import ChartSpec

UNAVAILABLE = "trend analytics not available in this build"


def benchmarks(reader: Reader) -> list[str]:
    """The benchmarks with stored scores, for the Trends screen's benchmark key."""
    return sorted({row["benchmark"] for row in queries.benchmark_scores(reader) if row.get("benchmark")})


def capability(reader: Reader, now: datetime, benchmark: str | None, threshold: float | None) -> Any | None:
    """The capability-price trend (chart, fit, published figures), or None without trend analytics."""
    return None


def changes(reader: Reader, now: datetime) -> list[dict[str, Any]] | None:
    """The changes digest as rows, or None without trend analytics."""
    return None


def capability_caption(result: Any) -> str:
    """The fitted rate and the published figures beside it, as one paragraph."""
    return str(result)


def capability_chart(result: Any) -> ChartSpec | None:
    """The cheapest price at the threshold over time (log scale) with the fitted line."""
    return None
