"""Read commands against a plain python3 + sqlite3 process answering the same query.

Usage: python bench/read_commands.py [RUNS]
Goal: each command within 4x of the baseline (median wall time of a whole process), and
``--help`` under 0.1 s. The database is the seeded curated data, made once in a temporary
folder. The baseline runs the very SQL the command runs (taken from store/price_reads.py and
store/signal_reads.py with its parameters filled in) and prints the rows as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from frontier_watch.domain.clock import end_of_day, utc_now
from frontier_watch.store import price_reads, release_reads, signal_reads
from frontier_watch.store.opening import open_reader
from frontier_watch.store.reading import Reader
from frontier_watch.store.sqlite import SQLITE_TIME

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, ms  # noqa: E402

GOAL = 4.0


class Recorder(Reader):
    """A reader that remembers the SQL and parameters it ran."""

    def __init__(self, inner: Reader) -> None:
        super().__init__(inner._connection, inner.dialect)
        self.statements: list[tuple[str, dict]] = []

    def _execute(self, sql, params, **options):
        self.statements.append((sql, dict(params)))
        return super()._execute(sql, params, **options)


def captured_sql(db: str, call) -> list[tuple[str, dict]]:
    reader = Recorder(open_reader(db))
    call(reader)
    return reader.statements


BASELINE = """
import json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
for sql, params in json.loads(sys.argv[2]):
    rows = connection.execute(sql, params).fetchall()
    sys.stdout.write(json.dumps(rows, default=str))
"""


def baseline_command(db: str, statements: list[tuple[str, dict]]) -> list[str]:
    def plain(value):
        if hasattr(value, "strftime") and hasattr(value, "hour"):
            return value.strftime(SQLITE_TIME)
        if isinstance(value, date):
            return value.isoformat()
        return value

    payload = [(sql, {key: plain(value) for key, value in params.items()}) for sql, params in statements]
    return [sys.executable, "-c", BASELINE, db, json.dumps(payload)]


# As an installed tool runs: with its modules' compiled bytecode cached (a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every start).
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENVIRONMENT)
    return time.perf_counter() - start


def paired_medians(ours: list[str], baseline: list[str], runs: int) -> tuple[float, float]:
    """Medians of both commands, run in alternation so a busy moment slows both alike."""
    seconds(ours), seconds(baseline)  # warm up: bytecode cached, files in the page cache
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        samples[0].append(seconds(ours))
        samples[1].append(seconds(baseline))
    return statistics.median(samples[0]), statistics.median(samples[1])


def main(runs: int | None = None) -> list[Goal]:
    runs = runs or (int(sys.argv[1]) if len(sys.argv) > 1 else 15)
    goals = []
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "fw.db")
        os.environ["FRONTIER_WATCH_HOME"] = ENVIRONMENT["FRONTIER_WATCH_HOME"] = folder
        open_reader(db).close()  # create, migrate and seed once
        now = utc_now()
        cases = [
            ("prices", ["prices"], lambda r: price_reads.prices_as_of(r, now)),
            ("prices --json", ["prices", "--json"], lambda r: price_reads.prices_as_of(r, now)),
            (
                "prices --as-of 2025-02-01 --json",
                ["prices", "--as-of", "2025-02-01", "--json"],
                lambda r: price_reads.prices_as_of(r, end_of_day(date(2025, 2, 1))),
            ),
            (
                "history deepseek-r1",
                ["history", "deepseek-r1"],
                lambda r: price_reads.price_history(r, "deepseek-r1"),
            ),
            ("releases", ["releases"], lambda r: release_reads.releases(r)),
            ("signals", ["signals"], lambda r: signal_reads.signals(r)),
        ]
        tool = [sys.executable, "-m", "frontier_watch", "--db", db]
        print(f"runs per command {runs}; median wall time of a whole process; goal within {GOAL:.0f}x")
        print(f"{'command':<36}{'frontier-watch':>16}{'python+sqlite3':>16}{'ratio':>8}")
        worst = 0.0
        for name, argv, call in cases:
            ours, base = paired_medians(tool + argv, baseline_command(db, captured_sql(db, call)), runs)
            worst = max(worst, ours / base)
            print(f"{name:<36}{ours * 1000:>13.1f} ms{base * 1000:>13.1f} ms{ours / base:>7.2f}x")
            goals.append(
                Goal(
                    f"read command: {name}", ms(ours), ms(base), ours / base, "within 4x", ours / base <= GOAL
                )
            )
        help_time, _ = paired_medians(tool[:3] + ["--help"], [sys.executable, "-c", "pass"], runs)
        print(f"{'--help':<36}{help_time * 1000:>13.1f} ms{'':>16}{'':>8}  (goal < 100 ms)")
        print(f"worst ratio {worst:.2f}x: goal {'met' if worst <= GOAL else 'NOT met'}")
        goals.append(Goal("--help", ms(help_time), "", None, "under 100 ms", help_time < 0.1))
    return goals


if __name__ == "__main__":
    main()
