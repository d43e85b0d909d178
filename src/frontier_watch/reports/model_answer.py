"""The model answer on a day: the store's evidence for a model, judged by analytics/model_answer.py.

The store reads every price of the model in force that day (all offerings that resolve to
it, across sources, each placed on its days by attribution); each row's variant comes from
its offering id (domain/variants.py); the pure function picks one reference per seller, tier
and variant and gives every other row its verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from frontier_watch.analytics.model_answer import (
    AGREES,
    REFERENCE,
    Evidence,
    ModelAnswer,
    NoAnswer,
    unanswered,
)
from frontier_watch.analytics.model_answer import model_answers as judge_answers
from frontier_watch.domain.variants import offering_variant
from frontier_watch.store.price_reads import prices_as_of

if TYPE_CHECKING:
    from frontier_watch.store.price_reads import PriceRow
    from frontier_watch.store.reading import Reader


def model_answers(
    reader: Reader, model: str, as_of: datetime, *, tier: str | None = None
) -> list[ModelAnswer]:
    """One answer per seller, tier and variant of ``model`` on ``as_of`` (``tier``: that tier only).

    ``model`` is found as ``prices --model`` finds it (AmbiguousModel for a name matching
    several models); its rows are every offering's price that answers for it that day.
    """
    return judge_answers(evidence_of(prices_as_of(reader, as_of, model=model, tier=tier)))


def evidence_of(rows: Iterable[PriceRow]) -> list[Evidence]:
    """The store's price rows as the plain evidence rows the model answer judges, each with
    the variant its offering id makes it (as a price point of the model it answers for)."""
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
            variant=offering_variant(row["offering_id"], row["model_id"]),
        )
        for row in rows
    ]


class AnsweredRow(NamedTuple):
    """A store price row and its verdict in the answer for its model, seller, tier and variant."""

    row: PriceRow
    verdict: str
    note: str | None


class Answered(NamedTuple):
    """One model answer with the store rows behind it: the reference first, then the evidence.

    For a model with no answer (``answer`` a NoAnswer: every row flagged), ``reference`` is the
    first of its rows, standing for the model, seller and tier; it is not a reference price."""

    answer: ModelAnswer | NoAnswer
    reference: PriceRow
    evidence: list[AnsweredRow]

    @property
    def has_reference(self) -> bool:
        return isinstance(self.answer, ModelAnswer)

    def disagrees(self) -> bool:
        """Two or more sources, and a row that is no flagged row yet differs from the reference."""
        if not self.has_reference or len({item.row["source"] for item in self.evidence}) < 2:
            return False
        return any(
            item.verdict not in (REFERENCE, AGREES) and item.row["flag"] is None for item in self.evidence
        )


def answers_by_model(rows: Sequence[PriceRow]) -> list[Answered]:
    """The answers for every model among ``rows`` (``prices_as_of``'s rows of one day): the rows
    grouped by model id and each group judged by the pure function, no query per model.

    Sorted by model name, then as the pure function sorts (seller, ``default`` tier first, the
    plain variant first). A row with no model id is judged on its own offering (an unmatched
    offering answers for itself). A model with no answer at all (every row flagged) is there
    too, once per seller, tier and variant, with no reference (``Answered.has_reference``
    False) and why.
    """
    groups: dict[Any, list[PriceRow]] = {}
    for row in rows:
        key = row["model_id"] or ("offering", row["source"], row["offering_id"])
        groups.setdefault(key, []).append(row)
    answered: list[Answered] = []
    for members in groups.values():
        evidence = evidence_of(members)
        store_row = {id(item): row for item, row in zip(evidence, members, strict=True)}
        for answer in judge_answers(evidence) or unanswered(evidence):
            judged_rows = [
                AnsweredRow(store_row[id(judged.evidence)], judged.verdict, judged.note)
                for judged in answer.evidence
            ]
            shown = store_row[id(answer.reference)] if isinstance(answer, ModelAnswer) else judged_rows[0].row
            answered.append(Answered(answer, shown, judged_rows))
    answered.sort(
        key=lambda item: ((item.reference["model_name"] or "").lower(), item.reference["model_id"] or "")
    )
    return answered


def verdicts_by_row(answered: Iterable[Answered]) -> dict[int, AnsweredRow]:
    """Each store row's verdict, by the row's ``id()`` (for ``prices --offerings``)."""
    return {id(item.row): item for one in answered for item in one.evidence}
