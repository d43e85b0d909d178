"""What the price sheets share: telling an entry apart, naming it, and skipping it with a reason.

A price list (genai-prices, llm-prices, OpenRouter, LiteLLM) is read entry by entry: an
entry that cannot be told apart (not an object, no string ``id``) or priced is skipped
with its reason, never a failure of the whole list. The reasons are worded here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from frontier_watch.domain.batch import Batch, PricedOffering
from frontier_watch.sources.errors import describe


class Skip(Exception):
    """This entry is not stored; the message is the reason."""


def entry_id(entry: Any) -> str:
    """The string ``id`` of an entry of a price list; Skip saying why it has none."""
    if not isinstance(entry, dict):
        raise Skip(f"{describe(entry)}, not an object")
    value = entry.get("id")
    if not isinstance(value, str) or not value.strip():
        raise Skip(f"no string 'id' (id is {describe(value)})")
    return value


def identified(entries: Iterable[Any], batch: Batch, place: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Each entry that has an ``id``, with it; the others are noted in ``batch.skipped`` at
    ``"{place} {index}"`` (the entry's place in the list, as it has no id to name it)."""
    for index, entry in enumerate(entries):
        try:
            identity = entry_id(entry)
        except Skip as skip:
            batch.skipped.append((f"{place} {index}", str(skip)))
            continue
        yield entry, identity


def name_or_id(entry: dict[str, Any], offering_id: str) -> str:
    """The entry's ``name`` when it gives a non-empty one, else its id."""
    name = entry.get("name")
    return name if isinstance(name, str) and name else offering_id


def add_offering(batch: Batch, where: str, build: Callable[..., PricedOffering], *args: Any) -> None:
    """Add the offering ``build(*args)`` makes, or note it skipped at ``where`` with the Skip's reason."""
    try:
        batch.offerings.append(build(*args))
    except Skip as skip:
        batch.skipped.append((where, str(skip)))
