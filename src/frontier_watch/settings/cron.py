"""Sources' cron schedules: the one conversion of a five-field cron string into a trigger, and its period.

Cron numbers weekdays from Sunday (0 or 7); APScheduler 3 numbers them from Monday (0), so
``* * * * 1`` would run on Tuesdays if handed over as it is. Weekday numbers are turned
into names (``mon``) first, which both read the same way.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expression: str, *, jitter: int | None = None) -> CronTrigger:
    """An APScheduler trigger (UTC) for a five-field cron string, read as cron reads it; ValueError if bad."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    weekday = re.sub(r"(?<![/\d])[0-7](?!\d)", lambda match: _WEEKDAYS[int(match.group())], weekday)
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=UTC, jitter=jitter
    )


def never_fires(trigger: CronTrigger) -> bool:
    """Whether a trigger has no next run at all (``0 0 31 2 *``: the 31st of February).

    APScheduler looks ahead year by year (to 9999) before it says so: a fraction of a second,
    spent only on such a schedule; a schedule that can fire answers at once.
    """
    return trigger.get_next_fire_time(None, datetime(2000, 1, 1, tzinfo=UTC)) is None


def schedule_period(expression: str, now: datetime, runs: int = 12) -> timedelta:
    """The longest gap between consecutive runs of a cron schedule from ``now`` on (naive UTC or aware)."""
    trigger = cron_trigger(expression)
    moment = now.replace(tzinfo=UTC) if now.tzinfo is None else now
    fires: list[datetime] = []
    previous = None
    for _ in range(runs):
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None:
            break
        fires.append(fire)
        previous, moment = fire, fire + timedelta(microseconds=1)
    gaps = [later - earlier for earlier, later in zip(fires, fires[1:], strict=False)]
    return max(gaps) if gaps else timedelta(days=365)


def cron_error(expression: str) -> str | None:
    """Why a five-field cron string is invalid or can never fire (``0 0 31 2 *``), or None."""
    try:
        trigger = cron_trigger(expression)
    except ValueError as exc:
        return str(exc)
    if never_fires(trigger):
        return "no day matches it (such as the 31st of a month that has 30 days or fewer): it would never run"
    return None
