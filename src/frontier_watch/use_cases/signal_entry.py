"""A signal a person enters (``signals add``, ``signals review``): checked before anything is stored.

Every signal carries its date, who it is about, what was measured, the number and its unit,
the URL it comes from and an evidence class; a signal entered by hand is held to that as
strictly as a curated row. Each problem is a :class:`SignalEntryError` with one line that
names the option to fix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from frontier_watch.domain import plausible
from frontier_watch.domain.batch import SignalFact
from frontier_watch.domain.vocabulary import CONFIDENCES, DATE_PRECISIONS, EVIDENCE_CLASSES, SIGNAL_CATEGORIES

MAX_TEXT = 500


class SignalEntryError(ValueError):
    """An entered signal that cannot be stored. One line naming the option."""


@dataclass(frozen=True)
class SignalEntry:
    """What a person typed, before checking. None means "not given"."""

    date: date | None = None
    entity: str | None = None
    category: str | None = None
    item: str | None = None
    metric: str | None = None
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    source_url: str | None = None
    evidence: str | None = None
    confidence: str | None = None
    notes: str | None = None
    date_precision: str = "day"


# The options every entered signal needs, with the flag that gives each.
REQUIRED = (
    ("date", "--date"),
    ("entity", "--entity"),
    ("category", "--category"),
    ("metric", "--metric"),
    ("value", "--value"),
    ("unit", "--unit"),
    ("source_url", "--source-url"),
    ("evidence", "--evidence"),
)


def checked_signal(entry: SignalEntry, *, today: date, key: str = "", measured: bool = True) -> SignalFact:
    """The signal ``entry`` describes, or a SignalEntryError saying what is missing or wrong.

    ``measured`` False (a reviewed announcement) lets metric, value and unit be left out
    together; given one, the others are needed.
    """
    required: tuple[tuple[str, str], ...] = REQUIRED
    if not measured and entry.metric is None and entry.value is None and entry.unit is None:
        required = tuple(pair for pair in REQUIRED if pair[0] not in ("metric", "value", "unit"))
    missing = [flag for name, flag in required if _blank(getattr(entry, name))]
    if missing:
        reason = "every signal carries the URL it comes from" if "--source-url" in missing else "required"
        raise SignalEntryError(f"missing {', '.join(missing)} ({reason})")
    assert entry.date is not None  # required above
    if entry.date > today:
        raise SignalEntryError(
            f"--date {entry.date.isoformat()} is in the future: date a signal when it was announced"
        )
    too_early = plausible.SIGNAL_DATES.problem(entry.date, today)
    if too_early:
        raise SignalEntryError(f"--date {too_early}")
    if entry.category not in SIGNAL_CATEGORIES:
        raise SignalEntryError(
            f"--category {entry.category!r} is not one of {', '.join(sorted(SIGNAL_CATEGORIES))}"
        )
    if entry.evidence not in EVIDENCE_CLASSES:
        raise SignalEntryError(
            f"--evidence {entry.evidence!r} is not one of {', '.join(sorted(EVIDENCE_CLASSES))}"
        )
    if entry.confidence is not None and entry.confidence not in CONFIDENCES:
        raise SignalEntryError(f"--confidence {entry.confidence!r} is not one of {', '.join(CONFIDENCES)}")
    if entry.date_precision not in DATE_PRECISIONS:
        raise SignalEntryError(
            f"--date-precision {entry.date_precision!r} is not one of {', '.join(DATE_PRECISIONS)}"
        )
    from frontier_watch.sources.spec import url_problem

    assert entry.source_url is not None  # required above
    problem = url_problem(entry.source_url.strip())
    if problem:
        raise SignalEntryError(f"--source-url: {problem}")
    bound = plausible.signal_value_bound(entry.metric, entry.unit)
    for name, value in (("--value", entry.value), ("--value-high", entry.value_high)):
        if value is not None and not math.isfinite(value):
            raise SignalEntryError(f"{name} {value} is not a finite number")
        if value is not None and value < 0:
            raise SignalEntryError(f"{name} {value:g} is negative")
        problem = bound.problem(value) if value is not None else None
        if problem:
            raise SignalEntryError(f"{name} {problem} (the unit is {entry.unit!r})")
    if entry.value_high is not None and (entry.value is None or entry.value_high < entry.value):
        raise SignalEntryError("--value-high needs --value, and is the top of a range that starts at --value")
    texts = {
        "--entity": entry.entity,
        "--item": entry.item,
        "--metric": entry.metric,
        "--unit": entry.unit,
        "--notes": entry.notes,
    }
    for flag, text in texts.items():
        if text is not None and (len(text) > MAX_TEXT or not text.isprintable()):
            raise SignalEntryError(f"{flag}: at most {MAX_TEXT} printable characters, on one line")
    metric = _clean(entry.metric)
    return SignalFact(
        key=key,
        date=entry.date,
        date_precision=entry.date_precision,
        category=str(entry.category),
        entity=str(_clean(entry.entity)),
        item=_clean(entry.item) or metric or str(entry.category),
        metric=metric,
        value=entry.value,
        value_high=entry.value_high,
        unit=_clean(entry.unit),
        source_url=entry.source_url.strip(),
        evidence=entry.evidence,
        confidence=entry.confidence,
        notes=_clean(entry.notes),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text and text.strip() else None
