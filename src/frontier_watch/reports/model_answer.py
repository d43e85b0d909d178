"""The model answer on a day: the store's evidence for a model, judged by analytics/model_answer.py.

The store reads every price of the model in force that day (all offerings that resolve to
it, across sources, each placed on its days by attribution); the pure function picks one
reference per seller and tier and gives every other row its verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from frontier_watch.analytics.model_answer import Evidence, ModelAnswer
from frontier_watch.analytics.model_answer import model_answers as judge_answers
from frontier_watch.store.price_reads import prices_as_of

if TYPE_CHECKING:
    from frontier_watch.store.price_reads import PriceRow
    from frontier_watch.store.reading import Reader


def model_answers(
    reader: Reader, model: str, as_of: datetime, *, tier: str | None = None
) -> list[ModelAnswer]:
    """One answer per seller and tier of ``model`` on ``as_of`` (``tier``: that tier only).

    ``model`` is found as ``prices --model`` finds it (AmbiguousModel for a name matching
    several models); its rows are every offering's price that answers for it that day.
    """
    return judge_answers(evidence_of(prices_as_of(reader, as_of, model=model, tier=tier)))


def evidence_of(rows: Iterable[PriceRow]) -> list[Evidence]:
    """The store's price rows as the plain evidence rows the model answer judges."""
    return [
        Evidence(
            source=row["source"],
            provider=row["provider"],
            tier=row["tier"],
            offering_id=row["offering_id"],
            input=row["input"],
            output=row["output"],
            basis=row["basis"],
            effective_from=row["effective_from"],
            effective_to=row["effective_to"],
            lab=row["lab"],
            platform=row["platform"],
            flag=row["flag"],
            source_url=row["source_url"],
        )
        for row in rows
    ]
