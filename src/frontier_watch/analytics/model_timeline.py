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

from frontier_watch.analytics.model_answer import AGREES, REFERENCE, Evidence, answer_for, dating


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
    source_urls: tuple[str, ...] = ()  # where those rows were read, where the store has it
    dating: str = "undated"  # how the reference's start is known on the segment's first day
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
    """One model's segments: the rows swept day by day, each seller, tier and variant judged again only
    on a day where one of its rows starts or ends (on other days its answer cannot change)."""
    model_id, model_name = rows[0].model_id, rows[0].model_name
    starting: dict[date | None, list[Placed]] = {}
    ending: dict[date, list[Placed]] = {}
    for row in rows:
        if row.start is not None and row.end is not None and row.end <= row.start:
            continue  # answers for no day
        starting.setdefault(row.start, []).append(row)
        if row.end is not None:
            ending.setdefault(row.end, []).append(row)
    in_force: dict[tuple[str, str, str], list[Placed]] = {}
    open_segments: dict[tuple[str, str, str], Segment] = {}
    done: list[Segment] = []
    for day in change_points(rows):
        changed: set[tuple[str, str, str]] = set()
        for row in ending.get(day, ()) if day is not None else ():
            key = (row.evidence.provider, row.evidence.tier, row.evidence.variant)
            in_force[key].remove(row)
            changed.add(key)
        for row in starting.get(day, ()):
            key = (row.evidence.provider, row.evidence.tier, row.evidence.variant)
            in_force.setdefault(key, []).append(row)
            changed.add(key)
        for key in sorted(changed):
            answer = answer_for(key[0], key[1], [row.evidence for row in in_force[key]], key[2])
            current = open_segments.pop(key, None)
            if answer is None:  # no usable row on this day: the segment ends
                if current is not None:
                    done.append(_with(current, end=day))
                continue
            backing = [item.evidence for item in answer.evidence if item.verdict in (REFERENCE, AGREES)]
            sources = tuple(sorted({row.source for row in backing}))
            urls = tuple(sorted({row.source_url for row in backing if row.source_url}))
            if current is not None and current.price == answer.price:
                if (sources, urls, answer.why) != (current.sources, current.source_urls, current.why):
                    current = _with(
                        current,
                        sources=tuple(sorted({*current.sources, *sources})),
                        urls=tuple(sorted({*current.source_urls, *urls})),
                        why=answer.why,
                    )
                open_segments[key] = current
                continue
            if current is not None:
                done.append(_with(current, end=day))
            open_segments[key] = Segment(
                model_id,
                model_name,
                answer.provider,
                answer.tier,
                day,
                None,
                answer.reference.input,
                answer.reference.output,
                sources,
                answer.why,
                urls,
                dating(answer.reference),
                answer.variant,
            )
    done.extend(open_segments.values())  # still in force after the last change point
    return done


def _with(
    segment: Segment,
    *,
    end: date | None = None,
    sources: tuple[str, ...] | None = None,
    urls: tuple[str, ...] | None = None,
    why: str | None = None,
) -> Segment:
    """The segment with a new end, sources, URLs or why (the others kept)."""
    return Segment(
        segment.model_id,
        segment.model_name,
        segment.provider,
        segment.tier,
        segment.start,
        end if end is not None else segment.end,
        segment.input,
        segment.output,
        sources if sources is not None else segment.sources,
        why if why is not None else segment.why,
        urls if urls is not None else segment.source_urls,
        segment.dating,
        segment.variant,
    )
