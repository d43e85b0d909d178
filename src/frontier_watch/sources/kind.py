"""What a source kind is: how it pages, which options it takes, and how it reads a response.

A kind gets the whole response (status, headers, final URL, body) and its spec, and returns
a :class:`~frontier_watch.domain.batch.Batch`. Pagination is the kind's own: a "next" link in the
body, a ``Link`` header cursor, or URL templates expanded by ``start_urls``. Options are
declared here and checked when the catalogue loads, so a mistyped option is a config error
naming the file and key rather than a surprise in the middle of a fetch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from frontier_watch.domain.batch import PARTS, Batch
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.sources.spec import SourceSpec


@dataclass(frozen=True)
class Response:
    """One HTTP response as a kind sees it."""

    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str]  # case-insensitive (httpx.Headers)
    body: bytes


@dataclass(frozen=True)
class Option:
    """A kind option: its type, what it means, and (for lists) the type of each item.

    A number has its range (``low`` to ``high``, both allowed; for a list, how many items it
    holds) and a string may have the ``pattern`` it must match whole: a value outside is a
    config error naming the key, not a failure at fetch time.
    """

    kind: type
    description: str
    item: type | None = None
    choices: frozenset[str] | None = None  # the values a string (or each item of a list) may take
    low: int | None = None
    high: int | None = None
    pattern: str | None = None

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable for this option, or None."""
        wrong = f"expected {self.description}"
        if self.kind is not bool and isinstance(value, bool):
            return wrong
        if not isinstance(value, self.kind):
            return wrong
        size = len(value) if isinstance(value, list) else value
        if isinstance(size, int | float) and (
            (self.low is not None and size < self.low) or (self.high is not None and size > self.high)
        ):
            return f"{wrong}, got {value!r}"
        if self.pattern is not None and isinstance(value, str) and not re.fullmatch(self.pattern, value):
            return f"{wrong}, got {value!r}"
        items: list[Any] = list(value) if self.item is not None else []  # type: ignore[call-overload]
        if not all(isinstance(item, self.item or object) and item != "" for item in items):
            return wrong
        if self.choices is not None:
            unknown = [
                item for item in (items if self.item is not None else [value]) if item not in self.choices
            ]
            if unknown:
                return f"{', '.join(map(repr, unknown))} is not one of {', '.join(sorted(self.choices))}"
        return None


# Options every kind accepts.
COMMON_OPTIONS: Mapping[str, Option] = {
    "token_env": Option(
        str,
        "the name of an environment variable that holds a bearer token (letters, digits and _)",
        pattern=r"[A-Za-z_][A-Za-z0-9_]*",
    ),
    "shrink_floor": Option(
        int,
        "a whole number of items from 1 to 1000000: a list at least this long is never refused as shrunk",
        low=1,
        high=1_000_000,
    ),
}


@dataclass(frozen=True)
class StoredState:
    """What the store already holds of a source, for a kind that stops paging early.

    ``releases`` maps each stored release key to the source's last-modified time for it;
    ``stats_today`` holds the repositories whose statistics were already recorded today.
    """

    releases: Mapping[str, datetime | None] = field(default_factory=dict)
    stats_today: frozenset[str] = frozenset()


def single_url(spec: SourceSpec) -> list[str]:
    """The spec's URL as it is: one request (then whatever pages the kind follows)."""
    return [spec.url]


@dataclass(frozen=True)
class SourceKind:
    """A kind of source: its name, what it yields, how it starts and how it parses a page.

    ``produces`` names the batch parts this kind fills; each is written by its writer,
    whose health rule then applies (an empty price sheet is suspicious, say).
    """

    name: str
    parse: Callable[[Response, SourceSpec], Batch]
    produces: frozenset[str]
    basis: Basis | None = None  # how the dates of the prices it yields are known
    options: Mapping[str, Option] = field(default_factory=dict)
    start_urls: Callable[[SourceSpec], list[str]] = single_url
    # One file per provider (llm-prices): only providers fetched this time can lose offerings.
    withdraw_by_provider: bool = False
    # URL placeholders that start_urls fills in ("{vendor}"), stripped when checking the URL.
    url_placeholders: tuple[str, ...] = ()
    # Each start URL is a list of its own (a Hugging Face organisation), named by this: one
    # that the server refuses (a 4xx other than 429) or that cannot be read is noted in the
    # run, and the others are still stored. None: any failure fails the whole source.
    label_start: Callable[[str], str] | None = None
    # Given a parsed page and what is stored, True when the pages after it hold nothing
    # new (the fetch then stops paging that list). None: always follow every page.
    stop_paging: Callable[[Batch, StoredState], bool] | None = None
    # A kind whose data also ships with the tool (curated) may have no URL: then there is
    # nothing to download, and start_urls returns no URL.
    url_optional: bool = False

    def __post_init__(self) -> None:
        unknown = sorted(set(self.produces) - set(PARTS))
        if unknown:
            raise ValueError(f"kind {self.name!r}: unknown batch parts {', '.join(unknown)}")
        if "offerings" in self.produces and self.basis is None:
            raise ValueError(f"kind {self.name!r}: a kind that yields prices must say their basis")

    def all_options(self) -> Mapping[str, Option]:
        return {**COMMON_OPTIONS, **self.options}

    def option_problems(self, options: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(option name, reason) for every unknown or mistyped option."""
        known = self.all_options()
        problems = []
        for name, value in options.items():
            option = known.get(name)
            if option is None:
                problems.append((name, f"unknown option for kind {self.name!r} (known: {', '.join(known)})"))
                continue
            reason = option.problem(value)
            if reason:
                problems.append((name, reason))
        return problems


def body_parser(parse: Callable[..., Batch]) -> Callable[[Response, SourceSpec], Batch]:
    """Adapt ``parse(body, *, url, options)``, for kinds that need only the body and URL."""

    def parse_response(response: Response, spec: SourceSpec) -> Batch:
        return parse(response.body, url=response.url, options=spec.options)

    return parse_response


def link_values(header: str) -> list[tuple[str, dict[str, str]]]:
    """The (target, parameters) of each link in an RFC 8288 ``Link`` header.

    Parameter names are lower-cased; quoted values may hold commas and semicolons. A part
    that is not ``<target>; params`` is passed over, never an error.
    """
    links: list[tuple[str, dict[str, str]]] = []
    position, length = 0, len(header)
    while position < length:
        start = header.find("<", position)
        if start < 0:
            break
        end = header.find(">", start)
        if end < 0:
            break
        target, position = header[start + 1 : end].strip(), end + 1
        params: dict[str, str] = {}
        while position < length:
            while position < length and header[position] in " \t":
                position += 1
            if position >= length or header[position] == ",":
                position += 1
                break
            if header[position] != ";":
                position += 1  # stray text: skip it
                continue
            match = _PARAM.match(header, position + 1)
            if match is None:
                position += 1
                continue
            name, quoted, token = match.group("name"), match.group("quoted"), match.group("token")
            value = quoted.replace('\\"', '"') if quoted is not None else (token or "")
            params.setdefault(name.lower(), value)
            position = match.end()
        links.append((target, params))
    return links


_PARAM = re.compile(
    r'\s*(?P<name>[^\s=;,]+)\s*(?:=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^;,\s]*)))?'
)


def link_header_next(response: Response) -> str | None:
    """The ``rel="next"`` target of an RFC 8288 ``Link`` header, resolved, or None.

    Relation types compare without case ("Next" is "next"). A malformed header yields None
    (no further page), never an exception; so does a target :func:`next_page_url` refuses
    (garbage, not http(s), credentials, this page again), so a page cannot send the fetch
    to a local file or to a made-up path.
    """
    header = response.headers.get("link")
    if not header:
        return None
    for target, params in link_values(header):
        if "next" in params.get("rel", "").lower().split():
            try:
                return next_page_url(target, response.url)
            except ValueError:
                return None
    return None


# Characters a URL never holds as they are (RFC 3986): a target with one is not a URL.
_NOT_IN_A_URL = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')


def next_page_url(target: str, page_url: str) -> str:
    """The absolute URL of the next page a response names, or a ValueError saying why it
    cannot be followed: not a URL, not http(s), carrying credentials, or this page again.

    The reason never quotes the target (it may hold credentials or terminal escapes).
    """
    target = target.strip()
    if not target or _NOT_IN_A_URL.search(target):
        raise ValueError("is not a URL")
    try:
        resolved = urljoin(page_url, target)
        parts = urlsplit(resolved)
        parts.port  # noqa: B018 - reading it checks it (a port that is not a number)
    except ValueError:
        raise ValueError("is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("is not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise ValueError("carries credentials")
    if resolved == page_url:
        raise ValueError("points back at this page")
    return resolved
