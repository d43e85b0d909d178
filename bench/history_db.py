"""Large databases for the benchmarks, built through the project's own writers.

``build(path, intervals)`` makes a database that looks like years of LiteLLM history: the
3,000 offerings of the synthetic LiteLLM map (bench/sheets.py), each with a run of closed
reconstructed price spans, then the map itself fetched once as a live sheet so every
offering has an open interval. The rows go through ``record_offerings`` and
``fetch_source`` exactly as real data does, so the builder keeps working when the schema
changes. Usage: python bench/history_db.py PATH [INTERVALS]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources import get_kind
from frontier_watch.sources.kind import Response
from frontier_watch.store.database import Database, open_database
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sheets import litellm_map  # noqa: E402

NO_CROSSWALK = Identity({}, {})
HISTORY_START = datetime(2016, 1, 1)
SHEET_TIME = datetime(2026, 11, 1, 6, 0)
OFFERINGS_PER_BATCH = 100


def live_sheet(size: int = 3000) -> bytes:
    return litellm_map(size)


def fetch_sheet(database: Database, body: bytes, observed_at: datetime | None = None):
    """Fetch the sheet through the real fetch path (a mock transport stands in for the network)."""
    spec = load_catalogue()["litellm"]
    options = FetchOptions(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body)))
    if observed_at is not None:  # the history ends where the live sheet begins
        options = replace(options, clock=lambda: observed_at)
    return fetch_source(database.engine, spec, NO_CROSSWALK, options)


def build(path: Path, intervals: int, size: int = 3000) -> Database:
    """A migrated database at ``path`` holding about ``intervals`` price intervals."""
    database = open_database(str(path))
    body = live_sheet(size)
    spec = load_catalogue()["litellm"]
    offerings = get_kind("litellm").parse(Response(spec.url, 200, {}, body), spec).offerings
    spans = max(
        0, intervals // len(offerings) - 1
    )  # closed spans per offering; the live one makes up the rest
    if spans:
        step = (SHEET_TIME - HISTORY_START) / spans
        provenance = Provenance("litellm", Basis.RECONSTRUCTED, spec.url, spec.evidence)
        for first in range(0, len(offerings), OFFERINGS_PER_BATCH):
            batch = []
            for offering in offerings[first : first + OFFERINGS_PER_BATCH]:
                base = offering.segments[0].input or Decimal(1)
                segments = [
                    PriceSegment(
                        input=base * (spans - number) + Decimal(number) / 1000,
                        output=base * 4,
                        effective_from=HISTORY_START + step * number,
                        effective_to=HISTORY_START + step * (number + 1),
                    )
                    for number in range(spans)
                ]
                batch.append(PricedOffering(offering.offering_id, offering.name, offering.provider, segments))
            with database.engine.begin() as connection:
                record_offerings(connection, batch, provenance, observed_at=SHEET_TIME, identity=NO_CROSSWALK)
    summary = fetch_sheet(database, body, SHEET_TIME + timedelta(minutes=1))
    assert summary.status == "ok", summary
    return database


def interval_count(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM price_interval").scalar_one())


def main() -> None:
    path = Path(sys.argv[1])
    intervals = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    start = time.perf_counter()
    database = build(path, intervals)
    print(f"{interval_count(database):,} intervals in {time.perf_counter() - start:.1f} s at {path}")


if __name__ == "__main__":
    main()
