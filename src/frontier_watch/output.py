"""Showing results: plain tables for terminals and pipes, JSON for programs.

Text from sources is stored as given; it is made safe here, at the edge, so a model
name carrying terminal escape sequences is never written raw to a terminal.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from frontier_watch import money

# C0 and C1 control characters (ESC included) and DEL; tabs and newlines become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"[\t\n\r]+")
_C1 = re.compile(r"[\x7f-\x9f]")


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


def json_value(value: Any) -> Any:
    """A value as JSON wants it: exact numbers as numbers, dates ISO, text cleaned."""
    if isinstance(value, Decimal):
        return money.to_json_number(value)
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_json(rows: Iterable[dict[str, Any]], stream: TextIO | None = None) -> None:
    """Rows as a JSON array (json.dumps escapes control characters itself)."""
    stream = stream or sys.stdout
    data = [{key: json_value(value) for key, value in row.items()} for row in rows]
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # json escapes C0 controls but writes C1 ones (U+009B is a CSI to some terminals) raw;
    # they can only occur inside strings, where \u escapes keep the text exact.
    stream.write(_C1.sub(lambda match: f"\\u{ord(match.group()):04x}", text))
    stream.write("\n")


def write_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    stream: TextIO | None = None,
    *,
    numeric: Iterable[str] = (),
    empty_message: str = "no rows",
) -> None:
    """Rows as an aligned text table; ``columns`` are (key, heading) pairs.

    The widest text column is shortened to fit the terminal so rows stay on one line.
    """
    stream = stream or sys.stdout
    if not rows:
        stream.write(f"{empty_message}\n")
        return
    numeric = set(numeric)
    cells = [[safe_text(row.get(key)) for key, _ in columns] for row in rows]
    headings = [heading for _, heading in columns]
    widths = [max(len(headings[i]), *(len(line[i]) for line in cells)) for i in range(len(columns))]
    budget = shutil.get_terminal_size((160, 24)).columns if stream.isatty() else 10_000
    overflow = sum(widths) + 2 * (len(widths) - 1) - budget
    while overflow > 0:
        widest = max(range(len(widths)), key=lambda i: widths[i] if columns[i][0] not in numeric else 0)
        if widths[widest] <= 12:
            break
        cut = min(overflow, widths[widest] - 12)
        widths[widest] -= cut
        overflow -= cut

    def fit(text: str, width: int, right: bool) -> str:
        if len(text) > width:
            text = text[: width - 1] + "…"
        return text.rjust(width) if right else text.ljust(width)

    right = [key in numeric for key, _ in columns]
    stream.write(
        "  ".join(fit(h, w, r) for h, w, r in zip(headings, widths, right, strict=True)).rstrip() + "\n"
    )
    stream.write("  ".join("-" * w for w in widths) + "\n")
    for line in cells:
        stream.write(
            "  ".join(fit(c, w, r) for c, w, r in zip(line, widths, right, strict=True)).rstrip() + "\n"
        )


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    as_json: bool,
    numeric: Iterable[str] = (),
    empty_message: str = "no rows",
) -> None:
    """Rows as JSON or as a table: the one way tabular commands print."""
    if as_json:
        write_json(rows)
    else:
        write_table(rows, columns, numeric=numeric, empty_message=empty_message)
