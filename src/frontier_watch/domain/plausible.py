"""What a value from outside may be: the one place that bounds dates, numbers and text.

Sources, imported files and people hand the store dates and numbers. A year-1 date or a
count of 1e308 GPUs parses well enough and then breaks whatever reads it (a time nothing
can parse back, a fit that overflows, an integer SQLite cannot hold). Every item is held
here to the range its kind of value can take before anything is stored: a fetch skips an
item out of range with the reason (:func:`vet_batch`, the run's note), an imported or
curated file refuses the row by its file and line, and ``signals add`` names the option.

The bounds are generous (the largest cluster known is a few hundred thousand H100
equivalents; the bound is a billion): they catch data errors and hostile input, not
surprising news. Each is stated once, below.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from frontier_watch.domain.batch import (
    PARTS,
    Batch,
    BenchmarkFact,
    FeedEntry,
    ModelDateFact,
    PricedOffering,
    PriceSegment,
    ReleaseFact,
    RepoStat,
    SignalFact,
    TrendClaimFact,
)

# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class Period:
    """The days a kind of date may fall on: from ``earliest`` to ``years_ahead`` years past today."""

    what: str  # what the date is, in the reason: "price date"
    earliest: date
    years_ahead: int

    def latest(self, today: date) -> date:
        return today + timedelta(days=round(self.years_ahead * 365.25))

    def problem(self, value: date, today: date) -> str | None:
        """Why ``value`` (a date or a datetime) is outside the period, or None."""
        day = value.date() if isinstance(value, datetime) else value
        if day < self.earliest:
            return (
                f"{day.isoformat()} is before {self.earliest.isoformat()}, the earliest {self.what} tracked"
            )
        if day <= today:  # the common case: no need to work out how far ahead is too far
            return None
        latest = self.latest(today)
        if day > latest:
            return (
                f"{day.isoformat()} is more than {self.years_ahead} years ahead (after {latest.isoformat()})"
            )
        return None


# Prices: the first API price lists; a declared change is announced at most months ahead.
PRICE_DATES = Period("price date", date(2015, 1, 1), 2)
# Model releases and what is dated by them (a repository's creation, a model's life).
RELEASE_DATES = Period("release date", date(2015, 1, 1), 2)
# Infrastructure signals: chips and supercomputers reach back further, and sites and
# clusters are planned years ahead (Epoch dates its projections to when they will run).
SIGNAL_DATES = Period("signal date", date(2000, 1, 1), 10)
# Announcements in feeds, and the published trend claims they are set beside.
PUBLISHED_DATES = Period("publication date", date(2000, 1, 1), 2)
# Any other date an item carries (a kind of item added later, a plugin's own).
OTHER_DATES = Period("date", date(1990, 1, 1), 10)

_DATE_FIELDS: dict[tuple[type, str], Period] = {
    (PriceSegment, "effective_from"): PRICE_DATES,
    (PriceSegment, "effective_to"): PRICE_DATES,
    (PricedOffering, "listed_at"): PRICE_DATES,
    (PricedOffering, "deprecation_date"): PRICE_DATES,
    (ReleaseFact, "date"): RELEASE_DATES,
    (ReleaseFact, "created_at"): RELEASE_DATES,
    (ReleaseFact, "last_modified_at"): RELEASE_DATES,
    (BenchmarkFact, "release_date"): RELEASE_DATES,
    (ModelDateFact, "date"): RELEASE_DATES,
    (SignalFact, "date"): SIGNAL_DATES,
    (FeedEntry, "published_at"): PUBLISHED_DATES,
    (TrendClaimFact, "date"): PUBLISHED_DATES,
}


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: each bound is one constant
class Bound:
    """The range a number may take; ``what`` names the quantity in the reason."""

    what: str  # "count of accelerators"
    high: float
    low: float = 0.0

    def __post_init__(self) -> None:
        # Prices are Decimals: compared with Decimal bounds, they need no float conversion.
        object.__setattr__(self, "_decimal_range", (Decimal(repr(self.low)), Decimal(repr(self.high))))

    def holds_decimal(self, value: Decimal) -> bool:
        """Whether a finite Decimal is within the bound (the fast path for prices)."""
        low, high = self._decimal_range  # type: ignore[attr-defined]
        return value.is_finite() and low <= value <= high

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not a number in range, or None."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return f"{_shown(value)} is not a number"
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            return f"{_shown(value)} is more than {self.high:g}, the largest plausible {self.what}"
        except ValueError:  # a signalling NaN
            return f"{_shown(value)} is not a finite number"
        if not math.isfinite(number):
            return f"{_shown(value)} is not a finite number"
        if number > self.high:
            return f"{_shown(value)} is more than {self.high:g}, the largest plausible {self.what}"
        if number < self.low:
            if self.low == 0:
                return f"{_shown(value)} is negative, and a {self.what} cannot be"
            return f"{_shown(value)} is less than {self.low:g}, the smallest plausible {self.what}"
        return None


# Prices, USD per million tokens: the dearest real text models are in the hundreds.
MAX_USD_PER_MTOK = Decimal(10_000)
# Per-request fees, USD.
MAX_USD_PER_REQUEST = Decimal(1_000)

PRICE = Bound("price in USD per million tokens", float(MAX_USD_PER_MTOK))
REQUEST_FEE = Bound("fee in USD per request", float(MAX_USD_PER_REQUEST))
DOWNLOADS = Bound("download count", 1e12)  # the most downloaded repositories: ~1e8 a month
LIKES = Bound("like count", 1e9)  # the most liked: ~1e4
PARAMETERS = Bound("parameter count", 1e15)  # the largest models: ~2e12
PARAMETERS_B = Bound("parameter count in billions", 1e6)
CONTEXT_TOKENS = Bound("context length in tokens", 1e10)  # the longest: ~1e7
TRAINING_TOKENS_T = Bound("training set in trillions of tokens", 1e6)  # the largest: ~1e2
TRAINING_COMPUTE = Bound("training compute in FLOP", 1e32)  # the largest runs: ~5e26
BENCHMARK_SCORE = Bound("benchmark score", 1e6, low=-1e6)  # percentages, Elo ratings
CLAIMED_RATE = Bound("published rate", 1e12, low=-1e12)
ANY_NUMBER = Bound("number", 1e21, low=-1e21)  # a field no bound below names

_NUMBER_FIELDS: dict[tuple[type, str], Bound] = {
    **{(PriceSegment, name): PRICE for name in ("input", "output", "cache_read", "cache_write", "reasoning")},
    (PriceSegment, "request"): REQUEST_FEE,
    (RepoStat, "downloads"): DOWNLOADS,
    (RepoStat, "likes"): LIKES,
    (ReleaseFact, "params"): PARAMETERS,
    (ReleaseFact, "total_params_b"): PARAMETERS_B,
    (ReleaseFact, "active_params_b"): PARAMETERS_B,
    (ReleaseFact, "context_tokens"): CONTEXT_TOKENS,
    (ReleaseFact, "training_tokens_t"): TRAINING_TOKENS_T,
    (ReleaseFact, "training_compute_flop"): TRAINING_COMPUTE,
    (BenchmarkFact, "score"): BENCHMARK_SCORE,
    (TrendClaimFact, "value"): CLAIMED_RATE,
    (TrendClaimFact, "value_high"): CLAIMED_RATE,
}


@dataclass(frozen=True)
class Quantity:
    """What a signal measures, told by its unit (or metric): the bound in its base unit.

    ``unit`` finds the quantity in the text and may capture a ``prefix`` (k, M, G, T, exa...)
    that scales the base unit; a scale word anywhere ("billion USD") scales it too.
    """

    name: str  # "count of accelerators"
    unit: re.Pattern[str]
    limit: float  # in the base unit
    signed: bool = False

    def bound(self, text: str) -> Bound | None:
        """The bound in the unit ``text`` is written in, or None when ``text`` is not this quantity."""
        match = self.unit.search(text)
        if match is None:
            return None
        scale = _SI.get((match.groupdict().get("prefix") or "").lower(), 1.0)
        for word, factor in _SCALE_WORDS.items():
            if re.search(rf"\b{word}\b", text):
                scale *= factor
        high = self.limit / scale
        return Bound(self.name, high, -high if self.signed else 0.0)


_SI = {
    "": 1.0,
    "k": 1e3,
    "kilo": 1e3,
    "m": 1e6,
    "mega": 1e6,
    "g": 1e9,
    "giga": 1e9,
    "t": 1e12,
    "tera": 1e12,
    "p": 1e15,
    "peta": 1e15,
    "e": 1e18,
    "exa": 1e18,
    "z": 1e21,
    "zetta": 1e21,
}
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_PREFIX = r"(?P<prefix>kilo|mega|giga|tera|peta|exa|zetta|k|m|g|t|p|e|z)?"

# First match wins: money before anything ("USD per GPU"), accelerators before memory
# (a chip named "H100 80GB" is a count of chips).
QUANTITIES = (
    # A quadrillion dollars: ten times the world's yearly output.
    Quantity(
        "amount of money", re.compile(r"\$|\b(usd|dollars?|cny|rmb|yuan|eur|euros?|gbp|jpy|yen)\b"), 1e15
    ),
    # Ten terawatts: more than every power plant on Earth.
    Quantity("power in watts", re.compile(rf"\b{_PREFIX}w\b"), 1e13),
    # FLOP/s: the largest clusters reach ~1e21.
    Quantity("compute rate", re.compile(rf"\b{_PREFIX}(?:flops?\s*/\s*s|ops?\s*/\s*s|flops)\b"), 1e27),
    # FLOP: the largest training runs use ~5e26.
    Quantity("amount of compute", re.compile(rf"\b{_PREFIX}flop\b|\boperations\b"), 1e32),
    # GPUs, TPUs, H100 equivalents: the largest sites hold ~1e6.
    Quantity(
        "count of accelerators",
        re.compile(r"gpu|tpu|npu|chip|accelerator|h100|equivalent|trainium|xpu"),
        1e9,
    ),
    # Bytes (memory, bandwidth per second): an exabyte.
    Quantity("amount of data in bytes", re.compile(rf"\b{_PREFIX}(?:b|bytes?)\b"), 1e18),
    Quantity("percentage", re.compile(r"percent|%"), 1e4, signed=True),
    Quantity("span of time", re.compile(r"\b(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b"), 1e6),
)


def signal_value_bound(metric: str | None, unit: str | None) -> Bound:
    """The bound on a signal's value, told by its unit (then its metric)."""
    for text in ((unit or "").lower(), (metric or "").lower()):
        if not text:
            continue
        for quantity in QUANTITIES:
            bound = quantity.bound(text)
            if bound is not None:
                return bound
    return ANY_NUMBER


def signal_value_problem(value: Any, metric: str | None, unit: str | None) -> str | None:
    """Why a signal's value cannot be its metric in its unit, or None."""
    return signal_value_bound(metric, unit).problem(value)


# ---------------------------------------------------------------- text

_INT64 = 2**63 - 1


def text_problem(text: str) -> str | None:
    """Why text cannot be stored (every database must hold it as UTF-8), or None."""
    if text.isascii():
        if "\x00" in text:
            return "holds a NUL character"
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (a lone surrogate)"
    if "\x00" in text:
        return "holds a NUL character"
    return None


def printable_label(text: object) -> str:
    """Text for a run's note: whatever the source sent, as text the database can hold."""
    shown = str(text)
    if text_problem(shown) is None:
        return shown
    return shown.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


# ---------------------------------------------------------------- items


def item_problem(item: Any, today: date) -> str | None:
    """Why an item of a batch (or one of its parts) cannot be stored, or None.

    Every field is checked by its type: text must be storable, a date must fall in its
    period, a number in its bound (a signal's by its unit), an integer in 64 bits.
    """
    checks, values_of = _field_checks(type(item))
    for index, value in enumerate(values_of(item)):
        if value is None:  # most fields of most items: nothing to look up
            continue
        problem = _value_problem(item, value, *checks[index][1:], today)
        if problem is not None:
            return f"{checks[index][0]}: {problem}"
    return None


def _value_problem(item: Any, value: Any, period: Period, bound: Bound | None, today: date) -> str | None:
    # The common cases first: a sheet has thousands of items.
    if isinstance(value, str):
        return text_problem(value)
    if type(value) is Decimal and bound is not None:
        return None if bound.holds_decimal(value) else bound.problem(value)
    if isinstance(value, date):  # a datetime is a date too
        return period.problem(value, today)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        problem = _signal_value_problem(item, value) if bound is None else bound.problem(value)
        if problem is None and isinstance(value, int) and abs(value) > _INT64:
            return f"{_shown(value)} does not fit in 64 bits"
        return problem
    if isinstance(value, tuple | list):
        for index, inner in enumerate(value):
            if inner is None:
                continue
            if hasattr(inner, "__dataclass_fields__"):  # a segment, a lineage
                problem = item_problem(inner, today)
            else:
                problem = _value_problem(item, inner, period, bound, today)
            if problem is not None:
                return f"[{index}] {problem}"
        return None
    if is_dataclass(value):
        return item_problem(value, today)
    return None


def _signal_value_problem(signal: Any, value: Any) -> str | None:
    problem = signal_value_problem(value, signal.metric, signal.unit)
    return f"{problem} ({_describe_unit(signal)})" if problem else None


def _describe_unit(signal: SignalFact) -> str:
    return f"{signal.metric or 'value'} in {signal.unit}" if signal.unit else signal.metric or "value"


_Checks = tuple[tuple[tuple[str, Period, Bound | None], ...], Callable[[Any], tuple[Any, ...]]]
_FIELD_CHECKS: dict[type, _Checks] = {}


def _field_checks(kind: type) -> _Checks:
    """(name, the period of a date there, the bound of a number there) per field of a
    dataclass, and a function that reads every field at once (a sheet has thousands of items).

    A signal's value has no fixed bound (None): its unit tells it.
    """
    found = _FIELD_CHECKS.get(kind)
    if found is None:
        names = [item.name for item in fields(kind)] if is_dataclass(kind) else []
        checks = tuple(
            (
                name,
                _DATE_FIELDS.get((kind, name), OTHER_DATES),
                None
                if kind is SignalFact and name in ("value", "value_high")
                else _NUMBER_FIELDS.get((kind, name), ANY_NUMBER),
            )
            for name in names
        )
        getter = operator.attrgetter(*names) if names else (lambda item: ())
        found = checks, (getter if len(names) != 1 else lambda item: (getter(item),))
        _FIELD_CHECKS[kind] = found
    return found


def vet_batch(batch: Batch, today: date) -> None:
    """Move every item that cannot be stored from its part to ``batch.skipped``, with the reason.

    A repository's statistics go with its release: a release refused takes its statistics
    with it (a statistic refused leaves the release). Labels and notes the source wrote are
    made storable too, so a hostile id cannot fail the run's own note.
    """
    refused_repos: set[str] = set()
    for part in PARTS:
        items = getattr(batch, part)
        kept = []
        for item in items:
            problem = item_problem(item, today)
            if problem is None and isinstance(item, RepoStat) and item.repo_id in refused_repos:
                continue  # its release was refused, with the reason, just before
            if problem is None:
                kept.append(item)
                continue
            if isinstance(item, ReleaseFact) and item.hf_repo_id:
                refused_repos.add(item.hf_repo_id)
            batch.skipped.append((printable_label(_label(item)), printable_label(problem)))
        if len(kept) != len(items):
            setattr(batch, part, kept)
    batch.skipped = [(printable_label(label), printable_label(reason)) for label, reason in batch.skipped]
    batch.notes = [printable_label(note) for note in batch.notes]


def _label(item: Any) -> str:
    identity = item.identity() if hasattr(item, "identity") else repr(item)
    return identity[1] if isinstance(identity, tuple) else str(identity)


def _shown(value: Any) -> str:
    if isinstance(value, float | Decimal):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return f"{float(value):g}" if abs(value) < 10**308 else f"an integer of {len(str(abs(value)))} digits"
    return repr(value)
