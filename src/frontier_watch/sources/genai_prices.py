"""pydantic/genai-prices v2 ``data.json``: first-party prices with dates, tiers, off-peak.

A list of providers, each with models whose ``prices`` is either one price set or a list
of conditional price sets. Later sets override the first when their constraint holds:
``start_date`` (from that day on, possibly in the future) or a daily UTC window
``start_time``/``end_time`` (DeepSeek's off-peak discount). Values are USD per million
tokens (``requests_kcount``: per 1,000 requests), either a number or
``{"base": n, "tiers": [{"start": tokens, "price": n}]}`` for long-context tiers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.clock import parse_when
from frontier_watch.domain.money import PriceError, parse_decimal, per_mtok, per_request
from frontier_watch.domain.vocabulary import Basis, Tier, long_context_tier
from frontier_watch.sources.errors import SourceFormatError, describe, load_json
from frontier_watch.sources.kind import SourceKind, body_parser
from frontier_watch.sources.priced import Skip, add_offering, entry_id, identified, name_or_id

WHAT = "genai-prices data"

MTOK_FIELDS = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cache_read",
    "cache_write_mtok": "cache_write",
}
REQUESTS_KEY = "requests_kcount"
THOUSAND = Decimal(1000)


def parse(body: bytes, *, url: str, options: Mapping[str, object] | None = None) -> Batch:
    document = load_json(body, WHAT)
    if not isinstance(document, list):
        raise SourceFormatError(f"{WHAT}: top level is {describe(document)}, expected an array of providers")
    result = Batch()
    seen: set[tuple[str, str]] = set()
    for p_index, provider in enumerate(document):
        try:
            provider_id, models = _provider(provider)
        except Skip as skip:
            result.skipped.append((f"provider {p_index}", str(skip)))
            continue
        # A model that cannot be told apart is skipped; the others are still read.
        for model, model_id in identified(models, result, f"{provider_id}/model"):
            if (provider_id, model_id) in seen:
                raise SourceFormatError(
                    f"{WHAT}: duplicate model id {model_id!r} in provider {provider_id!r}"
                )
            seen.add((provider_id, model_id))
            add_offering(result, f"{provider_id}/{model_id}", _offering, provider_id, model_id, model)
    return result


def _offering(provider_id: str, model_id: str, model: dict[str, Any]) -> PricedOffering:
    return PricedOffering(
        offering_id=model_id,
        name=name_or_id(model, model_id),
        provider=provider_id,
        segments=_segments(model.get("prices")),
        lab=_lab(provider_id, model_id),
    )


def _provider(provider: Any) -> tuple[str, list[Any]]:
    """A provider's id and models; a provider that cannot be read is skipped with its models."""
    provider_id = entry_id(provider)
    models = provider.get("models")
    if not isinstance(models, list):
        raise Skip(f"provider {provider_id}: 'models' is {describe(models)}, expected an array")
    return provider_id, models


def _lab(provider_id: str, model_id: str) -> str:
    # Router providers (openrouter) list "anthropic/claude-...": the prefix is the lab.
    prefix, slash, _ = model_id.partition("/")
    return prefix if slash and prefix else provider_id


# --- price sets ---------------------------------------------------------------------------


def _segments(prices: Any) -> list[PriceSegment]:
    if isinstance(prices, dict):
        return _price_set(prices, "prices")
    if not isinstance(prices, list) or not prices:
        raise Skip(f"prices is {describe(prices)}, expected an object or a non-empty array")

    base: list[PriceSegment] | None = None
    dated: list[tuple[datetime, list[PriceSegment]]] = []
    windows: list[tuple[time, time, list[PriceSegment]]] = []
    for index, conditional in enumerate(prices):
        where = f"prices[{index}]"
        if not isinstance(conditional, dict):
            raise Skip(f"{where} is {describe(conditional)}, expected an object")
        price_set = conditional.get("prices")
        if not isinstance(price_set, dict):
            raise Skip(f"{where}.prices is {describe(price_set)}, expected an object")
        segments = _price_set(price_set, f"{where}.prices")
        constraint = conditional.get("constraint")
        if constraint is None:
            if base is not None:
                raise Skip(f"{where}: a second price set without a constraint")
            base = segments
        elif not isinstance(constraint, dict):
            raise Skip(f"{where}.constraint is {describe(constraint)}, expected an object")
        elif set(constraint) == {"start_date"}:
            dated.append((_start(constraint["start_date"], where), segments))
        elif set(constraint) == {"start_time", "end_time"}:
            start = _clock(constraint["start_time"], f"{where}.constraint.start_time")
            end = _clock(constraint["end_time"], f"{where}.constraint.end_time")
            windows.append((start, end, segments))
        else:
            keys = ", ".join(sorted(map(str, constraint)))
            raise Skip(f"{where}: unsupported constraint ({keys})")

    if windows:
        if dated or len(windows) > 1 or base is None:
            raise Skip("time-of-day prices combined with other constraints are not supported")
        return _off_peak(base, *windows[0])
    return _timeline(base, dated)


def _timeline(
    base: list[PriceSegment] | None, dated: list[tuple[datetime, list[PriceSegment]]]
) -> list[PriceSegment]:
    """Declared intervals: each set runs from its start date to the next one's."""
    dated.sort(key=lambda pair: pair[0])
    starts = [start for start, _ in dated]
    if len(set(starts)) != len(starts):
        raise Skip("two price sets start on the same date")
    periods: list[tuple[datetime | None, list[PriceSegment]]] = []
    if base is not None:
        periods.append((None, base))
    periods.extend(dated)
    out: list[PriceSegment] = []
    for index, (start, segments) in enumerate(periods):
        end = periods[index + 1][0] if index + 1 < len(periods) else None
        out.extend(replace(s, effective_from=start, effective_to=end) for s in segments)
    return out


def _off_peak(
    base: list[PriceSegment], start: time, end: time, windowed: list[PriceSegment]
) -> list[PriceSegment]:
    """The dearer set is the default tier, the cheaper one the off-peak tier."""
    if len(base) != 1 or len(windowed) != 1:
        raise Skip("time-of-day prices with long-context tiers are not supported")
    window = f"{start:%H:%M}-{end:%H:%M} UTC"
    if _weight(windowed[0]) >= _weight(base[0]):
        standard, off_peak = windowed[0], base[0]
        note = f"standard {window}; off-peak otherwise"
    else:
        standard, off_peak = base[0], windowed[0]
        note = f"off-peak {window}; standard otherwise"
    return [
        replace(standard, tier=Tier.DEFAULT, note=note),
        replace(off_peak, tier=Tier.OFF_PEAK, note=note),
    ]


def _weight(segment: PriceSegment) -> Decimal:
    return (segment.input or Decimal(0)) + (segment.output or Decimal(0))


def _price_set(prices: dict[str, Any], where: str) -> list[PriceSegment]:
    """One price set -> the default segment plus one segment per long-context threshold."""
    base: dict[str, Any] = {}  # PriceSegment keyword arguments
    tiered: dict[str, list[tuple[int, Decimal]]] = {}
    for key, field in MTOK_FIELDS.items():
        if prices.get(key) is None:
            continue
        value, tiers = _value(prices[key], f"{where}.{key}")
        base[field] = value
        if tiers:
            tiered[field] = tiers
    if prices.get(REQUESTS_KEY) is not None:
        value, _tiers = _value(prices[REQUESTS_KEY], f"{where}.{REQUESTS_KEY}", mtok=False)
        base["request"] = value
    if "input" not in base and "output" not in base:
        raise Skip(f"{where}: no input_mtok and no output_mtok")

    segments = [PriceSegment(**base)]
    thresholds = sorted({start for tiers in tiered.values() for start, _ in tiers})
    for threshold in thresholds:
        fields = dict(base)
        for field, tiers in tiered.items():
            applicable = [price for start, price in tiers if start <= threshold]
            if applicable:
                fields[field] = applicable[-1]
        segments.append(PriceSegment(tier=long_context_tier(threshold), **fields))
    return segments


def _value(raw: Any, where: str, *, mtok: bool = True) -> tuple[Decimal, list[tuple[int, Decimal]]]:
    """A number, or ``{"base": n, "tiers": [{"start": tokens, "price": n}]}``."""
    if isinstance(raw, dict):
        if "base" not in raw:
            raise Skip(f"{where}: tiered price without 'base'")
        base = _money(raw["base"], f"{where}.base", mtok)
        tiers_raw = raw.get("tiers") or []
        if not isinstance(tiers_raw, list):
            raise Skip(f"{where}.tiers is {describe(tiers_raw)}, expected an array")
        tiers: list[tuple[int, Decimal]] = []
        for index, tier in enumerate(tiers_raw):
            if not isinstance(tier, dict):
                raise Skip(f"{where}.tiers[{index}] is {describe(tier)}, expected an object")
            start = _tokens(tier.get("start"), f"{where}.tiers[{index}].start")
            tiers.append((start, _money(tier.get("price"), f"{where}.tiers[{index}].price", mtok)))
        tiers.sort(key=lambda pair: pair[0])
        if len({start for start, _ in tiers}) != len(tiers):
            raise Skip(f"{where}: two tiers start at the same token count")
        if not mtok and tiers:
            raise Skip(f"{where}: tiered per-request prices are not supported")
        return base, tiers
    return _money(raw, where, mtok), []


def _money(raw: Any, where: str, mtok: bool) -> Decimal:
    try:
        if mtok:
            return per_mtok(raw)
        # per 1,000 requests -> per request; format keeps error messages free of repr noise
        return per_request(format(parse_decimal(raw) / THOUSAND, "f"))
    except PriceError as error:
        raise Skip(f"{where}: {error}") from None


def _tokens(raw: Any, where: str) -> int:
    try:
        number = parse_decimal(raw)
    except PriceError as error:
        raise Skip(f"{where}: {error}") from None
    if number <= 0 or number != number.to_integral_value():
        raise Skip(f"{where}: {raw!r} is not a positive whole number of tokens")
    return int(number)


def _start(raw: Any, where: str) -> datetime:
    if isinstance(raw, str):
        try:
            parsed = parse_when(raw)
        except ValueError:
            pass
        else:
            if parsed is not None:
                return parsed
    raise Skip(f"{where}.constraint.start_date: not a date: {raw!r}")


def _clock(raw: Any, where: str) -> time:
    if isinstance(raw, str):
        try:
            parsed = time.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if parsed.utcoffset() not in (None, timedelta(0)):
                raise Skip(f"{where}: only UTC windows are supported: {raw!r}")
            return parsed.replace(tzinfo=None)
    raise Skip(f"{where}: not a time of day: {raw!r}")


KIND = SourceKind("genai-prices", body_parser(parse), frozenset({"offerings"}), Basis.DECLARED)
