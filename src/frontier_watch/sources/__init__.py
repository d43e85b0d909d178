"""Source kinds: one module per kind (fetch + parse), and the registry that finds them.

A module in this package that defines ``KIND`` (a :class:`SourceKind`) is a built-in kind;
the registry discovers them, so the list of kinds is never written out twice. Other code
(a plugin, a test) adds its own with :func:`register_kind`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the kinds are imported when first asked for, not with the package
    from frontier_watch.sources.kind import SourceKind

_registry: dict[str, SourceKind] = {}
_discovered = False


def register_kind(kind: SourceKind) -> None:
    """Make ``kind`` available to specs that name it."""
    existing = _registry.get(kind.name)
    if existing is not None and existing is not kind:
        raise ValueError(f"a source kind named {kind.name!r} is already registered")
    _registry[kind.name] = kind


def unregister_kind(name: str) -> None:
    """Forget a kind registered with :func:`register_kind` (tests use this to clean up)."""
    _registry.pop(name, None)


def kinds() -> Mapping[str, SourceKind]:
    """Every registered kind by name, the built-in ones included."""
    _discover_builtin_kinds()
    return dict(_registry)


def get_kind(name: str) -> SourceKind | None:
    return kinds().get(name)


def _discover_builtin_kinds() -> None:
    global _discovered
    if _discovered:
        return
    from frontier_watch.sources.kind import SourceKind

    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, SourceKind):
            register_kind(kind)
    _discovered = True
