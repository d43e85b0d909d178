"""``import FILE.csv``: a user's own observations in the curated format, origin ``user``.

The kind of file is told by its header: prices (the columns of data/prices/*.csv),
signals (data/signals.csv) or benchmark scores (data/benchmarks.csv). Every row is
validated exactly as the shipped files are (a bad row names its file and line, and
nothing is stored), and stored under the source ``user``, so every trend, comparison and
listing can be run on the user's data beside the shipped data.

The file is read a line at a time and written in batches (store/price_files.py,
store/fact_files.py), all in one transaction: memory stays flat with the file's length
(bench/import_memory.py), and a bad row at its last line still leaves the database as
it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.clock import utc_now
from frontier_watch.domain.errors import DatabaseError, DataError, first_line

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Connection

    from frontier_watch.domain.identity import Identity

USER_SOURCE = "user"
KINDS = ("prices", "signals", "benchmarks")


@dataclass
class ImportResult:
    path: Path
    kind: str
    rows: int


def file_kind(header: list[str]) -> str:
    """prices | signals | benchmarks, from a CSV header; a DataError naming what each needs."""
    from frontier_watch.sources.curated import FACT_FILES, REQUIRED_PRICE_COLUMNS

    columns = set(header)
    if set(REQUIRED_PRICE_COLUMNS) <= columns:
        return "prices"
    needs = {"prices": REQUIRED_PRICE_COLUMNS}
    for spec in FACT_FILES:
        kind = spec.name.removesuffix(".csv")
        if kind in KINDS:
            needs[kind] = spec.required
            if set(spec.required) <= columns:
                return kind
    described = "; ".join(f"{kind}: {', '.join(columns)}" for kind, columns in needs.items())
    raise DataError(
        f"cannot tell what the file holds from its header; the columns each kind needs are {described}"
    )


def text_lines(path: Path) -> Generator[str, None, None]:
    """The lines of a UTF-8 file (a leading BOM dropped), read as they are asked for.

    Any problem reading it is a one-line DataError; a byte that is not UTF-8 names its line.
    """
    try:
        binary = path.open("rb")
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise DataError(f"{path}: {exc.strerror or exc}") from None
    with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as stream:
        try:
            yield from stream
        except UnicodeDecodeError:
            line, offset = _first_undecodable(path)
            raise DataError(f"{path}:{line}: not UTF-8 text (byte offset {offset})") from None
        except OSError as exc:
            raise DataError(f"{path}: {exc.strerror or exc}") from None


def _first_undecodable(path: Path) -> tuple[int, int]:
    """(line, byte offset) of the first byte that is not UTF-8. Lines split at a newline
    byte, which is never part of a longer UTF-8 sequence, so each decodes on its own."""
    offset = number = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return number, offset + error.start
            offset += len(raw)
    return number, offset  # not reached: the text decoder found one


def read_header(path: Path) -> list[str]:
    """The file's first CSV record, its cells stripped (empty for an empty file)."""
    with closing(text_lines(path)) as lines:
        try:
            header = next(csv.reader(lines), [])
        except csv.Error as exc:
            raise DataError(f"{path}:1: {exc}") from None
    return [column.strip() for column in header]


def import_file(engine, path: Path) -> ImportResult:
    """Validate and store the file in one transaction, a batch at a time (nothing on any error)."""
    from sqlalchemy.exc import SQLAlchemyError

    from frontier_watch.settings.crosswalk import load_identity
    from frontier_watch.sources.curated import FACT_FILES, fact_rows, price_rows
    from frontier_watch.store.fact_files import record_fact_rows
    from frontier_watch.store.meta import bump_data_version
    from frontier_watch.store.price_files import record_price_rows

    header = read_header(path)
    if not header:
        raise DataError(f"{path}: the file is empty")
    kind = file_kind(header)
    now = utc_now()
    identity = load_identity()
    where = str(path)
    try:
        with closing(text_lines(path)) as lines, engine.begin() as connection:
            if kind == "prices":
                rows = price_rows(lines, where)
                count = record_price_rows(connection, rows, where, identity, now, source_id=USER_SOURCE)
            else:
                spec = next(spec for spec in FACT_FILES if spec.name == f"{kind}.csv")
                write = _fact_writer(kind, path, now, identity)
                count = record_fact_rows(connection, fact_rows(lines, where, spec), where, spec, write)
            bump_data_version(connection)
    except SQLAlchemyError as exc:  # a full disk, a lock held too long: the transaction is undone
        raise DatabaseError(f"{path}: not imported, nothing stored: {first_line(exc)}") from None
    return ImportResult(path, kind, count)


def _fact_writer(
    kind: str, path: Path, now: datetime, identity: Identity
) -> Callable[[Connection, Sequence[Any]], object]:
    """How a batch of imported facts is written: signals under ``user``; benchmark scores
    noting the file they came from."""
    from frontier_watch.store.curated_facts import record_benchmark_scores
    from frontier_watch.store.write_context import WriteContext
    from frontier_watch.store.writers import WRITERS

    if kind == "benchmarks":
        note = f"imported by the user from {path.name}"

        def write_scores(connection: Connection, facts: Sequence[Any]) -> object:
            noted = [replace(fact, notes=f"{note}; {fact.notes}" if fact.notes else note) for fact in facts]
            return record_benchmark_scores(connection, noted)

        return write_scores
    context = WriteContext(source_id=USER_SOURCE, observed_at=now, identity=identity)

    def write_signals(connection: Connection, facts: Sequence[Any]) -> object:
        return WRITERS["signals"].write(connection, context, facts)

    return write_signals
