"""Two fetches at once, a stale lock, and a kill in the middle of a write."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import httpx
import pytest
from conftest import FIXTURES
from sqlalchemy import func, select

from frontier_watch.cli import main
from frontier_watch.domain.identity import Identity
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.store.database import open_database
from frontier_watch.store.fetch_lock import LockHeld, fetch_lock, lock_path_for
from frontier_watch.store.tables import FetchRun, PriceInterval
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_second_fetch_exits_3_while_the_first_holds_the_lock(tmp_path, capsys):
    db = tmp_path / "fw.db"
    database = open_database(str(db))
    with fetch_lock(lock_path_for(database)):
        code = main(["--db", str(db), "fetch", "openrouter"])
    assert code == 3
    err = capsys.readouterr().err
    assert "another fetch holds the lock" in err and f"pid {os.getpid()}" in err
    with database.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(FetchRun)).scalar_one() == 0


def test_lock_is_released_after_use(tmp_path):
    path = tmp_path / "x.lock"
    with fetch_lock(path):
        with pytest.raises(LockHeld), fetch_lock(path):
            pass
    with fetch_lock(path):  # free again
        pass


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from frontier_watch.store.fetch_lock import fetch_lock
    with fetch_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(60)
    """
)


def test_a_lock_held_by_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "x.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"), fetch_lock(path):
            pass
        holder.send_signal(signal.SIGKILL)  # dies without releasing anything
        holder.wait()
        with fetch_lock(path) as notes:
            assert json.loads(path.read_text())["pid"] == os.getpid()
        assert notes == [f"took over the lock left by pid {holder.pid}, which ended without releasing it"]
    finally:
        holder.kill()
        holder.wait()


RACER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from frontier_watch.store.fetch_lock import LockHeld, fetch_lock
    lock, barrier, me, racers = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])

    def attempted():
        (barrier / f"tried-{me}").touch()

    def wait_for(predicate):
        deadline = time.monotonic() + 120
        while not predicate():
            if time.monotonic() > deadline:
                raise SystemExit("barrier timed out")
            time.sleep(0.005)

    print("ready", flush=True)
    wait_for(lambda: (barrier / "go").exists())
    try:
        with fetch_lock(lock):
            attempted()
            # Hold the lock until every racer has tried: a slow starter cannot win later.
            wait_for(lambda: len(list(barrier.glob("tried-*"))) == racers)
            print("won")
    except LockHeld:
        attempted()
        print("lost")
    """
)


def test_two_fetches_racing_for_a_stale_lock_cannot_both_win(tmp_path):
    import socket

    path = tmp_path / "x.lock"
    for attempt in range(3):
        barrier = tmp_path / f"barrier-{attempt}"
        barrier.mkdir()
        path.write_text(
            json.dumps({"pid": dead_pid(), "host": socket.gethostname(), "started": "2026-01-01"})
        )
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(path), str(barrier), str(number), "2"],
                stdout=subprocess.PIPE,
                text=True,
            )
            for number in range(2)
        ]
        try:
            for racer in racers:  # both are started and waiting at the barrier
                assert racer.stdout.readline().strip() == "ready"
            (barrier / "go").touch()
            outcomes = sorted(racer.communicate(timeout=120)[0].strip() for racer in racers)
        finally:
            for racer in racers:  # never left running, whatever failed
                racer.kill()
                racer.communicate()
        assert outcomes == ["lost", "won"]


def test_runs_left_running_by_a_killed_fetch_are_marked_interrupted(tmp_path, capsys):
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.store.fetch_runs import mark_interrupted_runs

    database = open_database(str(tmp_path / "fw.db"))
    with database.engine.begin() as connection:
        connection.execute(FetchRun.__table__.insert().values(source_id="openrouter", started_at=utc_now()))
    assert mark_interrupted_runs(database.engine) == 1
    with database.engine.connect() as connection:
        run = connection.execute(select(FetchRun.status, FetchRun.error)).one()
    assert run.status == "failed" and run.error.startswith("interrupted")


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    import httpx
    from frontier_watch.settings.catalogue import load_catalogue
    from frontier_watch.store.database import open_database
    from frontier_watch.domain.identity import Identity
    from frontier_watch.store import price_intervals as price_history
    from frontier_watch.use_cases.fetching import FetchOptions, fetch_source

    database = open_database(sys.argv[1])
    body = open(sys.argv[2], "rb").read()
    original = price_history._withdraw

    def killed_mid_write(*args, **kwargs):
        # offerings are inserted and intervals staged in this open transaction: die now
        original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    price_history._withdraw = killed_mid_write
    options = FetchOptions(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)))
    fetch_source(database.engine, load_catalogue()["openrouter"], Identity({}, {}), options)
    """
)


def test_a_kill_in_the_middle_of_a_write_leaves_the_database_as_it_was(tmp_path):
    db = tmp_path / "fw.db"
    database = open_database(str(db))
    february = (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes()
    may = (FIXTURES / "openrouter/models_2026-05-01.data-array.sample.json").read_bytes()
    options = FetchOptions(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=february))
    )
    assert (
        fetch_source(database.engine, load_catalogue()["openrouter"], Identity({}, {}), options).status
        == "ok"
    )
    with database.engine.connect() as connection:
        before = connection.execute(select(PriceInterval).order_by(PriceInterval.id)).all()
    may_file = tmp_path / "may.json"
    may_file.write_bytes(may)
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    result = subprocess.run([sys.executable, str(script), str(db), str(may_file)], capture_output=True)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    database.engine.dispose()
    reopened = open_database(str(db))
    with reopened.engine.connect() as connection:
        after = connection.execute(select(PriceInterval).order_by(PriceInterval.id)).all()
        statuses = connection.execute(select(FetchRun.status).order_by(FetchRun.id)).scalars().all()
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert after == before
    assert statuses == ["ok", "running"]  # the next fetch marks it interrupted


# ---------------------------------------------------------------- processes, on SQLite and PostgreSQL

STALLED_MID_WRITE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from frontier_watch.store import price_intervals
    from frontier_watch.cli import main

    original = price_intervals._withdraw

    def stalled_mid_write(*args, **kwargs):
        # offerings are inserted and intervals staged in this open transaction: say so, then
        # hang here holding the lock until the test kills this process
        original(*args, **kwargs)
        Path(sys.argv[1]).touch()
        time.sleep(120)

    price_intervals._withdraw = stalled_mid_write
    sys.exit(main(sys.argv[2:]))
    """
)


def _wait_for(path, process, seconds=60.0):
    import time

    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the first fetch never reached its write"
        time.sleep(0.02)


def test_a_second_fetch_exits_3_at_once_and_a_killed_fetch_leaves_a_consistent_database(
    database_url, tmp_path
):
    """Two fetch processes at once, then SIGKILL in the middle of the write: on SQLite and PostgreSQL."""
    from fixture_server import fixture_server

    from frontier_watch.domain.clock import utc_now
    from frontier_watch.store.checks import check_database
    from frontier_watch.store.reading import reader_for
    from frontier_watch.store.seed import open_seeded_database

    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - {"openrouter"})
    )
    with fixture_server() as server:
        url = server.serve(
            "/api/v1/models", (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes()
        )
        config = tmp_path / "config.toml"
        config.write_text(
            f'[sources.openrouter]\nurl = "{url}"\noptions = {{ shrink_floor = 10 }}\n{others}',
            encoding="utf-8",
        )
        database = open_seeded_database(database_url)
        with database.engine.connect() as connection:
            before = connection.execute(select(PriceInterval).order_by(PriceInterval.id)).all()
        command = ["--config", str(config), "--db", database_url, "fetch", "openrouter"]
        writing = tmp_path / "writing"
        first = subprocess.Popen(
            [sys.executable, "-c", STALLED_MID_WRITE, str(writing), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(writing, first)
            # It never waits for the lock: it exits 3 while the first still holds it (the
            # deadline is only against a hang; how fast it gives up is in bench/stopping.py).
            second = subprocess.run(
                [sys.executable, "-m", "frontier_watch", *command],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 3, second.stderr
            assert "another fetch holds the lock" in second.stderr
            assert first.poll() is None  # the first still holds it
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        assert first.returncode == -signal.SIGKILL
        with database.engine.connect() as connection:
            after_kill = connection.execute(select(PriceInterval).order_by(PriceInterval.id)).all()
        assert after_kill == before  # nothing of the killed write is left

        third = subprocess.run(
            [sys.executable, "-m", "frontier_watch", *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert third.returncode == 0, third.stderr
        with database.engine.connect() as connection:
            runs = connection.execute(select(FetchRun.status, FetchRun.error).order_by(FetchRun.id)).all()
            opened = connection.execute(
                select(func.count()).select_from(PriceInterval).where(PriceInterval.fetch_run_id.is_not(None))
            ).scalar_one()
        assert [run.status for run in runs] == ["failed", "ok"]
        assert runs[0].error.startswith("interrupted")
        assert opened > 0  # the next fetch stored the sheet
        with reader_for(database) as reader:
            report = check_database(reader, utc_now())
        assert report.ok, [violation for violation in report.violations if violation.hard]
        database.engine.dispose()
