"""When a fitted rate may be said as a headline, and which evidence a growth headline rests on.

The rules every trend headline follows (``trends capability``, ``trends compute``, the
dashboard's Overview), stated once:

* A headline needs at least :data:`MIN_POINTS` points spanning at least
  :data:`MIN_SPAN_DAYS` days: fewer or shorter, and the fit is shown as "too few points" or
  "too short a span", never as a rate.
* Where the 90% interval is wider than a factor of :data:`MAX_INTERVAL_RATIO` (its high end
  over its low end), the rate is "too uncertain" rather than a figure.
* Growth headlines are fitted only on evidence independent enough of the party that gains from
  the number (:data:`INDEPENDENT_EVIDENCE`): a vendor's claim, a rumour and a letter of intent
  are left out unless asked for, and listed apart.
* Capability points (Epoch AI's method) are priced on the first day a price of the model is
  known; that day must be at most :data:`DEFAULT_MAX_PRICE_LAG_DAYS` after the release
  (``--max-price-lag``), or the point says more about a later market than about the release.

Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.vocabulary import Evidence

if TYPE_CHECKING:  # the CLI's parser reads the defaults here: no polars on that path
    from frontier_watch.analytics.fit import RateFit

MIN_POINTS = 5
MIN_SPAN_DAYS = 730  # two years
MAX_INTERVAL_RATIO = 100.0
# A quarter: launch prices are nearly always published on the release day or within weeks
# (the API opens a few weeks after a paper or a preview); after three months, the first price
# a source recorded is a later market's (a host's cut, a catalogue first seen a year on).
DEFAULT_MAX_PRICE_LAG_DAYS = 90

# The evidence classes a growth headline is fitted on by default.
INDEPENDENT_EVIDENCE = frozenset(
    str(evidence)
    for evidence in (
        Evidence.PRIMARY_TECHNICAL_REPORT,
        Evidence.OFFICIAL_ANNOUNCEMENT,
        Evidence.REGULATORY_FILING,
        Evidence.INDEPENDENT_ESTIMATE,
        Evidence.PRESS_REPORT,
    )
)
LETTER_OF_INTENT = "letter-of-intent"  # a class of its own, whatever the source's class says
_LETTER_WORDS = ("letter of intent", "loi only", "loi;", "(loi)")


def evidence_class(row: Mapping[str, Any]) -> str:
    """A signal row's evidence class for a headline: its stored class, or ``letter-of-intent``
    where its item or notes say it is one (an intent to deploy is no capacity, even when the
    lab announces it officially)."""
    text = " ".join(str(row.get(key) or "") for key in ("item", "metric", "notes")).lower()
    if any(words in text for words in _LETTER_WORDS):
        return LETTER_OF_INTENT
    return str(row.get("evidence") or "unknown")


def is_independent(row: Mapping[str, Any]) -> bool:
    """Whether a signal row counts for a growth headline by default."""
    return evidence_class(row) in INDEPENDENT_EVIDENCE


def headline_problem(fit: RateFit | None) -> str | None:
    """Why a fitted rate is no headline (too few points, too short a span, too uncertain), or None."""
    if fit is None:
        return "no fit"
    if fit.points < MIN_POINTS:
        return f"too few points ({fit.points}; a headline needs {MIN_POINTS})"
    span = (fit.end - fit.start).days
    if span < MIN_SPAN_DAYS:
        return f"too short a span ({span} days; a headline needs {MIN_SPAN_DAYS})"
    if fit.ci_low and fit.ci_high and fit.ci_high / fit.ci_low > MAX_INTERVAL_RATIO:
        return (
            f"too uncertain (90% interval {fit.ci_low:.3g}x-{fit.ci_high:.3g}x, "
            f"wider than a factor of {MAX_INTERVAL_RATIO:g})"
        )
    return None


def classes_text(classes: Iterable[str | None]) -> str:
    """The evidence classes behind a headline, each with its count:
    ``official-announcement 3, press-report 2``."""
    counts: dict[str, int] = {}
    for name in classes:
        counts[name or "unknown"] = counts.get(name or "unknown", 0) + 1
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none"
