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

from frontier_watch import money
from frontier_watch.store.reading import Reader
from frontier_watch.vocabulary import PRICE_FIELDS


def _price_select(i: str) -> str:
    """The SELECT list of a price row, the interval rows being ``i`` (the table or the rows in force)."""
    prices = ", ".join(f"{i}.{name}_nusd" for name in PRICE_FIELDS)
    return f"""
SELECT o.model_id, m.name AS model_name, m.lab, o.source_id AS source, o.provider, o.offering_id,
       o.name AS offering_name, o.withdrawn_at, o.deprecation_date,
       {i}.id AS interval_id, {i}.tier, {prices},
       {i}.effective_from, {i}.effective_to, {i}.first_seen_at, {i}.last_seen_at, {i}.basis, {i}.source_url,
       {i}.evidence, {i}.confidence, {i}.date_precision, {i}.note, {i}.superseded_at
"""


# The interval had begun by :as_of. A source that gives no start date (llm-prices'
# from_date: null) does not say "since the beginning of time": such a price answers for a
# past day only when the source closes it after that day, or when we had seen it by then.
_STARTED = """(i.effective_from <= :as_of
    OR (i.effective_from IS NULL AND (i.effective_to IS NOT NULL OR i.first_seen_at <= :as_of)))"""

# Offerings whose model, name or id contains the text asked for (the fallback of matching_offerings).
_CONTAINING = """
SELECT mo.id FROM offering mo LEFT JOIN model mm ON mm.id = mo.model_id
WHERE lower(mo.model_id) LIKE :needle OR lower(coalesce(mm.name, '')) LIKE :needle
   OR lower(mo.offering_id) LIKE :needle OR lower(mo.name) LIKE :needle OR mo.model_id LIKE :normalised
"""


def offerings_asked_for(reader: Reader, model: str, params: dict[str, Any]) -> str:
    """A subquery of the offerings a ``--model`` text asks for (its parameters go into ``params``).

    A model is found exactly first: a canonical model id, an alias of the crosswalk, or an
    offering id (case aside), giving every offering of the models found. Only when none
    matches does the text match every offering whose model, name or id contains it.
    """
    from frontier_watch.identity import normalise

    text = model.strip().lower()
    models = reader.column(
        "SELECT id FROM model WHERE id = :text OR id = :normalised "
        "UNION SELECT model_id FROM model_alias WHERE lower(alias) = :text "
        "UNION SELECT model_id FROM offering WHERE lower(offering_id) = :text AND model_id IS NOT NULL",
        {"text": text, "normalised": normalise(model)},
    )
    if models:
        for index, model_id in enumerate(models):
            params[f"model_{index}"] = model_id
        slots = ", ".join(f":model_{index}" for index in range(len(models)))
        return f"(SELECT id FROM offering WHERE model_id IN ({slots}))"
    params.update(needle=f"%{text}%", normalised=f"%{normalise(model)}%")
    return f"({_CONTAINING})"


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


def _price_rows(reader: Reader, sql: str, params: dict[str, Any]) -> list[PriceRow]:
    names, rows = reader.stream(sql, params)
    nano = [names.index(f"{name}_nusd") for name in PRICE_FIELDS]
    fields = [name.removesuffix("_nusd") if name.endswith("_nusd") else name for name in names]
    if PriceRow.FIELDS != (layout := {name: index for index, name in enumerate(fields)}):
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
        result.append(PriceRow(values))
    return result


_FEW_VALUES = (
    "model_id",
    "model_name",
    "lab",
    "source",
    "provider",
    "tier",
    "basis",
    "source_url",
    "evidence",
    "confidence",
    "date_precision",
    "note",
)


def prices_as_of(
    reader: Reader,
    as_of: datetime,
    *,
    model: str | None = None,
    source: str | None = None,
    tier: str | None = None,
) -> list[PriceRow]:
    """Every offering's price in force at ``as_of`` (future-dated prices excluded)."""
    params: dict[str, Any] = {"as_of": as_of}
    narrow = ""
    if model:
        narrow += f" AND i.offering_pk IN {offerings_asked_for(reader, model, params)}"
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
FROM live JOIN offering o ON live.offering_pk = o.id LEFT JOIN model m ON o.model_id = m.id
WHERE 1 = 1{source_filter}
ORDER BY lower(coalesce(m.name, o.name)), o.source_id, o.provider, o.offering_id, live.tier
"""
    return _price_rows(reader, sql, params)


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


def price_history(reader: Reader, model: str, *, include_superseded: bool = True) -> list[PriceRow]:
    """Every interval of every offering of the matching models, oldest first per offering."""
    live = "" if include_superseded else " AND i.superseded_at IS NULL"
    params: dict[str, Any] = {}
    sql = f"""
{_price_select("i")}
FROM price_interval i JOIN offering o ON i.offering_pk = o.id LEFT JOIN model m ON o.model_id = m.id
WHERE i.offering_pk IN {offerings_asked_for(reader, model, params)}{live}
ORDER BY o.model_id, o.source_id, o.provider, o.offering_id, i.tier,
         i.effective_from IS NOT NULL, i.effective_from, i.first_seen_at
"""
    return _price_rows(reader, sql, params)


def unmatched_offerings(reader: Reader) -> list[dict[str, Any]]:
    """Offerings whose model no crosswalk entry names and no other source prices."""
    sql = """
SELECT o.source_id AS source, o.provider, o.offering_id, o.name AS offering_name, o.model_id,
       o.first_seen_at, o.withdrawn_at
FROM offering o
JOIN (SELECT model_id, count(DISTINCT source_id) AS sources FROM offering GROUP BY model_id) per_model
  ON per_model.model_id = o.model_id
WHERE per_model.sources = 1 AND o.model_id NOT IN (SELECT model_id FROM model_alias)
ORDER BY o.source_id, o.offering_id
"""
    return reader.rows(sql)


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
    lab: str | None = None,
    since: date | None = None,
    open_weights: bool | None = None,
) -> list[dict[str, Any]]:
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if lab:
        conditions.append("lower(lab) LIKE :lab")
        params["lab"] = f"%{lab.lower()}%"
    if since:
        conditions.append("date >= :since")
        params["since"] = since
    if open_weights is True:
        conditions.append("open_weights = 'yes'")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return reader.rows(f"SELECT * FROM release {where} ORDER BY date DESC, lab, id", params)


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
}


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
