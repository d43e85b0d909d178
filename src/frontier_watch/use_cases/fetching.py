"""The fetch use case: fetch sources and store what changed, one ``fetch_run`` per source.

:func:`run_fetch` is what ``frontier-watch fetch``, the scheduler and the dashboard's fetch
key all call: it takes the lock, closes runs a killed fetch left open, loads the model
identities and fetches each source. Sources download and parse concurrently; each
source's batch is written in one transaction together with its run row, each part by its
own writer, so a failed download, a parse error or a writer's health rule (an empty or
shrunken price sheet) writes nothing and closes nothing. One source failing never stops
the others.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from frontier_watch.domain.batch import Batch
from frontier_watch.domain.errors import DatabaseError, first_line
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.money import PriceError
from frontier_watch.net.http import FetchError, make_client
from frontier_watch.net.urls import text_without_secrets
from frontier_watch.settings.config import Settings
from frontier_watch.settings.crosswalk import load_identity
from frontier_watch.sources import get_kind
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.kind import SourceKind
from frontier_watch.sources.spec import SourceSpec
from frontier_watch.store.database import Database
from frontier_watch.store.fetch_lock import database_fetch_lock
from frontier_watch.store.fetch_runs import INTERRUPTED, finish_run, mark_interrupted_runs, start_run
from frontier_watch.store.gc_pause import collector_paused
from frontier_watch.store.releases import stored_state
from frontier_watch.store.write_context import ChangeCounts, SuspiciousBatch, WriteContext
from frontier_watch.store.writers import WRITERS
from frontier_watch.use_cases.fetch_options import FetchOptions, RunSummary
from frontier_watch.use_cases.fetch_paging import download_and_parse

if TYPE_CHECKING:
    from hashlib import _Hash

# Sources download and parse concurrently but write one at a time: SQLite has one
# writer, and a write that raced another would fail rather than wait.
_WRITE_LOCK = threading.Lock()


class UnknownSourceError(ValueError):
    """A source id that is not in the catalogue, or no source to fetch at all."""


@dataclass
class FetchReport:
    """Every source's summary, in the order asked, and notes about the fetch as a whole."""

    summaries: list[RunSummary]
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[RunSummary]:
        return [summary for summary in self.summaries if summary.status != "ok"]


def select_sources(settings: Settings, source_ids: Sequence[str] = ()) -> list[SourceSpec]:
    """The named sources, or every enabled one; an unknown id is an UnknownSourceError."""
    unknown = [name for name in source_ids if name not in settings.sources]
    if unknown:
        known = ", ".join(sorted(settings.sources))
        raise UnknownSourceError(f"unknown source {', '.join(map(repr, unknown))} (known: {known})")
    # A source with no URL (curated, using its shipped copy) has nothing to fetch unless named.
    specs = [settings.sources[name] for name in source_ids] or [
        spec for spec in settings.enabled_sources() if spec.url
    ]
    if not specs:
        raise UnknownSourceError("no sources enabled; enable one in the config or name it")
    return specs


def run_fetch(
    settings: Settings,
    database: Database,
    source_ids: Sequence[str] = (),
    *,
    options: FetchOptions | None = None,
    on_start: Callable[[SourceSpec], None] | None = None,
    on_done: Callable[[RunSummary], None] | None = None,
) -> FetchReport:
    """Fetch the named (or all enabled) sources under the fetch lock.

    Raises UnknownSourceError for an unknown id and fetch_lock.LockHeld when another
    fetch holds the lock; every source problem is reported in its summary instead.
    """
    specs = select_sources(settings, source_ids)
    options = options or FetchOptions.from_settings(settings)
    with ExitStack() as held:
        try:
            notes = held.enter_context(database_fetch_lock(database))
        except OSError as exc:
            raise DatabaseError(f"cannot take the fetch lock: {exc}") from None
        except SQLAlchemyError as exc:
            raise DatabaseError(
                f"{database.describe()}: cannot take the fetch lock ({first_line(exc)})"
            ) from None
        try:
            mark_interrupted_runs(database.engine)
        except SQLAlchemyError as exc:
            raise DatabaseError(_cannot_write(database, exc)) from None
        summaries = fetch_sources(
            database.engine, specs, load_identity(), options, on_start=on_start, on_done=on_done
        )
    return FetchReport(summaries, list(notes))


def _cannot_write(database: Database, exc: Exception) -> str:
    reason = first_line(exc)
    if "readonly" in reason.replace(" ", "").lower():
        return f"{database.describe()}: the database is read-only, and a fetch writes to it ({reason})"
    return f"{database.describe()}: cannot write to the database ({reason})"


def fetch_sources(
    engine: Engine,
    specs: Sequence[SourceSpec],
    identity: Identity,
    options: FetchOptions | None = None,
    *,
    on_start: Callable[[SourceSpec], None] | None = None,
    on_done: Callable[[RunSummary], None] | None = None,
) -> list[RunSummary]:
    """Fetch every spec concurrently over one HTTP client; summaries come back in the order of ``specs``.

    The sources run on worker threads while this thread waits, so Ctrl-C is seen at once:
    the downloads are cancelled (their connections closed), each source records that it was
    interrupted, nothing half-done is written (a source writes in one transaction), and
    KeyboardInterrupt goes on to the caller within a couple of seconds.
    """
    options = options or FetchOptions()
    cancelled = options.cancelled or threading.Event()
    options = replace(options, cancelled=cancelled)
    summaries: list[RunSummary | None] = [None] * len(specs)
    pending = queue.SimpleQueue[int]()
    for index in range(len(specs)):
        pending.put(index)
    client = make_client(timeout_seconds=options.timeout_seconds, transport=options.transport)
    unusable: list[DatabaseError] = []  # a damaged or read-only database stops every source

    def work() -> None:
        while not cancelled.is_set() and not unusable:
            try:
                index = pending.get_nowait()
            except queue.Empty:
                return
            if on_start:
                on_start(specs[index])
            try:
                summaries[index] = fetch_source(engine, specs[index], identity, options, client=client)
            except DatabaseError as exc:
                unusable.append(exc)  # the other workers take no new source
                return
            except Exception as exc:  # noqa: BLE001 - its run row could not even be written: say so
                summaries[index] = RunSummary(
                    source_id=specs[index].id,
                    status="failed",
                    error=f"unexpected error: {type(exc).__name__}: {first_line(exc)}",
                )
            if on_done:
                on_done(summaries[index])  # type: ignore[arg-type]

    # Daemon threads: an interrupted fetch must not wait for a stalled server at exit.
    workers = [
        threading.Thread(target=work, name=f"fetch-{number}", daemon=True)
        for number in range(max(1, min(options.max_workers, len(specs))))
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            while worker.is_alive():
                worker.join(0.1)
                if cancelled.is_set():  # a stop asked from outside (the scheduler's SIGTERM)
                    raise _Stopped
    except (KeyboardInterrupt, _Stopped) as stop:
        _stop_workers(engine, workers, cancelled, client)
        if isinstance(stop, KeyboardInterrupt):
            raise
        for index, spec in enumerate(specs):  # the sources that did not get to say so themselves
            if summaries[index] is None:
                summaries[index] = RunSummary(source_id=spec.id, status="failed", error=INTERRUPTED)
                if on_done:
                    on_done(summaries[index])  # type: ignore[arg-type]
    finally:
        client.close()
    if unusable:
        raise unusable[0]
    return [summary for summary in summaries if summary is not None]


class _Stopped(Exception):
    """The fetch's ``cancelled`` event was set from outside while it ran."""


def _stop_workers(
    engine: Engine, workers: list[threading.Thread], cancelled: threading.Event, client: httpx.Client
) -> None:
    """Stop every download; a write already under way finishes its transaction, then the
    runs left open are marked interrupted. Workers stuck on a stalled server are left behind
    (daemon threads): they write nothing more."""
    cancelled.set()
    client.close()  # aborts the downloads it can
    deadline = time.monotonic() + 2.0
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    with _WRITE_LOCK:  # waits for a write in progress, and keeps any other from starting now
        mark_interrupted_runs(engine)


def fetch_source(
    engine: Engine,
    spec: SourceSpec,
    identity: Identity,
    options: FetchOptions,
    *,
    client: httpx.Client | None = None,
) -> RunSummary:
    """Download, parse and store one source. Never raises for source problems.

    ``client`` is the fetch's shared HTTP client; without one, the source gets its own.
    """
    started = time.perf_counter()
    started_at = options.clock()
    with _WRITE_LOCK, engine.begin() as connection:
        run_id = start_run(connection, spec.id, started_at)
    summary = RunSummary(source_id=spec.id, status="failed", run_id=run_id)
    digest = hashlib.sha256()
    with collector_paused():
        return _fetch_and_store(engine, spec, identity, options, client, summary, started, started_at, digest)


def _fetch_and_store(
    engine: Engine,
    spec: SourceSpec,
    identity: Identity,
    options: FetchOptions,
    client: httpx.Client | None,
    summary: RunSummary,
    started: float,
    started_at: datetime,
    digest: _Hash,
) -> RunSummary:
    run_id = summary.run_id
    try:
        kind = get_kind(spec.kind)
        if kind is None:
            raise FetchError(f"sources of kind {spec.kind!r} cannot be fetched by this version")
        stored = None
        if kind.stop_paging is not None:
            with engine.connect() as connection:
                stored = stored_state(connection, spec.id, started_at.date())
        today = started_at.date()
        if client is None:
            with make_client(timeout_seconds=options.timeout_seconds, transport=options.transport) as own:
                batch, retries = download_and_parse(spec, kind, options, summary, digest, own, stored, today)
        else:
            batch, retries = download_and_parse(spec, kind, options, summary, digest, client, stored, today)
        summary.records, summary.skipped = batch.count(), len(batch.skipped)
        context = WriteContext(
            source_id=spec.id,
            observed_at=started_at,
            identity=identity,
            source_url=spec.url,
            evidence=spec.evidence,
            basis=kind.basis,
            fetch_run_id=run_id,
            full_list=not batch.incomplete,
            kept_ids=frozenset(item_id for item_id, _ in batch.skipped),
            withdraw_by_provider=kind.withdraw_by_provider,
            accept_shrink=spec.id in options.accept_shrink,
            shrink_floor=spec.options.get("shrink_floor"),
        )
        if options.cancelled is not None and options.cancelled.is_set():
            raise FetchError("interrupted before anything was written")
        with _WRITE_LOCK, engine.begin() as connection:
            counts = _write_batch(connection, kind, context, batch)
            summary.new, summary.changed = counts.new, counts.changed
            summary.unchanged, summary.withdrawn = counts.unchanged, counts.withdrawn
            summary.status = "ok"
            notes = [_skip_note(batch.skipped), *batch.notes, *context.notes, *retries]
            summary.error = "; ".join(filter(None, notes)) or None
            _finish(connection, summary, started, digest)
        return summary
    except SuspiciousBatch as exc:
        summary.status, summary.error = "suspicious", str(exc)
    except FetchError as exc:
        summary.error = str(exc)
        summary.http_status = exc.http_status or summary.http_status
    except (SourceFormatError, PriceError, ValueError) as exc:
        summary.error = str(exc)
    except SQLAlchemyError as exc:
        summary.error = f"database error: {first_line(exc)}"
    except DatabaseError:
        raise  # damaged or read-only: no source can be stored (fetch_sources stops them all)
    except Exception as exc:  # noqa: BLE001 - one source's surprise must not stop the others
        detail = f": {first_line(exc)}" if str(exc).strip() else ""
        summary.error = f"unexpected error: {type(exc).__name__}{detail}"
    if options.cancelled is not None and options.cancelled.is_set():
        summary.error = INTERRUPTED  # whatever the aborted download raised, the reason is the stop
    summary.new = summary.changed = summary.unchanged = summary.withdrawn = 0
    with _WRITE_LOCK, engine.begin() as connection:
        _finish(connection, summary, started, digest)
    return summary


def _write_batch(
    connection: Connection, kind: SourceKind, context: WriteContext, batch: Batch
) -> ChangeCounts:
    """Each part the kind yields goes to its writer: every health rule first, then the writes."""
    parts = sorted(kind.produces)
    for part in parts:
        WRITERS[part].check(connection, context, getattr(batch, part))
    counts = ChangeCounts()
    for part in parts:
        counts.add(WRITERS[part].write(connection, context, getattr(batch, part)))
    return counts


def _skip_note(skipped: list[tuple[str, str]]) -> str | None:
    if not skipped:
        return None
    shown = "; ".join(f"{item_id}: {reason}" for item_id, reason in skipped[:5])
    more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return f"skipped {len(skipped)}: {shown}{more}"


def _finish(connection: Connection, summary: RunSummary, started: float, digest: _Hash) -> None:
    summary.seconds = round(time.perf_counter() - started, 3)
    summary.error = text_without_secrets(summary.error)  # a URL in an error keeps no key (urls.py)
    assert summary.run_id is not None
    # A summary is the run's outcome (RunOutcome) and more: finish_run stores the outcome's fields.
    finish_run(
        connection, summary.run_id, summary, content_hash=digest.hexdigest() if summary.bytes else None
    )
