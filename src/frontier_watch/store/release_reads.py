"""Release reads: releases with their lineage, downloads and API listing, and the models an
API lists that no release names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from frontier_watch.store.bound_lists import chunked, in_list
from frontier_watch.store.reading import Reader


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


def _attach_repository_facts(reader: Reader, rows: list[dict[str, Any]]) -> None:
    """Add to each release: ``base_models``, the latest ``downloads``/``likes`` (and their
    ``stats_day``), ``api_listed_at`` (when an API first listed its model), and for a
    repository the paper, code and data a curated release of it records (``curated_*``)."""
    if not rows:
        return
    lineage: dict[int, list[dict[str, Any]]] = {}
    for chunk in chunked([row["id"] for row in rows]):
        params: dict[str, Any] = {}
        for link in reader.rows(
            "SELECT release_id, base_repo_id, relation, stated_in FROM release_base_model "
            f"WHERE release_id IN ({in_list(chunk, 'r', params)}) ORDER BY release_id, id",
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
    for chunk in chunked(sorted({row["hf_repo_id"] for row in rows if row.get("hf_repo_id")})):
        params = {}
        stats.update(
            (stat["hf_repo_id"], stat)
            for stat in reader.rows(
                "SELECT s.hf_repo_id, s.downloads, s.likes, s.day FROM release_stat s "
                f"WHERE s.hf_repo_id IN ({in_list(chunk, 'h', params)}) "
                "AND s.day = (SELECT max(x.day) FROM release_stat x WHERE x.hf_repo_id = s.hf_repo_id)",
                params,
            )
        )
    listed: dict[str, Any] = {}
    for chunk in chunked(sorted({row["model_id"] for row in rows if row.get("model_id")})):
        params = {}
        listed.update(
            (item["model_id"], item["listed_at"])
            for item in reader.rows(
                "SELECT model_id, min(listed_at) AS listed_at FROM offering "
                f"WHERE listed_at IS NOT NULL AND model_id IN ({in_list(chunk, 'm', params)}) "
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
