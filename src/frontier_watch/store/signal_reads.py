"""Signal reads: stored signals and their earlier versions, dated metric series, and the feed
items waiting to become signals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from frontier_watch.store.reading import Reader


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
