"""The terms of a fetch: what it is asked to do (FetchOptions) and what it reports (RunSummary)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import httpx

from frontier_watch.domain.clock import utc_now
from frontier_watch.net.http import RetryPolicy
from frontier_watch.settings.config import Settings
from frontier_watch.store.fetch_runs import RunOutcome


@dataclass(kw_only=True)
class RunSummary(RunOutcome):
    """What one source's fetch did, as the commands report it: the run's stored outcome
    (RunOutcome's fields, stated there once) and what only the report shows."""

    source_id: str
    seconds: float = 0.0
    unchanged: int = 0
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON shows it, the source first (the outcome's fields come before
        the report's own in a dataclass that extends it)."""
        return {"source_id": self.source_id, **asdict(self)}


@dataclass
class FetchOptions:
    """How a fetch downloads: timeouts, retries, limits, concurrency, and how it is stopped."""

    timeout_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_bytes: int = 64 * 1024 * 1024
    transport: httpx.BaseTransport | None = None  # tests inject MockTransport here
    sleep: Callable[[float], None] = time.sleep
    max_workers: int = 4
    accept_shrink: frozenset[str] = frozenset()  # sources whose smaller list is accepted on purpose
    cancelled: threading.Event | None = None  # set to stop every download and write nothing more
    clock: Callable[[], datetime] = utc_now  # when a fetch observes (tests move it to another day)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> FetchOptions:
        retry = RetryPolicy(
            settings.fetch_attempts, settings.fetch_backoff_seconds, settings.fetch_max_retry_wait_seconds
        )
        return cls(timeout_seconds=settings.fetch_timeout_seconds, retry=retry, **overrides)
