"""``frontier-watch schedule``: every enabled source fetched on its own cron schedule, for months.

An APScheduler 3 blocking scheduler holds one job per enabled source (the config's schedule
over the spec's). Missed runs are coalesced into one, a job never runs twice at once, a run
late by more than the misfire grace is skipped, and each run starts a little jittered so
many installs do not hit a source in the same second. On start, sources whose last success
is older than their period (or that never succeeded) are fetched at once. Jobs run one at
a time, each through :func:`fetching.run_fetch`, so they take the same lock as ``fetch``:
cron and the scheduler never fetch one database at once (a run that finds the lock held is
skipped, with a line saying so).

SIGINT and SIGTERM stop it within a few seconds, whatever it is doing: no new run starts, a
running fetch stops downloading, writes nothing more and records its runs as interrupted,
and a write already under way finishes its transaction first. A run that cannot wind down
within ``STOP_GRACE_SECONDS`` (a database locked by another program, say) is left behind:
its transaction is rolled back when the process exits, and the next fetch marks its run
interrupted. The signal handler only records the signal; the main thread, which does
nothing but wait for one, does the stopping (a handler that took the scheduler's locks
itself could deadlock on a lock its own thread held when the signal came).

The clock is injectable (``clock`` returns naive UTC): the scheduler then lives at that
time, its triggers firing when the injected clock reaches a scheduled time; tests start it
two seconds before one.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.clock import utc_now

if TYPE_CHECKING:
    from frontier_watch.settings.config import Settings
    from frontier_watch.sources.spec import SourceSpec
    from frontier_watch.store.database import Database
    from frontier_watch.use_cases.fetching import FetchOptions, RunSummary


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
    from frontier_watch.settings.cron import schedule_period
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


STOP_GRACE_SECONDS = 5.0  # how long a running fetch gets to wind down after SIGINT or SIGTERM
_SIGNAL_POLL_SECONDS = 0.2  # how often the waiting main thread looks for a signal


@contextmanager
def _signals_recorded() -> Iterator[list[str]]:
    """Yields a list that SIGINT and SIGTERM append their names to; the old handlers come back.

    The handler takes no lock and calls nothing that might (Python runs it on the main
    thread, between any two steps of what that thread was doing). Off the main thread,
    where Python cannot install handlers, the list stays empty.
    """
    received: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def record(signum: int, frame: Any) -> None:
        received.append(signal.Signals(signum).name)

    previous = {number: signal.signal(number, record) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _run_executor() -> Any:
    """An APScheduler executor that runs jobs one at a time, in order, on one daemon thread.

    One at a time because runs share the fetch lock (two at once would refuse each other).
    A daemon thread because a run stuck on a stalled server or a locked database must never
    keep the process alive once it has been told to stop: APScheduler's ThreadPoolExecutor
    runs jobs on threads the interpreter waits for at exit.
    """
    import queue

    from apscheduler.executors.base import BaseExecutor, run_job

    class _OneRunAtATime(BaseExecutor):
        def start(self, scheduler: Any, alias: str) -> None:
            super().start(scheduler, alias)
            self._jobs: queue.SimpleQueue[tuple[Any, list[datetime]] | None] = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._work, name="schedule-runs", daemon=True)
            self._thread.start()

        def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
            self._jobs.put((job, run_times))

        def _work(self) -> None:
            while (item := self._jobs.get()) is not None:
                job, run_times = item
                try:
                    events = run_job(job, job._jobstore_alias, run_times, self._logger.name)
                except BaseException as exc:  # noqa: BLE001 - reported as APScheduler's pools do
                    self._run_job_error(job.id, exc, exc.__traceback__)
                else:
                    self._run_job_success(job.id, events)

        def shutdown(self, wait: bool = True) -> None:
            self._jobs.put(None)  # the runs already queued see the stop and return at once
            if wait:
                self._thread.join()

        def finished_within(self, seconds: float) -> bool:
            """Wait up to ``seconds`` for the running job (if any) to return."""
            self._thread.join(seconds)
            return not self._thread.is_alive()

    return _OneRunAtATime()


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
    with _signals_recorded() as received:
        _run_until_signalled(settings, database, options, fetch_options, on_run, log, ready, received)


def _run_until_signalled(settings, database, options, fetch_options, on_run, log, ready, received) -> None:
    import logging

    from apscheduler.events import EVENT_JOB_MISSED, EVENT_SCHEDULER_STARTED
    from apscheduler.schedulers.background import BackgroundScheduler

    from frontier_watch.settings.cron import cron_trigger
    from frontier_watch.store.fetch_lock import LockHeld
    from frontier_watch.use_cases.fetching import FetchOptions, run_fetch, select_sources

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
            from frontier_watch.domain.errors import first_line

            log(f"{', '.join(source_ids)} failed: {type(exc).__name__}: {first_line(exc)}")

    # Our own lines say what happened to each run; APScheduler's would say it twice.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    executor = _run_executor()
    scheduler = BackgroundScheduler(
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
    if options.catch_up and not received:
        overdue = overdue_sources(database, specs, now)
        if overdue:
            log(f"overdue, fetching now: {', '.join(spec.id for spec in overdue)}")
            scheduler.add_job(fetch, args=[[spec.id for spec in overdue]], id="catch-up", name="catch up")

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
    if not received:  # a signal during the start needs no scheduler to stop
        scheduler.start()
    while not received:
        time.sleep(_SIGNAL_POLL_SECONDS)  # a signal wakes the sleep; the handler only records it
    cancelled.set()  # a running fetch stops downloading and writes nothing more
    log(f"{received[0]}: stopping after the running fetch")
    if scheduler.running:
        scheduler.shutdown(wait=False)
        if not executor.finished_within(STOP_GRACE_SECONDS):
            log(
                f"the running fetch did not stop within {STOP_GRACE_SECONDS:.0f}s; leaving it "
                "(its unfinished write is rolled back, and the next fetch marks its run interrupted)"
            )
    log("scheduler stopped")
