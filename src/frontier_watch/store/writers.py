"""Which writer stores which part of a batch: the one table the fetch use case dispatches on."""

from __future__ import annotations

from collections.abc import Mapping

from frontier_watch.store import feed_items, price_intervals, release_stats, releases, signals
from frontier_watch.store.write_context import PartWriter

WRITERS: Mapping[str, PartWriter] = {
    "offerings": price_intervals.WRITER,
    "releases": releases.WRITER,
    "release_stats": release_stats.WRITER,
    "signals": signals.WRITER,
    "feed_items": feed_items.WRITER,
}
