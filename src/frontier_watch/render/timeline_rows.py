"""The rows of a model's timeline (``history MODEL``): one per segment of the reference price.

A segment is the reference price of a model, seller, tier and variant from one day to
another (``to`` None: still in force), with the sources that give it and the model answer's why.
"""

from __future__ import annotations

from typing import Any

from frontier_watch.render.public_rows import Column, Listing

TIMELINE_KEYS = (
    "model_id model_name provider tier variant from to input_usd_per_mtok output_usd_per_mtok sources why"
).split()

TIMELINE = Listing(
    (
        Column("model_name", "model", priority=3),
        Column("provider", "provider", priority=2),
        Column("tier", "tier", priority=2),
        Column("variant", "variant", priority=2),
        Column("input_usd_per_mtok", "input $/M", numeric=True),
        Column("output_usd_per_mtok", "output $/M", numeric=True),
        Column("from", "from", fixed=True),
        Column("to", "to", fixed=True),
        Column("sources", "sources", priority=2),
        Column("why", "why", priority=4),
    ),
    "no price history",
)


def segment_record(segment: Any, *, for_table: bool = False) -> dict[str, Any]:
    """A timeline segment (analytics/model_timeline.Segment) in the public shape of
    ``history --json`` (TIMELINE_KEYS); for a table the sources are one comma-separated cell."""
    return {
        "model_id": segment.model_id,
        "model_name": segment.model_name,
        "provider": segment.provider,
        "tier": segment.tier,
        "variant": segment.variant,
        "from": segment.start,
        "to": segment.end,
        "input_usd_per_mtok": segment.input,
        "output_usd_per_mtok": segment.output,
        "sources": ", ".join(segment.sources) if for_table else list(segment.sources),
        "why": segment.why,
    }
