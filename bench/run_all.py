"""Every benchmark in one run, and one table of goals with the baseline beside each figure.

Usage: python bench/run_all.py [--quick]
Builds one 1,000,000-interval database through the writers (a goal of its own: under a
minute) and uses it for the fetch, query and dashboard benchmarks. --quick uses fewer
repeats (a rough check, not the figures for bench/README.md). Takes a few minutes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dashboard  # noqa: E402
import fetch_history  # noqa: E402
import fetch_store  # noqa: E402
import import_memory  # noqa: E402
import queries_at_scale  # noqa: E402
import read_commands  # noqa: E402
import stopping  # noqa: E402
import trends_at_scale  # noqa: E402
from goals import Goal, print_goals  # noqa: E402
from history_db import build, interval_count  # noqa: E402


def main() -> None:
    quick = "--quick" in sys.argv
    repeats = 3 if quick else 9
    goals: list[Goal] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "h1m.db"
        print("== building 1,000,000 intervals through the writers")
        started = time.perf_counter()
        database = build(path, 1_000_000)
        built = time.perf_counter() - started
        count = interval_count(database)
        database.engine.dispose()
        print(f"{count:,} intervals in {built:.1f} s")
        goals.append(
            Goal(
                "build 1M intervals through the writers", f"{built:.1f} s", "", None, "under 60 s", built < 60
            )
        )
        print("\n== read commands (bench/read_commands.py)")
        goals += read_commands.main(repeats + 2)
        print("\n== first fetch (bench/fetch_store.py)")
        goals += fetch_store.main(repeats)
        print("\n== fetch against history (bench/fetch_history.py)")
        goals += fetch_history.main(max(3, repeats // 2), large=str(path))
        print("\n== questions at 1M intervals (bench/queries_at_scale.py)")
        goals += queries_at_scale.main(repeats, str(path))
        print("\n== trends at 1M intervals (bench/trends_at_scale.py)")
        goals += trends_at_scale.main(max(3, repeats // 2))
        print("\n== dashboard (bench/dashboard.py)")
        goals += dashboard.main(max(3, repeats // 2), str(path))
    for shape in ("offerings", "spans"):
        print(f"\n== import of 300,000 price rows, {shape} (bench/import_memory.py)")
        goals += import_memory.main(shape=shape)
    print("\n== giving up and stopping (bench/stopping.py)")
    goals += stopping.main(max(3, repeats // 2))
    print_goals(goals)
    missed = [goal.name for goal in goals if not goal.met]
    print(
        f"\n{len(goals) - len(missed)} of {len(goals)} goals met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )


if __name__ == "__main__":
    main()
