"""Parse-and-store speed of a fetch, against a plain sqlite3 executemany of the same rows.

Usage: python bench/fetch_store.py [REPEATS]

Builds a 400-model OpenRouter sheet and a 3,000-key LiteLLM map from the shapes of the
recorded fixtures (tests/fixtures), then for each, in the same run:
  * frontier-watch: fetch_source through a MockTransport (download, parse, identity,
    interval recording, fetch_run row) into a fresh migrated database;
  * baseline: sqlite3.executemany of the same offering and interval rows into tables of
    the same shape, in one transaction, in a fresh database file;
  * unchanged re-fetch: the same sheet fetched again (no new price rows, last_seen moves).
Goal: the first fetch within 3x of the plain insert. Prints medians of REPEATS runs.
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

from frontier_watch.catalogue import load_catalogue
from frontier_watch.fetching import FetchOptions, fetch_source
from frontier_watch.sources import get_kind
from frontier_watch.sources.kind import Response
from frontier_watch.store.database import open_database
from frontier_watch.store.price_intervals import segment_prices
from frontier_watch.vocabulary import PRICE_FIELDS

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def openrouter_sheet(size: int) -> bytes:
    templates = json.loads((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_text())["data"]
    models = []
    for index in range(size):
        model = json.loads(json.dumps(templates[index % len(templates)]))
        model["id"] = f"{model['id']}-{index}"
        model["name"] = f"{model['name']} #{index}"
        pricing = model["pricing"]
        if pricing.get("prompt") == "-1":
            pricing.update(prompt="0.000001", completion="0.000002")
        pricing["prompt"] = str(Decimal(pricing["prompt"]) + Decimal(index) / Decimal(10**10))
        models.append(model)
    return json.dumps({"data": models}).encode()


def litellm_map(size: int) -> bytes:
    raw = json.loads((FIXTURES / "litellm/model_prices_and_context_window.sample.json").read_text())
    templates = [
        v
        for v in raw.values()
        if isinstance(v, dict) and v.get("mode") == "chat" and "input_cost_per_token" in v
    ]
    document = {}
    for index in range(size):
        entry = dict(templates[index % len(templates)])
        entry["input_cost_per_token"] = float(entry["input_cost_per_token"]) + index * 1e-12
        document[f"provider-{index % 40}/model-{index}"] = entry
    return json.dumps(document).encode()


def fetch_once(database, spec, body: bytes):
    options = FetchOptions(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)))
    start = time.perf_counter()
    summary = fetch_source(database.engine, spec, _NO_CROSSWALK, options)
    elapsed = time.perf_counter() - start
    assert summary.status == "ok", summary
    return elapsed, summary


def baseline_insert(kind, spec, body: bytes, folder: Path) -> tuple[float, int]:
    """The same rows through plain sqlite3.executemany (parsing is not timed)."""
    result = get_kind(kind).parse(Response(spec.url, 200, {}, body), spec)
    offerings = [
        (spec.id, o.provider, o.offering_id, o.name, o.lab, "2026-01-01", "2026-01-01")
        for o in result.offerings
    ]
    intervals = []
    for number, offering in enumerate(result.offerings, start=1):
        for segment in offering.segments:
            intervals.append(
                (
                    number,
                    str(segment.tier),
                    *segment_prices(segment),
                    "2026-01-01",
                    "2026-01-01",
                    "2026-01-01",
                    "observed",
                    spec.url,
                    spec.evidence,
                )
            )
    path = folder / f"baseline-{kind}.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "create table offering (id integer primary key, source_id text, provider text, "
        "offering_id text, name text, lab text, first_seen_at text, last_seen_at text, "
        "unique (source_id, provider, offering_id))"
    )
    price_columns = ", ".join(f"{name}_nusd integer" for name in PRICE_FIELDS)
    connection.execute(
        f"create table price_interval (id integer primary key, offering_pk integer, tier text, "
        f"{price_columns}, effective_from text, first_seen_at text, last_seen_at text, basis text, "
        "source_url text, evidence text)"
    )
    placeholders = ", ".join("?" * (2 + len(PRICE_FIELDS) + 6))
    start = time.perf_counter()
    with connection:
        connection.executemany(
            "insert into offering (source_id, provider, offering_id, name, lab, first_seen_at, last_seen_at) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            offerings,
        )
        connection.executemany(
            f"insert into price_interval (offering_pk, tier, {', '.join(f'{n}_nusd' for n in PRICE_FIELDS)}, "
            "effective_from, first_seen_at, last_seen_at, basis, source_url, evidence) "
            f"values ({placeholders})",
            intervals,
        )
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed, len(offerings) + len(intervals)


def parse_only(kind, spec, body: bytes) -> float:
    start = time.perf_counter()
    get_kind(kind).parse(Response(spec.url, 200, {}, body), spec)
    return time.perf_counter() - start


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
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
                seconds, rows = baseline_insert(kind, spec, body, Path(folder))
                base.append(seconds)
                parse.append(parse_only(kind, spec, body))
        median = statistics.median
        print(f"{label}: {len(body):,} bytes, {summary.records} offerings, {rows} rows in the baseline")
        print(f"  plain sqlite3 executemany       {median(base) * 1000:8.1f} ms")
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


from frontier_watch.identity import Identity  # noqa: E402 - after the helpers for readability

_NO_CROSSWALK = Identity({}, {})

if __name__ == "__main__":
    main()
