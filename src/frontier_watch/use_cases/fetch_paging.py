"""Paging: every page of a source's start URLs downloaded, parsed, vetted and merged into one batch.

Tokens go only to the source's own origin; a spent rate limit pauses; a loop, an endless list
or a wrong link to a later page stops paging with a note (the list is then incomplete, so
nothing missing from it is taken as withdrawn); a kind can stop early when nothing is new.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from frontier_watch.domain.batch import PARTS, Batch
from frontier_watch.domain.plausible import vet_batch
from frontier_watch.net.http import FetchError, bearer_headers, download, rate_limit_wait
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.kind import Response, SourceKind, StoredState
from frontier_watch.sources.spec import SourceSpec
from frontier_watch.use_cases.fetch_options import FetchOptions, RunSummary

if TYPE_CHECKING:
    from hashlib import _Hash

MAX_PAGES = 200


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host, parsed.port


def download_and_parse(
    spec: SourceSpec,
    kind: SourceKind,
    options: FetchOptions,
    summary: RunSummary,
    digest: _Hash,
    client: httpx.Client,
    stored: StoredState | None = None,
    today: date | None = None,
) -> tuple[Batch, list[str]]:
    """Every page of every start URL, merged into one batch; notes for the run on the side.

    A kind whose start URLs are lists of their own (``label_start``) loses only the list
    the server refuses or that cannot be read; the source fails when every list does.
    Every page's items are held to plausible.py's bounds (``today`` dates them): an item
    out of range is skipped with the reason.
    """
    if not spec.url:
        nothing = Batch()
        nothing.notes.append("no url is set, so there is nothing to download: the shipped copy is used")
        return nothing, []
    pages = _Pages(spec, kind, options, summary, digest, client, stored, today or options.clock().date())
    starts = kind.start_urls(spec)
    failures: list[tuple[str, FetchError | SourceFormatError]] = []
    for start_url in starts:
        try:
            pages.follow(start_url)
        except (FetchError, SourceFormatError) as exc:
            if kind.label_start is None or not _fails_only_its_list(exc):
                raise
            failures.append((kind.label_start(start_url), exc))
    failed = [f"{label} failed: {_list_error(exc)}" for label, exc in failures]
    if failures and len(failures) == len(starts):
        raise FetchError("; ".join(failed), getattr(failures[0][1], "http_status", None))
    if pages.stopped_early:
        pages.notes.append(f"nothing new after: {', '.join(pages.stopped_early)}")
    return pages.batch, [*failed, *pages.notes]


def _fails_only_its_list(exc: FetchError | SourceFormatError) -> bool:
    """A refusal of one list (no such organisation: 404) or an unreadable page, not an outage."""
    if isinstance(exc, SourceFormatError):
        return True
    status = exc.http_status
    return status is not None and 400 <= status < 500 and status != 429


def _list_error(exc: Exception) -> str:
    if getattr(exc, "http_status", None) == 404:
        return f"{exc} (no such list at the source: is the name right?)"
    return str(exc)


class _Pages:
    """Follows one start URL's pages into the fetch's batch: tokens, rate limits, early stops."""

    def __init__(
        self,
        spec: SourceSpec,
        kind: SourceKind,
        options: FetchOptions,
        summary: RunSummary,
        digest: _Hash,
        client: httpx.Client,
        stored: StoredState | None,
        today: date,
    ) -> None:
        self.spec, self.kind, self.options = spec, kind, options
        self.summary, self.digest, self.client, self.stored = summary, digest, client, stored
        self.today = today
        self.batch = Batch()
        self.identities: dict[str, dict[Any, Any]] = {}
        self.notes: list[str] = []  # "HTTP 503, retrying in 2.0s": kept in the run note
        self.stopped_early: list[str] = []
        self.pause = 0.0  # seconds to wait before the next request (a spent rate limit)
        token_env = spec.options.get("token_env")
        self.auth = bearer_headers(token_env if isinstance(token_env, str) else None)
        template = spec.url
        for placeholder in kind.url_placeholders:
            template = template.replace(placeholder, "x")
        self.own_origin = _origin(template)

    def follow(self, start_url: str) -> None:
        kind, options = self.kind, self.options
        label = kind.label_start(start_url) if kind.label_start else "the list"
        url: str | None = start_url
        previous = start_url
        seen_pages: set[tuple[Any, ...]] = set()
        while url:
            # A loop or an endless list keeps the pages read, stops and says so; the list is
            # then incomplete, so nothing missing from it is taken as withdrawn.
            page_key = _page_key(url)
            if page_key in seen_pages or len(seen_pages) >= MAX_PAGES:
                why = (
                    "links back to a page already read"
                    if page_key in seen_pages
                    else f"goes past {MAX_PAGES} pages"
                )
                self.notes.append(f"{label}: page {len(seen_pages)} {why}; stopped paging there")
                self.batch.incomplete = True
                return
            seen_pages.add(page_key)
            try:
                parsed = self._read_page(url)
            except (FetchError, SourceFormatError) as exc:
                # A later page the source pointed at wrongly keeps the pages before it (the
                # list is then incomplete); the first page failing, or an outage (a 5xx, a 429,
                # the source's own host down), is the list failing, and nothing is written.
                cancelled = options.cancelled is not None and options.cancelled.is_set()
                if len(seen_pages) == 1 or cancelled or not _a_wrong_link(exc, url, previous):
                    raise
                self.notes.append(
                    f"{label}: page {len(seen_pages)} failed ({exc}); stopped paging there, "
                    f"kept the {len(seen_pages) - 1} page(s) before it"
                )
                self.batch.incomplete = True
                return
            _check_duplicates(parsed, self.identities)
            self.batch.extend(parsed)
            previous, url = url, parsed.next_url
            if url and kind.stop_paging and self.stored is not None and kind.stop_paging(parsed, self.stored):
                self.stopped_early.append(
                    f"{label if kind.label_start else start_url} (page {len(seen_pages)})"
                )
                url = None

    def _read_page(self, url: str) -> Batch:
        """One page downloaded (after any rate-limit pause), parsed and held to plausible.py."""
        kind, options = self.kind, self.options
        self._wait_for_rate_limit()
        # A token goes only to the exact origin (scheme, host, port) the spec names.
        page = download(
            self.client,
            url,
            max_bytes=options.max_bytes,
            retry=options.retry,
            sleep=options.sleep,
            headers=self.auth if self.auth and _origin(url) == self.own_origin else None,
            cancelled=options.cancelled,
        )
        self.summary.http_status = page.status
        self.summary.bytes += len(page.body)
        self.notes.extend(page.notes)
        self.digest.update(page.body)
        wait = rate_limit_wait(page.headers)
        self.pause = min(wait, options.retry.max_wait_seconds) if wait else 0.0
        parsed = kind.parse(Response(page.url, page.status, page.headers, page.body), self.spec)
        vet_batch(parsed, self.today)
        undeclared = [part for part in PARTS if getattr(parsed, part) and part not in kind.produces]
        if undeclared:
            raise SourceFormatError(
                f"kind {kind.name!r} returned {', '.join(undeclared)}, which it does not declare"
            )
        for offering in parsed.offerings:
            if offering.source_url is None and page.url != self.spec.url:
                offering.source_url = page.url
        return parsed

    def _wait_for_rate_limit(self) -> None:
        """The last response said no request is left: wait for the window (capped) first."""
        if self.pause <= 0:
            return
        seconds, self.pause = self.pause, 0.0
        cancelled = self.options.cancelled
        if cancelled is None:
            self.options.sleep(seconds)
        elif cancelled.wait(seconds):
            raise FetchError("interrupted while waiting for the rate limit")
        self.notes.append(f"rate limit spent, paused {seconds:.1f}s")


def _a_wrong_link(exc: FetchError | SourceFormatError, url: str, linked_from: str) -> bool:
    """A next page that does not exist as linked (a 4xx other than 429, a body that is not a
    page, another host that cannot be reached), as against an outage of the source."""
    if isinstance(exc, SourceFormatError):
        return True
    if exc.http_status is not None:
        return 400 <= exc.http_status < 500 and exc.http_status != 429
    return _origin(url) != _origin(linked_from)


def _page_key(url: str) -> tuple[Any, ...]:
    """A page's URL as a server reads it: the same parameters in another order are the same page."""
    parts = urlsplit(url)
    query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query


def _check_duplicates(page: Batch, seen: dict[str, dict[Any, Any]]) -> None:
    """The same item twice in one fetch: a repeat with the same content is dropped (a page
    boundary that moved); different content under one identity means the source is wrong."""
    for part in PARTS:
        known = seen.setdefault(part, {})
        unique = []
        for item in getattr(page, part):
            identity = item.identity()
            if identity not in known:
                known[identity] = item
                unique.append(item)
            elif known[identity] != item:
                shown = identity[1] if isinstance(identity, tuple) else identity
                name = part.rstrip("s").replace("_", " ")
                raise SourceFormatError(f"duplicate {name} id {shown!r} with different content")
        setattr(page, part, unique)
