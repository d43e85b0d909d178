"""Source kinds: one module per kind (fetch + parse), and the registry that finds them.

A module in this package that defines ``KIND`` (a :class:`SourceKind`) is a built-in kind;
the registry discovers them, so the list of kinds is never written out twice. A package
installed beside the tool adds kinds through the ``frontier_watch.source_kinds`` entry-point
group (each entry point names a :class:`SourceKind`), the way simonw/llm loads its plugins.
Other code (a test) adds its own with :func:`register_kind`.

A plugin that cannot be used (it fails to import, names something that is not a
SourceKind, or takes the name of a kind already known) is left out with one line saying
why (:func:`plugin_problems`); the other kinds work as before.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the kinds are imported when first asked for, not with the package
    from frontier_watch.sources.kind import SourceKind

ENTRY_POINT_GROUP = "frontier_watch.source_kinds"

_registry: dict[str, SourceKind] = {}
_discovered = False
_plugin_problems: list[str] = []


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
    """Every registered kind by name: the built-in ones, then the plugins' that can be used."""
    _discover_kinds()
    return dict(_registry)


def get_kind(name: str) -> SourceKind | None:
    return kinds().get(name)


def plugin_problems() -> list[str]:
    """One line for each kind plugin that was left out, saying which and why."""
    _discover_kinds()
    return list(_plugin_problems)


def _discover_kinds() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True  # first, so a plugin that asks for the kinds while loading sees a registry
    from frontier_watch.sources.kind import SourceKind

    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, SourceKind):
            register_kind(kind)
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        problem = _load_plugin(entry_point)
        if problem:
            where = f"source kind plugin {entry_point.name!r} ({entry_point.value})"
            _plugin_problems.append(f"{where}: {problem}")


def _load_plugin(entry_point: EntryPoint) -> str | None:
    """Register the kind an entry point names; why it cannot be used, or None."""
    from frontier_watch.sources.kind import SourceKind

    try:
        kind = entry_point.load()
    except Exception as exc:  # a plugin's own bug: noted, and the other kinds still work
        reason = str(exc).strip().splitlines()
        return f"cannot be loaded: {type(exc).__name__}" + (f": {reason[0]}" if reason else "")
    if not isinstance(kind, SourceKind):
        return f"left out: it names a {type(kind).__name__}, not a SourceKind"
    existing = _registry.get(kind.name)
    if existing is not None and existing is not kind:
        return f"left out: a source kind named {kind.name!r} is already known"
    register_kind(kind)
    return None
