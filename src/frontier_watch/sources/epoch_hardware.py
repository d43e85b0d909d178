"""Epoch AI's machine-learning hardware (``ml_hardware.csv``): accelerators and their specifications.

One signal per chip and specification, dated by the chip's release date (category
``chip_launch``, entity the manufacturer): dense BF16/FP16 tensor and FP8 throughput,
memory per board, memory bandwidth, TDP and launch price. Epoch's derived columns
(price-performance, which is ``inf`` for chips with no price) are not read. A chip with no
release date yet (announced, not shipped) is left out and counted in the run's note.
"""

from __future__ import annotations

from frontier_watch.domain.batch import Batch, SignalFact
from frontier_watch.sources.epoch_csv import Measure, SignalCollector, Wanted, day, first_url, read_table
from frontier_watch.sources.kind import Response, SourceKind
from frontier_watch.sources.spec import SourceSpec

WHAT = "Epoch ML hardware CSV"

COLUMNS = {
    "name": Wanted("Hardware name"),
    "maker": Wanted("Manufacturer"),
    "type": Wanted("Type"),
    "date": Wanted("Release date"),
    "price": Wanted("Release price (USD)"),
    "bf16": Wanted("Tensor-FP16/BF16 performance (FLOP/s)"),
    "fp8": Wanted("FP8 performance (FLOP/s)"),
    "memory": Wanted("Memory size per board (Byte)"),
    "bandwidth": Wanted("Memory bandwidth (byte/s)"),
    "tdp": Wanted("TDP (W)"),
    "link": Wanted("Link to datasheet"),
}
MEASURES = (
    Measure("bf16", "BF16 tensor performance", "FLOP/s", "chip_launch"),
    Measure("fp8", "FP8 performance", "FLOP/s", "chip_launch"),
    Measure("memory", "memory per board", "bytes", "chip_launch"),
    Measure("bandwidth", "memory bandwidth", "bytes/s", "chip_launch"),
    Measure("tdp", "TDP", "W", "chip_launch"),
    Measure("price", "release price", "USD", "chip_launch"),
)


def parse(response: Response, spec: SourceSpec) -> Batch:
    table = read_table(response.body, WHAT, COLUMNS)
    collector = SignalCollector(WHAT)
    undated = 0
    for row in table.rows:
        name = row["name"]
        if row.problem:
            collector.skip(name or f"line {row.line}", row.line, row.problem)
            continue
        if not name:
            collector.skip(f"line {row.line}", row.line, "no hardware name")
            continue
        try:
            dated = day(row["date"])
        except ValueError as exc:
            collector.skip(name, row.line, f"Release date: {exc}")
            continue
        if dated is None:
            undated += 1
            continue
        when, precision = dated
        notes = [f"Epoch type: {row['type']}"] if row["type"] else []
        datasheet = first_url(row["link"])
        if datasheet:
            notes.append(f"datasheet {datasheet}")
        template = SignalFact(
            key=name,
            date=when,
            date_precision=precision,
            entity=row["maker"] or "unknown",
            item=name,
            notes="; ".join(notes) or None,
        )
        collector.measures(row, name, MEASURES, template)
    if undated:
        collector.batch.notes.append(f"{undated} chips have no release date yet: not stored")
    return collector.batch


KIND = SourceKind(name="epoch-hardware", parse=parse, produces=frozenset({"signals"}))
