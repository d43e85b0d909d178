"""The one HTTP client factory and the one way to download a source's body.

Timeouts on connect and read, a User-Agent naming the tool, a cap on the body size
that also holds after decompression, and retries with backoff on connection errors,
429 and 5xx that honour Retry-After up to a bound. Tokens come from the environment
and never reach a log line, an error message or the database.
"""

from __future__ import annotations

import email.utils
import functools
import math
import os
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import tenacity

from frontier_watch import __version__
from frontier_watch.domain.clock import utc_now
from frontier_watch.domain.errors import first_line
from frontier_watch.net import content_encoding

USER_AGENT = f"frontier-watch/{__version__} (+https://github.com/frontier-watch/frontier-watch)"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # the LiteLLM map is about 1.5 MB; 64 MB is a bomb
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_DEADLINE_SECONDS = 300.0  # a whole body, however slowly it arrives


class FetchError(RuntimeError):
    """A download that did not yield a usable body. The message is one line."""

    def __init__(self, message: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # total tries, the first included
    backoff_seconds: float = 1.0  # doubled after each failed try, never past max_wait_seconds
    max_wait_seconds: float = 60.0  # the longest single wait, Retry-After included

    @property
    def total_wait_seconds(self) -> float:
        """All the waiting one download may do: five of the longest waits."""
        return 5 * self.max_wait_seconds


@dataclass
class Download:
    url: str
    status: int
    body: bytes
    headers: httpx.Headers
    notes: list[str] = field(default_factory=list)  # retries on the way, for the run summary


def bearer_headers(token_env: str | None) -> dict[str, str]:
    """An Authorization header from the named environment variable, if it is set.

    Passed per request, and only to the source's own host, so a pagination link or a
    redirect to another host never receives the token.
    """
    token = os.environ.get(token_env) if token_env else None
    return {"Authorization": f"Bearer {token}"} if token else {}


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The certificate context, loaded once per process (reading the bundle takes ~40 ms)."""
    return httpx.create_ssl_context()


def make_client(
    *,
    timeout_seconds: float = 30.0,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """The client every source uses; one per fetch, shared by its sources (it is thread-safe)."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    return httpx.Client(
        headers=headers,
        timeout=httpx.Timeout(timeout_seconds, connect=min(10.0, timeout_seconds)),
        follow_redirects=True,
        transport=transport,
        verify=tls_context() if transport is None else True,
    )


class _TryAgain(Exception):
    """A response or a connection error that is worth another try."""

    def __init__(
        self, message: str, http_status: int | None = None, wait: float | None = None, note: str | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.wait = wait  # what the server asked for (Retry-After), if anything
        self.note = note or message  # how the retry is noted in the run summary


def download(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retry: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    headers: dict[str, str] | None = None,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
    cancelled: threading.Event | None = None,
) -> Download:
    """GET ``url`` and return its (decompressed) body, or raise FetchError.

    Connection errors, 429 and 5xx are tried again (tenacity) with doubling waits, or the
    server's Retry-After when it gives one; each wait is capped, and so is their total.
    Each retry is noted for the run summary. ``cancelled`` stops the download (and any
    wait) as soon as it is set.
    """
    notes: list[str] = []
    waited = [0.0]

    def wait(state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _TryAgain) and error.wait is not None:
            pause = error.wait
        else:
            pause = min(retry.backoff_seconds * 2 ** (state.attempt_number - 1), retry.max_wait_seconds)
        if waited[0] + pause > retry.total_wait_seconds:
            raise FetchError(
                f"{getattr(error, 'note', error)}; gave up after waiting {waited[0]:.0f}s in all",
                getattr(error, "http_status", None),
            )
        waited[0] += pause
        return pause

    def pause_or_stop(seconds: float) -> None:
        if cancelled is None:
            sleep(seconds)
        elif cancelled.wait(seconds):
            raise FetchError("interrupted while waiting to retry")

    def note(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        pause = state.next_action.sleep if state.next_action else 0.0
        notes.append(f"{getattr(error, 'note', error)}, retrying in {pause:.1f}s")

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(retry.attempts),
        wait=wait,
        retry=tenacity.retry_if_exception_type(_TryAgain),
        sleep=pause_or_stop,
        before_sleep=note,
        reraise=True,
    )
    try:
        page = retrying(_get_once, client, url, max_bytes, retry, headers, deadline_seconds, cancelled)
    except _TryAgain as exc:
        raise FetchError(str(exc), exc.http_status) from None
    page.notes = notes
    return page


def _get_once(
    client: httpx.Client,
    url: str,
    max_bytes: int,
    retry: RetryPolicy,
    headers: dict[str, str] | None,
    deadline_seconds: float,
    cancelled: threading.Event | None,
) -> Download:
    if cancelled is not None and cancelled.is_set():
        raise FetchError("interrupted before the download started")
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code in RETRY_STATUSES:
                raise _TryAgain(
                    _status_message(response),
                    response.status_code,
                    _retry_after(response, retry),
                    note=f"HTTP {response.status_code}",
                )
            if response.status_code >= 400:
                raise FetchError(_status_message(response), response.status_code)
            body = _read_capped(response, max_bytes, deadline_seconds, cancelled)
            return Download(
                url=str(response.url), status=response.status_code, body=body, headers=response.headers
            )
    except httpx.DecodingError as exc:
        raise FetchError(f"could not decode the response body: {first_line(exc)}") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects fetching {url}") from None
    except httpx.TransportError as exc:
        if isinstance(exc, httpx.UnsupportedProtocol):
            raise FetchError(_transport_message(exc, url)) from None
        raise _TryAgain(_transport_message(exc, url)) from None
    except httpx.HTTPError as exc:
        raise FetchError(_transport_message(exc, url)) from None


def _read_capped(
    response: httpx.Response, max_bytes: int, deadline_seconds: float, cancelled: threading.Event | None
) -> bytes:
    """The body, decoded layer by layer in bounded steps and refused past ``max_bytes``."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"response too large: {int(declared):,} bytes declared, limit {max_bytes:,}", response.status_code
        )
    raw: Iterable[bytes]
    if response.is_stream_consumed:  # a response built in memory (a test's mock): httpx decoded it
        raw, layers = [response.content], []
    else:
        raw = response.iter_raw()
        try:
            layers = content_encoding.encodings_of(response.headers.get("content-encoding"))
        except content_encoding.EncodingError as exc:
            raise FetchError(str(exc), response.status_code) from None
    chunks = []
    total = 0
    started = time.monotonic()
    try:
        for chunk in content_encoding.decoded(raw, layers):
            # The read timeout bounds each gap; this bounds a server that drips forever.
            if time.monotonic() - started > deadline_seconds:
                raise FetchError(f"download took longer than {deadline_seconds:.0f}s", response.status_code)
            if cancelled is not None and cancelled.is_set():
                raise FetchError("interrupted before the download finished", response.status_code)
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(
                    f"response too large: over {max_bytes:,} bytes (after decompression)",
                    response.status_code,
                )
            chunks.append(chunk)
    except content_encoding.EncodingError as exc:
        raise FetchError(str(exc), response.status_code) from None
    return b"".join(chunks)


def _retry_after(response: httpx.Response, retry: RetryPolicy) -> float | None:
    """The server's Retry-After in seconds (None: not given); too long a wait fails the source."""
    header = response.headers.get("retry-after")
    wait = parse_retry_after(header) if header is not None else None
    if wait is not None and wait > retry.max_wait_seconds:
        raise FetchError(
            f"HTTP {response.status_code}: server asks to retry after {wait:.0f}s, "
            f"more than the {retry.max_wait_seconds:.0f}s we wait",
            response.status_code,
        )
    return wait


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or utc_now().replace(tzinfo=UTC))).total_seconds())


def rate_limit_wait(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait before the next request when a rate-limit header says none are left.

    Reads the IETF draft's forms: ``RateLimit: "api";r=0;t=212`` (each quota by name, ``r``
    requests remaining, ``t`` seconds until the window resets; the Hugging Face Hub sends
    this), the earlier ``RateLimit: limit=500, remaining=0, reset=212``, and the separate
    ``RateLimit-Remaining`` / ``RateLimit-Reset`` headers. None when requests are left or a
    header cannot be read: a 429 with Retry-After still stops us overrunning the server.
    """
    waits: list[float] = []
    header = headers.get("ratelimit")
    if header:
        loose: dict[str, str] = {}
        for member in _list_members(header):
            name, _, rest = member.partition(";")
            if "=" in name and not name.lstrip().startswith('"'):  # the earlier "key=value" list
                key, _, value = name.partition("=")
                loose[key.strip().lower()] = value.strip()
                continue
            params = _parameters(rest)
            waits.extend(_wait_if_spent(params.get("r"), params.get("t")))
        waits.extend(_wait_if_spent(loose.get("remaining"), loose.get("reset")))
    waits.extend(_wait_if_spent(headers.get("ratelimit-remaining"), headers.get("ratelimit-reset")))
    return max(waits) if waits else None


def _list_members(header: str) -> list[str]:
    """The members of a structured-field list, split at commas outside quoted strings."""
    members: list[str] = []
    current: list[str] = []
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            members.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    members.append("".join(current).strip())
    return [member for member in members if member]


def _parameters(text: str) -> dict[str, str]:
    params = {}
    for part in text.split(";"):
        key, equals, value = part.partition("=")
        if equals:
            params[key.strip().lower()] = value.strip().strip('"')
    return params


def _wait_if_spent(remaining: str | None, reset: str | None) -> list[float]:
    """[seconds to the reset] when no request is left, else []."""
    try:
        if remaining is None or reset is None or int(remaining.strip()) > 0:
            return []
        seconds = float(reset.strip())
    except ValueError:
        return []
    return [seconds] if math.isfinite(seconds) and seconds > 0 else []


def _status_message(response: httpx.Response) -> str:
    reason = response.reason_phrase or ""
    return f"HTTP {response.status_code} {reason}".strip()


def _transport_message(exc: Exception, url: str) -> str:
    host = httpx.URL(url).host or url
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting to {host}"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out waiting for {host}"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "refused" in text:
            return f"connection refused by {host}"
        if "name or service" in text or "nodename" in text or "getaddrinfo" in text or "resolution" in text:
            return f"cannot resolve {host} (no network?)"
        return f"cannot connect to {host}: {first_line(exc)}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL {url!r}"
    return f"network error talking to {host}: {first_line(exc)}"
