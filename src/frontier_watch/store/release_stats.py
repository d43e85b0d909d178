"""The writer of release statistics: downloads and likes, at most one row per repo per day."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from frontier_watch.domain.batch import RepoStat
from frontier_watch.store.database import upsert_rows
from frontier_watch.store.keyed_rows import chunks
from frontier_watch.store.tables import ReleaseStat, table_of
from frontier_watch.store.write_context import ChangeCounts, WriteContext

_stat = table_of(ReleaseStat)


class ReleaseStatWriter:
    def check(self, connection: Connection, context: WriteContext, items: Sequence[RepoStat]) -> None:
        return None

    def write(self, connection: Connection, context: WriteContext, items: Sequence[RepoStat]) -> ChangeCounts:
        """A second fetch on the same day keeps that day's first figures and adds nothing."""
        day = context.observed_at.date()
        rows = [
            {
                "hf_repo_id": stat.repo_id,
                "day": day,
                "observed_at": context.observed_at,
                "downloads": stat.downloads,
                "likes": stat.likes,
                "fetch_run_id": context.fetch_run_id,
            }
            for stat in {stat.repo_id: stat for stat in items}.values()
        ]
        recorded: set[str] = set()
        for chunk in chunks([row["hf_repo_id"] for row in rows]):
            recorded.update(
                connection.execute(
                    select(_stat.c.hf_repo_id).where(_stat.c.day == day, _stat.c.hf_repo_id.in_(chunk))
                ).scalars()
            )
        fresh = [row for row in rows if row["hf_repo_id"] not in recorded]
        upsert_rows(connection, _stat, fresh, ("hf_repo_id", "day"), update=False)
        return ChangeCounts(new=len(fresh), unchanged=len(rows) - len(fresh))


WRITER = ReleaseStatWriter()
