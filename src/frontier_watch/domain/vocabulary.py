"""The shared words of the data model: basis, evidence class, tier, price fields.

Sources, the store, analytics and the commands all speak these; none of them owns them.
"""

from __future__ import annotations

from enum import StrEnum


class Basis(StrEnum):
    """How we know the dates of a price."""

    OBSERVED = "observed"  # seen on a live sheet; dates are when we saw it
    DECLARED = "declared"  # the source states the dates
    RECONSTRUCTED = "reconstructed"  # derived from a source's version history
    CURATED = "curated"  # shipped facts in data/


class Evidence(StrEnum):
    """How strong the evidence behind a number is, from a lab's own paper to a rumour."""

    PRIMARY_TECHNICAL_REPORT = "primary-technical-report"
    OFFICIAL_ANNOUNCEMENT = "official-announcement"
    REGULATORY_FILING = "regulatory-filing"
    VENDOR_CLAIM = "vendor-claim"
    INDEPENDENT_ESTIMATE = "independent-estimate"
    PRESS_REPORT = "press-report"
    RUMOR = "rumor"


EVIDENCE_CLASSES = frozenset(str(evidence) for evidence in Evidence)

# What an infrastructure or policy signal is about (the curated fact base's categories).
SIGNAL_CATEGORIES = frozenset(
    {
        "cluster",  # a training cluster or a site's compute (GPUs, H100 equivalents)
        "fleet",  # a company's GPUs across all its sites
        "power",  # planned or installed power capacity
        "capex",  # capital spending, guidance or actuals
        "investment",
        "export_control",
        "chip_launch",  # an accelerator and its specifications
        "fab",
        "funding",
        "policy",
    }
)

# How precisely a fact's date is known.
DATE_PRECISIONS = ("day", "approx", "month", "quarter", "year")

# How sure a curated or entered number is.
CONFIDENCES = ("high", "medium", "low")


class DateKind(StrEnum):
    """What a release's date is: never one kind of date shown as another."""

    ANNOUNCED = "announced"  # the lab announced or released it (curated facts)
    REPO_CREATED = "repo-created"  # its weights repository was created (Hugging Face)
    API_LISTED = "api-listed"  # an API first listed it (OpenRouter's ``created``)


class Tier(StrEnum):
    """Named price tiers. Long-context tiers are spelt ``long-context>N``."""

    DEFAULT = "default"
    BATCH = "batch"
    FLEX = "flex"
    PRIORITY = "priority"
    OFF_PEAK = "off-peak"
    FREE = "free"  # $0 input and output: a free tier or a placeholder, never the default price


class PriceFlag(StrEnum):
    """Why a stored price is suspect. Flagged prices are shown with the flag and left out of
    analytics unless asked for; they are never dropped."""

    SWAPPED = "swapped"  # input and output exchanged
    UNIT_ERROR = "unit-error"  # 10x-1000x off the same model's other prices (a per-1K or per-token slip)
    ZERO = "zero"  # $0 where the seller charges: a placeholder or a passing promotion


class LifeEvent(StrEnum):
    """The bounds of a model's life that prices must keep within."""

    RELEASED = "released"
    RETIRED = "retired"


def long_context_tier(threshold_tokens: int) -> str:
    """The tier name for prices that apply above ``threshold_tokens`` of input."""
    return f"long-context>{threshold_tokens // 1000}k"


# The prices a tier can carry, in storage order: per million tokens, and per request last.
PRICE_FIELDS = ("input", "output", "cache_read", "cache_write", "reasoning", "request")
