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


class DatabaseError(RuntimeError):
    """The database cannot be opened or is not one of ours. One-line message."""


class UnreadableValue(DatabaseError):
    """A stored value that does not read back as its column's type (written by hand, or by an
    older version that stored a year below 1000 as '1-01-01'). One line, naming where it is."""


class ConfigurationError(ValueError):
    """A setting or a source spec that cannot be used: exit code 2, one line naming file and key."""


class DataError(ValueError):
    """A curated data row that cannot be used. The message starts with file:line."""
