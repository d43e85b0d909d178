"""What changed in a window: price changes, new and withdrawn offerings, releases, signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from frontier_watch.reports.common import json_records

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.store.reading import Reader


@dataclass
class ChangesDigest:
    since: datetime
    until: datetime
    price_changes: pl.DataFrame
    new_offerings: pl.DataFrame
    withdrawn: pl.DataFrame
    releases: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.price_changes.height
            or self.new_offerings.height
            or self.withdrawn.height
            or self.releases
            or self.signals
        )

    def as_json(self) -> dict[str, Any]:
        keep = (
            "model_id",
            "model_name",
            "source",
            "provider",
            "offering_id",
            "tier",
            "effective_from",
            "old_input_usd_per_mtok",
            "input_usd_per_mtok",
            "input_change_pct",
            "old_output_usd_per_mtok",
            "output_usd_per_mtok",
            "output_change_pct",
            "flag",
            "source_url",
        )
        offering_keys = (
            "model_id",
            "model_name",
            "source",
            "provider",
            "offering_id",
            "tier",
            "effective_from",
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "source_url",
        )
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "price_changes": json_records(self.price_changes.select(keep)),
            "new_offerings": json_records(self.new_offerings.select(offering_keys)),
            "withdrawn": json_records(self.withdrawn.select(*offering_keys[:5], "withdrawn_at")),
            "releases": [_release_entry(row) for row in self.releases],
            "signals": [_signal_entry(row) for row in self.signals],
        }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _release_entry(row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "date",
        "lab",
        "model",
        "model_id",
        "open_weights",
        "license",
        "license_class",
        "source_id",
        "source_url",
    )
    return {key: _iso(row.get(key)) for key in keys}


def _signal_entry(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("date", "category", "entity", "item", "value", "unit", "evidence", "source_url")
    return {key: _iso(row.get(key)) for key in keys}


def changes_report(reader: Reader, since: datetime, until: datetime) -> ChangesDigest:
    """Price changes, new and withdrawn offerings, releases and signals in [since, until)."""
    from frontier_watch.analytics import changes
    from frontier_watch.store import frames, queries

    intervals = frames.interval_frame(queries.intervals_changed_since(reader, since))
    releases = [
        row
        for row in queries.releases(reader, since=since.date())
        if row.get("date") and row["date"] < until.date()
    ]
    signals = [
        row
        for row in queries.signals(reader, since=since.date())
        if row.get("date") and row["date"] < until.date()
    ]
    return ChangesDigest(
        since,
        until,
        changes.price_changes(intervals, since, until),
        changes.new_offerings(intervals, since, until),
        changes.withdrawn_offerings(intervals, since, until),
        releases,
        signals,
    )
