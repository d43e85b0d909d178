"""Read-only questions the commands and the dashboard ask of the database.

Plain SQL through a :class:`~frontier_watch.store.reading.Reader`, the same text on SQLite
and PostgreSQL. Each returns dicts with exact Decimal prices (USD per million tokens), so
the caller chooses how to show them (table, JSON, CSV, dashboard).

The interval table is the one that grows for years, so every question about it reaches
intervals through an index: the open intervals through a partial index of their own,
intervals that end later through an index on their end, and a model's intervals through
its offerings (found first, in the small offering table).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from frontier_watch.domain import money
from frontier_watch.domain.attribution import Piece, answering_pieces, piece_on
from frontier_watch.domain.disagreements import mark_outliers
from frontier_watch.domain.vocabulary import PRICE_FIELDS
from frontier_watch.store.model_lookup import load_lives, load_spans, model_labels, resolve_models
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
       pf.flag, pf.reason AS flag_reason,
       NULL AS answers_from, NULL AS answers_to, NULL AS clipped, NULL AS outlier, NULL AS verdict
"""


def _price_from(i: str, table: str = "") -> str:
    """The FROM of a price row: the intervals ``i`` (``table`` named ``i``, or the rows ``i``)
    with their offering, model and flag."""
    return (
        f"FROM {table} {i} JOIN offering o ON {i}.offering_pk = o.id LEFT JOIN model m ON o.model_id = m.id "
        f"LEFT JOIN price_flag pf ON pf.interval_id = {i}.id"
    )


# The interval may have begun by :as_of. An interval with no start date is kept here and
# placed by attribution.py: it answers from its model's release day, or from when first seen.
_STARTED = "(i.effective_from <= :as_of OR i.effective_from IS NULL)"


class Record(tuple):
    """A row as a tuple that also answers by field name: ``row["input"]``, ``row.get("tier")``.

    Thousands of price rows are held at once (the dashboard keeps every current price); a
    tuple takes a third of the memory of the dict it stands in for.
    """

    __slots__ = ()
    FIELDS: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        return tuple.__getitem__(self, self.FIELDS[key] if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None, /) -> Any:
        index = self.FIELDS.get(key)
        return default if index is None else tuple.__getitem__(self, index)

    def keys(self) -> list[str]:
        return list(self.FIELDS)

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self.FIELDS, self, strict=True))


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
) -> list[PriceRow]:
    """Every offering's price in force at ``as_of`` (future-dated prices excluded); with
    ``disagreeing`` only those in groups where sources disagree.

    Each row answers for the model its offering served that day and only within that model's
    life (attribution.py); where sources disagree for the same model, tier and seller, the
    outlier says so (disagreements.py). Raises AmbiguousModel for a name matching several models.
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


class Attribution:
    """Applies attribution.py to price rows as they are read: the model a row answers for, on
    which days, and why its days are narrower than the source's."""

    def __init__(self, reader: Reader, layout: dict[str, int], rows: list[list[Any]]) -> None:
        self.spans = load_spans(reader)
        model_at = layout["model_id"]
        models = {values[model_at] for values in rows if values[model_at]}
        models |= {span.model_id for spans in self.spans.values() for span in spans}
        self.lives = load_lives(reader, models)
        self.labels = model_labels(reader, {span.model_id for spans in self.spans.values() for span in spans})
        self._released = {
            model_id: life.released_at() for model_id, life in self.lives.items() if life.released
        }
        self._retired = {model_id for model_id, life in self.lives.items() if life.retired}
        self._at = layout

    def on(self, values: list[Any], moment: datetime, wanted: frozenset[str] | None = None) -> bool:
        """Place one row on a moment: True (and the row set to its piece) if it answers then."""
        at = self._at
        model_id = values[at["model_id"]]
        start = values[at["effective_from"]]
        spans = self.spans.get(values[at["offering_pk"]])
        if not spans and start is not None and model_id not in self._retired:
            released = self._released.get(model_id)
            if released is None or start >= released:  # most rows: the source's dates stand
                values[at["answers_from"]] = start
                values[at["answers_to"]] = values[at["effective_to"]]
                return wanted is None or model_id in wanted
        piece = piece_on(self._pieces(values, spans), moment)
        if piece is None or (wanted is not None and piece.model_id not in wanted):
            return False
        self._apply(values, piece)
        return True

    def pieces(self, values: list[Any], wanted: frozenset[str] | None = None) -> list[list[Any]]:
        """A row split into the pieces it answers for (history), each a copy set to its piece."""
        spans = self.spans.get(values[self._at["offering_pk"]])
        result = []
        for piece in self._pieces(values, spans):
            if wanted is not None and piece.model_id not in wanted:
                continue
            copy = list(values)
            self._apply(copy, piece)
            result.append(copy)
        return result

    def _pieces(self, values: list[Any], spans) -> list[Piece]:
        at = self._at
        return answering_pieces(
            values[at["effective_from"]],
            values[at["effective_to"]],
            values[at["first_seen_at"]],
            values[at["model_id"]],
            spans or (),
            self.lives,
        )

    def _apply(self, values: list[Any], piece: Piece) -> None:
        at = self._at
        if piece.model_id != values[at["model_id"]]:
            name, lab = self.labels.get(piece.model_id or "", (piece.model_id, None))
            values[at["model_id"]] = piece.model_id
            values[at["model_name"]] = name or values[at["offering_name"]]
            values[at["lab"]] = lab
        if piece.empty:
            values[at["answers_from"]] = values[at["answers_to"]] = None
            values[at["clipped"]] = f"answers for no day: {piece.clipped}"
        else:
            values[at["answers_from"]], values[at["answers_to"]] = piece.start, piece.end
            values[at["clipped"]] = piece.clipped


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
    return [PriceRow(values) for values in pieces]


def price_pieces(reader: Reader, model_ids: Sequence[str] | None = None) -> list[PriceRow]:
    """The current (not restated) price history of these models (all models: None), each
    interval split into the pieces it answers for: the input of trends and comparisons.

    Offerings are read when their own model is asked for or a moving alias of theirs served
    one; each piece keeps only the days it answers for the model it is attributed to.
    """
    params: dict[str, Any] = {}
    narrow = ""
    wanted = None
    if model_ids is not None:
        wanted = frozenset(model_ids)
        if not wanted:
            return []
        spans = load_spans(reader)
        moved = sorted(pk for pk, items in spans.items() if any(span.model_id in wanted for span in items))
        narrow = (
            f" AND (o.model_id IN ({_in_list(sorted(wanted), 'pm', params)})"
            + (f" OR o.id IN ({_in_list(moved, 'po', params)})" if moved else "")
            + ")"
        )
    sql = f"""
{_price_select("i")}
{_price_from("i", "price_interval")}
WHERE i.superseded_at IS NULL{narrow}
ORDER BY o.model_id, o.source_id, o.provider, o.offering_id, i.tier,
         i.effective_from IS NOT NULL, i.effective_from, i.first_seen_at
"""
    layout, rows = _price_values(reader, sql, params)
    attribute = Attribution(reader, layout, rows)
    pieces = [piece for values in rows for piece in attribute.pieces(values, wanted)]
    return [PriceRow(values) for values in pieces]


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
    return [PriceRow(piece) for values in rows for piece in attribute.pieces(values)]


def intervals_changed_since(reader: Reader, since: datetime) -> list[dict[str, Any]]:
    """Every current interval of the offerings that changed since ``since`` (a price began, the
    offering appeared or was withdrawn), earlier ones included so a change has its old price."""
    prices = ", ".join(f"i.{name}_nusd" for name in ("input", "output"))
    rows = reader.rows(
        f"""
SELECT o.id AS offering_pk, i.tier, o.model_id, coalesce(m.name, o.name) AS model_name, o.source_id AS source,
       o.provider, o.offering_id, i.effective_from, i.effective_to, i.first_seen_at, o.withdrawn_at,
       {prices}, i.source_url, pf.flag
FROM price_interval i JOIN offering o ON i.offering_pk = o.id LEFT JOIN model m ON o.model_id = m.id
LEFT JOIN price_flag pf ON pf.interval_id = i.id
WHERE i.superseded_at IS NULL AND i.offering_pk IN (
    SELECT offering_pk FROM price_interval WHERE superseded_at IS NULL AND effective_from >= :since
    UNION SELECT id FROM offering WHERE first_seen_at >= :since OR withdrawn_at >= :since)
ORDER BY o.id, i.tier, i.effective_from
""",
        {"since": since},
    )
    for row in rows:
        for name in ("input", "output"):
            row[f"{name}_usd_per_mtok"] = money.from_nano(row.pop(f"{name}_nusd"))
    return rows


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


def signals(
    reader: Reader,
    *,
    category: str | None = None,
    entity: str | None = None,
    since: date | None = None,
    evidence: str | None = None,
    changed: bool = False,
) -> list[dict[str, Any]]:
    """Stored signals, newest first; ``changed`` keeps only those a source has changed since."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if category:
        conditions.append("category = :category")
        params["category"] = category
    if entity:
        conditions.append("lower(entity) LIKE :entity")
        params["entity"] = f"%{entity.lower()}%"
    if since:
        conditions.append("date >= :since")
        params["since"] = since
    if evidence:
        conditions.append("evidence = :evidence")
        params["evidence"] = evidence
    if changed:
        conditions.append("id IN (SELECT signal_id FROM signal_history)")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return reader.rows(f"SELECT * FROM signal {where} ORDER BY date DESC, entity, id", params)


def signal(reader: Reader, signal_id: int) -> dict[str, Any] | None:
    """One stored signal by id, or None."""
    rows = reader.rows("SELECT * FROM signal WHERE id = :id", {"id": signal_id})
    return rows[0] if rows else None


def signal_history(reader: Reader, signal_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The earlier versions of each signal, oldest first, each with the span it was in force.

    ``in_force_from`` is when the version was first seen (the signal's first sighting, or
    the moment the version before it was replaced); ``replaced_at`` is when a source
    changed it.
    """
    history: dict[int, list[dict[str, Any]]] = {}
    ids = sorted(set(signal_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        slots = ", ".join(f":id_{index}" for index in range(len(chunk)))
        params = {f"id_{index}": signal_id for index, signal_id in enumerate(chunk)}
        rows = reader.rows(
            "SELECT h.*, s.first_seen_at AS signal_first_seen_at FROM signal_history h "
            f"JOIN signal s ON s.id = h.signal_id WHERE h.signal_id IN ({slots}) "
            "ORDER BY h.signal_id, h.replaced_at, h.id",
            params,
        )
        for row in rows:
            versions = history.setdefault(row["signal_id"], [])
            row["in_force_from"] = versions[-1]["replaced_at"] if versions else row["signal_first_seen_at"]
            del row["signal_first_seen_at"]
            versions.append(row)
    return history


def feed_items(
    reader: Reader,
    *,
    unreviewed: bool = True,
    since: date | None = None,
    text: str | None = None,
) -> list[dict[str, Any]]:
    """Feed items waiting for review (or all of them), newest first; ``text`` matches the title."""
    conditions: list[str] = ["reviewed_at IS NULL"] if unreviewed else []
    params: dict[str, Any] = {}
    if since:
        conditions.append("published_at >= :since")
        params["since"] = datetime.combine(since, datetime.min.time())
    if text:
        conditions.append("lower(title) LIKE :text")
        params["text"] = f"%{text.lower()}%"
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return reader.rows(
        f"SELECT * FROM feed_item {where} ORDER BY published_at IS NULL, published_at DESC, id DESC", params
    )


def signal_series(
    reader: Reader,
    *,
    metric: str,
    source: str | None = None,
    item: str | None = None,
    evidence: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """One metric's dated values, item by item (a site, a cluster) and oldest first.

    Each row keeps its evidence, source URL and source, so a trend built on them can say
    what kind of number each point is.
    """
    conditions = ["metric = :metric", "value IS NOT NULL"]
    params: dict[str, Any] = {"metric": metric}
    if source:
        conditions.append("source_id = :source")
        params["source"] = source
    if item:
        conditions.append("lower(item) LIKE :item")
        params["item"] = f"%{item.lower()}%"
    if evidence:
        slots = ", ".join(f":evidence_{index}" for index in range(len(evidence)))
        conditions.append(f"evidence IN ({slots})")
        params.update({f"evidence_{index}": value for index, value in enumerate(evidence)})
    return reader.rows(
        "SELECT id, date, date_precision, category, entity, item, metric, value, unit, source_id AS source, "
        f"source_url, evidence, confidence FROM signal WHERE {' AND '.join(conditions)} "
        "ORDER BY item, date, id",
        params,
    )


# The Epoch series the trends read. A site's power comes from the data-centre timelines
# (one dated row per site and change); a cluster's size from the GPU clusters, dated by
# when it first ran (a planned cluster is stored under "H100 equivalents (planned)").
SITE_SOURCE, SITE_POWER_METRIC = "epoch-data-centers", "power capacity"
CLUSTER_SOURCE, CLUSTER_SIZE_METRIC = "epoch-gpu-clusters", "H100 equivalents"


def site_power(reader: Reader, site: str | None = None) -> list[dict[str, Any]]:
    """Per-site power (MW) over time: every dated value of every data centre (or those matching ``site``)."""
    return signal_series(reader, metric=SITE_POWER_METRIC, source=SITE_SOURCE, item=site)


def cluster_sizes(reader: Reader, evidence: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Each operational cluster's size in H100 equivalents, dated by when it first ran.

    ``analytics.compute.largest_to_date`` turns these into the largest known cluster at each date.
    """
    return signal_series(reader, metric=CLUSTER_SIZE_METRIC, source=CLUSTER_SOURCE, evidence=evidence)


def releases(
    reader: Reader,
    *,
    org: str | None = None,
    lab: str | None = None,
    since: date | None = None,
    license_class: str | None = None,
    open_weights: bool | None = None,
    derived_from: str | None = None,
) -> list[dict[str, Any]]:
    """Releases, newest first, each with its lineage, latest downloads and likes, and API listing.

    ``derived_from`` is a repository id: every release built on it, directly or through
    others (a quantisation of a fine-tune of it), whatever the relation.
    """
    conditions: list[str] = []
    params: dict[str, Any] = {}
    derived = ""
    if org:
        conditions.append("lower(r.org) = :org")
        params["org"] = org.lower()
    if lab:
        conditions.append("lower(r.lab) LIKE :lab")
        params["lab"] = f"%{lab.lower()}%"
    if since:
        conditions.append("r.date >= :since")
        params["since"] = since
    if license_class:
        conditions.append("r.license_class = :license_class")
        params["license_class"] = license_class.strip().lower()
    if open_weights is True:
        conditions.append("r.open_weights = 'yes'")
    if derived_from:
        derived = _DERIVED_FROM
        conditions.append("r.id IN (SELECT id FROM derived)")
        params["parent"] = derived_from.strip().lower()
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = reader.rows(
        f"{derived}SELECT r.* FROM release r {where} ORDER BY r.date DESC, r.lab, r.id", params
    )
    _attach_repository_facts(reader, rows)
    if not (org or derived_from or open_weights) and license_class in (None, "unknown"):
        listed = api_listed_models(reader, lab=lab, since=since)
        if listed:
            rows = sorted(
                rows + listed, key=lambda row: (-row["date"].toordinal(), row["lab"] or "", row["id"] or 0)
            )
    return rows


def release_downloads(reader: Reader, repo_id: str) -> list[dict[str, Any]]:
    """A repository's downloads and likes as observed day by day, oldest first."""
    return reader.rows(
        "SELECT day, downloads, likes FROM release_stat WHERE hf_repo_id = :repo AND day IS NOT NULL "
        "ORDER BY day",
        {"repo": repo_id},
    )


def api_listed_models(
    reader: Reader, *, lab: str | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """Models an API lists that no release names and no source ties to a repository (closed
    models, mostly), each dated by its first listing (``date_kind`` api-listed).

    Nothing is known of their weights or licence: those layers say "unknown".
    """
    params: dict[str, Any] = {}
    narrow = ""
    if lab:
        narrow += " AND lower(coalesce(m.lab, o.lab, '')) LIKE :lab"
        params["lab"] = f"%{lab.lower()}%"
    if since:
        narrow += " AND o.listed_at >= :since"
        params["since"] = datetime.combine(since, datetime.min.time())
    found = reader.rows(
        f"""
SELECT o.model_id, o.source_id, o.offering_id, o.listed_at, o.first_seen_at, o.last_seen_at,
       coalesce(m.name, o.name) AS model, coalesce(m.lab, o.lab) AS lab,
       (SELECT i.source_url FROM price_interval i WHERE i.offering_pk = o.id
        ORDER BY i.first_seen_at DESC, i.id DESC LIMIT 1) AS source_url,
       (SELECT i.evidence FROM price_interval i WHERE i.offering_pk = o.id
        ORDER BY i.first_seen_at DESC, i.id DESC LIMIT 1) AS evidence
FROM offering o LEFT JOIN model m ON m.id = o.model_id
WHERE o.listed_at IS NOT NULL AND o.model_id IS NOT NULL{narrow}
  AND o.model_id NOT IN (SELECT model_id FROM release WHERE model_id IS NOT NULL)
  AND o.model_id NOT IN (SELECT model_id FROM offering WHERE hf_repo IS NOT NULL AND model_id IS NOT NULL)
ORDER BY o.model_id, o.listed_at, o.id
""",
        params,
    )
    first: dict[str, dict[str, Any]] = {}
    for offering in found:
        first.setdefault(offering["model_id"], offering)  # the earliest listing of each model
    return [
        {
            "id": None,
            "date": offering["listed_at"].date(),
            "date_precision": "day",
            "date_kind": "api-listed",
            "lab": offering["lab"],
            "model": offering["model"],
            "model_id": offering["model_id"],
            "open_weights": "unknown",
            "license_class": "unknown",
            "api_listed_at": offering["listed_at"],
            "source_id": offering["source_id"],
            "source_url": offering["source_url"],
            "evidence": offering["evidence"],
            "notes": f"listed as {offering['offering_id']}",
            "first_seen_at": offering["first_seen_at"],
            "last_seen_at": offering["last_seen_at"],
            "base_models": [],
        }
        for offering in first.values()
    ]


# Every release built on :parent, then on those, and so on (UNION stops at a cycle).
_DERIVED_FROM = """WITH RECURSIVE derived(id, repo) AS (
    SELECT r.id, r.hf_repo_id FROM release_base_model b JOIN release r ON r.id = b.release_id
    WHERE lower(b.base_repo_id) = :parent
    UNION
    SELECT r.id, r.hf_repo_id FROM derived d
    JOIN release_base_model b ON lower(b.base_repo_id) = lower(d.repo)
    JOIN release r ON r.id = b.release_id
)
"""


def _in_list(values: list[Any], prefix: str, params: dict[str, Any]) -> str:
    """``:prefix0, :prefix1, ...`` for an IN (...) list, its values put into ``params``."""
    for index, value in enumerate(values):
        params[f"{prefix}{index}"] = value
    return ", ".join(f":{prefix}{index}" for index in range(len(values)))


_CHUNK = 500  # values per IN (...), under SQLite's bound-parameter limit


def _chunked(values: list[Any]) -> list[list[Any]]:
    return [values[start : start + _CHUNK] for start in range(len(values))[::_CHUNK]]


def _attach_repository_facts(reader: Reader, rows: list[dict[str, Any]]) -> None:
    """Add to each release: ``base_models``, the latest ``downloads``/``likes`` (and their
    ``stats_day``), ``api_listed_at`` (when an API first listed its model), and for a
    repository the paper, code and data a curated release of it records (``curated_*``)."""
    if not rows:
        return
    lineage: dict[int, list[dict[str, Any]]] = {}
    for chunk in _chunked([row["id"] for row in rows]):
        params: dict[str, Any] = {}
        for link in reader.rows(
            "SELECT release_id, base_repo_id, relation, stated_in FROM release_base_model "
            f"WHERE release_id IN ({_in_list(chunk, 'r', params)}) ORDER BY release_id, id",
            params,
        ):
            lineage.setdefault(link["release_id"], []).append(
                {
                    "repo_id": link["base_repo_id"],
                    "relation": link["relation"],
                    "stated_in": link["stated_in"],
                }
            )
    stats: dict[str, dict[str, Any]] = {}
    for chunk in _chunked(sorted({row["hf_repo_id"] for row in rows if row.get("hf_repo_id")})):
        params = {}
        stats.update(
            (stat["hf_repo_id"], stat)
            for stat in reader.rows(
                "SELECT s.hf_repo_id, s.downloads, s.likes, s.day FROM release_stat s "
                f"WHERE s.hf_repo_id IN ({_in_list(chunk, 'h', params)}) "
                "AND s.day = (SELECT max(x.day) FROM release_stat x WHERE x.hf_repo_id = s.hf_repo_id)",
                params,
            )
        )
    listed: dict[str, Any] = {}
    for chunk in _chunked(sorted({row["model_id"] for row in rows if row.get("model_id")})):
        params = {}
        listed.update(
            (item["model_id"], item["listed_at"])
            for item in reader.rows(
                "SELECT model_id, min(listed_at) AS listed_at FROM offering "
                f"WHERE listed_at IS NOT NULL AND model_id IN ({_in_list(chunk, 'm', params)}) "
                "GROUP BY model_id",
                params,
            )
        )
    curated = reader.rows(
        "SELECT hf_repo_id, model_id, paper_or_report, code_released, data_released FROM release "
        "WHERE source_id = 'curated' ORDER BY date DESC, id"
    )
    by_repo = {row["hf_repo_id"].lower(): row for row in reversed(curated) if row["hf_repo_id"]}
    by_model = {row["model_id"]: row for row in reversed(curated) if row["model_id"]}
    for row in rows:
        stat = stats.get(row.get("hf_repo_id") or "", {})
        row["base_models"] = lineage.get(row["id"], [])
        row["downloads"], row["likes"], row["stats_day"] = (
            stat.get("downloads"),
            stat.get("likes"),
            stat.get("day"),
        )
        row["api_listed_at"] = listed.get(row.get("model_id") or "")
        known = row if row.get("source_id") == "curated" else None
        if known is None and row.get("hf_repo_id"):
            known = by_repo.get(row["hf_repo_id"].lower()) or by_model.get(row.get("model_id") or "")
        for name in ("paper_or_report", "code_released", "data_released"):
            row[f"curated_{name}"] = known.get(name) if known else None


def benchmark_scores(
    reader: Reader, *, benchmark: str | None = None, include_vendor_claims: bool = True
) -> list[dict[str, Any]]:
    """Benchmark scores with ``counts_from``: the model's release day (its life, else the
    score's own release date). A score says nothing about a price from before that day."""
    conditions, params = [], {}
    if benchmark:
        conditions.append("benchmark = :benchmark")
        params["benchmark"] = benchmark
    if not include_vendor_claims:
        conditions.append("evidence <> 'vendor-claim'")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = reader.rows(f"SELECT * FROM benchmark_score {where} ORDER BY model_id, benchmark, model", params)
    lives = load_lives(reader)
    for row in rows:
        life = lives.get(row["model_id"] or "")
        row["counts_from"] = life.released if life and life.released else row["release_date"]
    return rows


def source_status(reader: Reader) -> dict[str, dict[str, Any]]:
    """Per source id: last success, last error (if after it), offerings and price rows."""
    status: dict[str, dict[str, Any]] = {}
    last_ok = {
        row["source_id"]: row["last_success"]
        for row in reader.rows(
            "SELECT source_id, max(finished_at) AS last_success FROM fetch_run "
            "WHERE status = 'ok' GROUP BY source_id"
        )
    }
    latest = reader.rows(
        "SELECT source_id, status, error, finished_at FROM fetch_run "
        "WHERE id IN (SELECT max(id) FROM fetch_run GROUP BY source_id)"
    )
    for row in latest:
        entry = status.setdefault(row["source_id"], {})
        entry["last_success"] = last_ok.get(row["source_id"])
        if row["status"] != "ok":
            entry["last_error"], entry["last_error_at"] = row["error"], row["finished_at"]
    counts = reader.rows(
        """
SELECT o.source_id, count(DISTINCT o.id) AS offerings, count(i.id) AS price_rows
FROM offering o LEFT JOIN price_interval i ON i.offering_pk = o.id
GROUP BY o.source_id
"""
    )
    for row in counts:
        entry = status.setdefault(row["source_id"], {})
        entry["offerings"], entry["price_rows"] = row["offerings"], row["price_rows"]
    for table, key in (("signal", "signals"), ("release", "releases"), ("feed_item", "feed_items")):
        for row in reader.rows(f"SELECT source_id, count(*) AS n FROM {table} GROUP BY source_id"):
            if row["source_id"] is not None:
                status.setdefault(row["source_id"], {})[key] = row["n"]
    return status


def data_version(reader: Reader) -> int:
    """The data version readers poll: it moves when a run finishes or curated data loads."""
    value = reader.scalar("SELECT value FROM meta WHERE key = 'data_version'")
    return int(value) if value and str(value).isdigit() else 0


# What a filter value can be checked against: the distinct values of these columns.
_KNOWN_VALUE_COLUMNS = {
    "source": ("offering", "source_id"),
    "tier": ("price_interval", "tier"),
    "signal.category": ("signal", "category"),
    "signal.entity": ("signal", "entity"),
    "signal.evidence": ("signal", "evidence"),
    "release.lab": ("release", "lab"),
    "release.org": ("release", "org"),
    "release.license_class": ("release", "license_class"),
    "release.base": ("release_base_model", "base_repo_id"),
}


def benchmark_names(reader: Reader) -> list[str]:
    """The benchmarks that have scores stored (mmlu, gpqa_diamond...), sorted."""
    return sorted(value for value in reader.column("SELECT DISTINCT benchmark FROM benchmark_score") if value)


def trend_claims(reader: Reader) -> list[dict[str, Any]]:
    """The published rates (data/trend_claims.csv), oldest first."""
    return reader.rows("SELECT * FROM trend_claim ORDER BY date, source_org, metric")


def known_values(reader: Reader, what: str) -> list[str]:
    """The distinct stored values of a filterable column, sorted (for "known values are ...")."""
    table, column = _KNOWN_VALUE_COLUMNS[what]
    values = reader.column(f"SELECT DISTINCT {column} FROM {table}")
    return sorted(value for value in values if value)


def model_names(reader: Reader) -> list[str]:
    """Every canonical model id and display name, for "did you mean" hints."""
    names: set[str] = set()
    for row in reader.rows("SELECT id, name FROM model"):
        names.update(value for value in (row["id"], row["name"]) if value)
    return sorted(names)


def row_counts(reader: Reader) -> dict[str, int]:
    """Rows per table, for ``db info``."""
    if reader.dialect == "sqlite":
        names = reader.column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
    else:
        names = reader.column(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "ORDER BY table_name"
        )
    return {
        name: int(reader.scalar(f'SELECT count(*) FROM "{name}"'))
        for name in names
        if name != "schema_migration" and not name.startswith("sqlite_")
    }
