"""Fetch sources and store what changed: one fetch_run row per source per fetch.

Each source is downloaded, parsed and written on its own; sources run concurrently and
one failing never stops the others. A source's records are written in one transaction
together with its run row: a failed parse, or a catalogue that shrank by more than
half, writes nothing and closes no interval.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError

from frontier_watch.catalogue import SourceSpec
from frontier_watch.errors import first_line
from frontier_watch.http import FetchError, RetryPolicy, bearer_headers, download, make_client
from frontier_watch.identity import Identity
from frontier_watch.models import FetchRun, table_of
from frontier_watch.money import PriceError
from frontier_watch.price_history import Provenance, record_offerings
from frontier_watch.records import OfferingRecord
from frontier_watch.sources import PRICE_KINDS, SourceKind
from frontier_watch.sources.errors import SourceFormatError

MAX_PAGES = 200
SHRINK_LIMIT = 0.5  # fewer than half the offerings of the last good run is suspicious
_run = table_of(FetchRun)
# Sources download and parse concurrently but write one at a time: SQLite has one
# writer, and a write that raced another would fail rather than wait.
_WRITE_LOCK = threading.Lock()


@dataclass
class RunSummary:
    source_id: str
    status: str  # ok | failed | suspicious
    seconds: float = 0.0
    records: int = 0
    skipped: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    http_status: int | None = None
    bytes: int = 0
    error: str | None = None
    run_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class FetchOptions:
    timeout_seconds: float = 30.0
    retry: RetryPolicy = RetryPolicy()
    max_bytes: int = 64 * 1024 * 1024
    transport: httpx.BaseTransport | None = None  # tests inject MockTransport here
    sleep: Callable[[float], None] = time.sleep


class _Suspicious(Exception):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def mark_interrupted_runs(engine: Engine) -> int:
    """Runs left 'running' by a killed fetch; only call while holding the fetch lock."""
    with engine.begin() as connection:
        result = connection.execute(
            update(_run)
            .where(_run.c.status == "running")
            .values(
                status="failed",
                error="interrupted (the fetch was killed before it finished)",
                finished_at=utc_now(),
            )
        )
    return result.rowcount or 0


def fetch_sources(
    engine: Engine,
    specs: Sequence[SourceSpec],
    identity: Identity,
    options: FetchOptions | None = None,
    *,
    on_start: Callable[[SourceSpec], None] | None = None,
    on_done: Callable[[RunSummary], None] | None = None,
    max_workers: int = 4,
) -> list[RunSummary]:
    """Fetch every spec concurrently; summaries come back in the order of ``specs``."""
    options = options or FetchOptions()

    def one(spec: SourceSpec) -> RunSummary:
        if on_start:
            on_start(spec)
        summary = fetch_source(engine, spec, identity, options)
        if on_done:
            on_done(summary)
        return summary

    if len(specs) <= 1 or max_workers <= 1:
        return [one(spec) for spec in specs]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(specs)), thread_name_prefix="fetch") as pool:
        return list(pool.map(one, specs))


def fetch_source(engine: Engine, spec: SourceSpec, identity: Identity, options: FetchOptions) -> RunSummary:
    """Download, parse and store one source. Never raises for source problems."""
    started = time.perf_counter()
    started_at = utc_now()
    with _WRITE_LOCK, engine.begin() as connection:
        inserted = connection.execute(
            _run.insert().values(source_id=spec.id, started_at=started_at, status="running")
        ).inserted_primary_key
        # A single-row INSERT without RETURNING always reports its primary key.
        assert inserted is not None
        run_id = inserted[0]
    summary = RunSummary(source_id=spec.id, status="failed", run_id=run_id)
    digest = hashlib.sha256()
    try:
        kind = PRICE_KINDS.get(spec.kind)
        if kind is None:
            raise FetchError(f"sources of kind {spec.kind!r} cannot be fetched by this version")
        offerings, skipped, retries = _download_and_parse(spec, kind, options, summary, digest)
        summary.records, summary.skipped = len(offerings), len(skipped)
        with _WRITE_LOCK, engine.begin() as connection:
            _check_health(connection, spec, len(offerings))
            counts = record_offerings(
                connection,
                offerings,
                Provenance(spec.id, kind.basis, spec.url, spec.evidence, run_id),
                observed_at=started_at,
                identity=identity,
                withdraw_missing=True,
                keep_ids=[offering_id for offering_id, _ in skipped],
                withdraw_providers={o.provider for o in offerings} if kind.withdraw_by_provider else None,
            )
            summary.new, summary.changed = counts.new, counts.changed
            summary.unchanged, summary.withdrawn = counts.unchanged, counts.withdrawn
            summary.status = "ok"
            summary.error = "; ".join(filter(None, [_skip_note(skipped), *retries])) or None
            _finish(connection, summary, started, digest)
        return summary
    except _Suspicious as exc:
        summary.status, summary.error = "suspicious", str(exc)
    except FetchError as exc:
        summary.error = str(exc)
        summary.http_status = exc.http_status or summary.http_status
    except (SourceFormatError, PriceError, ValueError) as exc:
        summary.error = str(exc)
    except SQLAlchemyError as exc:
        summary.error = f"database error: {first_line(exc)}"
    except Exception as exc:  # noqa: BLE001 - one source's surprise must not stop the others
        detail = f": {first_line(exc)}" if str(exc).strip() else ""
        summary.error = f"unexpected error: {type(exc).__name__}{detail}"
    summary.new = summary.changed = summary.unchanged = summary.withdrawn = 0
    with _WRITE_LOCK, engine.begin() as connection:
        _finish(connection, summary, started, digest)
    return summary


def _download_and_parse(spec, kind: SourceKind, options: FetchOptions, summary: RunSummary, digest):
    offerings: dict[tuple[str, str], OfferingRecord] = {}
    skipped: list[tuple[str, str]] = []
    retries: list[str] = []  # "HTTP 503, retrying in 2.0s": kept in the run note
    token_env = spec.options.get("token_env") if isinstance(spec.options.get("token_env"), str) else None
    auth = bearer_headers(token_env)
    own_host = httpx.URL(spec.url.replace("{vendor}", "x")).host
    with make_client(timeout_seconds=options.timeout_seconds, transport=options.transport) as client:
        for start_url in kind.start_urls(spec):
            url: str | None = start_url
            seen_pages: set[str] = set()
            while url:
                if url in seen_pages or len(seen_pages) >= MAX_PAGES:
                    raise SourceFormatError(f"pagination loop or more than {MAX_PAGES} pages at {url}")
                seen_pages.add(url)
                page = download(
                    client,
                    url,
                    max_bytes=options.max_bytes,
                    retry=options.retry,
                    sleep=options.sleep,
                    headers=auth if auth and httpx.URL(url).host == own_host else None,
                )
                summary.http_status = page.status
                summary.bytes += len(page.body)
                retries.extend(page.notes)
                digest.update(page.body)
                result = kind.parse(page.body, url=page.url, options=spec.options)
                for offering in result.offerings:
                    key = (offering.provider, offering.offering_id)
                    if key in offerings:
                        raise SourceFormatError(
                            f"duplicate offering id {offering.offering_id!r} across pages"
                        )
                    if offering.source_url is None and page.url != spec.url:
                        offering.source_url = page.url
                    offerings[key] = offering
                skipped.extend(result.skipped)
                url = result.next_url
    return list(offerings.values()), skipped, retries


def _check_health(connection, spec: SourceSpec, count: int) -> None:
    previous = connection.execute(
        select(_run.c.records)
        .where(_run.c.source_id == spec.id, _run.c.status == "ok")
        .order_by(_run.c.id.desc())
        .limit(1)
    ).scalar()
    if count == 0:
        raise _Suspicious("the response listed no usable offerings; nothing written")
    if previous and count < previous * SHRINK_LIMIT:
        raise _Suspicious(
            f"catalogue shrank from {previous} to {count} offerings (more than half); nothing written"
        )


def _skip_note(skipped: list[tuple[str, str]]) -> str | None:
    if not skipped:
        return None
    shown = "; ".join(f"{offering_id}: {reason}" for offering_id, reason in skipped[:5])
    more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return f"skipped {len(skipped)}: {shown}{more}"


def _finish(connection, summary: RunSummary, started: float, digest) -> None:
    summary.seconds = round(time.perf_counter() - started, 3)
    connection.execute(
        update(_run)
        .where(_run.c.id == summary.run_id)
        .values(
            finished_at=utc_now(),
            status=summary.status,
            http_status=summary.http_status,
            bytes=summary.bytes,
            content_hash=digest.hexdigest() if summary.bytes else None,
            records=summary.records,
            skipped=summary.skipped,
            new=summary.new,
            changed=summary.changed,
            withdrawn=summary.withdrawn,
            error=summary.error,
        )
    )
