"""The model answer: one reference price for a model, seller, tier and variant on a day, and why.

The store keeps evidence per offering and source; a writer asks about a model. Given every
stored price of one model that answers on one day (all offerings, all sources), this decides,
per seller (the provider that bills), tier and variant (a price point the seller sells beside
the plain one: GPT-4-32k, a regional Bedrock endpoint; domain/variants.py), which price to
cite, and gives every other row a verdict. Variants are judged apart: a different price
point is not a disagreement. The rules, strongest first (the README's "How the reference
price is chosen"):

1. Only unflagged rows with a price can be the reference (a flagged row is an outlier).
2. A row with a start date beats one without: an undated price is not the answer on a day
   that dated evidence for the same seller covers. A row whose source states only when the
   price ended (``effective_to``, a launch price before a change) beats one with no date.
3. Among dated rows, a date a source states (``curated``: the lab's own announcement, or
   ``declared``: a dataset that gives the dates) beats a date a scraper observed
   (``reconstructed``); observed dates say when a snapshot was taken, not when a price began.
4. Among rows of the same standing, the newest start day wins: a newer dated change beats an
   older snapshot.
5. On the same start day, curated (first-party fact) beats declared, then the price most
   sources give, then the source name (so the answer never depends on the row order).
6. Without dated rows, a row with a stated end, then a curated undated row, beats other
   undated rows; then most sources.

Every other row is ``agrees`` (the same price wherever both give it), ``stale`` (dated, a
different price, and older than the dated change the reference starts with), ``undated`` (no
start date and a different price) or ``outlier`` (any other difference, or a flagged row).

A model none of whose rows can be the reference (every one flagged as implausible, or without
a price) has no answer; :func:`unanswered` says so per seller and tier, so a view can show the
model with no reference and why rather than leave it out in silence.

A pure function of plain rows (:class:`Evidence`): the store reads them, a report converts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

REFERENCE, AGREES, STALE, OUTLIER, UNDATED = "reference", "agrees", "stale", "outlier", "undated"

# The standing of a row's dates, strongest first (rules 2, 3 and 6).
_STATED, _OBSERVED, _ENDED, _CURATED_UNDATED, _UNDATED = 0, 1, 2, 3, 4
_STATED_BASES = frozenset({"curated", "declared"})
# Where the dates come from, as the why-text says it.
_BASIS_WORDS = {"curated": "curated", "declared": "declared", "reconstructed": "observed"}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One stored price row that answers for the model on the day (the store's price row, plain)."""

    source: str
    provider: str
    tier: str
    offering_id: str
    input: Decimal | None
    output: Decimal | None
    basis: str
    effective_from: datetime | None
    effective_to: datetime | None = None
    lab: str | None = None
    platform: str | None = None
    flag: str | None = None
    source_url: str | None = None
    variant: str = ""  # the price point of the offering (domain/variants.py); "" the plain one

    @property
    def dated(self) -> bool:
        return self.effective_from is not None

    @property
    def ended(self) -> bool:
        """No start date, but the source states when the price ended."""
        return self.effective_from is None and self.effective_to is not None

    @property
    def price(self) -> tuple[Decimal | None, Decimal | None]:
        return (self.input, self.output)


@dataclass(frozen=True, slots=True)
class Judged:
    """A row of evidence with its verdict, and why where it is not the reference or agreeing."""

    evidence: Evidence
    verdict: str  # reference | agrees | stale | outlier | undated
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """The reference price of one model, seller, tier and variant on a day, with all the evidence judged."""

    provider: str
    tier: str
    reference: Evidence
    why: str
    evidence: tuple[Judged, ...]
    variant: str = ""

    @property
    def price(self) -> tuple[Decimal | None, Decimal | None]:
        return self.reference.price

    def with_verdict(self, verdict: str) -> list[Judged]:
        """The evidence rows with this verdict."""
        return [judged for judged in self.evidence if judged.verdict == verdict]


@dataclass(frozen=True, slots=True)
class NoAnswer:
    """A seller and tier of a model with no reference price, and why: its rows, all judged."""

    provider: str
    tier: str
    why: str
    evidence: tuple[Judged, ...]
    variant: str = ""  # judged per seller and tier: a model with no price has no price point either


def unanswered(rows: Iterable[Evidence]) -> list[NoAnswer]:
    """For a model with no answer at all (every row flagged, or without a price): one
    :class:`NoAnswer` per seller and tier, sorted as :func:`model_answers` sorts; for a model
    with an answer for any seller and tier, none (its other rows are evidence there)."""
    groups: dict[tuple[str, str], list[Evidence]] = {}
    for row in rows:
        groups.setdefault((row.provider, row.tier), []).append(row)
    if any(answer_for(provider, tier, members) for (provider, tier), members in groups.items()):
        return []
    result = [
        NoAnswer(provider, tier, _why_none(members), tuple(_judge_unusable(row) for row in members))
        for (provider, tier), members in groups.items()
    ]
    result.sort(key=lambda item: (item.provider.lower(), item.tier != "default", item.tier))
    return result


def _judge_unusable(row: Evidence) -> Judged:
    if row.flag is not None:
        return Judged(row, OUTLIER, f"flagged: {row.flag}")
    return Judged(row, OUTLIER, "no input or output price")


def _why_none(rows: Sequence[Evidence]) -> str:
    """``no reference: every price is flagged as implausible (2 unit-error)``."""
    flags = Counter(row.flag for row in rows if row.flag is not None)
    priceless = len(rows) - sum(flags.values())
    if not flags:
        return "no reference: no row has an input or output price"
    counted = ", ".join(f"{count} {flag}" for flag, count in sorted(flags.items()))
    if priceless:
        flagged = sum(flags.values())
        return f"no reference: {flagged} flagged as implausible ({counted}), {priceless} without a price"
    every = "every price is" if len(rows) > 1 else "its only price is"
    return f"no reference: {every} flagged as implausible ({counted})"


def model_answers(rows: Iterable[Evidence]) -> list[ModelAnswer]:
    """One answer per seller, tier and variant of the rows (all of one model, on one day),
    sorted by seller, tier (``default`` first) and variant (the plain one first); a group
    with no usable row has no answer."""
    groups: dict[tuple[str, str, str], list[Evidence]] = {}
    for row in rows:
        groups.setdefault((row.provider, row.tier, row.variant), []).append(row)
    answers = [
        answer
        for (provider, tier, variant), members in groups.items()
        if (answer := answer_for(provider, tier, members, variant)) is not None
    ]
    answers.sort(key=answer_order)
    return answers


def answer_order(answer: ModelAnswer) -> tuple[str, bool, str, bool, str]:
    """How answers of one model sort: by seller, tier (``default`` first), variant (plain first)."""
    return (
        answer.provider.lower(),
        answer.tier != "default",
        answer.tier,
        answer.variant != "",
        answer.variant,
    )


def answer_for(provider: str, tier: str, rows: Sequence[Evidence], variant: str = "") -> ModelAnswer | None:
    """The answer for one seller, tier and variant from its rows (None when no row can be the reference)."""
    usable = [row for row in rows if row.flag is None and (row.input is not None or row.output is not None)]
    if not usable:
        return None
    if len(usable) == 1:  # the common case (one source, one offering): no ranking to do
        reference = usable[0]
    else:
        votes = Counter(row.price for row in usable)
        reference = min(usable, key=lambda row: _rank(row, votes))
    judged = [_judge(row, reference) for row in rows]
    judged.sort(key=lambda item: (_ORDER[item.verdict], item.evidence.source, item.evidence.offering_id))
    return ModelAnswer(provider, tier, reference, _why(reference, judged), tuple(judged), variant)


def _standing(row: Evidence) -> int:
    if row.dated:
        return _STATED if row.basis in _STATED_BASES else _OBSERVED
    if row.ended:
        return _ENDED
    return _CURATED_UNDATED if row.basis == "curated" else _UNDATED


def _rank(row: Evidence, votes: Counter[tuple[Decimal | None, Decimal | None]]) -> tuple:
    """Sort key: the smallest is the reference (rules 2 to 6 of the module docstring)."""
    start = row.effective_from.toordinal() if row.effective_from is not None else 0
    return (
        _standing(row),
        -start,  # the newest start day first
        row.basis != "curated",
        -votes[row.price],
        row.source,
        row.offering_id,
    )


def _same(a: tuple[Decimal | None, Decimal | None], b: tuple[Decimal | None, Decimal | None]) -> bool:
    """Equal wherever both give the price."""
    return all(x == y for x, y in zip(a, b, strict=True) if x is not None and y is not None)


def _judge(row: Evidence, reference: Evidence) -> Judged:
    if row is reference:
        return Judged(row, REFERENCE)
    if row.flag is not None:
        return Judged(row, OUTLIER, f"flagged: {row.flag}")
    if _same(row.price, reference.price):
        return Judged(row, AGREES)
    shown = _shown(reference.price)
    if not row.dated:
        return Judged(row, UNDATED, f"no start date; the reference {shown} is {_dating(reference)}")
    if reference.dated and _day(row.effective_from) < _day(reference.effective_from):
        return Judged(
            row, STALE, f"older than the change to {shown} on {_day(reference.effective_from).isoformat()}"
        )
    return Judged(row, OUTLIER, f"differs from the reference {shown} ({reference.source})")


def _day(moment: datetime | None) -> date:
    assert moment is not None  # only called for dated rows
    return moment.date()


def dating(row: Evidence) -> str:
    """How a row's start is known: ``curated``, ``declared``, ``observed`` or ``undated``."""
    return _BASIS_WORDS.get(row.basis, row.basis) if row.dated else "undated"


def _dating(row: Evidence) -> str:
    if row.effective_from is None:
        return _date_word(row) if row.ended else "undated too"
    return f"{_BASIS_WORDS.get(row.basis, row.basis)} from {row.effective_from.date().isoformat()}"


def _date_word(row: Evidence) -> str:
    """How a row dates its price, as the why says it: ``declared``, ``observed``, ``undated``,
    or ``declared until 2026-07-30`` for a row whose source states only the end."""
    if row.dated:
        return _BASIS_WORDS.get(row.basis, row.basis)
    if row.effective_to is not None:
        return f"{_BASIS_WORDS.get(row.basis, row.basis)} until {row.effective_to.date().isoformat()}"
    return "undated"


def _shown(price: tuple[Decimal | None, Decimal | None]) -> str:
    return "/".join("?" if part is None else format(part.normalize(), "f") for part in price)


_ORDER = {REFERENCE: 0, AGREES: 1, STALE: 2, UNDATED: 3, OUTLIER: 4}


def _why(reference: Evidence, judged: Sequence[Judged]) -> str:
    """``first-party, declared by 2 sources; 1 stale``: who sells it, how the agreeing sources
    date the price, and how many rows disagree and why."""
    party = "first-party" if reference.lab and reference.lab == reference.provider else "resold"
    agreeing = [item.evidence for item in judged if item.verdict in (REFERENCE, AGREES)]
    by_basis: dict[str, set[str]] = {}
    for row in agreeing:
        by_basis.setdefault(_date_word(row), set()).add(row.source)
    first = _date_word(reference)
    words = [first, *sorted(word for word in by_basis if word != first)]
    parts = []
    for word in words:
        count = len(by_basis[word])
        parts.append(f"{word} by {count} source{'s' if count != 1 else ''}")
    against: dict[str, int] = {}
    for item in judged:
        if item.verdict not in (REFERENCE, AGREES):
            against[item.verdict] = against.get(item.verdict, 0) + 1
    tail = [f"{against[verdict]} {verdict}" for verdict in (STALE, UNDATED, OUTLIER) if verdict in against]
    return "; ".join([f"{party}, {', '.join(parts)}", *tail])
