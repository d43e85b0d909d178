"""The public shape of the model answer (``prices``): one row per model, seller, tier and
variant with the reference price, its why and the evidence behind it, and ``prices --offerings``.

Beside public_rows.py, whose price row (``price_record``) each answer row extends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frontier_watch.render.public_rows import PRICE_MONEY, Column, Listing, NamedRow, day_column, price_record

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


def model_answer_record(
    reference: NamedRow,
    why: str,
    evidence: Sequence[tuple[NamedRow, str, str | None]],
    *,
    variant: str = "",
    for_table: bool = False,
) -> dict[str, Any]:
    """A model answer in the public shape of ``prices --json``: the reference row's keys (as
    ``price_record``) with ``variant`` after ``tier``, its ``why``, and ``evidence``: every row
    behind it, the reference first, each with its verdict (reference, agrees, stale, undated,
    outlier) and a note where it differs.

    ``evidence`` here is the array; a row's evidence kind (official-announcement, ...) is in
    ``prices --offerings --json``. ``for_table`` adds ``remark`` and leaves the array out.
    """
    record = with_variant(price_record(reference, for_table=for_table), variant)
    record["verdict"] = "reference"
    record["outlier"] = None
    record["why"] = why
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
        *PRICE_MONEY,
        Column("verdict", "verdict"),
        day_column("answers_from", "from", priority=3),
        day_column("answers_to", "to", priority=4),
        Column("basis", "basis", priority=5),
        Column("remark", "remark", priority=3),
    ),
    "no prices",
)


def showing_tier_and_variant(listing: Listing, rows: Sequence[dict[str, Any]]) -> Listing:
    """The listing with its tier column kept at any width when some row's tier is not
    ``default`` (a batch or off-peak price must never pass for the standard one), and left
    out first when every row's is (a column saying ``default`` on each line tells nothing);
    its variant column likewise kept when some row has a variant (a regional or 32k price
    must never pass for the plain one), and left out when none has (it would be empty)."""
    plain_tier = all(row.get("tier") in (None, "default") for row in rows)
    with_variants = any(row.get("variant") for row in rows)
    columns = []
    for column in listing.columns:
        if column.key == "tier":
            column = column._replace(priority=_LEAST if plain_tier else 1)
        elif column.key == "variant":
            if not with_variants:
                continue
            column = column._replace(priority=1)
        columns.append(column)
    return Listing(tuple(columns), listing.empty)


_LEAST = 9  # a priority below every listing's own
