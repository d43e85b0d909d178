"""The writer of feed items: announcements waiting for a person to review them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from frontier_watch.batch import FeedEntry
from frontier_watch.store.keyed_rows import write_keyed_rows
from frontier_watch.store.tables import FeedItem, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

_feed_item = table_of(FeedItem)


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
                "link": entry.link,
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
