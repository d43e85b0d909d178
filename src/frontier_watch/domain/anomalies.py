"""Suspect prices: found, named and kept, never silently used.

Three faults recur in price histories, above all in reconstructed ones:

* **swapped**: input and output exchanged (LiteLLM's Command R7B at 0.15/0.0375 before it
  was corrected to 0.0375/0.15): input dearer than output, and the same two numbers the
  other way round in a neighbouring state or another source.
* **unit-error**: a per-1K or per-token value in a per-million field, or a slipped decimal
  point: a price 10x-1000x off the lab's own price for the model, or a short-lived state
  10x off the states around it (OCI's grok-3 output at 0.15 against xAI's 15; qwen-vl-plus
  at 210/630 for five hours). Between 10x and 1000x the ratio must be close to a power of
  ten, so a real routing change (0.02 -> 0.34) is not taken for one; 1000x or more always is.
* **zero**: $0 where the seller charges: a placeholder or a passing promotion (free
  variants such as OpenRouter's ``:free`` are a real free tier and are not flagged).

Pure functions: the store hands over a model's intervals from every source, and stores
the flags it gets back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from frontier_watch.domain.vocabulary import PriceFlag

# A state this much cheaper or dearer than its references is off by a unit.
UNIT_ERROR_RATIO = 10
# ...and from here on whatever the ratio looks like.
ALWAYS_UNIT_ERROR_RATIO = 1000
# How close (in log10) a ratio must be to a power of ten to read as a slipped decimal point.
DECIMAL_SLIP = 0.06
# References that disagree more than this among themselves settle nothing.
REFERENCES_AGREE = 3


class PricePoint(NamedTuple):
    """One stored interval, as the detector needs it (a tuple: a review builds thousands)."""

    interval_id: int
    offering_pk: int
    offering_id: str
    offering_name: str
    source: str
    provider: str
    lab: str | None  # the model's lab: a seller of that name sells first-party
    basis: str
    tier: str
    input: Decimal | None
    output: Decimal | None
    effective_from: datetime | None
    effective_to: datetime | None

    @property
    def first_party(self) -> bool:
        return self.basis == "curated" or (self.lab is not None and self.provider == self.lab)

    def overlaps(self, other: PricePoint) -> bool:
        return (
            self.effective_to is None
            or other.effective_from is None
            or other.effective_from < self.effective_to
        ) and (
            other.effective_to is None
            or self.effective_from is None
            or self.effective_from < other.effective_to
        )

    def duration(self) -> float:
        if self.effective_to is None or self.effective_from is None:
            return math.inf
        return (self.effective_to - self.effective_from).total_seconds()


@dataclass(frozen=True, slots=True)
class Finding:
    flag: PriceFlag
    reason: str


def detect(points: Sequence[PricePoint]) -> dict[int, Finding]:
    """interval id -> finding, for the suspect intervals among one model's prices."""
    findings: dict[int, Finding] = {}
    by_offering: dict[tuple[int, str], list[PricePoint]] = {}
    for point in points:
        by_offering.setdefault((point.offering_pk, point.tier), []).append(point)
    for states in by_offering.values():
        states.sort(key=lambda point: point.effective_from or datetime.min)
    first_party_by_tier: dict[str, list[PricePoint]] = {}
    for point in points:
        if point.first_party:
            first_party_by_tier.setdefault(point.tier, []).append(point)
    for (_, tier), states in by_offering.items():
        first_party = first_party_by_tier.get(tier, [])
        for index, point in enumerate(states):
            neighbours = [states[i] for i in (index - 1, index + 1) if 0 <= i < len(states)]
            refs = [
                ref for ref in first_party if ref.offering_pk != point.offering_pk and ref.overlaps(point)
            ]
            finding = (
                _zero(point, neighbours + refs)
                or _swapped(point, neighbours + refs)
                or _unit_error(point, neighbours, refs)
            )
            if finding is not None:
                findings[point.interval_id] = finding
    return findings


def is_free_variant(offering_id: str, name: str) -> bool:
    """An offering the seller gives away on purpose: ``model:free``, "Model (free)"."""
    return offering_id.lower().endswith(":free") or "(free)" in name.lower()


def _zero(point: PricePoint, refs: Iterable[PricePoint]) -> Finding | None:
    zero_in, zero_out = point.input == 0, point.output == 0
    if not (zero_in or zero_out):
        return None
    if (zero_in or point.input is None) and (zero_out or point.output is None):
        if is_free_variant(point.offering_id, point.offering_name):
            return None
        return Finding(
            PriceFlag.ZERO,
            "$0 input and output where the seller charges: a placeholder or a passing promotion",
        )
    # One side $0: suspect only where the same price is charged elsewhere (embeddings have no output).
    field = "input" if zero_in else "output"
    charged = [getattr(ref, field) for ref in refs if getattr(ref, field)]
    if charged:
        return Finding(
            PriceFlag.ZERO, f"$0 {field} where neighbouring or first-party prices charge {_usd(charged[0])}"
        )
    return None


def _swapped(point: PricePoint, refs: Iterable[PricePoint]) -> Finding | None:
    if not (point.input and point.output and point.input > point.output):
        return None
    for ref in refs:
        if ref.input and ref.output and _close(ref.input, point.output) and _close(ref.output, point.input):
            return Finding(
                PriceFlag.SWAPPED,
                f"input {_usd(point.input)} and output {_usd(point.output)} are the other way round "
                f"in {_where(ref, point)} ({_usd(ref.input)}/{_usd(ref.output)})",
            )
    return None


def _unit_error(
    point: PricePoint, neighbours: Sequence[PricePoint], refs: Sequence[PricePoint]
) -> Finding | None:
    for field in ("input", "output"):
        value = getattr(point, field)
        if not value:
            continue
        known = [getattr(ref, field) for ref in refs if getattr(ref, field)]
        if known and _agree(known):
            ratio = _ratio(value, known[0])
            if all(_off(value, other) for other in known) and _unit_like(ratio):
                return Finding(
                    PriceFlag.UNIT_ERROR,
                    f"{field} {_usd(value)} is {_times(value, known[0])} the first-party {_usd(known[0])}",
                )
            continue
        around = [(ref, getattr(ref, field)) for ref in neighbours if getattr(ref, field)]
        if len(around) == 2 and _agree([around[0][1], around[1][1]]):
            if all(_off(value, other) for _, other in around):
                return Finding(
                    PriceFlag.UNIT_ERROR,
                    f"{field} {_usd(value)} is {_times(value, around[0][1])} the states before and after "
                    f"({_usd(around[0][1])}, {_usd(around[1][1])})",
                )
        elif len(around) >= 1:
            for ref, other in around:
                if (
                    _off(value, other)
                    and _unit_like(_ratio(value, other))
                    and point.duration() < ref.duration()
                ):
                    return Finding(
                        PriceFlag.UNIT_ERROR,
                        f"{field} {_usd(value)} is {_times(value, other)} the {_usd(other)} of the "
                        f"longer-lived state {'before' if _before(ref, point) else 'after'} it",
                    )
    return None


def _ratio(a: Decimal, b: Decimal) -> float:
    return float(max(a, b) / min(a, b))


def _off(a: Decimal, b: Decimal) -> bool:
    return _ratio(a, b) >= UNIT_ERROR_RATIO


def _unit_like(ratio: float) -> bool:
    if ratio >= ALWAYS_UNIT_ERROR_RATIO:
        return True
    exponent = math.log10(ratio)
    return ratio >= UNIT_ERROR_RATIO and abs(exponent - round(exponent)) <= DECIMAL_SLIP


def _agree(values: Sequence[Decimal]) -> bool:
    return _ratio(max(values), min(values)) <= REFERENCES_AGREE


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(a, b) * Decimal("0.01")


def _times(value: Decimal, other: Decimal) -> str:
    ratio = _ratio(value, other)
    return f"{ratio:,.0f}x {'above' if value > other else 'below'}"


def _usd(value: Decimal) -> str:
    return f"${format(value.normalize(), 'f')}"


def _before(ref: PricePoint, point: PricePoint) -> bool:
    return (ref.effective_from or datetime.min) < (point.effective_from or datetime.min)


def _where(ref: PricePoint, point: PricePoint) -> str:
    if ref.offering_pk == point.offering_pk:
        return f"the state {'before' if _before(ref, point) else 'after'} it"
    return f"{ref.source}'s {ref.offering_id}"
