"""Whole-response errors shared by the source parsers.

A parser raises :class:`SourceFormatError` only when the response as a whole is not what
its kind expects (not JSON, truncated, wrong top-level shape, duplicate ids). Problems with
one model are reported in ``Batch.skipped`` instead, so one bad row never hides the
rest of a catalogue.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

# How much of an unexpected body is quoted back in an error message.
_PREVIEW_CHARS = 40


class SourceFormatError(ValueError):
    """The response is not what this source kind expects. The message is one clear line."""

    def __init__(self, message: str) -> None:
        super().__init__(_one_line(message))


class JSONObject(dict):
    """A JSON object whose keys were listed more than once with different values.

    ``conflicts`` maps each such key to how many times it was listed; the dict itself
    holds the last value, as plain JSON decoding would, so a reader must check.
    """

    conflicts: dict[str, int]


def _object_noting_conflicts(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):  # the common case: every key once
        return result
    values: dict[str, list[Any]] = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    conflicts = {
        key: len(seen) for key, seen in values.items() if len(seen) > 1 and any(v != seen[0] for v in seen)
    }
    if not conflicts:
        return result
    noted = JSONObject(result)
    noted.conflicts = conflicts
    return noted


def conflicting_keys(value: Any) -> dict[str, int]:
    """The keys a decoded object listed more than once with different values (see load_json)."""
    return value.conflicts if isinstance(value, JSONObject) else {}


def load_json(body: bytes, what: str, *, note_conflicts: bool = False) -> Any:
    """Decode a UTF-8 JSON body, reading every JSON fraction as an exact ``Decimal``.

    With ``note_conflicts``, an object that lists a key twice with different values keeps
    a record of it (``conflicting_keys``) instead of silently keeping the last one.

    ``what`` names the document in error messages ("OpenRouter models list").
    Integers stay ``int``; ``NaN``/``Infinity`` become non-finite Decimals, which the
    money functions reject per value. Anything that is not a complete JSON document
    raises :class:`SourceFormatError` with a one-line reason.
    """
    if isinstance(body, str):  # tolerate text from tests and local files
        text = body
    else:
        try:
            text = bytes(body).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data":
                raise SourceFormatError(f"{what}: truncated body, it ends inside a UTF-8 character") from None
            raise SourceFormatError(
                f"{what}: not UTF-8 text (byte 0x{body[error.start]:02x} at offset {error.start})"
            ) from None
    stripped = text.lstrip()
    if not stripped:
        raise SourceFormatError(f"{what}: empty body, expected JSON")
    if stripped.startswith("<"):
        raise SourceFormatError(f"{what}: not JSON ({_markup_kind(stripped)})")
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_object_noting_conflicts if note_conflicts else None,
        )
    except json.JSONDecodeError as error:
        end = text.rstrip()
        if error.pos >= len(end) or error.msg.startswith("Unterminated string"):
            line = end.count("\n") + 1
            column = len(end) - (end.rfind("\n") + 1)
            raise SourceFormatError(
                f"{what}: truncated JSON, the body ends at line {line} column {column} "
                "before the document is complete"
            ) from None
        raise SourceFormatError(
            f"{what}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
            f"{_near(text, error.pos)}"
        ) from None
    except RecursionError:
        raise SourceFormatError(f"{what}: JSON nested too deeply") from None
    except ValueError as error:  # e.g. an integer longer than Python's digit limit
        raise SourceFormatError(f"{what}: unreadable JSON ({error})") from None


def describe(value: object) -> str:
    """A short name for a JSON value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float | Decimal):
        return "a number"
    return type(value).__name__


def _markup_kind(text: str) -> str:
    head = text[:200].lower()
    if head.startswith("<?xml") and "<html" not in head:
        return "looks like XML"
    return "looks like HTML"


def _near(text: str, pos: int) -> str:
    snippet = text[pos : pos + _PREVIEW_CHARS]
    if not snippet:
        return ""
    return f" near {snippet!r}"


def _one_line(message: str) -> str:
    # Error text may quote source data: keep it to one printable line.
    return " ".join(
        "".join(ch if ch.isprintable() else " " for ch in part) for part in message.splitlines()
    ).strip()
