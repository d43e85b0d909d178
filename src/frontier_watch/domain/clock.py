"""Time: the one ``utc_now`` and the one parser of dates the user and curated files give.

Every stored time is a naive UTC datetime (SQLite has no time zones).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TypeVar

_Otherwise = TypeVar("_Otherwise", datetime, None)


def utc_now() -> datetime:
    """Now, as the naive UTC datetime every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def parse_day(text: str) -> date:
    """A calendar day written ``YYYY-MM-DD``; ValueError names what was wrong."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def parse_when(text: str) -> datetime | None:
    """A day or a UTC time ('2024-05-13' or '2024-05-13T10:00:00Z') as a naive UTC datetime.

    Empty text is None (unknown, or open-ended for an end date). A time whose UTC moment
    falls outside the calendar (year 1 east of UTC) is a ValueError like any other bad time.
    """
    text = text.strip()
    if not text:
        return None
    if len(text) == 10:
        return datetime.combine(parse_day(text), time.min)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:
            raise ValueError(f"{text!r} is not a time this calendar can hold in UTC") from None
    return parsed


def end_of_day(day: date) -> datetime:
    """The instant a date answers for: a price that starts that day counts."""
    return datetime.combine(day, time.max)


def as_of_instant(day: date | None, otherwise: _Otherwise) -> datetime | _Otherwise:
    """The as-of rule: a date the user gives (``--as-of``) means the end of that day.

    Every "as of" question (``prices --as-of``, ``export --as-of``) goes through here, so a
    price that starts on the day asked about counts everywhere. Without a date the answer
    is ``otherwise`` (now, or no bound).
    """
    return end_of_day(day) if day is not None else otherwise


def by_end_of(day: date, value: object) -> bool:
    """Whether a stored date or time is on or before ``day`` (the as-of rule for dated facts)."""
    if isinstance(value, datetime):
        return value <= end_of_day(day)
    return isinstance(value, date) and value <= day
