"""IN (...) lists of bound parameters, chunked under SQLite's bound-parameter limit."""

from __future__ import annotations

from typing import Any


def in_list(values: list[Any], prefix: str, params: dict[str, Any]) -> str:
    """``:prefix0, :prefix1, ...`` for an IN (...) list, its values put into ``params``."""
    for index, value in enumerate(values):
        params[f"{prefix}{index}"] = value
    return ", ".join(f":{prefix}{index}" for index in range(len(values)))


_CHUNK = 500  # values per IN (...), under SQLite's bound-parameter limit


def chunked(values: list[Any]) -> list[list[Any]]:
    """``values`` in lists short enough for one IN (...) each."""
    return [values[start : start + _CHUNK] for start in range(len(values))[::_CHUNK]]
