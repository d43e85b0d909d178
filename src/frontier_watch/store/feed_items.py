"""The writer of feed items: announcements waiting for a person to review them.

A fetch adds new entries unreviewed and never undoes a review. ``review_feed_item``
promotes an entry into a signal (with the evidence class the reviewer gives) or dismisses
it, in one transaction, so an entry is reviewed at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from frontier_watch.domain.batch import FeedEntry, SignalFact
from frontier_watch.net.urls import stored_url
from frontier_watch.store.keyed_rows import write_keyed_rows
from frontier_watch.store.meta import bump_data_version
from frontier_watch.store.signals import record_signal
from frontier_watch.store.tables import FeedItem, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

_feed_item = table_of(FeedItem)
REVIEW_ORIGIN = "user"  # a promoted entry is a person's judgement of what the feed said


class FeedItemWriter:
    def check(self, connection: Connection, context: WriteContext, items: Sequence[FeedEntry]) -> None:
        return None

    def write(
        self, connection: Connection, context: WriteContext, items: Sequence[FeedEntry]
    ) -> ChangeCounts:
        """New entries are added unreviewed; a review already made is never undone by a re-fetch."""
        rows = [
            {
                "source_id": context.source_id,
                "entry_key": entry.key,
                "title": entry.title,
                "link": stored_url(entry.link),
                "published_at": entry.published_at,
                "summary": entry.summary,
                "matched": ", ".join(entry.matched) or None,
            }
            for entry in items
        ]
        return write_keyed_rows(
            connection,
            _feed_item,
            rows,
            source_column="source_id",
            key_column="entry_key",
            observed_at=context.observed_at,
            fetch_run_id=context.fetch_run_id,
        )


WRITER = FeedItemWriter()


class NotReviewable(ValueError):
    """The feed item does not exist or was reviewed already. One-line message."""


@dataclass(frozen=True)
class Review:
    """What a review did: the item as it was, and the signal it became (None when dismissed)."""

    item: dict[str, Any]
    signal_id: int | None
    counts: ChangeCounts


def review_feed_item(
    engine: Engine,
    item_id: int,
    make_signal: Callable[[dict[str, Any]], SignalFact] | None,
    *,
    now: datetime,
) -> Review:
    """Promote feed item ``item_id`` into the signal ``make_signal(item)`` builds, or dismiss it (None).

    The signal is stored under the feed's source id with origin ``user``, keyed by the entry,
    and the item is marked reviewed, in one transaction. ``make_signal`` may raise
    ValueError for input that cannot make a signal; nothing is written then.
    """
    with engine.begin() as connection:
        found = connection.execute(select(_feed_item).where(_feed_item.c.id == item_id)).first()
        if found is None:
            raise NotReviewable(f"no feed item {item_id} (see 'signals --unreviewed')")
        item = dict(found._mapping)
        if item["reviewed_at"] is not None:
            became = f" into signal {item['signal_id']}" if item["signal_id"] is not None else " (dismissed)"
            raise NotReviewable(f"feed item {item_id} was reviewed on {item['reviewed_at']:%Y-%m-%d}{became}")
        signal_id: int | None = None
        counts = ChangeCounts()
        if make_signal is not None:
            signal_id, counts = record_signal(
                connection,
                make_signal(item),
                source_id=item["source_id"],
                origin=REVIEW_ORIGIN,
                observed_at=now,
            )
        connection.execute(
            update(_feed_item).where(_feed_item.c.id == item_id).values(reviewed_at=now, signal_id=signal_id)
        )
        bump_data_version(connection)
    return Review(item, signal_id, counts)
