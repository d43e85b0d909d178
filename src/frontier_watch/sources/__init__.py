"""Price and catalogue sources: one pure parser module per source kind, and their registry.

A kind says how to parse one response, which URLs a spec starts from, and what basis
its dates have. Adding a source of a known kind is a new file in fetchers/, no code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from frontier_watch.catalogue import SourceSpec
from frontier_watch.records import Basis, ParseResult
from frontier_watch.sources import genai_prices, litellm, llm_prices, openrouter

Parser = Callable[..., ParseResult]


def _single_url(spec: SourceSpec) -> list[str]:
    return [spec.url]


def _per_vendor_urls(spec: SourceSpec) -> list[str]:
    # llm-prices keeps one file per vendor: the URL template has a {vendor} slot.
    if "{vendor}" not in spec.url:
        return [spec.url]
    vendors = spec.options.get("vendors") or []
    if not isinstance(vendors, list) or not all(isinstance(v, str) and v for v in vendors):
        raise ValueError(f"{spec.id}: options.vendors must be a list of vendor names")
    return [spec.url.replace("{vendor}", vendor) for vendor in vendors]


@dataclass(frozen=True)
class SourceKind:
    name: str
    parse: Parser
    basis: Basis
    start_urls: Callable[[SourceSpec], list[str]] = _single_url
    # One file per provider (llm-prices): only providers fetched this time can lose offerings.
    withdraw_by_provider: bool = False


PRICE_KINDS: Mapping[str, SourceKind] = {
    "openrouter": SourceKind("openrouter", openrouter.parse, Basis.OBSERVED),
    "litellm": SourceKind("litellm", litellm.parse, Basis.OBSERVED),
    "genai-prices": SourceKind("genai-prices", genai_prices.parse, Basis.DECLARED),
    "llm-prices": SourceKind(
        "llm-prices", llm_prices.parse, Basis.DECLARED, _per_vendor_urls, withdraw_by_provider=True
    ),
}
