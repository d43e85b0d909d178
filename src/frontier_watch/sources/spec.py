"""A source spec: one declarative file in fetchers/ (id, kind, url, schedule, provenance, options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceSpec:
    id: str
    kind: str
    url: str
    schedule: str
    attribution: str
    licence: str
    evidence: str
    title: str = ""
    homepage: str = ""
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    path: str = ""  # the file the spec came from, for error messages


def url_problem(text: str) -> str | None:
    """Why ``text`` is not an http(s) URL a source can be fetched from, or None.

    Parsed the way the download will parse it (httpx), so a URL that passes here does not
    fail later; ``{placeholders}`` that a kind fills in (llm-prices' ``{vendor}``) are allowed.
    """
    import httpx

    from frontier_watch.output import safe_text

    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        return f"not a URL ({safe_text(str(exc))}): {safe_text(repr(text))}"
    if url.scheme not in ("http", "https"):
        return f"expected an http(s) URL, got {safe_text(repr(text))}"
    if not url.host:
        return f"a URL needs a host, got {safe_text(repr(text))}"
    return None
