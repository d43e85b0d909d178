"""What the reference price of a model did in a window: changes, first prices, ends.

Built on the model timeline (model_timeline.py), the reference price's segments per model,
seller, tier and variant (a price point such as a regional endpoint; domain/variants.py).
What a writer can cite as news is a change of that answer, never a change of one source's
offering: a source that restates or lags changes no segment, so it makes no line.

* A **price change** is a segment that starts where a segment of another price of the same
  model, seller, tier and variant ends (a first price, or one after a gap, is not a change), and
  whose reference price has a start date: an undated price answers from the day its source's
  list was first seen, which says nothing of when the price began.
* A **new model price** is the first segment of a model's whole timeline (its first price
  ever) and every other segment starting that day (the launch prices of its sellers and
  tiers). A seller that starts selling a model already priced elsewhere is not one.
* A **withdrawn price** is a segment that ends with no price after it for that model,
  seller and tier.

A change dated after ``today`` is ``scheduled`` (declared for a later day). Pure functions
of segments: the report reads the store and builds the timelines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from frontier_watch.analytics.model_timeline import Placed, Segment

NEW_MODEL, WITHDRAWN = "new model", "withdrawn"
UNDATED = "undated"  # a segment's dating when its reference has no start date (model_answer.dating)


@dataclass(frozen=True, slots=True)
class ReferenceChange:
    """A change of the reference price of a model, seller and tier (issue 20's price change)."""

    model_id: str
    model_name: str
    provider: str
    tier: str
    date: date
    old_input: Decimal | None
    old_output: Decimal | None
    new_input: Decimal | None
    new_output: Decimal | None
    sources: tuple[str, ...]  # the sources that give the new price
    source_urls: tuple[str, ...]  # where they give it, where the store has it
    scheduled: bool  # declared for a day after today
    dating: str  # how the new price's start is known: curated, declared, observed or undated
    variant: str = ""  # the price point that changed (domain/variants.py); "" the plain one

    def percent(self, part: str) -> float | None:
        """The change of ``input`` or ``output`` in percent (None without both prices, or from 0)."""
        old, new = getattr(self, f"old_{part}"), getattr(self, f"new_{part}")
        if old is None or new is None or old == 0:
            return None
        return float((new / old - 1) * 100)


@dataclass(frozen=True, slots=True)
class PriceEvent:
    """A model's first price (``new model``) or a price that ended with none after it (``withdrawn``)."""

    kind: str  # NEW_MODEL | WITHDRAWN
    model_id: str
    model_name: str
    provider: str
    tier: str
    date: date  # the first day of the new price; the first day without the withdrawn one
    input: Decimal | None
    output: Decimal | None
    sources: tuple[str, ...]
    source_urls: tuple[str, ...]
    scheduled: bool
    dating: str  # how the price's start is known: curated, declared, observed or undated (first seen)
    variant: str = ""  # the price point (domain/variants.py); "" the plain one


def in_force_from(rows: Iterable[Placed], day: date) -> list[Placed]:
    """The rows that answer for ``day`` or a later day: all a timeline needs from ``day`` on.

    The answer on a day depends only on the rows in force that day, so a timeline of these
    rows has the true price on every day from ``day`` on, and the true change points after
    it: the changes from the day after ``day`` on are those of the whole history. (The
    segment in force on ``day`` may start earlier than it truly does.)
    """
    return [row for row in rows if row.end is None or row.end > day]


def _in_window(day: date, since: date, until: date | None) -> bool:
    return since <= day and (until is None or day < until)


def _order(item: ReferenceChange | PriceEvent) -> tuple:
    return (
        item.date,
        item.model_name.lower(),
        item.model_id,
        item.provider.lower(),
        item.tier != "default",
        item.variant,
    )


def reference_changes(
    segments: Sequence[Segment], since: date, until: date | None, today: date
) -> list[ReferenceChange]:
    """Every segment with a dated reference starting in [since, until) (``until`` None: no
    end) right after a segment of another price of the same model, seller and tier; a change
    after ``today`` is ``scheduled``. Oldest first, then by model, seller and tier
    (``default`` first)."""
    ending_at = {(*s.line, s.end): s for s in segments if s.end is not None}
    changes = []
    for segment in segments:
        if segment.start is None or not _in_window(segment.start, since, until):
            continue
        previous = ending_at.get((*segment.line, segment.start))
        if previous is None or previous.price == segment.price or segment.dating == UNDATED:
            continue
        changes.append(
            ReferenceChange(
                segment.model_id,
                segment.model_name,
                segment.provider,
                segment.tier,
                segment.start,
                previous.input,
                previous.output,
                segment.input,
                segment.output,
                segment.sources,
                segment.source_urls,
                segment.start > today,
                segment.dating,
                segment.variant,
            )
        )
    changes.sort(key=_order)
    return changes


def new_model_prices(
    segments: Sequence[Segment], since: date, until: date | None, today: date
) -> list[PriceEvent]:
    """The first prices of every model whose first price ever starts in [since, until): its
    segments starting on its first day. ``segments`` must hold each model's whole timeline
    (a model with a segment before ``since``, or one with no start, had a price already)."""
    first: dict[str, date | None] = {}  # None: priced since ever
    for segment in segments:
        known = first.get(segment.model_id, date.max)
        if segment.start is None or known is None:
            first[segment.model_id] = None
        else:
            first[segment.model_id] = min(known, segment.start)
    events = [
        _event(NEW_MODEL, segment, segment.start, today)
        for segment in segments
        if segment.start is not None
        and first[segment.model_id] == segment.start
        and _in_window(segment.start, since, until)
    ]
    events.sort(key=_order)
    return events


def withdrawn_prices(
    segments: Sequence[Segment], since: date, until: date | None, today: date
) -> list[PriceEvent]:
    """Every segment ending in [since, until) with no segment of the same model, seller and
    tier starting that day: the seller's price of the model ended with none after it."""
    starting = {(*s.line, s.start) for s in segments}
    events = [
        _event(WITHDRAWN, segment, segment.end, today)
        for segment in segments
        if segment.end is not None
        and _in_window(segment.end, since, until)
        and (*segment.line, segment.end) not in starting
    ]
    events.sort(key=_order)
    return events


def _event(kind: str, segment: Segment, day: date, today: date) -> PriceEvent:
    return PriceEvent(
        kind,
        segment.model_id,
        segment.model_name,
        segment.provider,
        segment.tier,
        day,
        segment.input,
        segment.output,
        segment.sources,
        segment.source_urls,
        day > today,
        segment.dating,
        segment.variant,
    )


def models_first_priced_from(segments: Iterable[Segment], since: date) -> set[str]:
    """The models none of whose segments starts before ``since`` (nor has no start): those
    whose first price may be in a window from ``since``, to be checked on their whole timeline."""
    earlier = {s.model_id for s in segments if s.start is None or s.start < since}
    return {s.model_id for s in segments} - earlier
