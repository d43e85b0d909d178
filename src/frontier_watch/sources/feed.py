"""Announcement feeds (RSS 2.0, RSS 1.0 and Atom), filtered by keyword, kept for a person to review.

A lab's or a trade paper's feed says what was announced, not what it means: an entry that
matches one of the spec's ``keywords`` (cluster, gigawatt, GPU, data center, export,
capex...) becomes an unreviewed feed item (title, date, link, the keywords it matched),
which ``signals --unreviewed`` lists and ``signals review`` turns into a signal with an
evidence class. Entries that match nothing are not stored; a spec without keywords keeps
every entry.

XML from the network is parsed with defusedxml and refused outright when it declares a
DTD: no entity is ever expanded (billion laughs) and no external entity or DTD is ever
resolved (a feed cannot make us read a local file or call another host). A body over
:data:`MAX_FEED_BYTES` is refused before parsing. Either way the source fails with one
clear line and nothing of it is stored.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from frontier_watch.domain.batch import Batch, FeedEntry
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.kind import Option, SourceKind, body_parser

WHAT = "feed"
MAX_FEED_BYTES = 5 * 1024 * 1024  # real feeds are well under 1 MB
MAX_ENTRIES = 2000
SUMMARY_CHARS = 500
TITLE_CHARS = 500

OPTIONS = {
    "keywords": Option(
        list,
        "a list of words or phrases (an entry is kept when its title, summary or categories "
        "contain one, plurals included, case aside)",
        item=str,
    ),
    "entity": Option(str, "who publishes the feed: the entity a reviewed entry is about by default"),
}


def keyword_patterns(keywords: Sequence[str]) -> list[tuple[str, re.Pattern[str]]]:
    """One pattern per keyword: whole words, case aside, a plural s/es allowed, and the words
    of a phrase joined by spaces or hyphens ("data center" finds "data-centers")."""
    patterns = []
    for keyword in keywords:
        words = keyword.split()
        if not words:
            continue
        body = r"[\s\-]+".join(re.escape(word) for word in words)
        # Not inside a longer word, but a number may touch it: "5GW", "100k GPUs".
        patterns.append((keyword, re.compile(rf"(?<![^\W\d_]){body}(?:s|es)?(?![^\W\d_])", re.IGNORECASE)))
    return patterns


def parse(body: bytes, *, url: str, options: Mapping[str, Any] | None = None) -> Batch:
    options = options or {}
    root = _safe_root(body)
    entries, kind = _entries(root)
    patterns = keyword_patterns(options.get("keywords") or [])
    batch = Batch()
    seen = 0
    for element in entries:
        if seen >= MAX_ENTRIES:
            batch.notes.append(f"only the first {MAX_ENTRIES} entries were read")
            break
        seen += 1
        entry = _atom_entry(element) if kind == "atom" else _rss_item(element)
        if isinstance(entry, str):
            batch.skipped.append((f"entry {seen}", entry))
            continue
        text = " ".join(filter(None, (entry.title, entry.summary, *entry_categories(element))))
        matched = tuple(keyword for keyword, pattern in patterns if pattern.search(text))
        if patterns and not matched:
            continue
        entry.matched = matched
        batch.feed_items.append(entry)
    if patterns:
        batch.notes.append(f"{len(batch.feed_items)} of {seen} entries match the keywords")
    return _unique(batch)


def _safe_root(body: bytes) -> Element:
    """The document element, parsed without DTDs, entities or external references."""
    from defusedxml import DefusedXmlException
    from defusedxml import ElementTree as SafeElementTree

    if len(body) > MAX_FEED_BYTES:
        raise SourceFormatError(
            f"{WHAT}: {len(body):,} bytes, over the {MAX_FEED_BYTES:,}-byte cap for feeds"
        )
    if not body.strip():
        raise SourceFormatError(f"{WHAT}: empty body, expected RSS or Atom")
    try:
        return SafeElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise SourceFormatError(
            f"{WHAT}: refused: the document declares a DTD or entities ({type(exc).__name__}); "
            "feeds are read without DTDs, entity expansion or external references"
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise SourceFormatError(f"{WHAT}: not well-formed XML (line {line}, column {column})") from None
    except (ValueError, RecursionError) as exc:  # e.g. a bad encoding declaration
        raise SourceFormatError(f"{WHAT}: unreadable XML ({exc})") from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _entries(root: Element) -> tuple[list[Element], str]:
    name = _local(root.tag)
    if name == "rss":
        channel = _child(root, "channel")
        if channel is None:
            raise SourceFormatError(f"{WHAT}: an RSS document without a <channel>")
        return _children(channel, "item"), "rss"
    if name == "RDF":  # RSS 1.0: items sit beside the channel
        return _children(root, "item"), "rss"
    if name == "feed":
        return _children(root, "entry"), "atom"
    raise SourceFormatError(f"{WHAT}: not an RSS or Atom feed (the document is <{name or '?'}>)")


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def clean_markup(text: str, limit: int) -> str:
    """Text an entry gives as HTML, as plain text: tags dropped, entities decoded, spaces collapsed."""
    plain = html.unescape(re.sub(r"<[^>]*>", " ", text))
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def entry_categories(element: Element) -> list[str]:
    """An entry's categories: RSS <category> text, Atom <category term=...>."""
    found = []
    for category in _children(element, "category"):
        found.append(category.get("term") or _text(category))
    return [value for value in found if value]


def _rss_item(item: Element) -> FeedEntry | str:
    title = clean_markup(_text(_child(item, "title")), TITLE_CHARS)
    link = _text(_child(item, "link")) or None
    guid = _text(_child(item, "guid"))
    key = guid or link
    if not key:
        return "no guid or link to identify it"
    if not title:
        return f"{key}: no title"
    description = _child(item, "description")
    summary = clean_markup(_text(description), SUMMARY_CHARS) if description is not None else ""
    published = _rfc822(_text(_child(item, "pubDate"))) or _iso(_text(_child(item, "date")))
    return FeedEntry(key=key, title=title, link=_http(link), published_at=published, summary=summary or None)


def _atom_entry(entry: Element) -> FeedEntry | str:
    title_element = _child(entry, "title")
    title = _text(title_element)
    if title_element is not None and title_element.get("type") in ("html", "xhtml"):
        title = clean_markup(title, TITLE_CHARS)
    title = title[:TITLE_CHARS]
    link = None
    for candidate in _children(entry, "link"):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = candidate.get("href")
            break
    key = _text(_child(entry, "id")) or link
    if not key:
        return "no id or link to identify it"
    if not title:
        return f"{key}: no title"
    body = _child(entry, "summary")
    if body is None:
        body = _child(entry, "content")
    summary = clean_markup(_text(body), SUMMARY_CHARS) if body is not None else ""
    published = _iso(_text(_child(entry, "published"))) or _iso(_text(_child(entry, "updated")))
    return FeedEntry(key=key, title=title, link=_http(link), published_at=published, summary=summary or None)


def _http(link: str | None) -> str | None:
    """A link only when it is http(s): a feed cannot hand the terminal a javascript: or file: URL."""
    return link if link and link.lower().startswith(("http://", "https://")) else None


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _rfc822(text: str) -> datetime | None:
    """An RSS date ("Wed, 06 May 2026 00:00:00 +0000") as naive UTC, or None."""
    if not text:
        return None
    try:
        return _naive_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _iso(text: str) -> datetime | None:
    """An Atom or Dublin Core date ("2026-05-06T12:00:00Z") as naive UTC, or None."""
    if not text:
        return None
    try:
        return _naive_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except (ValueError, OverflowError):  # OverflowError: year 1 east of UTC
        return None


def _unique(batch: Batch) -> Batch:
    """An entry listed twice keeps its first listing (feeds repeat an item when it is edited)."""
    seen: dict[str, FeedEntry] = {}
    for entry in batch.feed_items:
        seen.setdefault(entry.key, entry)
    batch.feed_items = list(seen.values())
    return batch


KIND = SourceKind(name="feed", parse=body_parser(parse), produces=frozenset({"feed_items"}), options=OPTIONS)
