"""Messages the dashboard's workers and screens send (one module, so they are found in one place)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the fetch machinery loads only when a fetch runs
    from frontier_watch.use_cases.fetching import RunSummary


class DataChanged(Message):
    """Another process (or our own fetch) wrote data: visible screens reload.

    A burst of these is one repaint (``can_replace``).
    """

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DataChanged)


class FetchStarted(Message):
    """A background fetch began on these sources."""

    def __init__(self, source_ids: list[str]) -> None:
        super().__init__()
        self.source_ids = source_ids


class SourceFetching(Message):
    """One source's download began."""

    def __init__(self, source_id: str) -> None:
        super().__init__()
        self.source_id = source_id


class SourceFetched(Message):
    """One source finished: its summary (records, changes, error)."""

    def __init__(self, summary: RunSummary) -> None:
        super().__init__()
        self.summary = summary


class FetchFinished(Message):
    """Every source of a background fetch finished (``notes`` about the fetch as a whole)."""

    def __init__(self, summaries: list[RunSummary], notes: list[str]) -> None:
        super().__init__()
        self.summaries = summaries
        self.notes = notes
