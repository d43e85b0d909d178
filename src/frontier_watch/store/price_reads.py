"""Price reads: what an offering cost when, each row attributed to the model it answered for.

Plain SQL through a :class:`~frontier_watch.store.reading.Reader`, the same text on SQLite
and PostgreSQL, prices as exact Decimals (USD per million tokens), so the caller chooses how
to show them (table, JSON, CSV, dashboard). Attribution (price_attribution.py) places each
row on the days it answers for.

The interval table is the one that grows for years, so every question about it reaches
intervals through an index: the open intervals through a partial index of their own,
intervals that end later through an index on their end, and a model's intervals through
its offerings (found first, in the small offering table).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from frontier_watch.domain import money
from frontier_watch.domain.disagreements import mark_outliers
from frontier_watch.domain.record import Record
from frontier_watch.domain.vocabulary import PRICE_FIELDS
from frontier_watch.store.bound_lists import in_list
from frontier_watch.store.kind_reads import fill_kinds
from frontier_watch.store.model_lookup import load_lives, load_spans, resolve_models
from frontier_watch.store.price_attribution import Attribution
from frontier_watch.store.reading import Reader


def _price_select(i: str) -> str:
    """The SELECT list of a price row, the interval rows being ``i`` (the table or the rows in force)."""
    prices = ", ".join(f"{i}.{name}_nusd" for name in PRICE_FIELDS)
    return f"""
SELECT o.model_id, m.name AS model_name, m.lab, o.source_id AS source, o.provider, o.platform, o.offering_id,
       o.name AS offering_name, o.withdrawn_at, o.deprecation_date, o.id AS offering_pk,
       {i}.id AS interval_id, {i}.tier, {prices},
       {i}.effective_from, {i}.effective_to, {i}.first_seen_at, {i}.last_seen_at, {i}.basis, {i}.source_url,
       {i}.evidence, {i}.confidence, {i}.date_precision, {i}.note, {i}.superseded_at,
       pf.flag, pf.reason AS flag_reason, o.kind AS offering_kind,
       NULL AS answers_from, NULL AS answers_to, NULL AS clipped, NULL AS outlier, NULL AS verdict,
       NULL AS kind
"""


def _price_from(i: str, table: str = "") -> str:
    """The FROM of a price row: the intervals ``i`` (``table`` named ``i``, or the rows ``i``)
    with their offering, model and flag."""
    return (
        f"FROM {table} {i} JOIN offering o ON {i}.offering_pk = o.id LEFT JOIN model m ON o.model_id = m.id "
        f"LEFT JOIN price_flag pf ON pf.interval_id = {i}.id"
    )


# The interval may have begun by :as_of. An interval with no start date is kept here and
# placed by attribution.py: it answers from when its source was first seen to carry it.
_STARTED = "(i.effective_from <= :as_of OR i.effective_from IS NULL)"


class PriceRow(Record):
    """One price interval with its offering and model, prices as exact Decimals (USD per million)."""

    __slots__ = ()


def _price_values(reader: Reader, sql: str, params: dict[str, Any]) -> tuple[dict[str, int], list[list[Any]]]:
    """The rows of a price SELECT as lists (prices as Decimals), and the layout of their fields."""
    names, rows = reader.stream(sql, params)
    nano = [names.index(f"{name}_nusd") for name in PRICE_FIELDS]
    fields = [name.removesuffix("_nusd") if name.endswith("_nusd") else name for name in names]
    layout = {name: index for index, name in enumerate(fields)}
    if PriceRow.FIELDS != layout:
        PriceRow.FIELDS = layout  # the same SELECT list every time; set on first use
    model_name, offering_name = layout["model_name"], layout["offering_name"]
    # Columns with few distinct values hold one string object each, not one per row.
    shared = [layout[name] for name in _FEW_VALUES if name in layout]
    strings: dict[Any, Any] = {}
    from_nano = money.from_nano
    result = []
    for values in rows:
        for index in nano:
            values[index] = from_nano(values[index])
        for index in shared:
            values[index] = strings.setdefault(values[index], values[index])
        values[model_name] = values[model_name] or values[offering_name]
        result.append(values)
    return layout, result


_FEW_VALUES = (
    "model_id",
    "model_name",
    "lab",
    "source",
    "provider",
    "platform",
    "tier",
    "basis",
    "source_url",
    "evidence",
    "confidence",
    "date_precision",
    "note",
    "flag",
    "flag_reason",
    "offering_kind",
)


def prices_as_of(
    reader: Reader,
    as_of: datetime,
    *,
    model: str | None = None,
    family: bool = False,
    source: str | None = None,
    tier: str | None = None,
    disagreeing: bool = False,
    kinds: Collection[str] | None = None,
) -> list[PriceRow]:
    """Every offering's price in force at ``as_of`` (future-dated prices excluded); with
    ``disagreeing`` only those in groups where sources disagree; with ``kinds`` only the prices
    of models of those kinds (model_kind.py; None: every kind).

    Each row answers for the model its offering served that day and only within that model's
    life (attribution.py), and says what kind of model that is (``kind``); where sources disagree
    for the same model, tier, seller and offering, the outlier says so (disagreements.py).
    Raises AmbiguousModel for a name matching several models.
    """
    params: dict[str, Any] = {"as_of": as_of}
    narrow = ""
    wanted = None
    if model:
        query = resolve_models(reader, model, family=family)
        narrow += f" AND i.offering_pk IN {query.offerings_sql}"
        params.update(query.params)
        wanted = query.models
    if tier:
        narrow += " AND i.tier = :tier"
        params["tier"] = tier
    source_filter = ""
    if source:
        source_filter = " AND o.source_id = :source"
        params["source"] = source
    if model:
        live = _LIVE_OF_OFFERINGS
    else:
        ending_later = reader.scalar(
            "SELECT count(*) FROM (SELECT 1 FROM price_interval "
            "WHERE superseded_at IS NULL AND effective_to > :as_of LIMIT :limit) later",
            {"as_of": as_of, "limit": RANGE_PATH_LIMIT},
        )
        live = _LIVE_BY_RANGE if ending_later < RANGE_PATH_LIMIT else _LIVE_BY_SEEK
    sql = f"""
WITH {live.format(started=_STARTED, narrow=narrow)}
{_price_select("live")}
{_price_from("live")}
WHERE 1 = 1{source_filter}
ORDER BY lower(coalesce(m.name, o.name)), o.source_id, o.provider, o.offering_id, live.tier
"""
    layout, rows = _price_values(reader, sql, params)
    attribute = Attribution(reader, layout, rows)
    in_force = [values for values in rows if attribute.on(values, as_of, wanted)]
    fill_kinds(reader, layout, in_force)
    if kinds is not None:
        kind = layout["kind"]
        in_force = [values for values in in_force if values[kind] in kinds]
    if any(values[layout["offering_pk"]] in attribute.spans for values in in_force):
        in_force.sort(key=lambda values: _ORDER(layout, values))  # a moved model sorts by its own name
    mark_outliers(layout, in_force)
    verdict = layout["verdict"]
    return [PriceRow(values) for values in in_force if not disagreeing or values[verdict] is not None]


def _ORDER(layout: dict[str, int], values: list[Any]) -> tuple:
    return tuple(
        str(values[layout[name]] or "").lower()
        for name in ("model_name", "source", "provider", "offering_id", "tier")
    )


# Intervals in force on a day, three ways to the same answer. For a few models, every
# interval of their offerings is read through the offering index and filtered: a model's
# history is short next to the table. For a recent day few intervals
# end later, so the open intervals (their own partial index) and those ending later (the
# end index) are read directly. For an old day most intervals end later; then each offering
# and tier's latest interval starting by that day is sought in the (offering, tier, start)
# index, and intervals without a start come from their own small partial index.
RANGE_PATH_LIMIT = 20_000
_LIVE_OF_OFFERINGS = """live AS (
    SELECT i.* FROM price_interval i
    WHERE i.superseded_at IS NULL AND {started}
      AND (i.effective_to IS NULL OR i.effective_to > :as_of){narrow}
)"""
_LIVE_BY_RANGE = """live AS (
    SELECT i.* FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to IS NULL AND {started}{narrow}
    UNION ALL
    SELECT i.* FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to > :as_of AND {started}{narrow}
)"""
_LIVE_BY_SEEK = """pairs AS (
    SELECT DISTINCT i.offering_pk, i.tier FROM price_interval i WHERE 1 = 1{narrow}
), live AS (
    SELECT i.* FROM pairs p JOIN price_interval i ON i.id = (
        SELECT x.id FROM price_interval x
        WHERE x.offering_pk = p.offering_pk AND x.tier = p.tier AND x.superseded_at IS NULL
          AND x.effective_from <= :as_of
        ORDER BY x.effective_from DESC LIMIT 1)
    WHERE i.effective_to IS NULL OR i.effective_to > :as_of
    UNION ALL
    SELECT i.* FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_from IS NULL AND {started}
      AND (i.effective_to IS NULL OR i.effective_to > :as_of){narrow}
)"""
# (In the query plan the table is "i"; the rows in force are "live", so a full scan of the
# interval table shows as "SCAN i" with no index.)


def price_history(
    reader: Reader, model: str, *, family: bool = False, include_superseded: bool = True
) -> list[PriceRow]:
    """Every interval of the models asked for, oldest first per offering: an interval a moving
    alias served several models with is one row per model, and each row says which days it
    answers for when that is narrower than the source's dates (and why)."""
    live = "" if include_superseded else " AND i.superseded_at IS NULL"
    query = resolve_models(reader, model, family=family)
    sql = f"""
{_price_select("i")}
{_price_from("i", "price_interval")}
WHERE i.offering_pk IN {query.offerings_sql}{live}
ORDER BY o.model_id, o.source_id, o.provider, o.offering_id, i.tier,
         i.effective_from IS NOT NULL, i.effective_from, i.first_seen_at
"""
    layout, rows = _price_values(reader, sql, query.params)
    attribute = Attribution(reader, layout, rows)
    pieces = [piece for values in rows for piece in attribute.pieces(values, query.models)]
    fill_kinds(reader, layout, pieces)
    return [PriceRow(values) for values in pieces]


def price_pieces(
    reader: Reader,
    model_ids: Sequence[str] | None = None,
    *,
    ending_after: datetime | None = None,
    ended_by: datetime | None = None,
) -> list[PriceRow]:
    """The current (not restated) price history of these models (all models: None), each
    interval split into the pieces it answers for: the input of trends and comparisons.

    Offerings are read when their own model is asked for or a moving alias of theirs served
    one; each piece keeps only the days it answers for the model it is attributed to.
    ``ending_after``: only the intervals still in force after then (open, or ending later),
    read through the indexes of each, so a window's read does not grow with the history;
    ``ended_by``: only those that ended by then (the rest of the history).
    """
    params: dict[str, Any] = {}
    i = "i" if ending_after is None else "later"  # the interval rows: the table, or those in force later
    narrow = ""
    if ending_after is not None:
        params["ending_after"] = ending_after
    if ended_by is not None:
        narrow += f" AND {i}.effective_to <= :ended_by"
        params["ended_by"] = ended_by
    wanted = None
    if model_ids is not None:
        wanted = frozenset(model_ids)
        if not wanted:
            return []
        spans = load_spans(reader)
        moved = sorted(pk for pk, items in spans.items() if any(span.model_id in wanted for span in items))
        narrow += (
            f" AND (o.model_id IN ({in_list(sorted(wanted), 'pm', params)})"
            + (f" OR o.id IN ({in_list(moved, 'po', params)})" if moved else "")
            + ")"
        )
    sql = f"""{_ENDING_LATER if ending_after is not None else ""}
{_price_select(i)}
{_price_from(i, "price_interval" if ending_after is None else "")}
WHERE {i}.superseded_at IS NULL{narrow}
ORDER BY o.model_id, o.source_id, o.provider, o.offering_id, {i}.tier,
         {i}.effective_from IS NOT NULL, {i}.effective_from, {i}.first_seen_at
"""
    layout, rows = _price_values(reader, sql, params)
    attribute = Attribution(reader, layout, rows)
    pieces = [piece for values in rows for piece in attribute.pieces(values, wanted)]
    fill_kinds(reader, layout, pieces)
    return [PriceRow(values) for values in pieces]


_ENDING_LATER = """WITH later AS (
    SELECT i.* FROM price_interval i WHERE i.superseded_at IS NULL AND i.effective_to IS NULL
    UNION ALL
    SELECT i.* FROM price_interval i WHERE i.superseded_at IS NULL AND i.effective_to > :ending_after
)"""


def all_price_history(reader: Reader, *, started_by: datetime | None = None) -> list[PriceRow]:
    """Every stored interval of every offering (matched or not), as ``price_history`` shows one
    model's; ``started_by`` keeps the intervals in force by then (starting then or earlier)."""
    started = ""
    params: dict[str, Any] = {}
    if started_by is not None:
        started = " WHERE (i.effective_from IS NULL OR i.effective_from <= :started_by)"
        params["started_by"] = started_by
    sql = f"""
{_price_select("i")}
{_price_from("i", "price_interval")}{started}
ORDER BY o.model_id, o.source_id, o.provider, o.offering_id, i.tier,
         i.effective_from IS NOT NULL, i.effective_from, i.first_seen_at
"""
    layout, rows = _price_values(reader, sql, params)
    attribute = Attribution(reader, layout, rows)
    pieces = [piece for values in rows for piece in attribute.pieces(values)]
    fill_kinds(reader, layout, pieces)
    return [PriceRow(piece) for piece in pieces]


def models_touched_since(reader: Reader, since: datetime) -> set[str]:
    """The models whose price may have changed on or after ``since``: a price of one of their
    offerings begins then (an undated one: first seen then) or ends then or later, a moving
    alias of theirs moved then, or their life began or ended then (attribution's bounds).

    A price that began by then is open or ends later, so the intervals come from the open
    intervals' and the interval ends' indexes: the read grows with the window, not the history.
    """
    _, rows = reader.tuples(_TOUCHED_OFFERINGS, {"since": since})
    touched = {model_id for _, model_id in rows if model_id}
    pks = {pk for pk, _ in rows}
    for pk, spans in load_spans(reader).items():
        moved = any(
            (span.valid_from is not None and span.valid_from >= since)
            or (span.valid_to is not None and span.valid_to >= since)
            for span in spans
        )
        if moved or pk in pks:
            touched.update(span.model_id for span in spans)
    day = since.date()
    for model_id, life in load_lives(reader).items():
        if (life.released is not None and life.released >= day) or (
            life.retired is not None and life.retired >= day
        ):
            touched.add(model_id)
    return touched


def prices_begun_since(reader: Reader, since: datetime, limit: int) -> int:
    """How many current prices begin on or after ``since`` (an undated one: first seen then),
    counted up to ``limit``: what a window's read of changes will judge, found through the
    open intervals' and the interval ends' indexes."""
    return int(reader.scalar(_BEGUN_SINCE, {"since": since, "limit": limit}) or 0)


_BEGUN_SINCE = """
SELECT count(*) FROM (
    SELECT 1 FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to IS NULL
      AND (i.effective_from >= :since OR (i.effective_from IS NULL AND i.first_seen_at >= :since))
    UNION ALL
    SELECT 1 FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to > :since AND i.effective_from >= :since
    LIMIT :limit) begun
"""


_TOUCHED_OFFERINGS = """
SELECT o.id, o.model_id FROM offering o WHERE o.id IN (
    SELECT i.offering_pk FROM price_interval i
    WHERE i.superseded_at IS NULL AND i.effective_to IS NULL
      AND (i.effective_from >= :since OR (i.effective_from IS NULL AND i.first_seen_at >= :since))
    UNION
    SELECT i.offering_pk FROM price_interval i WHERE i.superseded_at IS NULL AND i.effective_to >= :since)
"""


def unmatched_offerings(reader: Reader) -> list[dict[str, Any]]:
    """Offerings whose model is none of the canonical models (the crosswalk's own entries)."""
    sql = f"""
SELECT o.source_id AS source, o.provider, o.offering_id, o.name AS offering_name, o.model_id,
       o.first_seen_at, o.withdrawn_at
FROM offering o
WHERE {_UNMATCHED}
ORDER BY o.source_id, o.offering_id
"""
    return reader.rows(sql)


# An offering matches no canonical model: its model is not one the crosswalk names itself.
_UNMATCHED = """o.model_id IS NULL OR o.model_id NOT IN (
    SELECT model_id FROM model_alias WHERE source = '*' AND lower(alias) = model_id)"""


def offering_match_share(reader: Reader) -> tuple[int, int]:
    """(offerings matching no canonical model, all offerings)."""
    total = int(reader.scalar("SELECT count(*) FROM offering") or 0)
    unmatched = int(reader.scalar(f"SELECT count(*) FROM offering o WHERE {_UNMATCHED}") or 0)
    return unmatched, total
