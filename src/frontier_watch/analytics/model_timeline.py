"""The model timeline: the reference price's segments per seller, tier and variant, day by day.

Given every stored price of a model placed on the days it answers for (all offerings, all
sources), the model answer (model_answer.py) is evaluated on each day where any of them starts
or ends: between two such change points the evidence in force does not change, so neither
does the answer. Consecutive segments with the same reference price are merged, their
sources joined. A pure function of plain rows: the store reads them, a report converts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from frontier_watch.analytics.model_answer import AGREES, REFERENCE, Evidence, ModelAnswer, model_answers


@dataclass(frozen=True, slots=True)
class Placed:
    """One row of evidence for a model and the days it answers for: [start, end) (None: open)."""

    model_id: str
    model_name: str
    evidence: Evidence
    start: date | None
    end: date | None

    def covers(self, day: date | None) -> bool:
        """In force on ``day`` (None: since ever, before every dated row)."""
        if day is None:
            return self.start is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Segment:
    """The reference price of a model, seller, tier and variant over [start, end) (None: since
    ever / open)."""

    model_id: str
    model_name: str
    provider: str
    tier: str
    start: date | None
    end: date | None
    input: Decimal | None
    output: Decimal | None
    sources: tuple[str, ...]  # the sources whose rows give the reference price, by name
    why: str  # the model answer's why on the segment's last change point (the most evidence)
    variant: str = ""  # the price point (domain/variants.py); "" the plain one

    @property
    def price(self) -> tuple[Decimal | None, Decimal | None]:
        return (self.input, self.output)

    @property
    def line(self) -> tuple[str, str, str, str]:
        """The model, seller, tier and variant whose price this is a segment of."""
        return (self.model_id, self.provider, self.tier, self.variant)


def change_points(rows: Iterable[Placed]) -> list[date | None]:
    """Every day a row starts or ends, oldest first (None first when a row has no start)."""
    days: set[date] = set()
    since_ever = False
    for row in rows:
        if row.start is None:
            since_ever = True
        else:
            days.add(row.start)
        if row.end is not None:
            days.add(row.end)
    points: list[date | None] = [None] if since_ever else []
    points.extend(sorted(days))
    return points


def model_timeline(rows: Sequence[Placed]) -> list[Segment]:
    """The reference price's segments of each model, seller, tier and variant in ``rows``,
    sorted by model, seller, tier (``default`` first), variant (the plain one first) and start;
    a day where a seller, tier and variant has no usable row leaves a gap."""
    by_model: dict[str, list[Placed]] = {}
    for row in rows:
        by_model.setdefault(row.model_id, []).append(row)
    segments: list[Segment] = []
    for members in by_model.values():
        segments.extend(_one_model(members))
    segments.sort(
        key=lambda s: (
            s.model_name.lower(),
            s.model_id,
            s.provider.lower(),
            s.tier != "default",
            s.tier,
            s.variant != "",
            s.variant,
            s.start is not None,
            s.start or date.min,
        )
    )
    return segments


def _one_model(rows: Sequence[Placed]) -> list[Segment]:
    points = change_points(rows)
    model_id, model_name = rows[0].model_id, rows[0].model_name
    open_segments: dict[tuple[str, str, str], Segment] = {}
    done: list[Segment] = []
    for index, day in enumerate(points):
        following = points[index + 1] if index + 1 < len(points) else None
        answers = model_answers(row.evidence for row in rows if row.covers(day))
        seen: set[tuple[str, str, str]] = set()
        for answer in answers:
            key = _key(answer)
            seen.add(key)
            sources = tuple(
                sorted(
                    {item.evidence.source for item in answer.evidence if item.verdict in (REFERENCE, AGREES)}
                )
            )
            current = open_segments.get(key)
            if current is not None and current.price == answer.price:
                joined = tuple(sorted({*current.sources, *sources}))
                open_segments[key] = _with(current, end=following, sources=joined, why=answer.why)
                continue
            if current is not None:
                done.append(current)
            open_segments[key] = Segment(
                model_id,
                model_name,
                answer.provider,
                answer.tier,
                day,
                following,
                answer.reference.input,
                answer.reference.output,
                sources,
                answer.why,
                answer.variant,
            )
        for key in [key for key in open_segments if key not in seen]:
            done.append(open_segments.pop(key))  # no answer on this day: the segment ended
    done.extend(open_segments.values())
    return done


def _key(answer: ModelAnswer) -> tuple[str, str, str]:
    return (answer.provider, answer.tier, answer.variant)


def _with(segment: Segment, *, end: date | None, sources: tuple[str, ...], why: str) -> Segment:
    return Segment(
        segment.model_id,
        segment.model_name,
        segment.provider,
        segment.tier,
        segment.start,
        end,
        segment.input,
        segment.output,
        sources,
        why,
        segment.variant,
    )


@dataclass(frozen=True, slots=True)
class ReferenceChange:
    """A change of the reference price of a model, seller, tier and variant (issue 20's price change)."""

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
    scheduled: bool  # declared for a day after today
    variant: str = ""  # the price point that changed; "" the plain one


def reference_changes(
    segments: Sequence[Segment], since: date, until: date, today: date
) -> list[ReferenceChange]:
    """Every segment starting in [since, until) right after a segment of another price of the
    same model, seller, tier and variant (a first price or one after a gap is not a change); a
    change after ``today`` is ``scheduled``. Oldest first, then by model and seller."""
    changes = []
    previous: Segment | None = None
    for segment in segments:  # model_timeline's order: by model, seller, tier, variant, then start
        same_line = previous is not None and previous.line == segment.line
        if (
            same_line
            and previous is not None
            and previous.end == segment.start
            and previous.price != segment.price
            and segment.start is not None
            and since <= segment.start < until
        ):
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
                    segment.start > today,
                    segment.variant,
                )
            )
        previous = segment
    changes.sort(
        key=lambda change: (
            change.date,
            change.model_name.lower(),
            change.provider.lower(),
            change.tier,
            change.variant,
        )
    )
    return changes
