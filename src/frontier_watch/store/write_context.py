"""What every writer is told about a batch, what it reports back, and how it refuses one.

Each record type has one writer module in the store; the fetch use case hands a writer the
part of a batch it owns together with a :class:`WriteContext`, inside the source's single
transaction. A writer's health rule raises :class:`SuspiciousBatch` to refuse the whole
batch (nothing of the source is then written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis


class SuspiciousBatch(Exception):
    """A batch that parsed but does not look like the source's data: nothing is written."""


@dataclass
class ChangeCounts:
    new: int = 0  # rows opened or added
    changed: int = 0  # rows closed, restated or updated because a value changed
    unchanged: int = 0  # observations that only moved last_seen_at
    withdrawn: int = 0  # items gone from a healthy full list, closed (never deleted)
    offerings_added: int = 0

    def add(self, other: ChangeCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass(frozen=True)
class WriteContext:
    """Where a batch comes from and how to treat what it does not list."""

    source_id: str
    observed_at: datetime
    identity: Identity
    source_url: str | None = None  # the source's URL, for rows that do not name their own
    evidence: str | None = None  # the source's evidence class, likewise
    basis: Basis | None = None  # how the dates of its prices are known
    fetch_run_id: int | None = None
    full_list: bool = False  # the batch is the source's whole list: what it lacks is withdrawn
    kept_ids: frozenset[str] = frozenset()  # listed but skipped: neither updated nor withdrawn
    withdraw_by_provider: bool = False  # only providers present in the batch can lose items
    accept_shrink: bool = False  # the user accepts a much smaller list on purpose
    shrink_floor: int | None = None  # a list at least this long is never refused as shrunk
    notes: list[str] = field(default_factory=list)  # what a writer wants in the run's note


class PartWriter(Protocol):
    """The writer of one batch part (offerings, releases, ...)."""

    def check(self, connection: Connection, context: WriteContext, items: Sequence[Any]) -> None:
        """Raise SuspiciousBatch when ``items`` should not be written at all."""

    def write(self, connection: Connection, context: WriteContext, items: Sequence[Any]) -> ChangeCounts:
        """Write ``items`` in the caller's transaction and count what changed."""
