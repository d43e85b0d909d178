"""How fast fetch and schedule give up or stop: the figures the tests no longer assert.

Usage: python bench/stopping.py [REPEATS]

Each measure is a whole `frontier-watch` process against servers on 127.0.0.1:
  * a second fetch while another holds the lock (this process holds it): the time until it
    exits 3, against `sources` on the same config and database (a read command's start);
  * `fetch` of two sources whose servers send headers and then nothing: the time from
    SIGINT, and from SIGTERM, until the process has exited (runs marked interrupted);
  * `schedule`, from SIGTERM until it has exited: idle (no run due), during a stalled
    download, and while its run waits for a database another connection is writing.
Goals: the refusal under 3 s, the whole process (it never waits for the lock; `sources`
beside it for scale: a fetch imports and opens more before it tries the lock); every stop
under 4 s ("a few seconds"; a download stuck in a read gets 2 s to notice the stop), except
the run waiting for a locked database, which gets the scheduler's 5 s grace: under 7 s.
Prints medians of REPEATS runs (5 by default).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.store.fetch_lock import fetch_lock, lock_path_for
from frontier_watch.store.seed import open_seeded_database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, ms  # noqa: E402

# `frontier-watch` as a terminal starts it: run as a background job of a script, this would
# pass SIGINT on ignored (POSIX), and the command would never see the SIGINT measured here.
COMMAND = [
    sys.executable,
    "-c",
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from frontier_watch.cli import main; sys.exit(main(sys.argv[1:]))",
]
STOP_GOAL = 4.0
LOCKED_DATABASE_GOAL = 7.0
REFUSAL_GOAL = 3.0


@contextmanager
def stalled_server() -> Iterator[tuple[str, list[socket.socket]]]:
    """A server that answers every request with headers and one byte, then nothing: (base URL,
    the connections it has answered)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    answered: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{")
            answered.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", answered
    finally:
        stop.set()
        thread.join()
        for connection in answered:
            connection.close()
        listener.close()


def write_config(folder: Path, urls: dict[str, str], schedule: str = "0 0 1 1 *") -> Path:
    """A config fetching only the sources in ``urls``, on ``schedule``."""
    lines = [f'[sources.{name}]\nurl = "{url}"\nschedule = "{schedule}"\n' for name, url in urls.items()]
    lines += [f"[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - set(urls))]
    config = folder / "config.toml"
    config.write_text("[fetch]\ntimeout_seconds = 120\n" + "".join(lines), encoding="utf-8")
    return config


def wait_until(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"never saw {what}")
        time.sleep(0.01)


def signal_to_exit(process: subprocess.Popen, signum: int) -> float:
    """Seconds from ``signum`` until the process has exited."""
    started = time.perf_counter()
    process.send_signal(signum)
    process.wait(timeout=120)
    return time.perf_counter() - started


def started(command: list[str], environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment
    )


def line_seen(process: subprocess.Popen, wanted: str) -> Callable[[], bool]:
    """A condition: ``wanted`` has appeared on the process's stdout (read on a thread)."""
    seen = threading.Event()

    def read() -> None:
        for line in process.stdout:
            if wanted in line:
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    return seen.is_set


def refusal(folder: Path, environment: dict[str, str]) -> tuple[float, float]:
    """(a second fetch refused by the lock, `sources`): whole-process seconds."""
    config = write_config(folder, {"openrouter": "http://127.0.0.1:9/never"})
    db = folder / "fw.db"
    open_seeded_database(str(db)).engine.dispose()
    argv = ["--config", str(config), "--db", str(db)]
    subprocess.run([*COMMAND, *argv, "sources"], capture_output=True, env=environment)  # warm-up
    database = open_seeded_database(str(db))
    with fetch_lock(lock_path_for(database)):
        start = time.perf_counter()
        result = subprocess.run(
            [*COMMAND, *argv, "fetch", "openrouter"], capture_output=True, env=environment
        )
        refused = time.perf_counter() - start
    database.engine.dispose()
    assert result.returncode == 3, result.stderr
    start = time.perf_counter()
    subprocess.run([*COMMAND, *argv, "sources"], capture_output=True, env=environment, check=True)
    return refused, time.perf_counter() - start


def fetch_stop(folder: Path, environment: dict[str, str], signum: int) -> float:
    with stalled_server() as (url, answered):
        config = write_config(folder, {"openrouter": f"{url}/a", "litellm": f"{url}/b"})
        db = folder / f"fetch-{signum}.db"
        process = started([*COMMAND, "--config", str(config), "--db", str(db), "fetch"], environment)
        try:
            wait_until(lambda: len(answered) >= 2, process, "both downloads begin")
            return signal_to_exit(process, signum)
        finally:
            process.kill()
            process.wait()


def schedule_stop(folder: Path, environment: dict[str, str], state: str) -> float:
    with stalled_server() as (url, answered):
        config = write_config(folder, {"openrouter": f"{url}/a"})
        db = folder / f"schedule-{state}.db"
        open_seeded_database(str(db)).engine.dispose()
        command = [*COMMAND, "--config", str(config), "--db", str(db), "schedule"]
        writer = sqlite3.connect(db, isolation_level=None)
        if state == "idle":
            command.append("--no-catch-up")
        if state == "locked database":
            writer.execute("BEGIN IMMEDIATE")  # another connection's write, not ended
        process = started(command, environment)
        try:
            wait_until(line_seen(process, "scheduler started"), process, "the scheduler start")
            if state == "stalled download":
                wait_until(lambda: len(answered) >= 1, process, "the download begin")
            if state == "locked database":
                lock = lock_path_for(open_seeded_database(str(db)))

                def holds_lock() -> bool:
                    try:
                        return json.loads(lock.read_text() or "{}").get("pid") == process.pid
                    except (OSError, ValueError):
                        return False

                wait_until(holds_lock, process, "the run take the fetch lock")
            return signal_to_exit(process, signal.SIGTERM)
        finally:
            process.kill()
            process.wait()
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            writer.close()


def main(repeats: int | None = None) -> list[Goal]:
    repeats = repeats or (int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    median = statistics.median
    goals = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        environment = {
            **{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
            "FRONTIER_WATCH_HOME": str(folder / "home"),
        }
        pairs = [refusal(folder, environment) for _ in range(repeats)]
        refused, sources = median(p[0] for p in pairs), median(p[1] for p in pairs)
        ratio = refused / sources
        print(
            f"second fetch refused by the lock {ms(refused):>10}   sources {ms(sources):>10}   {ratio:.2f}x"
        )
        goals.append(
            Goal(
                "second fetch refused by the lock",
                ms(refused),
                ms(sources),
                ratio,
                f"under {REFUSAL_GOAL:g} s",
                refused < REFUSAL_GOAL,
            )
        )
        for label, measure, goal in (
            (
                "fetch: SIGINT, 2 stalled downloads",
                lambda: fetch_stop(folder, environment, signal.SIGINT),
                STOP_GOAL,
            ),
            (
                "fetch: SIGTERM, 2 stalled downloads",
                lambda: fetch_stop(folder, environment, signal.SIGTERM),
                STOP_GOAL,
            ),
            ("schedule: SIGTERM, idle", lambda: schedule_stop(folder, environment, "idle"), STOP_GOAL),
            (
                "schedule: SIGTERM, stalled download",
                lambda: schedule_stop(folder, environment, "stalled download"),
                STOP_GOAL,
            ),
            (
                "schedule: SIGTERM, run on a locked db",
                lambda: schedule_stop(folder, environment, "locked database"),
                LOCKED_DATABASE_GOAL,
            ),
        ):
            figures = [measure() for _ in range(repeats)]
            print(f"{label:<40} {ms(median(figures)):>10}   (slowest {ms(max(figures))})")
            goals.append(
                Goal(label, ms(median(figures)), "", None, f"under {goal:g} s", median(figures) < goal)
            )
    return goals


if __name__ == "__main__":
    from goals import print_goals

    print_goals(main())
