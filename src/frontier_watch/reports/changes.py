"""What changed in a window: price changes, new and withdrawn offerings, releases, signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from frontier_watch.render import public_rows
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
        """The digest in the row shapes of public_rows (``changes --json``, render_changes)."""
        offering = public_rows.CHANGED_OFFERING_KEYS
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "price_changes": json_records(self.price_changes.select(public_rows.PRICE_CHANGE_KEYS)),
            "new_offerings": json_records(self.new_offerings.select(offering)),
            "withdrawn": json_records(self.withdrawn.select(*offering[:5], "withdrawn_at")),
            "releases": [
                public_rows.dated_record(row, public_rows.CHANGED_RELEASE_KEYS) for row in self.releases
            ],
            "signals": [
                public_rows.dated_record(row, public_rows.CHANGED_SIGNAL_KEYS) for row in self.signals
            ],
        }


def changes_report(reader: Reader, since: datetime, until: datetime) -> ChangesDigest:
    """Price changes, new and withdrawn offerings, releases and signals in [since, until)."""
    from frontier_watch.analytics import changes
    from frontier_watch.store import frames, price_reads, release_reads, signal_reads

    intervals = frames.interval_frame(price_reads.intervals_changed_since(reader, since))
    releases = [
        row
        for row in release_reads.releases(reader, since=since.date())
        if row.get("date") and row["date"] < until.date()
    ]
    signals = [
        row
        for row in signal_reads.signals(reader, since=since.date())
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
