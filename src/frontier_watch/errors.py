"""One-line error text: every message the tool prints about a failure is a single line."""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, or its type name when it has none.

    A database error is reported by the driver's own exception (SQLAlchemy keeps it as
    ``orig``); the wrapper's text adds the SQL and a link, which do not belong in one line.
    """
    exc = getattr(exc, "orig", None) or exc
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
