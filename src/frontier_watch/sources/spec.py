"""A source spec: one declarative file in fetchers/ (id, kind, url, schedule, provenance, options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    path: str = ""  # the file the spec came from, for error messages
