"""How long `frontier-watch --help` takes, against `python -c pass` measured in the same run.

Usage: python bench/help_startup.py [RUNS]
Goal: --help within 0.3 s (median), i.e. the tool adds little to bare interpreter start-up.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def median_seconds(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    baseline = median_seconds([sys.executable, "-c", "pass"], runs)
    help_time = median_seconds([sys.executable, "-m", "frontier_watch", "--help"], runs)
    print(f"runs per command          {runs}")
    print(f"python -c pass            {baseline * 1000:7.1f} ms (median)")
    print(f"frontier-watch --help     {help_time * 1000:7.1f} ms (median)")
    print(f"ratio                     {help_time / baseline:7.2f} x")
    print(f"added by frontier-watch   {(help_time - baseline) * 1000:7.1f} ms")
    print(f"goal (< 300 ms)           {'met' if help_time < 0.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
