"""Reading Epoch AI's CSV downloads: the shared part of the four Epoch kinds.

Epoch's files are exported from spreadsheets and drift: columns are added, renamed and
reordered between releases (the notable-models file went from 42 to 47 columns), dates are
ISO in one file and M/D/YYYY in another, numbers are float text with E-notation and
``inf``, line endings are CRLF or LF, and quoted cells hold newlines. A kind names the
columns it reads (:class:`Wanted`); they are found by name wherever they are, and a column
that is gone is a :class:`SourceFormatError` naming it, never a silent blank. A row that
cannot be read is reported to the kind, which skips it with a reason and keeps the rest.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from frontier_watch.domain.batch import Batch, SignalFact
from frontier_watch.sources.errors import SourceFormatError

# An Epoch cell is a number, a date or a short note; a cell this long means the file is
# not what it claims (an unterminated quote swallowing the rest of the body, say).
MAX_CELL_CHARS = 1_000_000


@dataclass(frozen=True)
class Wanted:
    """A column a kind reads: the header it goes by now, and any other names it has had.

    Names compare without case, surrounding spaces or repeated spaces; a compiled pattern
    matches a whole (so normalised) header name, for names that carry a year.
    """

    label: str
    aliases: tuple[str | re.Pattern[str], ...] = ()
    optional: bool = False  # a column only some versions of the file have: absent reads as empty

    def matches(self, header: str) -> bool:
        name = _normalise(header)
        for candidate in (self.label, *self.aliases):
            if isinstance(candidate, re.Pattern):
                if candidate.fullmatch(name):
                    return True
            elif _normalise(candidate) == name:
                return True
        return False


def _normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class Row:
    """One data row: the cells of the wanted columns by key, and where it is in the file."""

    line: int  # the line the row starts on (1 is the header)
    cells: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # why the row cannot be read as a whole (wrong number of cells)

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")


@dataclass
class Table:
    """A CSV file's wanted columns (key -> the header as written) and its rows."""

    headers: dict[str, str]
    rows: Iterator[Row]


def decode(body: bytes, what: str) -> str:
    """The body as text: UTF-8 (a byte-order mark allowed); anything else is a SourceFormatError."""
    try:
        text = bytes(body).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceFormatError(
            f"{what}: not UTF-8 text (byte 0x{body[error.start]:02x} at offset {error.start})"
        ) from None
    head = text.lstrip()[:200].lower()
    if not head:
        raise SourceFormatError(f"{what}: empty body, expected CSV")
    if head.startswith(("<!doctype", "<html", "<?xml", "<")):
        raise SourceFormatError(f"{what}: not CSV (looks like HTML or XML)")
    if head.startswith(("{", "[")):
        raise SourceFormatError(f"{what}: not CSV (looks like JSON)")
    return text


def read_table(body: bytes, what: str, wanted: Mapping[str, Wanted]) -> Table:
    """The wanted columns of a CSV body, found by name; every missing one is named in the error."""
    text = decode(body, what)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader)
    except csv.Error as error:
        raise SourceFormatError(f"{what}: unreadable CSV header ({error})") from None
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for key, column in wanted.items():
        index = next((i for i, name in enumerate(header) if column.matches(name)), None)
        if index is not None:
            positions[key], headers[key] = index, header[index].strip()
    missing = [column.label for key, column in wanted.items() if key not in positions and not column.optional]
    if missing:
        names = ", ".join(repr(label) for label in missing)
        plural = "s" if len(missing) > 1 else ""
        raise SourceFormatError(
            f"{what}: column{plural} {names} missing from the header ({len(header)} columns); "
            "the file's layout changed"
        )
    return Table(headers, _rows(reader, header, positions, what))


def _rows(reader, header: list[str], positions: dict[str, int], what: str) -> Iterator[Row]:
    width = len(header)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SourceFormatError(f"{what}: unreadable CSV near line {line} ({error})") from None
        start, line = line, reader.line_num + 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        row = Row(
            start, {key: cells[index].strip() for key, index in positions.items() if index < len(cells)}
        )
        if len(cells) != width:
            row.problem = f"{len(cells)} cells where the header has {width} (a cut or malformed row)"
        elif any(len(cell) > MAX_CELL_CHARS for cell in cells):
            row.problem = f"a cell longer than {MAX_CELL_CHARS:,} characters"
        yield row


# ---------------------------------------------------------------- cells

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def number(text: str) -> Decimal | None:
    """A numeric cell: None when empty; float text, E-notation, ``inf`` and ``1,234`` read exactly.

    Not a number at all is a ValueError. The result may be infinite or NaN: the caller decides.
    """
    text = text.strip()
    if not text:
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None


def measure(text: str) -> float | None:
    """A quantity (MW, GPUs, FLOP, USD): a finite number of at least zero, or None when empty."""
    value = number(text)
    if value is None:
        return None
    if not value.is_finite():
        raise ValueError(f"{text.strip()!r} is not a finite number")
    if value < 0:
        raise ValueError(f"{text.strip()!r} is negative")
    return float(value)


_ISO_DAY = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def day(text: str) -> tuple[date, str] | None:
    """A date cell as (day, precision), or None when empty.

    ``2024-09-02`` (with or without a time), ``9/2/2024`` (month first, as Epoch's
    spreadsheets write it), ``2024-09`` (precision ``month``) and ``2024`` (``year``).
    Anything else is a ValueError saying what was expected.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if match := _ISO_DAY.match(text):
            return date(int(match[1]), int(match[2]), int(match[3])), "day"
        if match := _US_DAY.match(text):
            return date(int(match[3]), int(match[1]), int(match[2])), "day"
        if match := _MONTH.match(text):
            return date(int(match[1]), int(match[2]), 1), "month"
        if match := _YEAR.match(text):
            return date(int(match[1]), 1, 1), "year"
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None
    raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD or M/D/YYYY)")


def first_url(text: str) -> str | None:
    """The first http(s) URL in a cell that may list several (Epoch separates them by spaces or newlines)."""
    for part in re.split(r"[\s;,]+", text):
        if part.startswith(("http://", "https://")):
            return part
    return None


def names(text: str) -> str:
    """A list cell ("OpenAI,Microsoft") written with one comma and space between names."""
    return ", ".join(part.strip() for part in text.split(",") if part.strip())


def unquoted(text: str) -> str:
    """A name some exports wrap in a second pair of double quotes, without them."""
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] == '"':
        return text[1:-1].strip()
    return text


# ---------------------------------------------------------------- rows to signals


@dataclass(frozen=True)
class Measure:
    """A numeric column that becomes a signal: its metric, unit and category."""

    column: str  # the key in the kind's Wanted columns
    metric: str
    unit: str
    category: str


class SignalCollector:
    """Builds a kind's signals row by row: a bad cell skips that signal with a reason, a key
    listed twice keeps the first listing, and the rest of the file is kept."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.batch = Batch()
        self._lines: dict[str, int] = {}
        self._facts: dict[str, SignalFact] = {}

    def skip(self, name: str, line: int, reason: str) -> None:
        self.batch.skipped.append((name, f"line {line}: {reason}"))

    def add(self, fact: SignalFact, line: int, name: str) -> None:
        key = fact.identity()
        if key in self._facts:
            if self._facts[key] != fact:
                self.skip(name, line, f"listed again with other values; kept line {self._lines[key]}")
            return
        self._facts[key], self._lines[key] = fact, line
        self.batch.signals.append(fact)

    def measures(
        self,
        row: Row,
        name: str,
        measures: tuple[Measure, ...],
        template: SignalFact,
        *,
        metric_suffix: str = "",
        units: Mapping[str, str] | None = None,
    ) -> None:
        """One signal per measure the row fills: ``template`` with the measure's metric, value,
        unit and category, keyed ``<template key>|<metric>``."""
        for item in measures:
            try:
                value = measure(row[item.column])
            except ValueError as exc:
                self.skip(name, row.line, f"{item.metric}: {exc}")
                continue
            if value is None:
                continue
            metric = item.metric + metric_suffix
            fact = replace(
                template,
                key=f"{template.key}|{metric}",
                metric=metric,
                value=value,
                unit=(units or {}).get(item.column) or item.unit,
                category=item.category,
            )
            self.add(fact, row.line, name)
