"""schedule: cron runs on the injected clock against a real HTTP server, catch-up, the lock, SIGTERM."""

import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from frontier_watch.cli import main
from frontier_watch.config import load_settings
from frontier_watch.scheduler import overdue_sources
from frontier_watch.store.seed import open_seeded_database
from frontier_watch.store.tables import FetchRun

# The CLI's `schedule` with the clock injected: it believes it is argv[1] (then time runs on
# as usual), and runs start at most a second after their time instead of half a minute.
SCHEDULE_AT = textwrap.dedent(
    """
    import functools, sys
    from datetime import UTC, datetime
    from frontier_watch import clock, scheduler

    start, real_start = datetime.fromisoformat(sys.argv[1]), datetime.now(UTC).replace(tzinfo=None)
    clock.utc_now = lambda: start + (datetime.now(UTC).replace(tzinfo=None) - real_start)
    scheduler.ScheduleOptions = functools.partial(scheduler.ScheduleOptions, jitter_seconds=1)
    from frontier_watch.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)


def start_schedule(at: datetime, *argv: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", SCHEDULE_AT, at.isoformat(), *argv, "schedule"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # stdout is read on a thread, so waiting for a line can time out instead of hanging.
    process.lines = queue.SimpleQueue()  # type: ignore[attr-defined]
    process.seen = []  # type: ignore[attr-defined]

    def pump() -> None:
        for line in process.stdout:
            process.lines.put(line.rstrip("\n"))
        process.lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return process


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


def stop(process: subprocess.Popen, signum=signal.SIGTERM) -> tuple[int, str, str, float]:
    """Signal the scheduler and wait for it: exit code, all its stdout and stderr, seconds taken."""
    started = time.monotonic()
    process.send_signal(signum)
    code = process.wait(timeout=30)
    seconds = time.monotonic() - started
    while (line := process.lines.get(timeout=10)) is not None:
        process.seen.append(line)
    return code, "\n".join(process.seen), process.stderr.read(), seconds


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
    # Two seconds before the next whole hour, on the injected clock.
    now = datetime.now(UTC).replace(tzinfo=None)
    at = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1) - timedelta(seconds=2)
    process = start_schedule(at, *argv)
    try:
        lines = read_until(process, "openrouter ok")
    finally:
        code, out, err, seconds = stop(process)
    assert code == 0, err
    assert seconds < 10
    assert not [line for line in lines if "overdue" in line]  # the cron fired it, not the catch-up
    assert "with 1 sources: openrouter (0 * * * *)" in lines[0]
    [run_line] = [line for line in lines if "openrouter ok" in line]
    hour = (at + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:00:0")
    assert run_line.startswith(hour), run_line  # logged on the injected clock, within its jitter
    assert "records=29" in run_line
    assert "SIGTERM: stopping after the running fetch" in out and out.rstrip().endswith("scheduler stopped")
    assert len(server.requests) == 2
    assert runs(db) == [("openrouter", "ok"), ("openrouter", "ok")]


def test_on_start_overdue_sources_are_fetched_at_once_and_sigint_stops_too(openrouter_served, tmp_path):
    server, config = openrouter_served
    db = tmp_path / "fw.db"
    process = start_schedule(datetime.now(UTC).replace(tzinfo=None), "--config", str(config), "--db", str(db))
    try:
        lines = read_until(process, "openrouter ok")
    finally:
        code, out, err, _ = stop(process, signal.SIGINT)
    assert code == 0, err
    assert any(line.endswith("schedule overdue, fetching now: openrouter") for line in lines)
    assert "SIGINT: stopping" in out
    assert runs(db) == [("openrouter", "ok")]


def test_a_run_that_finds_the_fetch_lock_held_is_skipped_with_a_line(openrouter_served, tmp_path):
    from frontier_watch.fetch_lock import database_fetch_lock

    server, config = openrouter_served
    db = tmp_path / "fw.db"
    database = open_seeded_database(str(db))
    with database_fetch_lock(database):  # as a cron `fetch` would hold it
        process = start_schedule(
            datetime.now(UTC).replace(tzinfo=None), "--config", str(config), "--db", str(db)
        )
        try:
            lines = read_until(process, "skipped openrouter")
        finally:
            code, _, err, _ = stop(process)
    database.engine.dispose()
    assert code == 0, err
    assert "another fetch holds the lock" in lines[-1]
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
    from frontier_watch.catalogue import load_catalogue

    config = tmp_path / "c.toml"
    config.write_text("".join(f"[sources.{name}]\nenabled = false\n" for name in load_catalogue()))
    assert main(["--config", str(config), "--db", str(tmp_path / "fw.db"), "schedule"]) == 2
    assert "no sources enabled" in capsys.readouterr().err


def test_sigterm_during_a_stalled_download_stops_at_once_and_records_the_run_interrupted(
    openrouter_served, tmp_path
):
    from fixture_server import Route

    server, config = openrouter_served
    body = server.routes[("/api/v1/models", ())][0].body
    server.serve_routes("/api/v1/models", Route(body, delay=60))
    db = tmp_path / "fw.db"
    process = start_schedule(datetime.now(UTC).replace(tzinfo=None), "--config", str(config), "--db", str(db))
    try:
        read_until(process, "overdue, fetching now: openrouter")
        deadline = time.monotonic() + 30
        while not server.requests:  # the download has begun, and the server sits on it
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        code, out, err, seconds = stop(process)
    assert code == 0, err
    assert seconds < 5, f"took {seconds:.1f}s to stop"
    assert "openrouter failed" in err and "interrupted" in err
    assert out.rstrip().endswith("scheduler stopped")
    database = open_seeded_database(str(db))
    with database.engine.connect() as connection:
        [run] = connection.execute(select(FetchRun.status, FetchRun.error, FetchRun.finished_at)).all()
    database.engine.dispose()
    assert run.status == "failed" and run.error.startswith("interrupted") and run.finished_at is not None
