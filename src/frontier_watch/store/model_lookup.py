"""What the store knows about models beyond their prices: their lives, the spans of moving
aliases, and which models a person means when they type a name.

Read through a :class:`~frontier_watch.store.reading.Reader`; the tables involved are small
(one row per model, per moving alias span, per release), so each is read whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from frontier_watch.domain.attribution import Life, ModelSpan
from frontier_watch.domain.errors import DataError
from frontier_watch.store.bound_lists import chunked, in_list
from frontier_watch.store.reading import Reader

# A release date this precise bounds a price; a month or quarter only when nothing better is known.
_PRECISE = frozenset({"day", "approx"})
# Where a release day comes from, strongest first: the curated releases and API launch prices
# (and releases a source fetched) are checked facts; the models.dev catalogue is a good guess
# with known slips (it dates GPT-4 to 2023-11-06).
_CATALOGUE_ORIGINS = frozenset({"models.dev"})


def load_lives(reader: Reader, model_ids: Iterable[str] | None = None) -> dict[str, Life]:
    """Each model's (or these models') release and retirement day, from every origin that gives one.

    The release day is the earliest precise date among checked facts (curated releases,
    fetched releases, launch prices); failing that the catalogue's day; failing that the
    earliest month- or quarter-precision date. The retirement day is the earliest retired fact.
    """
    strong: dict[str, tuple[date, str]] = {}
    catalogue: dict[str, tuple[date, str]] = {}
    vague: dict[str, tuple[date, str]] = {}
    retired: dict[str, tuple[date, str]] = {}

    def keep(found: dict[str, tuple[date, str]], model_id: str, day: date, origin: str) -> None:
        if model_id not in found or day < found[model_id][0]:
            found[model_id] = (day, origin)

    only, params = "", {}
    if model_ids is not None:
        wanted = sorted(set(model_ids))
        if not wanted:
            return {}
        if len(wanted) <= 500:  # a few models: ask for those; many: read the small tables whole
            params = {f"m{index}": model_id for index, model_id in enumerate(wanted)}
            only = f" AND model_id IN ({', '.join(f':{name}' for name in params)})"
    _, rows = reader.tuples(
        "SELECT model_id, date, date_precision, origin, 'released' AS event FROM release "
        f"WHERE model_id IS NOT NULL{only} "
        f"UNION ALL SELECT model_id, date, date_precision, origin, event FROM model_event WHERE 1 = 1{only}",
        params,
    )
    for model_id, day, precision, origin, event in rows:
        if event == "retired":
            keep(retired, model_id, day, origin)
        elif precision not in _PRECISE:
            keep(vague, model_id, day, origin)
        elif origin in _CATALOGUE_ORIGINS:
            keep(catalogue, model_id, day, origin)
        else:
            keep(strong, model_id, day, origin)
    lives = {}
    for model_id in {*strong, *catalogue, *vague, *retired}:
        released = strong.get(model_id) or catalogue.get(model_id) or vague.get(model_id)
        ended = retired.get(model_id)
        lives[model_id] = Life(
            released[0] if released else None,
            ended[0] if ended else None,
            _origin_label(released[1]) if released else None,
            _origin_label(ended[1]) if ended else None,
        )
    return lives


def load_on_sale(
    reader: Reader, model_ids: Iterable[str], spans: Mapping[int, Sequence[ModelSpan]]
) -> dict[str, tuple[date, str]]:
    """The earliest day the store dates each of these models on sale, and who says so
    ("litellm gpt-5.6-luna"): the earliest start of a current dated price of the model (any
    source, any seller, flagged or not: a suspect number is still a dated listing; a moving
    alias's price counts for the model it served from that day) or the earliest day a source
    listed one of its offerings (``listed_at``). Models with none are left out.
    """
    wanted = set(model_ids)
    found: dict[str, tuple[date, str]] = {}

    def keep(model_id: str, moment: datetime, source: str, offering_id: str) -> None:
        day = moment.date()
        if model_id not in found or day < found[model_id][0]:
            found[model_id] = (day, f"{source} {offering_id}")

    fixed = "NOT EXISTS (SELECT 1 FROM offering_model_span s WHERE s.offering_pk = o.id)"
    for chunk in chunked(sorted(wanted)):
        params: dict[str, Any] = {}
        models = in_list(chunk, "m", params)
        _, rows = reader.tuples(
            "SELECT model_id, source_id, offering_id, dated_at FROM ("
            " SELECT o.model_id, o.source_id, o.offering_id, i.effective_from AS dated_at,"
            "  ROW_NUMBER() OVER (PARTITION BY o.model_id"
            "   ORDER BY i.effective_from, o.source_id, o.offering_id) AS rank"
            " FROM price_interval i JOIN offering o ON o.id = i.offering_pk"
            f" WHERE i.superseded_at IS NULL AND i.effective_from IS NOT NULL AND o.model_id IN ({models})"
            f"  AND {fixed}"
            " UNION ALL"
            " SELECT o.model_id, o.source_id, o.offering_id, o.listed_at AS dated_at,"
            "  ROW_NUMBER() OVER (PARTITION BY o.model_id"
            "   ORDER BY o.listed_at, o.source_id, o.offering_id) AS rank"
            f" FROM offering o WHERE o.listed_at IS NOT NULL AND o.model_id IN ({models}) AND {fixed}"
            ") earliest WHERE rank = 1",
            params,
        )
        for model_id, source, offering_id, dated_at in rows:
            keep(model_id, dated_at, source, offering_id)
    moving = {pk: items for pk, items in spans.items() if any(span.model_id in wanted for span in items)}
    for chunk in chunked(sorted(moving)):
        params = {}
        _, rows = reader.tuples(
            "SELECT i.offering_pk, o.source_id, o.offering_id, i.effective_from, i.effective_to "
            "FROM price_interval i JOIN offering o ON o.id = i.offering_pk "
            "WHERE i.superseded_at IS NULL AND i.effective_from IS NOT NULL "
            f"AND i.offering_pk IN ({in_list(chunk, 'o', params)})",
            params,
        )
        for offering_pk, source, offering_id, start, end in rows:
            for span in moving[offering_pk]:
                begins = start if span.valid_from is None else max(start, span.valid_from)
                if span.model_id in wanted and span.covers(begins) and (end is None or begins < end):
                    keep(span.model_id, begins, source, offering_id)
    return found


def _origin_label(origin: str) -> str:
    return "curated releases" if origin == "curated" else origin


def load_spans(reader: Reader) -> dict[int, tuple[ModelSpan, ...]]:
    """offering pk -> the models its moving alias served, oldest first."""
    spans: dict[int, list[ModelSpan]] = {}
    _, rows = reader.tuples(
        "SELECT offering_pk, model_id, valid_from, valid_to FROM offering_model_span "
        "ORDER BY offering_pk, valid_from IS NOT NULL, valid_from"
    )
    for offering_pk, model_id, valid_from, valid_to in rows:
        spans.setdefault(offering_pk, []).append(ModelSpan(model_id, valid_from, valid_to))
    return {pk: tuple(items) for pk, items in spans.items()}


def model_labels(reader: Reader, model_ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """model id -> (display name, lab) for these models."""
    wanted = sorted(set(model_ids))
    labels: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        slots = ", ".join(f":m{index}" for index in range(len(chunk)))
        params = {f"m{index}": model_id for index, model_id in enumerate(chunk)}
        for model_id, name, lab in reader.tuples(
            f"SELECT id, name, lab FROM model WHERE id IN ({slots})", params
        )[1]:
            labels[model_id] = (name, lab)
    return labels


# ---------------------------------------------------------------- which models a name means


class AmbiguousModel(DataError):
    """A name that matches several models by word: the caller lists the candidates."""

    def __init__(self, text: str, candidates: list[tuple[str, str]]) -> None:
        self.text = text
        self.candidates = candidates  # (model id, display name)
        shown = ", ".join(
            f"{model_id} ({name})" if name != model_id else model_id for model_id, name in candidates[:12]
        )
        more = f" and {len(candidates) - 12} more" if len(candidates) > 12 else ""
        prefix = os.path.commonprefix([model_id for model_id, _ in candidates]).rstrip("-.")
        family = (
            f", or ask for the family with --family {prefix} (or '{prefix}*')" if len(prefix) >= 3 else ""
        )
        super().__init__(
            f"{text!r} matches {len(candidates)} models: {shown}{more}; name one exactly{family}"
        )


class ModelQuery(NamedTuple):
    """The offerings a model question reads, and the models whose prices it keeps.

    ``models`` None keeps every row of the offerings (an alias was asked for: each of its
    prices shows the model it served); otherwise only prices attributed to those models.
    """

    offerings_sql: str
    params: dict[str, Any]
    models: frozenset[str] | None
    how: str  # exact | alias | family | word | none


def resolve_models(reader: Reader, text: str, *, family: bool = False) -> ModelQuery:
    """The models ``text`` names: a canonical id or display name exactly, else an alias or
    offering id, else (one model only) a whole-word match on ids and names. ``family`` (or a
    trailing ``*``) asks for every model whose id starts with the text.

    Raises :class:`AmbiguousModel` when a word matches several models.
    """
    from frontier_watch.domain.identity import normalise, normalised_forms

    wanted = text.strip().lower()
    if wanted.endswith("*"):
        family, wanted = True, wanted.rstrip("*")
    if not wanted:
        return _query_models(set(), "none")
    if family:
        found: set[str] = set()
        for prefix in {wanted, normalise(wanted)}:
            escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found.update(
                reader.column(
                    "SELECT id FROM model WHERE id LIKE :prefix ESCAPE '\\'", {"prefix": f"{escaped}%"}
                )
            )
        return _query_models(found, "family")
    exact = set(
        reader.column("SELECT id FROM model WHERE id = :text OR lower(name) = :text", {"text": wanted})
    )
    if exact:
        return _query_models(exact, "exact")
    by_alias = _offerings_by_alias(reader, wanted)
    if by_alias:
        pks, moving = by_alias
        if moving:
            params = {f"o{index}": pk for index, pk in enumerate(pks)}
            slots = ", ".join(f":o{index}" for index in range(len(pks)))
            return ModelQuery(f"({slots})", params, None, "alias")
        found = set(
            reader.column(
                "SELECT DISTINCT model_id FROM offering WHERE id IN ("
                + ", ".join(str(int(pk)) for pk in pks)
                + ") AND model_id IS NOT NULL"
            )
        )
        return _query_models(found, "alias")
    forms = list(normalised_forms(wanted))
    slots = ", ".join(f":f{index}" for index in range(len(forms)))
    known = set(
        reader.column(
            f"SELECT id FROM model WHERE id IN ({slots})", {f"f{i}": form for i, form in enumerate(forms)}
        )
    )
    for form in forms:
        if form in known:  # the first spelling the rules make that is a model
            return _query_models({form}, "exact")
    models = {row[0]: row[1] for row in reader.tuples("SELECT id, name FROM model")[1]}
    word = re.compile(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])")
    matched = sorted(
        model_id
        for model_id, name in models.items()
        if word.search(model_id) or word.search((name or "").lower())
    )
    if len(matched) > 1:
        raise AmbiguousModel(text.strip(), [(model_id, models[model_id] or model_id) for model_id in matched])
    return _query_models(set(matched), "word" if matched else "none")


def _offerings_by_alias(reader: Reader, wanted: str) -> tuple[list[int], bool] | None:
    """Offerings listed under this id, and whether any of them is a moving alias. A moving
    alias is looked for behind a host path too (LiteLLM's ``deepseek/deepseek-chat``)."""
    exact = "lower(o.offering_id) = :text"
    moving = "EXISTS (SELECT 1 FROM offering_model_span s WHERE s.offering_pk = o.id)"
    params = {"text": wanted, "tail": f"%/{wanted}"}
    rows = reader.tuples(f"SELECT o.id, {moving} FROM offering o WHERE {exact}", params)[1]
    if not rows or any(flag for _, flag in rows):  # (an index lookup; the scan only when needed)
        rows += reader.tuples(
            f"SELECT o.id, {moving} FROM offering o WHERE lower(o.offering_id) LIKE :tail", params
        )[1]
    if not rows:
        aliased = reader.column(
            "SELECT DISTINCT model_id FROM model_alias WHERE lower(alias) = :text", {"text": wanted}
        )
        if not aliased:
            return None
        slots = ", ".join(f":a{index}" for index in range(len(aliased)))
        params = {f"a{index}": model_id for index, model_id in enumerate(aliased)}
        rows = reader.tuples(f"SELECT id, 0 FROM offering WHERE model_id IN ({slots})", params)[1]
        if not rows:
            return None
    return sorted({int(pk) for pk, _ in rows}), any(bool(flag) for _, flag in rows)


def _query_models(found: set[str], how: str) -> ModelQuery:
    params = {f"model_{index}": model_id for index, model_id in enumerate(sorted(found))}
    if not params:
        return ModelQuery("(SELECT id FROM offering WHERE 1 = 0)", params, frozenset(), how)
    slots = ", ".join(f":{name}" for name in params)
    sql = (
        f"(SELECT id FROM offering WHERE model_id IN ({slots}) "
        f"UNION SELECT offering_pk FROM offering_model_span WHERE model_id IN ({slots}))"
    )
    return ModelQuery(sql, params, frozenset(found), how)


def model_names(reader: Reader) -> list[str]:
    """Every canonical model id and display name, for "did you mean" hints."""
    names: set[str] = set()
    for row in reader.rows("SELECT id, name FROM model"):
        names.update(value for value in (row["id"], row["name"]) if value)
    return sorted(names)
