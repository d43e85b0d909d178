"""Plain records that parsers and curated files produce and the store consumes.

These carry no database state, so a parser is a pure function from bytes to records.
All prices are exact Decimals in USD per million tokens (``request`` in USD per request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Basis(StrEnum):
    """How we know the dates of a price."""

    OBSERVED = "observed"  # seen on a live sheet; dates are when we saw it
    DECLARED = "declared"  # the source states the dates
    RECONSTRUCTED = "reconstructed"  # derived from a source's version history
    CURATED = "curated"  # shipped facts in data/


class Evidence(StrEnum):
    PRIMARY_TECHNICAL_REPORT = "primary-technical-report"
    OFFICIAL_ANNOUNCEMENT = "official-announcement"
    REGULATORY_FILING = "regulatory-filing"
    VENDOR_CLAIM = "vendor-claim"
    INDEPENDENT_ESTIMATE = "independent-estimate"
    PRESS_REPORT = "press-report"
    RUMOR = "rumor"


class Tier(StrEnum):
    """Named price tiers. Long-context tiers are spelt ``long-context>N``."""

    DEFAULT = "default"
    BATCH = "batch"
    FLEX = "flex"
    PRIORITY = "priority"
    OFF_PEAK = "off-peak"


def long_context_tier(threshold_tokens: int) -> str:
    """The tier name for prices that apply above ``threshold_tokens`` of input."""
    return f"long-context>{threshold_tokens // 1000}k"


PRICE_FIELDS = ("input", "output", "cache_read", "cache_write", "reasoning", "request")


@dataclass(frozen=True)
class PriceSegment:
    """One set of prices for one tier, valid from ``effective_from`` to ``effective_to``.

    ``effective_from`` None means "no date given": for a live sheet, "as observed now";
    for a declared schedule, "since the beginning". ``effective_to`` None means open-ended.
    """

    tier: str = Tier.DEFAULT
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    request: Decimal | None = None
    effective_from: datetime | None = None
    effective_to: datetime | None = None
    note: str | None = None
    # Per-segment provenance, for curated rows that cite a source each; None: the record's.
    source_url: str | None = None
    evidence: str | None = None
    confidence: str | None = None
    date_precision: str | None = None

    def prices(self) -> tuple[Decimal | None, ...]:
        return tuple(getattr(self, name) for name in PRICE_FIELDS)


@dataclass
class OfferingRecord:
    """A priced thing at one source: a model as one provider sells it."""

    offering_id: str  # the source's own id (OpenRouter slug, LiteLLM key, ...)
    name: str
    provider: str  # who sells it: "openai", "deepseek", "azure", "openrouter"...
    segments: list[PriceSegment] = field(default_factory=list)
    lab: str | None = None  # who made the model, when the source says
    deprecation_date: date | None = None
    hf_repo: str | None = None
    source_url: str | None = None  # overrides the source's URL for this offering
    evidence: str | None = None  # overrides the source's evidence class
    confidence: str | None = None
    notes: str | None = None


@dataclass
class ParseResult:
    """What a source's parser made of one response."""

    offerings: list[OfferingRecord] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    next_url: str | None = None  # pagination: the next page to fetch, if any
