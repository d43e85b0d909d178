"""Peak memory of ``import`` on a 300,000-row price file, beside a plain sqlite3 + csv import.

Usage: python bench/import_memory.py [ROWS] [--shape spans|offerings]
Goal: ``frontier-watch import`` of 300,000 price rows (about 40 MB of CSV) peaks under
250 MB of resident memory (issue 21 later asks for 200 MB), as a whole process. The
baseline is the least work that stores the same rows: a ``python3`` process that reads
the file with ``csv.reader`` and inserts each row into one table with ``executemany`` in
batches, in one transaction. Both print their stored row count, so an import that
stores nothing cannot pass.

Peak resident memory is the ``ru_maxrss`` of the measured process, read through
``resource.getrusage(RUSAGE_CHILDREN)`` in a small wrapper process that runs only it. The
database is created (migrated and seeded) before the measurement, so the figure is the
import's own, not the first opening's.

Shapes: ``spans`` (the default) is 3,000 offerings with 100 dated spans each, the shape of
a reconstructed history; ``offerings`` is 300,000 offerings with one price each, which
makes every batch create offerings and models.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal  # noqa: E402

GOAL_MB = 250
ROWS = 300_000
SPANS_PER_OFFERING = 100
FIRST_DAY = date(2016, 1, 4)

# Runs one command and prints its peak resident memory (KiB on Linux) as JSON: the
# wrapper's own children are only that command, so RUSAGE_CHILDREN is its peak alone.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "peak_kib": peak, "seconds": elapsed}))
"""

BASELINE = """
import csv, sqlite3, sys
connection = sqlite3.connect(sys.argv[2])
connection.execute(f"CREATE TABLE IF NOT EXISTS imported ({sys.argv[3]})")
with open(sys.argv[1], newline="", encoding="utf-8") as stream:
    reader = csv.reader(stream)
    header = next(reader)
    slots = ", ".join("?" * len(header))
    batch = []
    with connection:
        for row in reader:
            batch.append(row)
            if len(batch) == 5000:
                connection.executemany(f"INSERT INTO imported VALUES ({slots})", batch)
                batch.clear()
        connection.executemany(f"INSERT INTO imported VALUES ({slots})", batch)
print(connection.execute("SELECT count(*) FROM imported").fetchone()[0])
"""


def price_columns() -> tuple[str, ...]:
    from frontier_watch.sources.curated import PRICE_COLUMNS

    return PRICE_COLUMNS


def write_price_file(path: Path, rows: int = ROWS, shape: str = "spans") -> int:
    """A valid price file of ``rows`` rows in the curated format; returns its size in bytes.

    ``spans``: offerings of SPANS_PER_OFFERING consecutive daily spans each (the last one
    open-ended). ``offerings``: one open-ended price per offering.
    """
    per_offering = SPANS_PER_OFFERING if shape == "spans" else 1
    columns = price_columns()
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for number in range(rows):
            offering, span = divmod(number, per_offering)
            start = FIRST_DAY + timedelta(days=span)
            last = span == per_offering - 1
            row = {
                "source": "bench",
                "provider": f"P{offering % 40}",
                # distinct model ids: "model-1001" would lose its "-1001" (a date, to identity)
                "offering_id": f"p{offering % 40}/bench-{offering}x",
                "name": f"Bench {offering}",
                "tier": "default",
                "input_usd_per_mtok": f"{1 + (offering % 97) / 8 + span / 1000:.4f}",
                "output_usd_per_mtok": f"{4 + (offering % 89) / 4:.3f}",
                "effective_from": start.isoformat(),
                "effective_to": "" if last else (start + timedelta(days=1)).isoformat(),
                "date_precision": "day",
                "basis": "curated",
                "source_url": f"https://example.com/p/{offering % 500}",
                "evidence": "official-announcement",
            }
            writer.writerow([row.get(column, "") for column in columns])
    return path.stat().st_size


def measured(command: list[str]) -> dict:
    """Run ``command`` under the wrapper; its exit code, output, peak RSS and wall time."""
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def frontier_watch() -> str:
    found = shutil.which("frontier-watch", path=str(Path(sys.executable).parent))
    return found or "frontier-watch"


def stored_user_rows(db: Path) -> int:
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        return connection.execute(
            "SELECT count(*) FROM price_interval JOIN offering ON offering.id = price_interval.offering_pk "
            "WHERE offering.source_id = 'user'"
        ).fetchone()[0]
    finally:
        connection.close()


def main(rows: int = ROWS, shape: str = "spans") -> list[Goal]:
    """Generate the file, import it and run the baseline; the goal with both figures."""
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "prices.csv"
        size = write_price_file(csv_path, rows, shape)
        db = Path(folder) / "fw.db"
        # Create, migrate and seed the database first: the measurement is the import alone.
        subprocess.run([frontier_watch(), "--db", str(db), "db", "upgrade"], capture_output=True, check=True)
        ours = measured([frontier_watch(), "--db", str(db), "import", str(csv_path)])
        if ours["code"] != 0:
            raise SystemExit(f"import failed ({ours['code']}): {ours['err'].strip()}")
        ours_rows = stored_user_rows(db)
        columns = ", ".join(f"{name} TEXT" for name in price_columns())
        plain = measured(
            [sys.executable, "-c", BASELINE, str(csv_path), str(Path(folder) / "plain.db"), columns]
        )
        plain_rows = int(plain["out"].strip())
    ours_mb, plain_mb = ours["peak_kib"] / 1024, plain["peak_kib"] / 1024
    print(f"import of {rows:,} price rows ({shape}; {size / 1e6:.1f} MB of CSV), each a whole process")
    print(f"{'':<34}{'peak RSS':>12}{'wall time':>12}{'rows stored':>14}")
    print(f"{'frontier-watch import':<34}{ours_mb:>9.1f} MB{ours['seconds']:>10.1f} s{ours_rows:>14,}")
    print(
        f"{'python3 csv.reader + sqlite3':<34}{plain_mb:>9.1f} MB{plain['seconds']:>10.1f} s{plain_rows:>14,}"
    )
    same = ours_rows == plain_rows == rows
    met = same and ours_mb < GOAL_MB
    print(f"goal: under {GOAL_MB} MB with every row stored: {'met' if met else 'NOT met'}")
    return [
        Goal(
            f"import {rows // 1000}k price rows ({shape}): peak RSS",
            f"{ours_mb:.0f} MB",
            f"{plain_mb:.0f} MB",
            ours_mb / plain_mb,
            f"under {GOAL_MB} MB",
            met,
        )
    ]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=ROWS)
    parser.add_argument("--shape", choices=("spans", "offerings"), default="spans")
    options = parser.parse_args()
    started = time.perf_counter()
    main(options.rows, options.shape)
    print(f"({time.perf_counter() - started:.0f} s in all)")
