"""Fetch cost against stored history: the same unchanged re-fetch at 10,000 and 1,000,000 intervals.

Usage: python bench/fetch_history.py [REPEATS]
Goal: an unchanged re-fetch of the 3,000-key LiteLLM map at 1,000,000 stored intervals within
1.3x of the same at 10,000, in time and in peak memory (Python allocations during the fetch,
by tracemalloc). Both databases are built through the writers (bench/history_db.py). Each
measurement runs in a fresh process, alternating between the two databases, so neither
inherits the other's heap or a busy moment of the machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, ms  # noqa: E402
from history_db import build, fetch_sheet, interval_count, live_sheet  # noqa: E402

GOAL = 1.3


def measure(path: str) -> dict:
    """In this process: one warm-up re-fetch, one timed, one under tracemalloc."""
    from frontier_watch.store.database import open_database

    database = open_database(path)
    body = live_sheet()
    fetch_sheet(database, body)
    start = time.perf_counter()
    summary = fetch_sheet(database, body)
    elapsed = time.perf_counter() - start
    assert summary.status == "ok" and summary.new == 0 and summary.changed == 0, summary
    tracemalloc.start()
    fetch_sheet(database, body)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": elapsed, "peak": peak}


def main(repeats: int | None = None, large: str | None = None) -> list[Goal]:
    """``large``: an existing 1,000,000-interval database (bench/history_db.py) to use."""
    if repeats is None and len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2])))
        return []
    repeats = repeats or (int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    with tempfile.TemporaryDirectory() as folder:
        paths, built, counts = {}, {}, {}
        for size in (10_000, 1_000_000):
            path = Path(folder) / f"h{size}.db"
            started = time.perf_counter()
            if size == 1_000_000 and large is not None:
                path = Path(large)
                from frontier_watch.store.database import open_database

                database = open_database(str(path))
            else:
                database = build(path, size)
            built[size] = time.perf_counter() - started
            counts[size] = interval_count(database)
            paths[size] = str(path)
            database.engine.dispose()
        samples: dict[int, list[dict]] = {size: [] for size in paths}
        for _ in range(repeats):
            for size, path in paths.items():
                result = subprocess.run(
                    [sys.executable, __file__, "--measure", path], capture_output=True, text=True, check=True
                )
                samples[size].append(json.loads(result.stdout))
    print(f"unchanged re-fetch of a 3,000-key LiteLLM map; median of {repeats} fresh processes each")
    print(f"{'stored intervals':>18}{'built in':>12}{'re-fetch':>12}{'peak memory':>14}")
    medians = {}
    for size in paths:
        seconds = statistics.median(sample["seconds"] for sample in samples[size])
        peak = statistics.median(sample["peak"] for sample in samples[size])
        medians[size] = (seconds, peak)
        print(f"{counts[size]:>18,}{built[size]:>10.1f} s{seconds * 1000:>9.1f} ms{peak / 2**20:>11.1f} MiB")
    (small_time, small_peak), (large_time, large_peak) = medians.values()
    time_ratio, memory_ratio = large_time / small_time, large_peak / small_peak
    verdict = "met" if max(time_ratio, memory_ratio) <= GOAL else "NOT met"
    print(
        f"time ratio {time_ratio:.2f}x, memory ratio {memory_ratio:.2f}x "
        f"(goal within {GOAL}x each): {verdict}"
    )
    if large is None:
        print(f"building 1,000,000 intervals through the writers: {built[1_000_000]:.1f} s (goal under 60 s)")
    return [
        Goal(
            "unchanged LiteLLM re-fetch, time at 1M vs 10k",
            ms(large_time),
            ms(small_time),
            time_ratio,
            f"within {GOAL}x",
            time_ratio <= GOAL,
        ),
        Goal(
            "unchanged LiteLLM re-fetch, peak memory",
            f"{large_peak / 2**20:.1f} MiB",
            f"{small_peak / 2**20:.1f} MiB",
            memory_ratio,
            f"within {GOAL}x",
            memory_ratio <= GOAL,
        ),
    ]


if __name__ == "__main__":
    main()
