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


class DamagedDatabase(DatabaseError):
    """The database file is damaged, or is not an SQLite file at all: restore it from a copy.

    ``reason`` is the driver's own words; ``found_by`` names the check that met the damage
    (``db check`` says which), when one did.
    """

    def __init__(self, where: str, reason: str, *, not_sqlite: bool = False, found_by: str | None = None):
        self.where, self.reason, self.not_sqlite, self.found_by = where, reason, not_sqlite, found_by
        found = f"; found by {found_by}" if found_by else ""
        if not_sqlite:
            message = (
                f"{where}: the database file is damaged, or is not an SQLite database at all "
                f"({reason}{found}): restore it from a copy, or point --db at a frontier-watch database"
            )
        else:
            message = (
                f"{where}: the database file is damaged ({reason}{found}): restore it from a copy "
                "(or move it away, and the next command starts a new one from the shipped data)"
            )
        super().__init__(message)

    def found(self, by: str) -> DamagedDatabase:
        """The same damage, said to be found by ``by`` (unless a check was named already)."""
        if self.found_by:
            return self
        return DamagedDatabase(self.where, self.reason, not_sqlite=self.not_sqlite, found_by=by)


class ConfigurationError(ValueError):
    """A setting or a source spec that cannot be used: exit code 2, one line naming file and key."""


class DataError(ValueError):
    """A curated data row that cannot be used. The message starts with file:line."""
