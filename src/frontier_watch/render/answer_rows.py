"""The public shape of the model answer (``prices``): one row per model, seller, tier and
variant with the reference price, its why and the evidence behind it, and ``prices --offerings``;
and which of the tier, variant and kind columns a price table (``prices``, ``history``) needs.

Beside public_rows.py, whose price row (``price_record``) each answer row extends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frontier_watch.render.public_rows import (
    PRICE_MONEY,
    Column,
    Listing,
    NamedRow,
    day_column,
    price_record,
    price_remark,
)

# One item of a model answer's ``evidence`` array (``prices --json``): the row behind it.
ANSWER_EVIDENCE_FIELDS = (
    "source",
    "offering_id",
    "provider",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "basis",
    "effective_from",
    "effective_to",
    "verdict",
    "note",
    "source_url",
)


# What a record without a reference price leaves empty: every key of the one row it is not.
_OF_THE_REFERENCE = (
    "source",
    "offering_id",
    "offering_name",
    "platform",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "reasoning_usd_per_mtok",
    "request_usd",
    "effective_from",
    "effective_to",
    "answers_from",
    "answers_to",
    "clipped",
    "first_seen_at",
    "last_seen_at",
    "basis",
    "source_url",
    "evidence",
    "confidence",
    "flag",
    "flag_reason",
)


def model_answer_record(
    reference_row: NamedRow,
    why: str,
    evidence: Sequence[tuple[NamedRow, str, str | None]],
    *,
    variant: str = "",
    for_table: bool = False,
    reference: bool = True,
) -> dict[str, Any]:
    """A model answer in the public shape of ``prices --json``: the reference row's keys (as
    ``price_record``) with ``variant`` after ``tier``, its ``why``, and ``evidence``: every row
    behind it, the reference first, each with its verdict (reference, agrees, stale, undated,
    outlier) and a note where it differs.

    ``evidence`` here is the array; a row's evidence kind (official-announcement, ...) is in
    ``prices --offerings --json``. ``for_table`` adds ``remark`` and leaves the array out.
    ``reference`` False: the model has no reference price (every row flagged); the record keeps
    the model, seller and tier of the row given, with no prices, dates or verdict, and ``why``.
    """
    record = with_variant(price_record(reference_row, for_table=for_table), variant)
    record["verdict"] = "reference" if reference else None
    record["outlier"] = None
    record["why"] = why
    if not reference:
        for key in _OF_THE_REFERENCE:
            record[key] = None
        if for_table:
            record["remark"] = None
    if for_table:
        del record["evidence"]
        return record
    items = []
    for row, verdict, note in evidence:
        shown = price_record(row)
        item = {key: shown.get(key) for key in ANSWER_EVIDENCE_FIELDS}
        item["verdict"], item["note"] = verdict, note
        items.append(item)
    record["evidence"] = items
    return record


def outlier_note(verdict: str | None, note: str | None) -> str | None:
    """The ``outlier`` field of a judged row: its verdict's note where the row differs from the
    reference (stale, undated, outlier), else nothing."""
    return note if verdict not in (None, "reference", "agrees") else None


def judged_record(
    row: NamedRow, verdict: str | None, note: str | None, *, variant: str = "", for_table: bool = False
) -> dict[str, Any]:
    """A stored row (``prices --offerings``, ``--disagreements``) with its verdict in its model's
    answer and ``why``; ``outlier`` is that note where the row differs from the reference (the
    verdict says how: stale, undated, outlier). None: the row is in no answer."""
    record = with_variant(price_record(row, for_table=for_table), variant)
    record["verdict"], record["why"] = verdict, note
    record["outlier"] = outlier_note(verdict, note)
    if for_table:  # the verdict column says it; the remark keeps the flag and the narrowing
        record["remark"] = price_remark({**record, "outlier": None})
    return record


def with_variant(record: dict[str, Any], variant: str) -> dict[str, Any]:
    """The record with ``variant`` (the offering's price point, "" the plain one) after ``tier``."""
    shown: dict[str, Any] = {}
    for key, value in record.items():
        shown[key] = value
        if key == "tier":
            shown["variant"] = variant
    shown.setdefault("variant", variant)
    return shown


# ``prices``: one row per model, seller, tier and variant, the reference price and why.
MODEL_PRICES = Listing(
    (
        Column("model_name", "model"),
        Column("provider", "seller"),
        Column("tier", "tier", priority=3),
        Column("variant", "variant", priority=3),
        Column("kind", "kind", priority=3),
        *PRICE_MONEY,
        day_column("answers_from", "from", priority=4),
        Column("why", "why"),
        Column("source", "source", priority=5),
        Column("offering_id", "offering", priority=6),
    ),
    "no prices",
)

# ``prices --offerings``: every offering's row, with its verdict in its model's answer. The
# seller, price point and verdict say which answer a row is in and how it stands there, so
# at 80 columns the (shortened) offering id goes before them.
OFFERINGS = Listing(
    (
        Column("model_name", "model"),
        Column("offering_id", "offering", priority=2),
        Column("provider", "provider"),
        Column("source", "source", priority=3),
        Column("tier", "tier", priority=3),
        Column("variant", "variant", priority=3),
        Column("kind", "kind", priority=4),
        *PRICE_MONEY,
        Column("verdict", "verdict"),
        day_column("answers_from", "from", priority=3),
        day_column("answers_to", "to", priority=4),
        Column("basis", "basis", priority=5),
        Column("remark", "remark", priority=3),
    ),
    "no prices",
)


def fitted_to_rows(listing: Listing, rows: Sequence[dict[str, Any]]) -> Listing:
    """The listing with its tier, variant and kind columns as the rows need them.

    Tier is kept at any width when some row's tier is not ``default`` (a batch or off-peak price
    must never pass for the standard one); when every row's is, the column tells nothing on each
    line: it is left out first, and the footer says every row's tier is default rather than
    count it among the columns left out to fit. Variant is kept likewise when some row has one
    (a regional or 32k price must never pass for the plain one), and left out when none has
    (it would be empty). Kind is shown, at any width, only when some row is not a language
    model (a reranker's price must not pass for a language model's either; the views show
    language models unless asked for other kinds).
    """
    columns = []
    for column in listing.columns:
        values = {row.get(column.key) for row in rows} if column.key in ("kind", "tier", "variant") else set()
        if column.key == "kind":
            if values <= {None, "language"}:
                continue
            column = column._replace(priority=1)
        elif column.key == "variant":
            if values <= {None, ""}:
                continue
            column = column._replace(priority=1)
        elif column.key == "tier":
            if values <= {None, "default"}:
                column = column._replace(priority=_LEAST, note="every row's tier is default")
            else:
                column = column._replace(priority=1)
        columns.append(column)
    return Listing(tuple(columns), listing.empty)


_LEAST = 9  # a priority below every listing's own
