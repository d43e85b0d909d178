"""OpenRouter ``GET /api/v1/models``: the live catalogue, prices in USD per token.

Accepts the API envelope ``{"data": [...]}`` and the bare array that mirrors store
(``jq '.data | sort_by(.id)'``). Prices are decimal strings per token and are converted
exactly to USD per million tokens. ``"-1"`` marks a router, whose price depends on the
model it picks: it is skipped, not stored. The kind of model comes from what the entry
says it outputs (``architecture.output_modalities``, :func:`kind_of_architecture`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.clock import parse_day
from frontier_watch.domain.model_kind import ModelKind
from frontier_watch.domain.money import PriceError, parse_decimal, per_request, per_token_to_per_mtok
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.sources.errors import SourceFormatError, describe, load_json
from frontier_watch.sources.kind import SourceKind, body_parser, next_page_url
from frontier_watch.sources.priced import Skip, add_offering, identified, name_or_id

WHAT = "OpenRouter models list"
PROVIDER = "openrouter"

# pricing key -> PriceSegment field, all USD per token
TOKEN_PRICES = {
    "prompt": "input",
    "completion": "output",
    "input_cache_read": "cache_read",
    "input_cache_write": "cache_write",
    "internal_reasoning": "reasoning",
}
REQUIRED = ("prompt", "completion")
# OpenRouter adds and drops these keys with a "0" value from day to day; a zero here means
# "no separate charge", the same as an absent key, so it must not look like a price change.
ZERO_MEANS_ABSENT = ("internal_reasoning", "request")
ROUTER_PRICE = Decimal(-1)


def parse(body: bytes, *, url: str, options: Mapping[str, object] | None = None) -> Batch:
    """Parse one page of the models list. Pagination: ``next_url`` from ``links.next``."""
    document = load_json(body, WHAT)
    items, links = _items_and_links(document)

    result = Batch()
    _follow_links(result, links, url)
    seen: set[str] = set()
    # An entry that cannot be told apart is skipped; the others are still read.
    for item, model_id in identified(items, result, "item"):
        if model_id in seen:
            raise SourceFormatError(f"{WHAT}: duplicate model id {model_id!r}")
        seen.add(model_id)
        add_offering(result, model_id, _offering, model_id, item)
    return result


def _items_and_links(document: Any) -> tuple[list[Any], Any]:
    if isinstance(document, list):
        return document, None
    if not isinstance(document, dict):
        raise SourceFormatError(f"{WHAT}: top level is {describe(document)}, expected an object")
    if "data" not in document:
        error = document.get("error")
        if isinstance(error, dict) and error.get("message"):
            raise SourceFormatError(f"{WHAT}: API error: {error.get('message')}")
        raise SourceFormatError(f"{WHAT}: object has no 'data' list")
    items = document["data"]
    if not isinstance(items, list):
        raise SourceFormatError(f"{WHAT}: 'data' is {describe(items)}, expected an array")
    return items, document.get("links")


def _follow_links(result: Batch, links: Any, url: str) -> None:
    """The next page from ``links.next``; one that cannot be followed stops paging with a note,
    and the list is then incomplete (nothing missing from it is taken as withdrawn)."""
    if links is None:
        return
    if not isinstance(links, dict):
        result.notes.append(f"{WHAT}: 'links' is {describe(links)}, not an object; stopped paging there")
        result.incomplete = True
        return
    target = links.get("next")
    if target is None or target == "":
        return
    try:
        if not isinstance(target, str):
            raise ValueError(f"is {describe(target)}, not a URL")
        result.next_url = next_page_url(target, url)
    except ValueError as problem:
        result.notes.append(f"{WHAT}: links.next {problem}; stopped paging there")
        result.incomplete = True


def _offering(model_id: str, item: dict[str, Any]) -> PricedOffering:
    pricing = item.get("pricing")
    if not isinstance(pricing, dict):
        raise Skip(f"no pricing object (pricing is {describe(pricing)})")
    if _is_router(pricing):
        raise Skip("router (price -1), not a price")

    prices: dict[str, Any] = {}  # PriceSegment keyword arguments
    for key, field in TOKEN_PRICES.items():
        value = pricing.get(key)
        if value is None:
            if key in REQUIRED:
                raise Skip(f"pricing.{key}: missing")
            continue
        try:
            price = per_token_to_per_mtok(value)
        except PriceError as error:
            raise Skip(f"pricing.{key}: {error}") from None
        if not (price == 0 and key in ZERO_MEANS_ABSENT):
            prices[field] = price
    request = pricing.get("request")
    if request is not None:
        try:
            fee = per_request(request)
        except PriceError as error:
            raise Skip(f"pricing.request: {error}") from None
        if fee != 0:
            prices["request"] = fee

    hf_repo = item.get("hugging_face_id")
    lab, slash, _ = model_id.partition("/")
    return PricedOffering(
        offering_id=model_id,
        name=name_or_id(item, model_id),
        provider=PROVIDER,
        segments=[PriceSegment(**prices)],
        lab=lab if slash and lab else None,
        deprecation_date=_date_or_none(item.get("expiration_date")),
        hf_repo=hf_repo.strip() if isinstance(hf_repo, str) and hf_repo.strip() else None,
        listed_at=_listed_at(item.get("created")),
        kind=kind_of_architecture(item.get("architecture")),
    )


def kind_of_architecture(architecture: Any) -> str | None:
    """The kind of model an entry's ``architecture`` states, from what it outputs (None: not said).

    ``output_modalities`` (or the output side of ``modality``, "text+image->text"): embeddings
    out is an embedding model; an image out an image model (image generators also answer in
    text, so image wins); audio without text an audio model; text a language model.
    """
    if not isinstance(architecture, dict):
        return None
    outputs = architecture.get("output_modalities")
    if not isinstance(outputs, list):
        modality = architecture.get("modality")
        if not isinstance(modality, str) or "->" not in modality:
            return None
        outputs = modality.rsplit("->", 1)[1].split("+")
    said = {str(output).strip().lower() for output in outputs if isinstance(output, str)}
    if "embeddings" in said or "embedding" in said:
        return str(ModelKind.EMBEDDING)
    if "image" in said:
        return str(ModelKind.IMAGE)
    if "text" in said:
        return str(ModelKind.LANGUAGE)
    if "audio" in said:
        return str(ModelKind.AUDIO)
    if "video" in said:
        return str(ModelKind.VIDEO)
    return str(ModelKind.OTHER) if said else None


def _is_router(pricing: dict[str, Any]) -> bool:
    for key in REQUIRED:
        value = pricing.get(key)
        if isinstance(value, str) and not value.lstrip().startswith("-"):
            continue  # the common case, a plain price: no Decimal needed to see it is not -1
        try:
            if parse_decimal(value) == ROUTER_PRICE:
                return True
        except PriceError:
            continue
    return False


def _listed_at(value: Any) -> datetime | None:
    """``created``, when OpenRouter first listed the model (Unix seconds): its API availability date."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _date_or_none(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_day(value.strip()[:10])
    except ValueError:
        return None


KIND = SourceKind("openrouter", body_parser(parse), frozenset({"offerings"}), Basis.OBSERVED)
