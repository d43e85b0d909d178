"""simonw/llm-prices ``data/<vendor>.json``: curated price history with from/to dates.

``{"vendor": v, "models": [{id, name, price_history: [{input, output, input_cached,
from_date, to_date}]}]}``. Prices are USD per million tokens. ``from_date`` is inclusive
(null: since the beginning), ``to_date`` exclusive (null: open-ended). The history array
is not ordered; segments come out sorted by ``effective_from``, undated first. A kind of
model is stated only in a name's remark ("gpt-image-1 (image gen)": :func:`kind_in_name`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.clock import parse_day
from frontier_watch.domain.model_kind import ModelKind
from frontier_watch.domain.money import PriceError, per_mtok
from frontier_watch.domain.vocabulary import Basis, long_context_tier
from frontier_watch.sources.errors import SourceFormatError, describe, load_json
from frontier_watch.sources.kind import Option, SourceKind, body_parser
from frontier_watch.sources.priced import Skip, add_offering, identified, name_or_id
from frontier_watch.sources.spec import SourceSpec

WHAT = "llm-prices vendor file"

FIELDS = {"input": "input", "output": "output", "input_cached": "cache_read"}
REQUIRED = ("input", "output")


def parse(body: bytes, *, url: str, options: Mapping[str, object] | None = None) -> Batch:
    document = load_json(body, WHAT)
    if not isinstance(document, dict):
        raise SourceFormatError(f"{WHAT}: top level is {describe(document)}, expected an object")
    vendor = document.get("vendor")
    if not isinstance(vendor, str) or not vendor.strip():
        raise SourceFormatError(f"{WHAT}: no string 'vendor'")
    models = document.get("models")
    if not isinstance(models, list):
        raise SourceFormatError(f"{WHAT}: 'models' is {describe(models)}, expected an array")

    result = Batch()
    seen: dict[str, Any] = {}
    # A model that cannot be told apart is skipped; the others are still read.
    for model, model_id in identified(models, result, "model"):
        if model_id in seen:
            # llm-prices has listed the same model twice with the same prices: harmless.
            if model.get("price_history") != seen[model_id]:
                result.skipped.append((model_id, "listed twice with different prices; kept the first"))
            continue
        seen[model_id] = model.get("price_history")
        add_offering(result, model_id, _offering, vendor, model_id, model)
    return _fold_long_context_ids(result)


def _offering(vendor: str, model_id: str, model: dict[str, Any]) -> PricedOffering:
    return PricedOffering(
        offering_id=model_id,
        name=name_or_id(model, model_id),
        provider=vendor,
        lab=vendor,
        segments=_segments(model.get("price_history")),
        kind=kind_in_name(name_or_id(model, model_id)),
    )


# The remarks llm-prices puts in a name to say a model is not a language model.
_NAME_REMARKS = {
    "image gen": ModelKind.IMAGE,
    "image generation": ModelKind.IMAGE,
    "embedding": ModelKind.EMBEDDING,
    "embeddings": ModelKind.EMBEDDING,
    "tts": ModelKind.AUDIO,
    "text-to-speech": ModelKind.AUDIO,
    "transcription": ModelKind.AUDIO,
}
_REMARK = re.compile(r"\(([^()]*)\)")


def kind_in_name(name: str) -> str | None:
    """The kind a name's parenthesised remark states ("gpt-image-1 (image gen)": image); None
    when it states none (llm-prices lists language models without a remark)."""
    for remark in _REMARK.findall(name):
        kind = _NAME_REMARKS.get(remark.strip().lower())
        if kind is not None:
            return str(kind)
    return None


_TIER_ID = re.compile(r"^(?P<base>.+)-(?P<tokens>\d+)k$")
_TIER_NAME = re.compile(r"\s*(?:≤|<=|>)\s*\d+k$", re.IGNORECASE)


def _fold_long_context_ids(result: Batch) -> Batch:
    """llm-prices lists a long-context price as its own id ("gpt-5.5-272k"): make it a tier.

    The tier joins its base model's offering when the base id is listed too; the
    "≤272k" / ">272k" qualifiers come off the names.
    """
    by_id = {offering.offering_id: offering for offering in result.offerings}
    folded: set[str] = set()
    for offering in result.offerings:
        match = _TIER_ID.match(offering.offering_id)
        if match is None:
            continue
        base = by_id.get(match["base"])
        if base is None:
            continue
        tier = long_context_tier(int(match["tokens"]) * 1000)
        base.segments.extend(replace(segment, tier=tier) for segment in offering.segments)
        folded.add(offering.offering_id)
    for offering in result.offerings:
        offering.name = _TIER_NAME.sub("", offering.name) or offering.name
    result.offerings = [offering for offering in result.offerings if offering.offering_id not in folded]
    return result


def _segments(history: Any) -> list[PriceSegment]:
    if not isinstance(history, list) or not history:
        raise Skip(f"price_history is {describe(history)}, expected a non-empty array")
    segments = [_segment(entry, f"price_history[{i}]") for i, entry in enumerate(history)]
    segments.sort(key=lambda s: (s.effective_from is not None, s.effective_from or datetime.min))
    for before, after in zip(segments, segments[1:], strict=False):
        # A period must end before (or exactly when) the next one starts.
        if (
            before.effective_to is None
            or after.effective_from is None
            or (before.effective_to > after.effective_from)
        ):
            raise Skip(
                f"overlapping periods in price_history (from {_day(before.effective_from)} "
                f"and from {_day(after.effective_from)})"
            )
    return segments


def _segment(entry: Any, where: str) -> PriceSegment:
    if not isinstance(entry, dict):
        raise Skip(f"{where} is {describe(entry)}, expected an object")
    prices: dict[str, Any] = {}  # PriceSegment keyword arguments
    for key, field in FIELDS.items():
        value = entry.get(key)
        if value is None:
            if key in REQUIRED:
                raise Skip(f"{where}.{key}: missing")
            continue
        try:
            prices[field] = per_mtok(value)
        except PriceError as error:
            raise Skip(f"{where}.{key}: {error}") from None
    start = _date(entry.get("from_date"), f"{where}.from_date")
    end = _date(entry.get("to_date"), f"{where}.to_date")
    if start is not None and end is not None and end <= start:
        raise Skip(f"{where}: to_date {_day(end)} is not after from_date {_day(start)}")
    return PriceSegment(effective_from=start, effective_to=end, **prices)


def _date(raw: Any, where: str) -> datetime | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            return datetime.combine(parse_day(raw), datetime.min.time())
        except ValueError:
            pass
    raise Skip(f"{where}: not a date: {raw!r}")


def _day(moment: datetime | None) -> str:
    return "the beginning" if moment is None else moment.date().isoformat()


def vendor_urls(spec: SourceSpec) -> list[str]:
    """llm-prices keeps one file per vendor: the URL's {vendor} slot, once per listed vendor."""
    if "{vendor}" not in spec.url:
        return [spec.url]
    return [spec.url.replace("{vendor}", vendor) for vendor in spec.options.get("vendors") or []]


KIND = SourceKind(
    "llm-prices",
    body_parser(parse),
    frozenset({"offerings"}),
    Basis.DECLARED,
    options={"vendors": Option(list, "a list of vendor file names (at least one)", item=str, low=1)},
    start_urls=vendor_urls,
    withdraw_by_provider=True,
    url_placeholders=("{vendor}",),
)
