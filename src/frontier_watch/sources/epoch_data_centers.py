"""Epoch AI's frontier data-centre timelines (``data_center_timelines.csv``).

The file is a time series: one row per data centre and date, with the site's power (MW),
its compute in H100 equivalents and its total capital cost so far, as Epoch estimates them
from permits, satellite images and filings. Each row gives up to three signals, keyed by
site, date and metric: ``power capacity`` (category ``power``, MW), ``H100 equivalents``
(``cluster``) and ``total capital cost`` (``capex``, in billions of the dollar year the
header names). Zero rows are kept: a site at 0 MW on the day land clearing began is where
its series starts. The construction status goes into the notes.
"""

from __future__ import annotations

import re

from frontier_watch.domain.batch import Batch, SignalFact
from frontier_watch.sources.epoch_csv import Measure, SignalCollector, Wanted, day, read_table
from frontier_watch.sources.kind import Response, SourceKind
from frontier_watch.sources.spec import SourceSpec

WHAT = "Epoch data-centre timelines CSV"

_CAPITAL_COST = re.compile(r"total capital cost \((\d{4}) usd billions\)")
COLUMNS = {
    "date": Wanted("Date"),
    "site": Wanted("Data center"),
    "status": Wanted("Construction status"),
    "power": Wanted("Power (MW)"),
    "h100e": Wanted("H100 equivalents"),
    "capex": Wanted("Total capital cost (2025 USD billions)", (_CAPITAL_COST,)),
}
POWER_CAPACITY = "power capacity"
H100_EQUIVALENTS = "H100 equivalents"
TOTAL_CAPITAL_COST = "total capital cost"


def parse(response: Response, spec: SourceSpec) -> Batch:
    table = read_table(response.body, WHAT, COLUMNS)
    dollars = _CAPITAL_COST.fullmatch(" ".join(table.headers["capex"].split()).casefold())
    capex_unit = f"billion USD ({dollars[1]} dollars)" if dollars else "billion USD"
    measures = (
        Measure("power", POWER_CAPACITY, "MW", "power"),
        Measure("h100e", H100_EQUIVALENTS, "H100 equivalents", "cluster"),
        Measure("capex", TOTAL_CAPITAL_COST, capex_unit, "capex"),
    )
    collector = SignalCollector(WHAT)
    for row in table.rows:
        site = row["site"]
        if row.problem:
            collector.skip(site or f"line {row.line}", row.line, row.problem)
            continue
        if not site:
            collector.skip(f"line {row.line}", row.line, "no data centre name")
            continue
        try:
            dated = day(row["date"])
        except ValueError as exc:
            collector.skip(site, row.line, f"Date: {exc}")
            continue
        if dated is None:
            collector.skip(site, row.line, "no date")
            continue
        when, precision = dated
        template = SignalFact(
            key=f"{site}|{when.isoformat()}",
            date=when,
            date_precision=precision,
            entity=site,
            item=site,
            notes=f"Epoch: {row['status']}" if row["status"] else None,
        )
        collector.measures(row, site, measures, template)
    return collector.batch


KIND = SourceKind(name="epoch-data-centers", parse=parse, produces=frozenset({"signals"}))
