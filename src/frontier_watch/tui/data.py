"""What the dashboard's screens read, as plain rows and figures (no Textual here).

Every function takes a reader and runs in a worker thread; the screens only show the
result. Source health is read in one place (``source_rows``) so a richer health check can
replace it without touching a screen. The Prices screen's reads are in ``model_prices.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from frontier_watch.domain.money import from_nano
from frontier_watch.render import public_rows
from frontier_watch.settings.config import Settings
from frontier_watch.store import release_reads, run_history, signal_reads
from frontier_watch.store.reading import Reader

SPARK_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """Values as a row of block characters, lowest to highest (empty for no values).

    A value that is not a finite number is a blank; halves keep the span of two huge values
    of opposite sign finite.
    """
    finite = [value for value in values if math.isfinite(value)]
    if not finite:
        return " " * len(values)
    low, high = min(finite) / 2, max(finite) / 2
    span = high - low
    if span == 0:
        bar = SPARK_BARS[0] if high == 0 else SPARK_BARS[3]
        return "".join(bar if math.isfinite(value) else " " for value in values)
    return "".join(
        SPARK_BARS[round((value / 2 - low) / span * (len(SPARK_BARS) - 1))] if math.isfinite(value) else " "
        for value in values
    )


# ---------------------------------------------------------------- tables


def release_rows(reader: Reader) -> list[dict[str, Any]]:
    rows = release_reads.releases(reader)
    for row in rows:
        row["license_class"] = row.get("license_class") or "unknown"
    return rows


def signal_rows(reader: Reader) -> list[dict[str, Any]]:
    rows = signal_reads.signals(reader)
    for row in rows:
        row["source"] = row.get("source_id")
    return rows


def source_rows(reader: Reader, settings: Settings, now: datetime) -> list[dict[str, Any]]:
    """Each catalogued source with its health against its schedule (``health.read_source_health``,
    as ``doctor`` judges it), last success, last error and stored rows."""
    from frontier_watch.use_cases.health import read_source_health

    status = run_history.source_status(reader)
    specs = list(settings.sources.values())
    health = {item.source_id: item for item in read_source_health(reader, specs, now)}
    rows = []
    for spec in specs:
        facts = status.get(spec.id, {})
        judged = health[spec.id]
        row = {
            **public_rows.source_record(spec),
            "health": judged.status,
            "reasons": "; ".join(judged.reasons) or None,
            "last_success": judged.last_success,
            "last_error": judged.last_error,
            "last_error_at": judged.last_error_at,
            "latest_runs": " ".join(judged.latest_runs) or None,
        }
        row["rows"] = sum(facts.get(key, 0) for key in ("price_rows", "signals", "releases", "feed_items"))
        rows.append(row)
    return rows


# ---------------------------------------------------------------- details


def release_detail(reader: Reader, row: dict[str, Any]) -> dict[str, Any]:
    """A release's downloads over time, openness stack and the releases built on it."""
    repo = row.get("hf_repo_id")
    stats = release_reads.release_downloads(reader, repo) if repo else []
    derived = release_reads.releases(reader, derived_from=repo) if repo else []
    from frontier_watch.render.charts import Chart, Series

    chart = (
        Chart(
            f"{row.get('model') or repo}: downloads",
            [Series("downloads", [s["day"] for s in stats], [float(s["downloads"] or 0) for s in stats])],
        )
        if stats
        else None
    )
    return {
        "openness": public_rows.openness(row),
        "derived": [(item.get("hf_repo_id") or item.get("model"), item.get("lab")) for item in derived],
        "chart": chart,
    }


def signal_detail(reader: Reader, row: dict[str, Any]) -> dict[str, Any]:
    return {"history": signal_reads.signal_history(reader, [row["id"]]).get(row["id"], [])}


# ---------------------------------------------------------------- trends and the overview


def overview(reader: Reader, settings: Settings, now: datetime) -> dict[str, Any]:
    """The headline figures: recent price changes, newest releases, largest clusters, source health."""
    today = now.date()
    weeks = 26
    since = now - timedelta(weeks=weeks)
    recent = recent_intervals(reader, since, now)
    ages = [(now - _as_datetime(row["effective_from"])).days for row in recent]
    per_week = Counter(min(age // 7, weeks - 1) for age in ages)
    recent_prices = recent[:200]
    newest: dict[str, dict[str, Any]] = {}  # one line per model: its newest price
    for row in recent_prices:
        newest.setdefault(row["model"], row)
    recent_prices = list(newest.values())[:5]
    for row in recent_prices:
        row["input_usd_per_mtok"] = from_nano(row.pop("input_nusd"))  # the public keys (public_rows)
        row["output_usd_per_mtok"] = from_nano(row.pop("output_nusd"))
    releases = [row for row in release_reads.releases(reader) if row.get("date") and row["date"] <= today]
    per_month = Counter(
        (today.year - row["date"].year) * 12 + today.month - row["date"].month for row in releases
    )
    from frontier_watch.tui import trend_reports

    _, growth = trend_reports.compute_growth(reader)
    sources = source_rows(reader, settings, now)
    return {
        "price_changes_30d": sum(1 for age in ages if age < 30),
        "price_spark": sparkline([float(per_week.get(week, 0)) for week in range(weeks - 1, -1, -1)]),
        "recent_prices": recent_prices,
        "releases_90d": sum(per_month.get(month, 0) for month in range(3)),
        "release_spark": sparkline([float(per_month.get(month, 0)) for month in range(11, -1, -1)]),
        "newest_releases": releases[:5],
        "growth": [dict(record, spark=sparkline(record["values"][-24:])) for record in growth],
        "sources": sources,
        "health": Counter(row["health"] for row in sources),
    }


# Intervals that began in a window are open or end after its start: the two indexed sets
# (open intervals, intervals by end) hold them, so the read does not grow with old history.
_RECENT_INTERVALS = """
WITH recent AS (
    SELECT i.id, i.offering_pk, i.effective_from, i.input_nusd, i.output_nusd FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to IS NULL
      AND i.effective_from > :since AND i.effective_from <= :now
    UNION ALL
    SELECT i.id, i.offering_pk, i.effective_from, i.input_nusd, i.output_nusd FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to > :since
      AND i.effective_from > :since AND i.effective_from <= :now
)
SELECT coalesce(m.name, o.name) AS model, o.provider, r.effective_from, r.input_nusd, r.output_nusd,
       o.source_id AS source
FROM recent r JOIN offering o ON o.id = r.offering_pk LEFT JOIN model m ON m.id = o.model_id
ORDER BY r.effective_from DESC, r.id DESC
"""


def recent_intervals(reader: Reader, since: datetime, now: datetime) -> list[dict[str, Any]]:
    """Prices that began after ``since`` (and by ``now``), newest first, with their model and seller."""
    return reader.rows(_RECENT_INTERVALS, {"since": since, "now": now})


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))
