"""schedule: cron runs on the injected clock against a real HTTP server, catch-up, the lock,
and stopping on SIGTERM or SIGINT in every state (idle, fetching from a stalled server,
finding the fetch lock held, waiting for a database another program is writing).

Each test waits for what the scheduler says (or does) before it signals, and gives the
process a generous deadline to exit; how fast it stops is measured in bench/stopping.py.
A scheduler still running when a test ends is killed, never left behind.
"""

import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from frontier_watch.cli import main
from frontier_watch.settings.config import load_settings
from frontier_watch.store.seed import open_seeded_database
from frontier_watch.store.tables import FetchRun
from frontier_watch.use_cases.scheduler import overdue_sources

# The CLI's `schedule` with the clock injected: it believes it is argv[1] when the scheduler
# starts setting up (then time runs on as usual), and runs start at most a second after
# their time instead of half a minute. What the scheduler imports is imported first, so
# that the injected seconds before a cron time are not spent importing on a busy machine.
SCHEDULE_AT = textwrap.dedent(
    """
    import functools, sys
    from datetime import UTC, datetime
    import apscheduler.executors.base, apscheduler.schedulers.background
    import frontier_watch.settings.cron, frontier_watch.store.fetch_lock, frontier_watch.use_cases.fetching
    from frontier_watch.domain import clock
    from frontier_watch.use_cases import scheduler

    start, real_start = datetime.fromisoformat(sys.argv[1]), []

    def now():
        real = datetime.now(UTC).replace(tzinfo=None)
        return start + (real - real_start[0]) if real_start else start

    def run_schedule(*args, original=scheduler.run_schedule, **kwargs):
        real_start.append(datetime.now(UTC).replace(tzinfo=None))
        return original(*args, **kwargs)

    clock.utc_now = now
    scheduler.run_schedule = run_schedule
    scheduler.ScheduleOptions = functools.partial(scheduler.ScheduleOptions, jitter_seconds=1)
    from frontier_watch.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)
pytestmark = pytest.mark.slow
EXIT_DEADLINE = 60.0  # seconds; the product's own goal is a few (bench/stopping.py)


@contextmanager
def scheduling(at: datetime, *argv: str) -> Iterator[subprocess.Popen]:
    """`schedule` in a process of its own, its stdout read on a thread (so waiting for a line
    can time out instead of hanging); killed on the way out if it is still running."""
    process = subprocess.Popen(
        [sys.executable, "-c", SCHEDULE_AT, at.isoformat(), *argv, "schedule"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.lines = queue.SimpleQueue()  # type: ignore[attr-defined]
    process.seen = []  # type: ignore[attr-defined]

    def pump() -> None:
        for line in process.stdout:
            process.lines.put(line.rstrip("\n"))
        process.lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def scheduling_now(config, db):
    """`schedule` on a config and a database, on the real clock."""
    return scheduling(datetime.now(UTC).replace(tzinfo=None), "--config", str(config), "--db", str(db))


def read_until(process: subprocess.Popen, wanted: str, seconds: float = 60.0) -> list[str]:
    """stdout lines up to the first that contains ``wanted`` (the process must still be running)."""
    lines: list[str] = process.seen
    deadline = time.monotonic() + seconds
    while True:
        try:
            line = process.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {wanted!r} within {seconds}s: {lines}") from None
        if line is None:
            raise AssertionError(f"ended before {wanted!r}: {lines}")
        lines.append(line)
        if wanted in line:
            return list(lines)


def stop(process: subprocess.Popen, signum=signal.SIGTERM) -> tuple[int, str, str]:
    """Signal the scheduler and wait for it to exit: its exit code, all its stdout and stderr."""
    process.send_signal(signum)
    try:
        code = process.wait(timeout=EXIT_DEADLINE)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"schedule did not exit within {EXIT_DEADLINE:.0f}s of {signum!r}") from None
    while (line := process.lines.get(timeout=EXIT_DEADLINE)) is not None:
        process.seen.append(line)
    return code, "\n".join(process.seen), process.stderr.read()


def wait_until(condition, what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never saw {what} within {seconds}s"
        time.sleep(0.05)


def runs(db):
    database = open_seeded_database(str(db))
    with database.engine.connect() as connection:
        found = connection.execute(select(FetchRun.source_id, FetchRun.status).order_by(FetchRun.id)).all()
    database.engine.dispose()
    return [tuple(run) for run in found]


def test_a_short_cron_fires_a_fetch_on_the_injected_clock_and_sigterm_stops_cleanly(
    openrouter_served, tmp_path
):
    server, config = openrouter_served
    config.write_text(
        config.read_text().replace("[sources.openrouter]\n", '[sources.openrouter]\nschedule = "0 * * * *"\n')
    )
    db = tmp_path / "fw.db"
    argv = ("--config", str(config), "--db", str(db))
    assert main([*argv, "fetch", "openrouter", "--quiet"]) == 0  # fresh: nothing is overdue
    assert len(server.requests) == 1
    # Five seconds before the next whole hour, on the injected clock, when the scheduler sets up.
    now = datetime.now(UTC).replace(tzinfo=None)
    at = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1) - timedelta(seconds=5)
    with scheduling(at, *argv) as process:
        lines = read_until(process, "openrouter ok")
        code, out, err = stop(process)
    assert code == 0, err
    assert not [line for line in lines if "overdue" in line]  # the cron fired it, not the catch-up
    assert "with 1 sources: openrouter (0 * * * *)" in lines[0]
    assert lines[0].startswith(at.strftime("%Y-%m-%dT%H:59:"))  # it started before the hour
    [run_line] = [line for line in lines if "openrouter ok" in line]
    hour = (at + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:00:")
    assert run_line.startswith(hour), run_line  # logged on the injected clock, just after the hour
    assert "records=29" in run_line
    assert "SIGTERM: stopping after the running fetch" in out and out.rstrip().endswith("scheduler stopped")
    assert len(server.requests) == 2
    assert runs(db) == [("openrouter", "ok"), ("openrouter", "ok")]


def test_on_start_overdue_sources_are_fetched_at_once_and_sigint_stops_too(openrouter_served, tmp_path):
    server, config = openrouter_served
    db = tmp_path / "fw.db"
    with scheduling_now(config, db) as process:
        lines = read_until(process, "openrouter ok")
        code, out, err = stop(process, signal.SIGINT)
    assert code == 0, err
    assert any(line.endswith("schedule overdue, fetching now: openrouter") for line in lines)
    assert "SIGINT: stopping" in out and out.rstrip().endswith("scheduler stopped")
    assert runs(db) == [("openrouter", "ok")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_run_that_finds_the_fetch_lock_held_is_skipped_with_a_line_and_a_signal_then_stops_it(
    openrouter_served, tmp_path, signum
):
    from frontier_watch.store.fetch_lock import database_fetch_lock

    server, config = openrouter_served
    db = tmp_path / "fw.db"
    database = open_seeded_database(str(db))
    with database_fetch_lock(database):  # as a cron `fetch` would hold it
        with scheduling_now(config, db) as process:
            lines = read_until(process, "skipped openrouter")
            code, out, err = stop(process, signum)
    database.engine.dispose()
    assert code == 0, err
    assert "another fetch holds the lock" in lines[-1]
    assert f"{signum.name}: stopping" in out and out.rstrip().endswith("scheduler stopped")
    assert server.requests == [] and runs(db) == []


def test_overdue_means_older_than_the_schedules_period_or_never(openrouter_served, tmp_path):
    _, config = openrouter_served
    db = tmp_path / "fw.db"
    settings = load_settings(config, str(db))
    database = open_seeded_database(str(db))
    [openrouter] = [spec for spec in settings.enabled_sources() if spec.url]
    now = datetime.now(UTC).replace(tzinfo=None)
    assert overdue_sources(database, [openrouter], now) == [openrouter]  # never fetched
    assert main(["--config", str(config), "--db", str(db), "fetch", "--quiet"]) == 0
    assert overdue_sources(database, [openrouter], now + timedelta(minutes=1)) == []
    assert overdue_sources(database, [openrouter], now + timedelta(hours=6, minutes=1)) == [openrouter]
    database.engine.dispose()


def test_no_enabled_source_is_a_usage_error(tmp_path, capsys):
    from frontier_watch.settings.catalogue import load_catalogue

    config = tmp_path / "c.toml"
    config.write_text("".join(f"[sources.{name}]\nenabled = false\n" for name in load_catalogue()))
    assert main(["--config", str(config), "--db", str(tmp_path / "fw.db"), "schedule"]) == 2
    assert "no sources enabled" in capsys.readouterr().err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_stalled_download_stops_it_and_records_the_run_interrupted(
    openrouter_served, tmp_path, signum
):
    from fixture_server import Route

    server, config = openrouter_served
    body = server.routes[("/api/v1/models", ())][0].body
    server.serve_routes("/api/v1/models", Route(body, delay=600))  # the server sits on the download
    db = tmp_path / "fw.db"
    with scheduling_now(config, db) as process:
        read_until(process, "overdue, fetching now: openrouter")
        wait_until(lambda: server.requests, "the download begin")
        code, out, err = stop(process, signum)
    assert code == 0, err
    assert "openrouter failed" in err and "interrupted" in err
    assert f"{signum.name}: stopping" in out and out.rstrip().endswith("scheduler stopped")
    database = open_seeded_database(str(db))
    with database.engine.connect() as connection:
        [run] = connection.execute(select(FetchRun.status, FetchRun.error, FetchRun.finished_at)).all()
    database.engine.dispose()
    assert run.status == "failed" and run.error.startswith("interrupted") and run.finished_at is not None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_while_a_run_waits_for_a_database_another_program_is_writing_stops_it(
    openrouter_served, tmp_path, signum
):
    """The run holds the fetch lock and waits (SQLite's busy timeout) for another program's
    write transaction to end: the scheduler must not wait with it."""
    import json

    server, config = openrouter_served
    db = tmp_path / "fw.db"
    open_seeded_database(str(db)).engine.dispose()
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another program's write, which it never ends
        with scheduling_now(config, db) as process:
            read_until(process, "overdue, fetching now: openrouter")
            lock = db.with_name(db.name + ".fetch.lock")

            def holds_the_lock() -> bool:
                try:
                    return json.loads(lock.read_text() or "{}").get("pid") == process.pid
                except (OSError, ValueError):
                    return False

            wait_until(holds_the_lock, "the run take the fetch lock")
            code, out, err = stop(process, signum)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 0, err
    assert f"{signum.name}: stopping" in out and out.rstrip().endswith("scheduler stopped")
    assert "Traceback" not in err
    assert server.requests == []  # it never got as far as the download
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        running = connection.execute("SELECT count(*) FROM fetch_run WHERE status = 'running'").fetchone()
    assert running == (0,)
