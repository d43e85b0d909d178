"""Secrets in URLs: refused where a person writes a URL, taken out wherever one is stored or shown.

* **Credentials** (``user:password@`` before the host) are refused in every URL a person
  gives: a source's url in the config or a catalogue file, a ``source_url`` in an imported
  or curated file, ``signals add --source-url``. A source that needs a token reads it from
  the environment variable its ``token_env`` option names, and sends it as a header.
* **Secrets in a query string** (``?api_key=...``, ``&token=...``, ``X-Amz-Signature``): some
  services take a key no other way, so a source URL may carry one, but the value is never
  stored or shown: :func:`without_secrets` puts ``REDACTED`` in its place, and removes any
  credentials, in every URL the store writes and every URL a command prints.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "REDACTED"
# A query parameter whose name says it holds a secret: the whole name, or its last part
# after "_", "-" or "." (access_token, client_secret, X-Amz-Signature, x-api-key).
_SECRET_NAME = re.compile(
    r"(?:^|[_.\-])(?:api[_\-]?key|apikey|key|token|secret|password|passwd|pwd|signature|sig"
    r"|credentials?|auth|session[_\-]?id)$",
    re.IGNORECASE,
)


def is_secret_parameter(name: str) -> bool:
    """Whether a query parameter named ``name`` holds a secret (``api_key``, ``token``, ...)."""
    return bool(_SECRET_NAME.search(name.strip()))


def credentials_problem(url: str) -> str | None:
    """Why ``url`` may not be used as it is (it names a user or password before its host), or None."""
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return None  # not a URL: the caller's own check says so
    if "@" not in netloc:
        return None
    return (
        "it carries credentials (user:password@ before the host), which would be stored and "
        f"shown with every row: give the URL without them ({without_secrets(url)})"
    )


@functools.lru_cache(maxsize=4096)  # a fetch stores the same few URLs thousands of times
def without_secrets(url: str, *, keep_user: bool = False) -> str:
    """``url`` with its credentials removed and secret query values replaced by ``REDACTED``.

    ``keep_user`` keeps a user name and hides only the password (a database URL, whose user
    is no secret); a source URL loses both, since some services take a token as the user.
    Text that is not a URL with a host comes back as it is.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.netloc:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user, password, _ = userinfo.partition(":")
        if keep_user and user:
            netloc = f"{user}:***@{host}" if password else f"{user}@{host}"
        else:
            netloc = host
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_secret_parameter(name) for name, _ in pairs):
            query = urlencode(
                [(name, REDACTED if is_secret_parameter(name) else value) for name, value in pairs],
                safe="{}/:",
            )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


_URL_IN_TEXT = re.compile(r"https?://[^\s'\"<>]+", re.IGNORECASE)


def text_without_secrets(text: str | None) -> str | None:
    """``text`` (an error, a note) with every URL in it passed through :func:`without_secrets`."""
    if not text or "://" not in text:
        return text
    return _URL_IN_TEXT.sub(lambda match: without_secrets(match.group()), text)


def stored_url(url: str | None) -> str | None:
    """The form of a source URL the store keeps: no credentials, no secret query values."""
    return without_secrets(url) if url else url
