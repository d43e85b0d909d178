"""Reads about the database as a whole: its data version, rows per table, and the distinct
stored values filters are checked against."""

from __future__ import annotations

from frontier_watch.store.reading import Reader


def data_version(reader: Reader) -> int:
    """The data version readers poll: it moves when a run finishes or curated data loads."""
    value = reader.scalar("SELECT value FROM meta WHERE key = 'data_version'")
    return int(value) if value and str(value).isdigit() else 0


# What a filter value can be checked against: the distinct values of these columns.
_KNOWN_VALUE_COLUMNS = {
    "source": ("offering", "source_id"),
    "tier": ("price_interval", "tier"),
    "signal.category": ("signal", "category"),
    "signal.entity": ("signal", "entity"),
    "signal.evidence": ("signal", "evidence"),
    "release.lab": ("release", "lab"),
    "release.org": ("release", "org"),
    "release.license_class": ("release", "license_class"),
    "release.base": ("release_base_model", "base_repo_id"),
}


def known_values(reader: Reader, what: str) -> list[str]:
    """The distinct stored values of a filterable column, sorted (for "known values are ...")."""
    table, column = _KNOWN_VALUE_COLUMNS[what]
    values = reader.column(f"SELECT DISTINCT {column} FROM {table}")
    return sorted(value for value in values if value)


def row_counts(reader: Reader) -> dict[str, int]:
    """Rows per table, for ``db info``."""
    if reader.dialect == "sqlite":
        names = reader.column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
    else:
        names = reader.column(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "ORDER BY table_name"
        )
    return {
        name: int(reader.scalar(f'SELECT count(*) FROM "{name}"'))
        for name in names
        if name != "schema_migration" and not name.startswith("sqlite_")
    }
