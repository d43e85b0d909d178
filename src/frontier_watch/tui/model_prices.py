"""What the Prices screen reads, as plain rows and figures (no Textual here).

The screen lists the model answer (``reports/model_answer.py``), as ``prices`` does: one row
per model, seller and tier with the reference price and why. The same read gives every
offering's row with its verdict in its model's answer (``prices --offerings``), for the
toggle. A model row's detail is the model's timeline for its seller and tier
(``reports/model_timeline.py``) as a step chart, and the evidence behind its answer.

Both kinds of row are tuples under the public keys (``PublicPriceRow``): thousands are held.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from frontier_watch.analytics.model_answer import REFERENCE
from frontier_watch.domain.model_kind import DEFAULT_KINDS
from frontier_watch.domain.variants import offering_variant
from frontier_watch.render import answer_rows, public_rows
from frontier_watch.reports.model_answer import Answered, answers_by_model, verdicts_by_row
from frontier_watch.store import price_reads
from frontier_watch.store.reading import Reader

if TYPE_CHECKING:
    from frontier_watch.analytics.model_timeline import Segment
    from frontier_watch.render.charts import Chart

DEFAULT_TIER = "default"


class PriceScreenRows(NamedTuple):
    """One read of the Prices screen: its model rows and its offering rows, of the same prices."""

    models: list[ModelRow]
    offerings: list[OfferingRow]


class OfferingRow(public_rows.PublicPriceRow):
    """A price row under its public keys, its ``verdict`` that of its model's answer (reference,
    agrees, stale, undated, outlier; None: in no answer) and ``why`` that verdict's note, as
    ``prices --offerings`` gives them; ``tier_shown`` is the tier cell (blank for ``default``)."""

    __slots__ = ()

    def as_record(self) -> dict[str, Any]:
        """The row in the public shape of ``prices --offerings --json``."""
        record = answer_rows.with_variant(super().as_record(), self["variant"])
        record["why"] = self.get("why")
        return record


class ModelRow(public_rows.PublicPriceRow):
    """A model answer as a row: its reference's price row under the public keys (``verdict``
    reference), ``why``, ``tier_shown`` (the tier cell), ``searched`` (every offering and source
    behind the answer, for the filter) and ``answered`` (the store rows behind it)."""

    __slots__ = ()

    def as_record(self) -> dict[str, Any]:
        """The answer in the public shape of ``prices --json``, its ``evidence`` array included."""
        answered: Answered = self["answered"]
        evidence = [(judged.row, judged.verdict, judged.note) for judged in answered.evidence]
        return answer_rows.model_answer_record(
            answered.reference,
            answered.answer.why,
            evidence,
            variant=answered.answer.variant,
            reference=answered.has_reference,
        )


def shown_tier(tier: str | None, variant: str = "") -> str:
    """The tier as its table cell, short enough to always show at 80 columns: blank for
    ``default``, ``long-context>200k`` as ``ctx>200k`` (the line under the table says it whole),
    and the variant after it (``regional``, ``32k context``) so no price point passes for the
    plain one."""
    shown = "" if tier in (None, DEFAULT_TIER) else str(tier).replace("long-context", "ctx", 1)
    return " ".join(part for part in (shown, variant) if part)


def price_rows(
    reader: Reader, now: datetime, kinds: Collection[str] | None = DEFAULT_KINDS
) -> PriceScreenRows:
    """Every price in force at ``now`` of the models of ``kinds`` (the default: language models,
    as ``prices`` shows them; None: every kind): the model rows and the offering rows (see the
    module)."""
    rows = price_reads.prices_as_of(reader, now, kinds=kinds)
    public = public_rows.public_price_rows(rows)
    if not public:
        return PriceScreenRows([], [])
    layout = public_rows.PublicPriceRow.FIELDS
    _lay_out(OfferingRow, layout, ("why", "tier_shown", "variant"))
    _lay_out(ModelRow, layout, ("why", "tier_shown", "searched", "answered", "variant"))
    answered = answers_by_model(rows)
    shown = {id(row): item for row, item in zip(rows, public, strict=True)}
    return PriceScreenRows(
        [model_row(item, shown[id(item.reference)]) for item in answered],
        offering_rows(rows, public, answered),
    )


def _lay_out(kind: type[public_rows.PublicPriceRow], layout: dict[str, int], extra: Sequence[str]) -> None:
    fields = {**layout, **{name: len(layout) + index for index, name in enumerate(extra)}}
    if kind.FIELDS != fields:
        kind.FIELDS = fields  # the same SELECT list every time


def model_row(item: Answered, reference: public_rows.PublicPriceRow) -> ModelRow:
    """One model answer as a row, from its reference's public row (see ModelRow)."""
    values = list(reference)
    layout = public_rows.PublicPriceRow.FIELDS
    values[layout["verdict"]] = REFERENCE
    values[layout["outlier"]] = None
    # The filter finds a model by any of its offerings and sources, not only the reference's.
    searched = {part for one in item.evidence for part in (one.row["offering_id"], one.row["source"])}
    variant = item.answer.variant
    values += [
        item.answer.why,
        shown_tier(item.answer.tier, variant),
        " ".join(sorted(searched)),
        item,
        variant,
    ]
    return tuple.__new__(ModelRow, values)


def offering_rows(
    rows: Sequence[Any], public: Sequence[public_rows.PublicPriceRow], answered: Sequence[Answered]
) -> list[OfferingRow]:
    """Every store price row under its public keys, with its verdict and that verdict's note."""
    verdicts = verdicts_by_row(answered)
    layout = public_rows.PublicPriceRow.FIELDS
    at_verdict, at_tier, at_outlier = layout["verdict"], layout["tier"], layout["outlier"]
    result = []
    for row, shown in zip(rows, public, strict=True):
        values = list(shown)
        judged = verdicts.get(id(row))
        values[at_verdict] = judged.verdict if judged else None
        values[at_outlier] = answer_rows.outlier_note(values[at_verdict], judged.note if judged else None)
        variant = offering_variant(row["offering_id"], row["model_id"])
        values.append(judged.note if judged else None)
        values.append(shown_tier(values[at_tier], variant))
        values.append(variant)
        result.append(tuple.__new__(OfferingRow, values))
    return result


# ---------------------------------------------------------------- the detail pane


class Timeline(NamedTuple):
    """A model row's detail: its seller and tier's reference price over time, its chart, and the
    evidence behind today's answer (``prices --json``'s array: each source's row, its verdict)."""

    segments: list[Segment]
    chart: Chart | None
    evidence: list[dict[str, Any]]


def model_detail(reader: Reader, row: ModelRow, today: date) -> Timeline:
    """The timeline of the row's model for its seller and tier, oldest first (the reference
    price's segments, across every offering and source), its step chart up to ``today``, and
    the row's evidence."""
    from frontier_watch.reports.model_timeline import model_timeline

    evidence = row.as_record()["evidence"]
    if not row["model_id"]:
        return Timeline([], None, evidence)  # an offering that answers for itself has no timeline
    try:
        everything = model_timeline(reader, row["model_id"])
    except LookupError:  # the model has gone since the rows were read
        everything = []
    line = (row["model_id"], row["provider"], row["tier"], row["variant"])
    segments = [item for item in everything if item.line == line]
    title = f"{row['model_name']} · {row['provider']}" + (
        f" · {row['tier']}" if row["tier"] != DEFAULT_TIER else ""
    )
    if row["variant"]:
        title += f" · {row['variant']}"
    return Timeline(segments, timeline_chart(segments, f"{title}: reference $/M (log)", today), evidence)


def timeline_chart(segments: Sequence[Segment], title: str, today: date) -> Chart | None:
    """Input and output reference prices as steps over the whole timeline (see ``price_steps``);
    None without a dated segment."""
    spans = [
        Span(segment.start, segment.end, segment.input, segment.output)
        for segment in segments
        if segment.start is not None
    ]
    return price_steps(spans, title, today)


class Span(NamedTuple):
    """A price over [start, end) (end None: still in force)."""

    start: date
    end: date | None
    input: Decimal | None
    output: Decimal | None


def price_steps(spans: Sequence[Span], title: str, today: date) -> Chart | None:
    """Input and output prices as steps on a log scale, oldest span first: each from its start,
    a gap where none is in force, the last held to its end (or ``today``, or its own start when
    that is later). The legend is left to the text beside the chart (``SERIES_COLOURS``): on a
    falling price it would cover the first steps. None without a span."""
    from frontier_watch.render.charts import Chart, Series

    if not spans:
        return None
    days: list[date] = []
    inputs: list[float | None] = []
    outputs: list[float | None] = []
    for index, span in enumerate(spans):
        before = spans[index - 1].end if index else None
        if before is not None and before < span.start:
            days.append(before)  # no price between the two: the line breaks
            inputs.append(None)
            outputs.append(None)
        days.append(span.start)
        inputs.append(_number(span.input))
        outputs.append(_number(span.output))
    last = spans[-1]
    days.append(last.end if last.end is not None else max(today, last.start))
    inputs.append(None)  # the last price ends here
    outputs.append(None)
    series = [
        Series("input $/M", days, inputs, step=True, gaps=True),
        Series("output $/M", days, outputs, step=True, gaps=True),
    ]
    return Chart(title, series, log_scale=True, legend=False)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def offering_detail(reader: Reader, row: Any, today: date) -> dict[str, Any]:
    """An offering row's detail: every interval of its offering and tier, oldest first, and the
    chart of its prices up to ``today``."""
    wanted = (row["source"], row["provider"], row["offering_id"], row["tier"])
    model = row["model_id"] or row["offering_id"]
    try:
        history = price_reads.price_history(reader, model)
    except LookupError:
        history = []
    intervals = [
        public_rows.price_record(item)
        for item in history
        if (item["source"], item["provider"], item["offering_id"], item["tier"]) == wanted
    ]
    return {"intervals": intervals, "chart": interval_chart(intervals, row["model_name"], today)}


def interval_chart(intervals: list[dict[str, Any]], name: str, today: date) -> Chart | None:
    """An offering's prices as steps (``price_steps``), each interval from the day it answers
    from; restated intervals and those with no day are left out. None without one."""
    spans = []
    for interval in intervals:
        start = interval["answers_from"] or interval["effective_from"]
        if interval.get("superseded_at") is not None or start is None:
            continue
        end = interval["answers_to"] or interval["effective_to"]
        spans.append(
            Span(
                _day(start),
                None if end is None else _day(end),
                interval["input_usd_per_mtok"],
                interval["output_usd_per_mtok"],
            )
        )
    spans.sort(key=lambda span: span.start)
    return price_steps(spans, f"{name}: offering price, USD per M tokens (log)", today)


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
