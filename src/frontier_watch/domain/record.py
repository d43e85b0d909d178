"""A row as a tuple that also answers by field name, for the many rows held at once."""

from __future__ import annotations

from typing import Any, ClassVar


class Record(tuple):
    """A row as a tuple that also answers by field name: ``row["input"]``, ``row.get("tier")``.

    Thousands of price rows are held at once (the dashboard keeps every current price); a
    tuple takes a third of the memory of the dict it stands in for. Each subclass sets
    ``FIELDS`` (name to position) from the SELECT list or the shape it stands for.
    """

    __slots__ = ()
    FIELDS: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        return tuple.__getitem__(self, self.FIELDS[key] if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None, /) -> Any:
        index = self.FIELDS.get(key)
        return default if index is None else tuple.__getitem__(self, index)

    def keys(self) -> list[str]:
        return list(self.FIELDS)

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self.FIELDS, self, strict=True))
