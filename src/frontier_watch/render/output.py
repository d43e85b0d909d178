"""Showing results: plain tables for terminals and pipes, JSON for programs.

Text from sources is stored as given; it is made safe here, at the edge, so a model
name carrying terminal escape sequences is never written raw to a terminal, nor to a
file a person may ``cat`` (exports, ``--json``): the control and bidi characters of
text become U+FFFD, in the value itself, so a program that decodes the JSON or reads the
CSV gets inert text too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TextIO

from frontier_watch.domain import money
from frontier_watch.render.public_rows import Column, Listing

# C0 and C1 control characters (ESC included) and DEL, and the invisible characters that
# reorder or break a line on a terminal: bidi embeddings, overrides and isolates (U+202E
# shows the rest of a line backwards), the Arabic letter mark, and the line and paragraph
# separators. Tabs and newlines become spaces on a terminal, and stay in files.
_INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_WHITESPACE = re.compile(r"[\t\n\r]+")
# The same characters in JSON text (json.dumps, ensure_ascii=False): C0 controls appear as
# escapes (\u001b, \b, \f, \r), the rest raw. An escaped backslash is matched whole so the
# text after it is never taken for an escape; \n and \t stay, a CR LF becomes \n.
_UNSAFE_IN_JSON = re.compile(r"\\(?:\\|r\\n|u00(?:0[0-8bcef]|1[0-9a-f])|[bfr])" + f"|[\x7f-\x9f{_INVISIBLE}]")
_KEPT_IN_JSON = {"\\\\": "\\\\", "\\r\\n": "\\n"}


def safe_text(value: Any) -> str:
    """A value as one line of printable text: control characters shown as U+FFFD."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return money.format_usd(value)
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, date):
        return value.isoformat()
    text = _WHITESPACE.sub(" ", str(value))
    return _CONTROL.sub("\ufffd", text)


def file_text(text: str) -> str:
    """Text for a file a person may ``cat`` (a CSV cell): control and bidi characters as
    U+FFFD, tabs and newlines kept (a CR LF line end becomes a newline)."""
    if _CONTROL.search(text) is None:  # nearly every cell: no copy
        return text
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n"))


def json_text(value: Any, **options: Any) -> str:
    """``value`` as JSON text (json_value applied; ``options`` go to json.dumps) whose
    strings, keys included, hold no control or bidi character: each is U+FFFD in the
    decoded text too (tab and newline stay, as \t and \n)."""
    text = json.dumps(json_value(value), ensure_ascii=False, **options)
    return _UNSAFE_IN_JSON.sub(_json_replacement, text)


def _json_replacement(match: re.Match[str]) -> str:
    found = match.group()
    return _KEPT_IN_JSON.get(found, "\ufffd")


def json_value(value: Any) -> Any:
    """A value as JSON wants it: exact numbers as numbers, dates ISO (text is cleaned by json_text)."""
    if isinstance(value, Decimal):
        return money.to_json_number(value)
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):  # nested records (a signal's history)
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    return value


def write_json(rows: Iterable[dict[str, Any]], stream: TextIO | None = None) -> None:
    """Rows as a JSON array, text made safe (json_text).

    Indented for a person at a terminal; compact for a program reading a pipe, which is
    several times faster to write (the C encoder) and parses the same.
    """
    stream = stream or sys.stdout
    data = [{key: json_value(value) for key, value in row.items()} for row in rows]
    stream.write(json_text(data, indent=2 if stream.isatty() else None))
    stream.write("\n")


def cell_text(value: Any, column: Column) -> str:
    """A value as a table cell: dates in date columns show the day (JSON has the time)."""
    if column.fixed and isinstance(value, datetime):
        return value.date().isoformat()
    return safe_text(value)


def table_width(stream: TextIO) -> int | None:
    """How wide a table may be: the terminal's width, $COLUMNS in a pipe if set, else unlimited."""
    if stream.isatty():
        return shutil.get_terminal_size((160, 24)).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


MIN_TEXT_WIDTH = 10  # a text column is never shortened below this (or its heading)
MAX_ESSENTIAL_WIDTH = 30  # an essential column's text is worth this much room before others
GAP = 2  # spaces between columns: one of padding, one of the (blank) divider


class Layout(NamedTuple):
    """Which columns a table shows and how wide each is."""

    shown: list[int]  # indexes into the listing's columns
    widths: list[int]  # one per shown column
    hidden: list[str]  # headings of columns left out to fit


def fit_columns(cells: list[list[str]], listing: Listing, width: int | None) -> Layout:
    """Fit a table into ``width`` cells.

    In order, until it fits: leave out the least important columns (highest priority
    number, rightmost first); shorten the widest text columns down to a floor; leave out
    more columns from the right, keeping the first; shorten text below the floor. Numbers
    and dates are never shortened; a line still too wide is cut at the edge by the caller.
    """
    from rich.cells import cell_len

    columns = listing.columns
    natural = [
        max(cell_len(column.heading), *(cell_len(line[i]) for line in cells))
        for i, column in enumerate(columns)
    ]
    shown = list(range(len(columns)))
    if width is None:
        return Layout(shown, natural, [])

    def floor(i: int, least: int) -> int:
        column = columns[i]
        return natural[i] if column.numeric or column.fixed else min(natural[i], least)

    floors = {i: floor(i, max(len(columns[i].heading), MIN_TEXT_WIDTH)) for i in shown}
    # The essential columns (priority 1) would rather keep their text than share the room
    # with optional ones: those go first, while the essential ones still need shortening.
    wants = {
        i: min(natural[i], MAX_ESSENTIAL_WIDTH) if columns[i].priority <= 1 else floors[i] for i in shown
    }

    def needed(sizes: dict[int, int]) -> int:
        return sum(sizes[i] for i in shown) + GAP * (len(shown) - 1)

    hidden: list[str] = []

    def leave_out(index: int) -> None:
        shown.remove(index)
        hidden.append(columns[index].heading)

    while len(shown) > 1 and needed(wants) > width:
        drop = max(shown, key=lambda i: (columns[i].priority, i))
        if columns[drop].priority <= 1:
            break
        leave_out(drop)
    while len(shown) > 1 and needed(floors) > width:
        leave_out(shown[-1])
    if needed(floors) > width:
        floors = {i: floor(i, 3) for i in shown}
    widths = {i: natural[i] for i in shown}
    overflow = needed(widths) - width
    while overflow > 0:
        widest = max(shown, key=lambda i: widths[i] - floors[i])
        room = widths[widest] - floors[widest]
        if room <= 0:
            break
        # Shorten the widest column down to the next widest, or by what is still needed.
        next_widest = max((widths[i] for i in shown if i != widest), default=0)
        cut = min(overflow, room, max(1, widths[widest] - next_widest))
        widths[widest] -= cut
        overflow -= cut
    return Layout(shown, [widths[i] for i in shown], list(reversed(hidden)))


def write_table(
    rows: Sequence[dict[str, Any]],
    listing: Listing,
    stream: TextIO | None = None,
    *,
    wide: bool = False,
    empty_message: str | None = None,
) -> None:
    """Rows as an aligned table, one line per row, under a bold heading and a rule.

    On a terminal the table fits its width (see fit_columns); ``wide`` shows every value
    whole, as JSON always does. Cell widths come from rich.cells, so wide characters
    (CJK, emoji) count as two and are never cut in half.
    """
    stream = stream or sys.stdout
    if not rows:
        stream.write(f"{empty_message or listing.empty}\n")
        return
    from rich.cells import cell_len, set_cell_size

    def fit(text: str, width: int, right: bool) -> str:
        length = cell_len(text)
        if length > width:
            text, length = set_cell_size(text, width - 1) + "…", width
        padding = " " * (width - length)
        return padding + text if right else text + padding

    cells = [[cell_text(row.get(column.key), column) for column in listing.columns] for row in rows]
    width = None if wide else table_width(stream)
    layout = fit_columns(cells, listing, width)
    columns = [listing.columns[index] for index in layout.shown]
    gap = " " * GAP

    def line(values: list[str]) -> str:
        parts = [
            fit(value, size, column.numeric)
            for value, size, column in zip(values, layout.widths, columns, strict=True)
        ]
        text = gap.join(parts).rstrip()
        if width is not None and cell_len(text) > width:  # numbers or dates wider than the terminal
            text = set_cell_size(text, max(width - 1, 0)) + "…"
        return text + "\n"

    heading = line([column.heading for column in columns])
    if stream.isatty():
        heading = f"\x1b[1m{heading.rstrip()}\x1b[0m\n"
    rule = sum(layout.widths) + GAP * (len(columns) - 1)
    out = [heading, "─" * (min(rule, width) if width else rule) + "\n"]
    out += [line([cell[index] for index in layout.shown]) for cell in cells]
    stream.write("".join(out))
    left_out = [column for index, column in enumerate(listing.columns) if index not in layout.shown]
    said = [column.note for column in left_out if column.note]
    fitted = [heading for heading in layout.hidden if heading not in {c.heading for c in left_out if c.note}]
    if fitted:
        said.append(
            f"{len(fitted)} column{'s' if len(fitted) > 1 else ''} left out to fit "
            f"{width} columns: {', '.join(fitted)}; --wide or --json shows everything"
        )
    if said:
        sys.stderr.write(f"({'; '.join(said)})\n")


def emit(
    rows: Sequence[dict[str, Any]],
    listing: Listing,
    *,
    as_json: bool,
    wide: bool = False,
    empty_message: str | None = None,
) -> None:
    """Rows as JSON or as a table: the one way tabular commands print."""
    if as_json:
        write_json(rows)
    else:
        write_table(rows, listing, wide=wide, empty_message=empty_message)
