"""The catalogue of sources: one declarative TOML file per source in fetchers/."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontier_watch.paths import fetchers_dir
from frontier_watch.records import Evidence

KINDS = ("openrouter", "litellm", "genai-prices", "llm-prices", "huggingface", "epoch", "feed", "curated")
_REQUIRED = ("id", "kind", "url", "schedule", "attribution", "licence", "evidence")


class CatalogueError(ValueError):
    """A source spec in fetchers/ is malformed."""


@dataclass(frozen=True)
class SourceSpec:
    id: str
    kind: str
    url: str
    schedule: str
    attribution: str
    licence: str
    evidence: str
    title: str = ""
    homepage: str = ""
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)


def load_catalogue(folder: Path | None = None) -> dict[str, SourceSpec]:
    """Every source spec in ``folder`` (the shipped fetchers/ by default), keyed by id."""
    folder = folder or fetchers_dir()
    specs: dict[str, SourceSpec] = {}
    for path in sorted(folder.glob("*.toml")):
        spec = _read_spec(path)
        if spec.id in specs:
            raise CatalogueError(f"{path}: duplicate source id {spec.id!r}")
        specs[spec.id] = spec
    return specs


def _read_spec(path: Path) -> SourceSpec:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    missing = [key for key in _REQUIRED if not isinstance(raw.get(key), str) or not raw[key]]
    if missing:
        raise CatalogueError(f"{path}: missing or empty {', '.join(missing)}")
    if raw["kind"] not in KINDS:
        raise CatalogueError(f"{path}: kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if raw["evidence"] not in set(Evidence):
        raise CatalogueError(f"{path}: evidence {raw['evidence']!r} is not an evidence class")
    known = set(SourceSpec.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CatalogueError(f"{path}: unknown keys {', '.join(unknown)}")
    return SourceSpec(**raw)
