"""LiteLLM ``model_prices_and_context_window.json``: a broad price map, USD per token.

One JSON object keyed by model key. Besides models it holds a documentation entry
(``sample_spec``), non-model entries, pricing classes without a ``mode`` and many
non-token modes (images, audio, rerank); those are skipped with a reason. Each offering
keeps the kind of model its ``mode`` states (:func:`kind_of_mode`). Tier prices
are spelt as key suffixes (``_above_200k_tokens``, ``_batches``, ``_flex``,
``_priority``, combinable); a tier segment carries only the fields the source prices
for that tier, the rest stay None.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.clock import parse_day
from frontier_watch.domain.model_kind import ModelKind
from frontier_watch.domain.money import PriceError, parse_decimal, per_token_to_per_mtok
from frontier_watch.domain.vocabulary import Basis, Tier, long_context_tier
from frontier_watch.sources.errors import SourceFormatError, conflicting_keys, describe, load_json
from frontier_watch.sources.kind import SourceKind, body_parser
from frontier_watch.sources.priced import Skip, add_offering

WHAT = "LiteLLM price map"

TOKEN_MODES = frozenset({"chat", "completion", "responses", "embedding"})
DOC_KEYS = frozenset({"sample_spec"})
# LiteLLM's modes as kinds of model; a mode not listed here is a kind of its own ("other").
MODE_KINDS = {
    "chat": ModelKind.LANGUAGE,
    "completion": ModelKind.LANGUAGE,
    "responses": ModelKind.LANGUAGE,
    "embedding": ModelKind.EMBEDDING,
    "rerank": ModelKind.RERANKER,
    "image_generation": ModelKind.IMAGE,
    "image_edit": ModelKind.IMAGE,
    "audio_transcription": ModelKind.AUDIO,
    "audio_speech": ModelKind.AUDIO,
    "video_generation": ModelKind.VIDEO,
    "ocr": ModelKind.OCR,
    "moderation": ModelKind.MODERATION,
    "search": ModelKind.SEARCH,
}

# Base key -> PriceSegment field. The cache-hit spelling is a fallback for cache_read.
BASE_FIELDS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
    "output_cost_per_reasoning_token": "reasoning",
}
CACHE_HIT_KEY = "input_cost_per_token_cache_hit"
# Longest first, so "input_cost_per_token_cache_hit" is not read as a suffixed input price.
_BASES = sorted([*BASE_FIELDS, CACHE_HIT_KEY], key=len, reverse=True)

NAMED_TIERS = {"_batches": Tier.BATCH, "_flex": Tier.FLEX, "_priority": Tier.PRIORITY}
_SUFFIX = re.compile(r"_above_(\d+)k_tokens|_batches|_flex|_priority")
_PROVIDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def parse(body: bytes, *, url: str, options: Mapping[str, object] | None = None) -> Batch:
    document = load_json(body, WHAT, note_conflicts=True)
    if not isinstance(document, dict):
        raise SourceFormatError(
            f"{WHAT}: top level is {describe(document)}, expected an object keyed by model"
        )
    result = Batch()
    doubled = conflicting_keys(document)
    for key, entry in document.items():
        if key in doubled:
            # Decoding keeps the last copy; which one LiteLLM meant is not ours to guess.
            result.skipped.append(
                (key, f"listed {doubled[key]} times with different contents; neither is used")
            )
            continue
        add_offering(result, key, _offering, key, entry)
    return result


def _offering(key: str, entry: Any) -> PricedOffering:
    if not isinstance(entry, dict):
        raise Skip(f"not a model entry ({describe(entry)})")
    repeated = conflicting_keys(entry)
    if repeated:
        fields = ", ".join(f"{name} listed {count} times" for name, count in repeated.items())
        raise Skip(f"{fields} with different values")
    if key in DOC_KEYS:
        raise Skip("documentation sample, not a model")
    provider = entry.get("litellm_provider")
    if not isinstance(provider, str) or not provider:
        raise Skip("not a model entry (no litellm_provider)")
    if not _PROVIDER.fullmatch(provider):
        raise Skip("documentation entry, not a model (litellm_provider is prose)")
    mode = entry.get("mode")
    if mode is None or mode == "":
        raise Skip("no mode: pricing class, not a model")
    if not isinstance(mode, str):
        raise Skip(f"mode is {describe(mode)}, expected a string")
    if mode not in TOKEN_MODES:
        raise Skip(f"non-token mode {mode}")

    segments = _tier_segments(entry)
    if not segments or _no_base_price(segments[0]):
        segments = _tiered_pricing(entry) if "tiered_pricing" in entry else []
        if not segments:
            raise Skip("no input_cost_per_token and no output_cost_per_token")

    return PricedOffering(
        offering_id=key,
        name=key,
        provider=provider,
        segments=segments,
        deprecation_date=_date_or_none(entry.get("deprecation_date")),
        kind=kind_of_mode(mode),
    )


def kind_of_mode(mode: str | None) -> str | None:
    """The kind of model a LiteLLM ``mode`` states (None: no mode given)."""
    if not mode or not mode.strip():
        return None
    return str(MODE_KINDS.get(mode.strip().lower(), ModelKind.OTHER))


def _no_base_price(segment: PriceSegment) -> bool:
    return segment.tier != Tier.DEFAULT or (segment.input is None and segment.output is None)


@functools.lru_cache(maxsize=4096)  # ~100 distinct field names across 3,000 entries
def _split_key(key: str) -> tuple[str, str] | None:
    """``input_cost_per_token_above_200k_tokens_priority`` -> (base key, tier name)."""
    for base in _BASES:
        if not key.startswith(base):
            continue
        rest = key[len(base) :]
        named: list[str] = []
        thresholds: list[int] = []
        position = 0
        while position < len(rest):
            match = _SUFFIX.match(rest, position)
            if match is None:
                break
            if match.group(1) is not None:
                thresholds.append(int(match.group(1)) * 1000)
            else:
                named.append(NAMED_TIERS[match.group(0)])
            position = match.end()
        else:
            if len(named) > 1 or len(thresholds) > 1:
                return None  # no such tier; not a price we know how to read
            parts = [*named, *(long_context_tier(t) for t in thresholds)]
            return base, "+".join(parts) if parts else Tier.DEFAULT
    return None


def _tier_segments(entry: dict[str, Any]) -> list[PriceSegment]:
    """One segment per tier the entry prices, default first, then in key order."""
    tiers: dict[str, dict[str, Any]] = {Tier.DEFAULT: {}}  # tier -> PriceSegment keyword arguments
    cache_hits: dict[str, Decimal] = {}
    for key, value in entry.items():
        split = _split_key(key)
        if split is None:
            continue
        base, tier = split
        price = _price(key, value)
        if base == CACHE_HIT_KEY:
            cache_hits[tier] = price
            tiers.setdefault(tier, {})
        else:
            tiers.setdefault(tier, {})[BASE_FIELDS[base]] = price
    for tier, price in cache_hits.items():
        tiers[tier].setdefault("cache_read", price)
    return [PriceSegment(tier=tier, **fields) for tier, fields in tiers.items() if fields]


def _tiered_pricing(entry: dict[str, Any]) -> list[PriceSegment]:
    """``tiered_pricing: [{range: [lo, hi], input_cost_per_token, ...}]`` by input tokens.

    The range starting at 0 is the default tier; each later range is the long-context
    tier above its lower bound.
    """
    ranges = entry["tiered_pricing"]
    if not isinstance(ranges, list) or not ranges:
        raise Skip(f"tiered_pricing is {describe(ranges)}, expected a non-empty array")
    segments: list[PriceSegment] = []
    seen: set[str] = set()
    for index, band in enumerate(ranges):
        where = f"tiered_pricing[{index}]"
        if not isinstance(band, dict):
            raise Skip(f"{where} is {describe(band)}, expected an object")
        bounds = band.get("range")
        if not isinstance(bounds, list) or not bounds:
            raise Skip(f"{where}.range is missing")
        try:
            start = parse_decimal(bounds[0])
        except PriceError as error:
            raise Skip(f"{where}.range: {error}") from None
        if start < 0 or start != start.to_integral_value():
            raise Skip(f"{where}.range starts at {bounds[0]}, expected whole tokens >= 0")
        tier = Tier.DEFAULT if start == 0 else long_context_tier(int(start))
        if tier in seen:
            raise Skip(f"{where}: two ranges for tier {tier}")
        seen.add(tier)
        fields: dict[str, Any] = {
            BASE_FIELDS[key]: _price(f"{where}.{key}", band[key])
            for key in BASE_FIELDS
            if band.get(key) is not None
        }
        if "cache_read" not in fields and band.get(CACHE_HIT_KEY) is not None:
            fields["cache_read"] = _price(f"{where}.{CACHE_HIT_KEY}", band[CACHE_HIT_KEY])
        if fields:
            segments.append(PriceSegment(tier=tier, **fields))
    if not segments or segments[0].tier != Tier.DEFAULT:
        raise Skip("tiered_pricing has no range starting at 0 tokens")
    return segments


def _price(key: str, value: Any) -> Decimal:
    try:
        return per_token_to_per_mtok(value)
    except PriceError as error:
        raise Skip(f"{key}: {error}") from None


def _date_or_none(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_day(value)
    except ValueError:
        return None


KIND = SourceKind("litellm", body_parser(parse), frozenset({"offerings"}), Basis.OBSERVED)
