"""``frontier-watch schedule``: every enabled source fetched on its own cron schedule, for months.

An APScheduler 3 blocking scheduler holds one job per enabled source (the config's schedule
over the spec's). Missed runs are coalesced into one, a job never runs twice at once, a run
late by more than the misfire grace is skipped, and each run starts a little jittered so
many installs do not hit a source in the same second. On start, sources whose last success
is older than their period (or that never succeeded) are fetched at once. Jobs run one at
a time, each through :func:`fetching.run_fetch`, so they take the same lock as ``fetch``:
cron and the scheduler never fetch one database at once (a run that finds the lock held is
skipped, with a line saying so).

SIGINT and SIGTERM stop it cleanly: no new run starts, a running fetch stops downloading and
writes nothing more, and a write already under way finishes its transaction first.

The clock is injectable (``clock`` returns naive UTC): the scheduler then lives at that
time, its triggers firing when the injected clock reaches a scheduled time; tests start it
two seconds before one.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from frontier_watch.clock import utc_now

if TYPE_CHECKING:
    from frontier_watch.config import Settings
    from frontier_watch.fetching import FetchOptions, RunSummary
    from frontier_watch.sources.spec import SourceSpec
    from frontier_watch.store.database import Database


@dataclass(frozen=True)
class ScheduleOptions:
    jitter_seconds: int = 30  # each run starts up to this much after its time
    misfire_grace_seconds: int = 15 * 60  # a run this late (the machine slept) is skipped, not run
    catch_up: bool = True  # on start, fetch the sources that are overdue
    clock: Callable[[], datetime] = utc_now  # naive UTC: the scheduler's idea of now


def _real_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _shifted(trigger: Any, offset: timedelta) -> Any:
    """``trigger`` read on the injected clock (see _ShiftedTrigger)."""
    from apscheduler.triggers.base import BaseTrigger

    class _ShiftedTrigger(BaseTrigger):
        __doc__ = _SHIFTED_DOC

        def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
            previous = previous_fire_time + offset if previous_fire_time else None
            fire = trigger.get_next_fire_time(previous, now + offset)
            return fire - offset if fire else None

        def __str__(self) -> str:
            return str(trigger)

    return _ShiftedTrigger()


_SHIFTED_DOC = """A trigger read on the injected clock: fire times are computed there and handed to
    APScheduler (which runs on the real clock) shifted back by the clock's offset."""


def overdue_sources(database: Database, specs: list[SourceSpec], now: datetime) -> list[SourceSpec]:
    """The sources whose last success is older than their schedule's period, or that never succeeded."""
    from frontier_watch.cron import schedule_period
    from frontier_watch.store.reading import reader_for
    from frontier_watch.store.run_history import run_records

    with reader_for(database) as reader:
        records = run_records(reader, 1)
    overdue = []
    for spec in specs:
        record = records.get(spec.id)
        success = record.last_success if record else None
        if success is None or now - success > schedule_period(spec.schedule, now):
            overdue.append(spec)
    return overdue


@contextmanager
def _stop_on_signals(stop: Callable[[str], None]) -> Iterator[None]:
    """SIGINT and SIGTERM call ``stop`` (main thread only, as Python requires); the old handlers come back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.signal(number, lambda signum, frame: stop(signal.Signals(signum).name))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run_schedule(
    settings: Settings,
    database: Database,
    *,
    options: ScheduleOptions | None = None,
    fetch_options: FetchOptions | None = None,
    on_run: Callable[[RunSummary], None],
    log: Callable[[str], None],
    ready: Callable[[], None] | None = None,
) -> None:
    """Run until SIGINT or SIGTERM; ``on_run`` gets each run's summary, ``log`` the scheduler's own lines.

    Raises UnknownSourceError when no source is enabled.
    """
    import logging

    from apscheduler.events import EVENT_JOB_MISSED, EVENT_SCHEDULER_STARTED
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    from frontier_watch.cron import cron_trigger
    from frontier_watch.fetch_lock import LockHeld
    from frontier_watch.fetching import FetchOptions, run_fetch, select_sources

    options = options or ScheduleOptions()
    specs = select_sources(settings)
    cancelled = threading.Event()
    fetch_options = replace(
        fetch_options or FetchOptions.from_settings(settings), cancelled=cancelled, clock=options.clock
    )
    offset = options.clock() - _real_now()

    def fetch(source_ids: list[str]) -> None:
        if cancelled.is_set():
            return
        try:
            run_fetch(settings, database, source_ids, options=fetch_options, on_done=on_run)
        except LockHeld as exc:
            log(f"skipped {', '.join(source_ids)}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a run's failure must not stop the scheduler
            from frontier_watch.errors import first_line

            log(f"{', '.join(source_ids)} failed: {type(exc).__name__}: {first_line(exc)}")

    # Our own lines say what happened to each run; APScheduler's would say it twice.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # One run at a time: runs share the fetch lock, and two at once would refuse each other.
    executor = ThreadPoolExecutor(max_workers=1)
    scheduler = BlockingScheduler(
        timezone=UTC,
        executors={"default": executor},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": options.misfire_grace_seconds,
        },
    )
    for spec in specs:
        trigger = cron_trigger(spec.schedule, jitter=options.jitter_seconds or None)
        scheduler.add_job(
            fetch, _shifted(trigger, offset), args=[[spec.id]], id=spec.id, name=f"fetch {spec.id}"
        )
    now = options.clock()
    if options.catch_up:
        overdue = overdue_sources(database, specs, now)
        if overdue:
            log(f"overdue, fetching now: {', '.join(spec.id for spec in overdue)}")
            scheduler.add_job(fetch, args=[[spec.id for spec in overdue]], id="catch-up", name="catch up")

    def stop(why: str) -> None:
        if cancelled.is_set():
            return
        cancelled.set()  # a running fetch stops downloading and writes nothing more
        log(f"{why}: stopping after the running fetch")
        scheduler.shutdown(wait=False)

    def started(event: Any) -> None:
        names = ", ".join(f"{spec.id} ({spec.schedule})" for spec in specs)
        log(f"scheduler started at {now.isoformat(timespec='seconds')}Z with {len(specs)} sources: {names}")
        if ready:
            ready()

    def missed(event: Any) -> None:
        late = (_real_now() - event.scheduled_run_time.astimezone(UTC).replace(tzinfo=None)).total_seconds()
        log(f"missed {event.job_id}: {late:.0f}s late, past the misfire grace; next run as scheduled")

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    scheduler.add_listener(missed, EVENT_JOB_MISSED)
    with _stop_on_signals(stop):
        scheduler.start()  # returns once stop() has shut it down
        # The executor's thread is finishing the running fetch (its transaction included).
        executor.shutdown(wait=True)
    log("scheduler stopped")
