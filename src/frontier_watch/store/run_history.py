"""Reads of the fetch runs that health and status need: per source, its last success, last error,
latest runs, and what it stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontier_watch.store.reading import Reader


@dataclass(frozen=True)
class RunRecord:
    """What a source's runs say, newest first."""

    source_id: str
    last_success: datetime | None
    last_error: str | None  # the latest failed run's error, when it is newer than the last success
    last_error_at: datetime | None
    latest: tuple[str, ...]  # the statuses of the latest finished runs, newest first (ok, failed, ...)


def run_records(reader: Reader, latest: int = 3) -> dict[str, RunRecord]:
    """Per source id that ever ran: its last success, last error and ``latest`` finished runs."""
    rows = reader.rows(
        """
SELECT source_id, status, error, finished_at FROM (
    SELECT source_id, status, error, finished_at,
           row_number() OVER (PARTITION BY source_id ORDER BY id DESC) AS n
    FROM fetch_run WHERE status <> 'running'
) AS ranked WHERE n <= :latest ORDER BY source_id, n
""",
        {"latest": latest},
    )
    successes = {
        row["source_id"]: row["last_success"]
        for row in reader.rows(
            "SELECT source_id, max(finished_at) AS last_success FROM fetch_run "
            "WHERE status = 'ok' GROUP BY source_id"
        )
    }
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        by_source.setdefault(row["source_id"], []).append(row)
    records = {}
    for source_id, runs in by_source.items():
        success = successes.get(source_id)
        failed = next((run for run in runs if run["status"] != "ok"), None)
        failed_at = failed["finished_at"] if failed else None
        recent_failure = failed is not None and (
            success is None or (failed_at is not None and failed_at > success)
        )
        records[source_id] = RunRecord(
            source_id=source_id,
            last_success=success,
            last_error=failed["error"] if recent_failure and failed else None,
            last_error_at=failed_at if recent_failure else None,
            latest=tuple(run["status"] for run in runs),
        )
    return records


def database_created_at(reader: Reader) -> datetime | None:
    """When the database was made: the first migration's time."""
    rows = reader.rows("SELECT min(applied_at) AS created_at FROM schema_migration")
    return rows[0]["created_at"] if rows else None


def source_status(reader: Reader) -> dict[str, dict[str, Any]]:
    """Per source id: last success, last error (if after it), offerings and price rows."""
    status: dict[str, dict[str, Any]] = {}
    last_ok = {
        row["source_id"]: row["last_success"]
        for row in reader.rows(
            "SELECT source_id, max(finished_at) AS last_success FROM fetch_run "
            "WHERE status = 'ok' GROUP BY source_id"
        )
    }
    latest = reader.rows(
        "SELECT source_id, status, error, finished_at FROM fetch_run "
        "WHERE id IN (SELECT max(id) FROM fetch_run GROUP BY source_id)"
    )
    for row in latest:
        entry = status.setdefault(row["source_id"], {})
        entry["last_success"] = last_ok.get(row["source_id"])
        if row["status"] != "ok":
            entry["last_error"], entry["last_error_at"] = row["error"], row["finished_at"]
    counts = reader.rows(
        """
SELECT o.source_id, count(DISTINCT o.id) AS offerings, count(i.id) AS price_rows
FROM offering o LEFT JOIN price_interval i ON i.offering_pk = o.id
GROUP BY o.source_id
"""
    )
    for row in counts:
        entry = status.setdefault(row["source_id"], {})
        entry["offerings"], entry["price_rows"] = row["offerings"], row["price_rows"]
    for table, key in (("signal", "signals"), ("release", "releases"), ("feed_item", "feed_items")):
        for row in reader.rows(f"SELECT source_id, count(*) AS n FROM {table} GROUP BY source_id"):
            if row["source_id"] is not None:
                status.setdefault(row["source_id"], {})[key] = row["n"]
    return status
