"""The rows of the ``changes`` digest's price sections, in the public shape of ``changes --json``.

A price change is a change of a model's reference price for one seller, tier and variant
(analytics/model_changes.ReferenceChange); a new model price and a withdrawn price are
PriceEvents. Prices are exact Decimals (USD per million tokens), days are dates; the JSON
writer shows both (render/output.json_value).
"""

from __future__ import annotations

from typing import Any

from frontier_watch.render.public_rows import shown_url

PRICE_CHANGE_KEYS = (
    "model_id model_name provider tier variant date old_input_usd_per_mtok old_output_usd_per_mtok "
    "new_input_usd_per_mtok new_output_usd_per_mtok input_change_pct output_change_pct sources "
    "source_urls scheduled dating"
).split()
PRICE_EVENT_KEYS = (
    "model_id model_name provider tier variant date input_usd_per_mtok output_usd_per_mtok sources "
    "source_urls scheduled dating"
).split()


def change_record(change: Any) -> dict[str, Any]:
    """A ReferenceChange under PRICE_CHANGE_KEYS."""
    return {
        "model_id": change.model_id,
        "model_name": change.model_name,
        "provider": change.provider,
        "tier": change.tier,
        "variant": change.variant,
        "date": change.date,
        "old_input_usd_per_mtok": change.old_input,
        "old_output_usd_per_mtok": change.old_output,
        "new_input_usd_per_mtok": change.new_input,
        "new_output_usd_per_mtok": change.new_output,
        "input_change_pct": _rounded(change.percent("input")),
        "output_change_pct": _rounded(change.percent("output")),
        "sources": list(change.sources),
        "source_urls": [shown_url(url) for url in change.source_urls],
        "scheduled": change.scheduled,
        "dating": change.dating,
    }


def event_record(event: Any) -> dict[str, Any]:
    """A PriceEvent (a new model's price, a withdrawn price) under PRICE_EVENT_KEYS."""
    return {
        "model_id": event.model_id,
        "model_name": event.model_name,
        "provider": event.provider,
        "tier": event.tier,
        "variant": event.variant,
        "date": event.date,
        "input_usd_per_mtok": event.input,
        "output_usd_per_mtok": event.output,
        "sources": list(event.sources),
        "source_urls": [shown_url(url) for url in event.source_urls],
        "scheduled": event.scheduled,
        "dating": event.dating,
    }


def _rounded(percent: float | None) -> float | None:
    return None if percent is None else round(percent, 2)
