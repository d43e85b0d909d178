"""The kind of each model (language, embedding, reranker...), read from what is stored.

Each offering keeps the kind its source states (LiteLLM's mode, OpenRouter's modalities);
the crosswalk may give a model's kind where its sources list it under another. This reads
both and applies the rule of domain/model_kind.py, so every price read can say what kind of
model a row is for and a view can keep the kinds it shows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from frontier_watch.domain.model_kind import ModelKind, model_kind
from frontier_watch.store.bound_lists import chunked, in_list
from frontier_watch.store.reading import Reader

# Each offering counts once for each model it served: its own and, for a moving alias, the
# models of its spans. (UNION, not UNION ALL: an offering's own model is often among its spans.)
_STATED = """
SELECT served.model_id, served.kind, count(*) AS offerings FROM (
    SELECT o.id, o.model_id, o.kind FROM offering o WHERE o.model_id IS NOT NULL{own}
    UNION
    SELECT o.id, s.model_id, o.kind FROM offering_model_span s JOIN offering o ON o.id = s.offering_pk
    WHERE 1 = 1{spanned}
) served
GROUP BY served.model_id, served.kind
"""
_CURATED = "SELECT id, kind FROM model WHERE kind IS NOT NULL{narrow}"
_FEW_MODELS = 200


def model_kinds(reader: Reader, model_ids: Collection[str] | None = None) -> dict[str, str]:
    """The kind of each model (of ``model_ids``; None: of every model with an offering): the
    crosswalk's word where it gives one, else the rule over its offerings' stated kinds."""
    stated: dict[str, list[str | None]] = {}
    curated: dict[str, str] = {}
    for chunk in [None] if model_ids is None else chunked(sorted(set(model_ids))):
        params: dict[str, Any] = {}
        own = spanned = narrow = ""
        if chunk is not None:
            listed = in_list(chunk, "km", params)
            own = f" AND o.model_id IN ({listed})"
            spanned = f" AND s.model_id IN ({listed})"
            narrow = f" AND id IN ({listed})"
        for model_id, kind, offerings in reader.tuples(_STATED.format(own=own, spanned=spanned), params)[1]:
            stated.setdefault(model_id, []).extend([kind] * int(offerings))
        curated.update(
            (model_id, kind) for model_id, kind in reader.tuples(_CURATED.format(narrow=narrow), params)[1]
        )
    wanted = stated.keys() | curated.keys() if model_ids is None else set(model_ids)
    return {model_id: curated.get(model_id) or model_kind(stated.get(model_id, ())) for model_id in wanted}


def fill_kinds(reader: Reader, layout: Mapping[str, int], rows: Sequence[list[Any]]) -> None:
    """Set each price row's ``kind`` to its model's (a row matching no model: the kind its own
    offering's source states, else a language model)."""
    if not rows:
        return
    model_at, kind_at, own_at = layout["model_id"], layout["kind"], layout["offering_kind"]
    models = {values[model_at] for values in rows if values[model_at]}
    # Many models (a whole listing): one read of every model's kind beats lists of ids.
    kinds = model_kinds(reader, models if len(models) <= _FEW_MODELS else None)
    language = str(ModelKind.LANGUAGE)
    for values in rows:
        model_id = values[model_at]
        values[kind_at] = kinds.get(model_id, language) if model_id else (values[own_at] or language)
