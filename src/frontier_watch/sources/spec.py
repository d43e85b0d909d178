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


TOKEN_HINT = (
    "a source that needs a token reads it from an environment variable: "
    'options = { token_env = "NAME_OF_THE_VARIABLE" }'
)


def url_problem(text: str) -> str | None:
    """Why ``text`` is not an http(s) URL a source can be fetched from or a row can cite, or None.

    Parsed the way the download will parse it (httpx), so a URL that passes here does not
    fail later; ``{placeholders}`` that a kind fills in (llm-prices' ``{vendor}``) are allowed.
    A URL with credentials (``user:password@host``) or a port outside 1-65535 is refused.
    """
    import httpx

    from frontier_watch.net.urls import credentials_problem, without_secrets
    from frontier_watch.render.output import safe_text

    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        return f"not a URL ({safe_text(str(exc))}): {safe_text(repr(without_secrets(text)))}"
    if url.scheme not in ("http", "https"):
        return f"expected an http(s) URL, got {safe_text(repr(without_secrets(text)))}"
    if not url.host:
        return f"a URL needs a host, got {safe_text(repr(without_secrets(text)))}"
    credentials = credentials_problem(text)
    if credentials:
        return safe_text(credentials)
    if url.port is not None and not 1 <= url.port <= 65535:
        return f"port {url.port} is not a port (1 to 65535): {safe_text(repr(text))}"
    return None


def source_url_problem(text: str) -> str | None:
    """``url_problem`` for a source's own URL (config or catalogue): credentials get the token hint."""
    from frontier_watch.net.urls import credentials_problem

    problem = url_problem(text)
    if problem and credentials_problem(text):
        return f"{problem}; {TOKEN_HINT}"
    return problem
