"""Parse-and-store speed of a fetch, against a plain sqlite3 executemany of the same rows.

Usage: python bench/fetch_store.py [REPEATS]

Builds a 400-model OpenRouter sheet and a 3,000-key LiteLLM map from the shapes of the
recorded fixtures (tests/fixtures), then for each, in the same run:
  * frontier-watch: fetch_source through a MockTransport (download, parse, identity,
    interval recording, fetch_run row) into a fresh migrated database;
  * baseline: the body downloaded through the same transport, json.loads, and
    sqlite3.executemany of the same offering and interval rows into the same migrated
    tables, in one transaction;
  * unchanged re-fetch: the same sheet fetched again (no new price rows, last_seen moves).
Goal: the first fetch within 3x of download + json.loads + executemany of the same rows into
the same tables. Prints medians of REPEATS runs.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import httpx

from frontier_watch.domain.vocabulary import PRICE_FIELDS
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources import get_kind
from frontier_watch.sources.kind import Response
from frontier_watch.store.database import open_database
from frontier_watch.store.interval_changes import segment_prices
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, ms  # noqa: E402
from sheets import litellm_map, openrouter_sheet  # noqa: E402


def fetch_once(database, spec, body: bytes):
    options = FetchOptions(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)))
    start = time.perf_counter()
    summary = fetch_source(database.engine, spec, _NO_CROSSWALK, options)
    elapsed = time.perf_counter() - start
    assert summary.status == "ok", summary
    return elapsed, summary


def baseline_ingest(kind, spec, body: bytes, folder: Path) -> tuple[float, int]:
    """Download + json.loads + executemany of the same rows into the same (migrated) tables.

    The rows are built from frontier-watch's own parse beforehand, untimed, so the baseline
    is the least work any ingest could do: fetch the body, decode it, insert.
    """
    result = get_kind(kind).parse(Response(spec.url, 200, {}, body), spec)
    stamp = "2026-01-01 00:00:00.000000"
    offerings = [(spec.id, o.provider, o.offering_id, o.name, o.lab, stamp, stamp) for o in result.offerings]
    intervals = [
        (
            number,
            str(segment.tier),
            *segment_prices(segment),
            stamp,
            stamp,
            stamp,
            "observed",
            spec.url,
            spec.evidence,
        )
        for number, offering in enumerate(result.offerings, start=1)
        for segment in offering.segments
    ]
    path = folder / f"baseline-{kind}.db"
    open_database(str(path)).engine.dispose()  # the same schema and indexes as frontier-watch's
    connection = sqlite3.connect(path)
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)))
    prices = ", ".join(f"{name}_nusd" for name in PRICE_FIELDS)
    start = time.perf_counter()
    json.loads(
        client.get(spec.url).content, parse_float=Decimal
    )  # exact digits, as frontier-watch keeps them
    with connection:
        connection.executemany(
            "insert into offering (source_id, provider, offering_id, name, lab, first_seen_at, last_seen_at) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            offerings,
        )
        connection.executemany(
            f"insert into price_interval (offering_pk, tier, {prices}, effective_from, first_seen_at, "
            f"last_seen_at, basis, source_url, evidence) values ({', '.join('?' * (len(PRICE_FIELDS) + 8))})",
            intervals,
        )
    elapsed = time.perf_counter() - start
    connection.close()
    client.close()
    return elapsed, len(offerings) + len(intervals)


def parse_only(kind, spec, body: bytes) -> float:
    start = time.perf_counter()
    get_kind(kind).parse(Response(spec.url, 200, {}, body), spec)
    return time.perf_counter() - start


def main(repeats: int | None = None) -> list[Goal]:
    repeats = repeats or (int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    goals = []
    catalogue = load_catalogue()
    cases = [
        ("openrouter", openrouter_sheet(400), "400-model OpenRouter sheet"),
        ("litellm", litellm_map(3000), "3,000-key LiteLLM map"),
    ]
    for kind, body, label in cases:
        spec = catalogue[kind]
        first, again, base, parse = [], [], [], []
        rows = 0
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as folder:
                database = open_database(str(Path(folder) / "fw.db"))
                seconds, summary = fetch_once(database, spec, body)
                first.append(seconds)
                seconds, again_summary = fetch_once(database, spec, body)
                assert again_summary.new == 0 and again_summary.changed == 0
                again.append(seconds)
                database.engine.dispose()
                seconds, rows = baseline_ingest(kind, spec, body, Path(folder))
                base.append(seconds)
                parse.append(parse_only(kind, spec, body))
        median = statistics.median
        print(f"{label}: {len(body):,} bytes, {summary.records} offerings, {rows} rows in the baseline")
        print(f"  download+json.loads+executemany {median(base) * 1000:8.1f} ms")
        print(f"  parse only (no storage)         {median(parse) * 1000:8.1f} ms")
        print(
            f"  frontier-watch first fetch      {median(first) * 1000:8.1f} ms   "
            f"ratio {median(first) / median(base):5.1f}x   "
            f"(storage part {(median(first) - median(parse)) / median(base):4.1f}x)"
        )
        print(
            f"  frontier-watch unchanged fetch  {median(again) * 1000:8.1f} ms   "
            f"ratio {median(again) / median(base):5.1f}x"
        )
        ratio = median(first) / median(base)
        goals.append(
            Goal(
                f"first fetch: {label}", ms(median(first)), ms(median(base)), ratio, "within 3x", ratio <= 3.0
            )
        )
    return goals


from frontier_watch.domain.identity import Identity  # noqa: E402 - after the helpers for readability

_NO_CROSSWALK = Identity({}, {})

if __name__ == "__main__":
    main()
