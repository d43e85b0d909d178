"""Epoch AI's GPU clusters (``gpu_clusters.csv``): size, chips, power and cost of each cluster.

One signal per cluster and measure, dated by the cluster's first operational date
(M/D/YYYY in this file): H100 equivalents and chip count (category ``cluster``), power
capacity (``power``) and hardware cost (``capex``). A cluster Epoch lists as planned keeps
its measures under metrics marked ``(planned)``, so "the largest cluster at a date" never
counts a plan; a plan with no date is left out, and the run's note counts them. Each
signal is keyed by the cluster's name and measure, so a revised row updates its signal
and the old value stays in the history. Epoch's certainty becomes the confidence, and
the source Epoch cites goes into the notes; the evidence is the spec's (Epoch's estimate).
"""

from __future__ import annotations

from frontier_watch.domain.batch import Batch, SignalFact
from frontier_watch.sources.epoch_csv import (
    Measure,
    SignalCollector,
    Wanted,
    day,
    first_url,
    names,
    read_table,
    unquoted,
)
from frontier_watch.sources.kind import Response, SourceKind
from frontier_watch.sources.spec import SourceSpec

WHAT = "Epoch GPU clusters CSV"

COLUMNS = {
    "name": Wanted("Name"),
    "status": Wanted("Status"),
    "certainty": Wanted("Certainty"),
    "owner": Wanted("Owner"),
    "date": Wanted("First Operational Date"),
    "h100e": Wanted("H100 equivalents"),
    "chip": Wanted("Chip type (primary)"),
    "chips": Wanted("Chip quantity (primary)"),
    "power": Wanted("Power Capacity (MW)"),
    "cost": Wanted("Hardware Cost"),
    "source": Wanted("Source 1"),
}

H100_EQUIVALENTS = "H100 equivalents"
MEASURES = (
    Measure("h100e", H100_EQUIVALENTS, "H100 equivalents", "cluster"),
    Measure("chips", "chips", "chips", "cluster"),
    Measure("power", "power capacity", "MW", "power"),
    Measure("cost", "hardware cost", "USD", "capex"),
)
# Epoch's certainty that the cluster exists as described.
CONFIDENCE = {"confirmed": "high", "likely": "medium", "unlikely": "low", "speculative": "low"}


def parse(response: Response, spec: SourceSpec) -> Batch:
    table = read_table(response.body, WHAT, COLUMNS)
    collector = SignalCollector(WHAT)
    undated_plans = 0
    for row in table.rows:
        name = unquoted(row["name"])
        if row.problem:
            collector.skip(name or f"line {row.line}", row.line, row.problem)
            continue
        if not name:
            collector.skip(f"line {row.line}", row.line, "no cluster name")
            continue
        planned = row["status"].casefold() == "planned"
        try:
            dated = day(row["date"])
        except ValueError as exc:
            collector.skip(name, row.line, f"First Operational Date: {exc}")
            continue
        if dated is None:
            if planned:
                undated_plans += 1
            else:
                collector.skip(
                    name, row.line, f"status {row['status'] or 'unknown'!r} but no operational date"
                )
            continue
        when, precision = dated
        template = SignalFact(
            key=name,
            date=when,
            date_precision=precision,
            entity=names(row["owner"]) or "unknown",
            item=name,
            confidence=CONFIDENCE.get(row["certainty"].casefold()),
            notes=_notes(row),
        )
        collector.measures(
            row,
            name,
            MEASURES,
            template,
            metric_suffix=" (planned)" if planned else "",
            units={"chips": row["chip"]},
        )
    if undated_plans:
        collector.batch.notes.append(f"{undated_plans} planned clusters have no operational date: not stored")
    return collector.batch


def _notes(row) -> str:
    parts = [f"Epoch: {row['status'] or 'status not given'}, {row['certainty'] or 'certainty not given'}"]
    cited = first_url(row["source"])
    if cited:
        parts.append(f"Epoch cites {cited}")
    return "; ".join(parts)


KIND = SourceKind(name="epoch-gpu-clusters", parse=parse, produces=frozenset({"signals"}))
