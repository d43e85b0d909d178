"""The model timeline: the store's evidence for a model, placed on its days, judged day by day.

The store reads every current (not restated) price interval of the model's offerings, each
placed on the days it answers for the model (attribution); analytics/model_timeline.py
evaluates the model answer at each change point and merges equal segments.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from frontier_watch.analytics.model_timeline import Placed, Segment
from frontier_watch.analytics.model_timeline import model_timeline as judge_timeline
from frontier_watch.reports.model_answer import evidence_of
from frontier_watch.store.price_reads import price_history

if TYPE_CHECKING:
    from frontier_watch.store.price_reads import PriceRow
    from frontier_watch.store.reading import Reader


def model_timeline(reader: Reader, model: str, *, family: bool = False) -> list[Segment]:
    """The reference price's segments of ``model`` (``family``: every model whose id starts
    with it) per seller and tier. Raises AmbiguousModel for a name matching several models."""
    return judge_timeline(placed_of(price_history(reader, model, family=family, include_superseded=False)))


def placed_of(rows: Iterable[PriceRow]) -> list[Placed]:
    """The attributed price pieces as evidence on days; a piece that answers for no day is left out."""
    rows = [row for row in rows if row["model_id"] is not None and not _answers_for_no_day(row)]
    evidence = evidence_of(rows)
    return [
        Placed(
            row["model_id"],
            row["model_name"] or row["model_id"],
            item,
            _first_day(row["answers_from"]),
            _end_day(row["answers_to"]),
        )
        for row, item in zip(rows, evidence, strict=True)
    ]


def _answers_for_no_day(row: PriceRow) -> bool:
    return (row["clipped"] or "").startswith("answers for no day")


def _first_day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def _end_day(moment: datetime | None) -> date | None:
    """The first day no longer answered for: an end within a day still answers that day."""
    if moment is None:
        return None
    return moment.date() if moment.time() == time(0) else moment.date() + timedelta(days=1)
