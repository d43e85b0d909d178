"""What changed in a window: the model-level price changes, new models and withdrawn prices
(analytics/model_changes.py on the models' timelines), and the releases and signals.

The store read stays within the window: the models whose prices may have changed since its
start are found through indexes, and only their intervals still in force the day before it
are read (the timeline from that day on is exact, analytics.model_changes.in_force_from).
A model with no price before the window is then read whole, to know its first price is its
first (a new model has little history; one priced before has its earlier rows read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from frontier_watch.analytics import model_changes
from frontier_watch.analytics.model_changes import PriceEvent, ReferenceChange
from frontier_watch.analytics.model_timeline import Placed, Segment, model_timeline
from frontier_watch.render import change_rows, public_rows
from frontier_watch.reports.model_timeline import placed_of

if TYPE_CHECKING:
    from frontier_watch.store.reading import Reader

MODELS_PER_READ = 500  # models per read of their intervals (an IN list of bound values each)


@dataclass
class PriceNews:
    """The model-level price sections of a digest, from ``since`` on (scheduled ones included)."""

    changes: list[ReferenceChange]
    new_models: list[PriceEvent]
    withdrawn: list[PriceEvent]


@dataclass
class ChangesDigest:
    since: datetime
    until: datetime
    price_changes: list[ReferenceChange]
    new_models: list[PriceEvent]
    withdrawn: list[PriceEvent]
    releases: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.price_changes or self.new_models or self.withdrawn or self.releases or self.signals)

    def as_json(self) -> dict[str, Any]:
        """The digest in the row shapes of change_rows and public_rows (``changes --json``)."""
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "price_changes": [change_rows.change_record(change) for change in self.price_changes],
            "new_models": [change_rows.event_record(event) for event in self.new_models],
            "withdrawn": [change_rows.event_record(event) for event in self.withdrawn],
            "releases": [
                public_rows.dated_record(row, public_rows.CHANGED_RELEASE_KEYS) for row in self.releases
            ],
            "signals": [
                public_rows.dated_record(row, public_rows.CHANGED_SIGNAL_KEYS) for row in self.signals
            ],
        }


def price_news(reader: Reader, since: datetime, now: datetime) -> PriceNews:
    """The reference price changes, new models and withdrawn prices from ``since`` on: those
    up to ``now`` and those declared for a later day (``scheduled``)."""
    from frontier_watch.store import price_reads

    first_day, today = since.date(), now.date()
    day_before = first_day - timedelta(days=1) if first_day > date.min else first_day  # nothing before
    cutoff = datetime.combine(day_before, datetime.min.time())
    touched = sorted(price_reads.models_touched_since(reader, since))
    recent = _placed(reader, touched, ending_after=cutoff)
    in_force = model_changes.in_force_from(recent, day_before)
    segments = model_timeline(in_force)
    return PriceNews(
        model_changes.reference_changes(segments, first_day, None, today),
        model_changes.new_model_prices(
            _whole(reader, segments, recent, in_force, first_day, cutoff), first_day, None, today
        ),
        model_changes.withdrawn_prices(segments, first_day, None, today),
    )


def _whole(
    reader: Reader,
    segments: list[Segment],
    recent: list[Placed],
    in_force: list[Placed],
    first_day: date,
    cutoff: datetime,
) -> list[Segment]:
    """The whole timelines of the models whose first price may be from the window on (no
    segment before it): a model with no earlier rows has its timeline already; the others'
    history before the window is read (the intervals that ended by then) and joined to it."""
    maybe_new = model_changes.models_first_priced_from(segments, first_day)
    if not maybe_new:
        return []
    kept = {id(row) for row in in_force}
    earlier = [row for row in recent if id(row) not in kept and row.model_id in maybe_new]
    earlier += _placed(reader, sorted(maybe_new), ended_by=cutoff)
    longer = {row.model_id for row in earlier}
    whole = [s for s in segments if s.model_id in maybe_new and s.model_id not in longer]
    if longer:
        whole += model_timeline([*earlier, *(row for row in in_force if row.model_id in longer)])
    return whole


def _placed(reader: Reader, model_ids: list[str], **bounds: datetime) -> list[Placed]:
    """The placed evidence of these models (their intervals within ``bounds``, price_pieces')."""
    from frontier_watch.store import price_reads

    placed: list[Placed] = []
    for start in range(0, len(model_ids), MODELS_PER_READ):
        chunk = model_ids[start : start + MODELS_PER_READ]
        placed.extend(placed_of(price_reads.price_pieces(reader, chunk, **bounds)))
    return placed


def changes_report(reader: Reader, since: datetime, until: datetime) -> ChangesDigest:
    """What changed from ``since`` to ``until`` (now): model-level price changes, new models,
    withdrawn prices (and those scheduled after ``until``), releases and signals."""
    from frontier_watch.store import release_reads, signal_reads

    news = price_news(reader, since, until)
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
    return ChangesDigest(since, until, news.changes, news.new_models, news.withdrawn, releases, signals)
