"""What the dashboard's screens read, as plain rows and figures (no Textual here).

Every function takes a reader and runs in a worker thread; the screens only show the
result. Source health is read in one place (``source_rows``) so a richer health check can
replace it without touching a screen. The Prices screen's reads are in ``model_prices.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from frontier_watch.render import public_rows
from frontier_watch.settings.config import Settings
from frontier_watch.store import price_reads, release_reads, run_history, signal_reads
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


# The Overview's price changes look back 26 weeks, or fewer where those weeks began more
# prices than the budget: each price begun in the window is judged (the model answer, day by
# day), and the budget keeps that under a second (bench/README.md, at 1M intervals), so the
# Overview does not wait on a store that churns.
PRICE_NEWS_WEEKS = (26, 13, 8, 5, 2, 1)
PRICE_NEWS_BUDGET = 3_000


def price_news_weeks(reader: Reader, now: datetime) -> int:
    """The longest of PRICE_NEWS_WEEKS whose prices begun in it are within the budget."""
    for weeks in PRICE_NEWS_WEEKS:
        since = now - timedelta(weeks=weeks)
        if price_reads.prices_begun_since(reader, since, PRICE_NEWS_BUDGET + 1) <= PRICE_NEWS_BUDGET:
            return weeks
    return PRICE_NEWS_WEEKS[-1]


def overview(reader: Reader, settings: Settings, now: datetime) -> dict[str, Any]:
    """The headline figures: recent price changes, newest releases, largest clusters, source health."""
    today = now.date()
    weeks = price_news_weeks(reader, now)
    days = min(30, weeks * 7)  # the count's window: 30 days, or the weeks looked back if fewer
    recent = recent_price_news(reader, now - timedelta(weeks=weeks), now)
    ages = [(today - row["date"]).days for row in recent if row["date"] <= today]
    per_week = Counter(min(age // 7, weeks - 1) for age in ages)
    newest: dict[str, dict[str, Any]] = {}  # one line per model: its newest change
    for row in recent:
        if row["date"] <= today:
            newest.setdefault(row["model_id"], row)
    releases = [row for row in release_reads.releases(reader) if row.get("date") and row["date"] <= today]
    per_month = Counter(
        (today.year - row["date"].year) * 12 + today.month - row["date"].month for row in releases
    )
    from frontier_watch.tui import trend_reports

    _, growth = trend_reports.compute_growth(reader)
    sources = source_rows(reader, settings, now)
    return {
        "price_changes_days": days,
        "price_changes_recent": sum(1 for age in ages if age < days),
        "price_weeks": weeks,
        "price_spark": sparkline([float(per_week.get(week, 0)) for week in range(weeks - 1, -1, -1)]),
        "recent_prices": list(newest.values())[:5],
        "scheduled_prices": [row for row in recent if row["date"] > today],
        "prices_stored": reader.scalar("SELECT count(*) FROM (SELECT 1 FROM price_interval LIMIT 1) one") > 0,
        "releases_90d": sum(per_month.get(month, 0) for month in range(3)),
        "release_spark": sparkline([float(per_month.get(month, 0)) for month in range(11, -1, -1)]),
        "newest_releases": releases[:5],
        "growth": [dict(record, spark=sparkline(record["values"][-24:])) for record in growth],
        "sources": sources,
        "health": Counter(row["health"] for row in sources),
    }


def recent_price_news(reader: Reader, since: datetime, now: datetime) -> list[dict[str, Any]]:
    """The model-level price changes and new models' first prices from ``since`` on, newest
    first (those scheduled after ``now`` first of all), as ``changes`` finds them: one row per
    model, seller and tier and day, never one per source's offering. A first price known only
    from an undated list is left out (its day is when the list was first seen)."""
    from frontier_watch.reports.changes import price_news

    news = price_news(reader, since, now)
    rows: list[dict[str, Any]] = [
        {
            "date": change.date,
            "model_id": change.model_id,
            "model": change.model_name,
            "provider": change.provider,
            "tier": change.tier,
            "old": (change.old_input, change.old_output),
            "new": (change.new_input, change.new_output),
            "sources": change.sources,
        }
        for change in news.changes
    ]
    rows.extend(
        {
            "date": event.date,
            "model_id": event.model_id,
            "model": event.model_name,
            "provider": event.provider,
            "tier": event.tier,
            "old": None,
            "new": (event.input, event.output),
            "sources": event.sources,
        }
        for event in news.new_models
        if event.dating != "undated"
    )
    # Newest first; on one model's day, the line the Overview keeps first: the default tier,
    # then the price most sources give (the maker's own, as a rule), then the seller's name.
    rows.sort(key=lambda row: (row["tier"] != "default", -len(row["sources"]), row["provider"].lower()))
    rows.sort(key=lambda row: (row["date"], row["model"].lower()), reverse=True)
    return rows
