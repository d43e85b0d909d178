"""Model identity: one canonical id for the many spellings sources use.

Normalisation rules come first (provider prefixes, variant and date suffixes, case,
version separators); a curated crosswalk (data/model_crosswalk.csv) settles the rest,
such as DeepSeek's ``deepseek-reasoner`` being DeepSeek-R1.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from frontier_watch.errors import DataError

# Bedrock-style vendor prefixes, optionally behind a region: "us.anthropic.claude-...".
_DOTTED_VENDOR = re.compile(
    r"^(?:(?:us|eu|apac|global|jp|au|regional)\.)?"
    r"(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs)\."
)
# Variant suffixes that name an offering of the same model: ":free", ":beta", ":thinking".
_VARIANT_SUFFIX = re.compile(r":[a-z0-9._-]+$")
# Bedrock version suffix: "-v1", "-v2" (its ":0" was removed as a variant above);
# stripped only from ids that had a Bedrock vendor prefix.
_BEDROCK_VERSION = re.compile(r"-v\d+$")
_DATE_SUFFIXES = (
    re.compile(r"-\d{4}-\d{2}-\d{2}$"),  # gpt-4o-2024-08-06
    re.compile(r"-20\d{6}$"),  # claude-3-7-sonnet-20250219
    re.compile(r"-(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$"),  # gpt-3.5-turbo-0125 (MMDD)
    re.compile(r"-(?:latest)$"),
)
# "4-5" -> "4.5" where both sides are single-digit version parts: claude-sonnet-4-5,
# but not a parameter size such as llama-3-8b or gemma-3-4b.
_VERSION_DASH = re.compile(r"(?<![\d.])(\d)-(\d)(?=$|[-.:])")
_SPACES = re.compile(r"[\s_]+")


@functools.lru_cache(maxsize=65536)  # pure, and sources repeat ids on every fetch
def normalise(alias: str) -> str:
    """The canonical spelling of a source's model id, by rule only (no crosswalk)."""
    text = alias.strip().lower()
    text = text.rsplit("/", 1)[-1]  # openrouter/deepseek/deepseek-r1 -> deepseek-r1
    bedrock = _DOTTED_VENDOR.match(text) is not None
    text = _DOTTED_VENDOR.sub("", text)
    text = _VARIANT_SUFFIX.sub("", text)
    if bedrock:
        text = _BEDROCK_VERSION.sub("", text)
    text = _SPACES.sub("-", text)
    changed = True
    while changed:  # "-2024-08-06-latest" style stacks are rare but cheap to peel
        changed = False
        for pattern in _DATE_SUFFIXES:
            stripped = pattern.sub("", text)
            if stripped != text and stripped:
                text, changed = stripped, True
    text = _VERSION_DASH.sub(r"\1.\2", text)
    return text


@dataclass(frozen=True)
class CrosswalkRow:
    """One line of the curated crosswalk: an alias at a source ('*': any) names a model."""

    model_id: str
    name: str
    lab: str | None
    source: str
    alias: str


@dataclass(frozen=True)
class CrosswalkEntry:
    model_id: str
    name: str
    lab: str | None


class Identity:
    """Resolves (source, alias) to a canonical model id: crosswalk first, then rules."""

    def __init__(
        self,
        by_source_alias: Mapping[tuple[str, str], CrosswalkEntry],
        by_normalised: Mapping[str, CrosswalkEntry],
    ) -> None:
        self._by_source_alias = dict(by_source_alias)
        self._by_normalised = dict(by_normalised)

    def resolve(self, source: str, alias: str) -> CrosswalkEntry | None:
        """The crosswalk entry for an alias, or None when only the rules apply."""
        entry = self._by_source_alias.get((source, alias.lower()))
        if entry is None:
            entry = self._by_source_alias.get(("*", alias.lower()))
        if entry is None:
            entry = self._by_normalised.get(normalise(alias))
        return entry

    def model_id(self, source: str, alias: str) -> str:
        entry = self.resolve(source, alias)
        return entry.model_id if entry else normalise(alias)


def model_display_name(offering_id: str, offering_name: str, model_id: str) -> str:
    """A model's name when no crosswalk entry names it: the source's name, cleaned.

    A name that is just the source's key (LiteLLM) says less than the canonical id;
    OpenRouter's "Anthropic: Claude Sonnet 4.6" loses its seller prefix.
    """
    name = offering_name.strip()
    if not name or name == offering_id or "/" in name:
        return model_id
    vendor, colon, rest = name.partition(": ")
    return rest.strip() if colon and rest.strip() and " " not in vendor.strip() else name


CROSSWALK_COLUMNS = ("model_id", "name", "lab", "source", "alias")


class CrosswalkError(DataError):
    """A crosswalk line that cannot be used. The message starts with file:line."""


def read_crosswalk_rows(path: Path) -> list[CrosswalkRow]:
    """The crosswalk file's lines, validated."""
    rows: list[CrosswalkRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in CROSSWALK_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise CrosswalkError(f"{path}:1: missing columns {', '.join(missing)}")
        for raw in reader:
            row = {key: (value or "").strip() for key, value in raw.items() if key is not None}
            if not row["model_id"] or not row["alias"]:
                raise CrosswalkError(f"{path}:{reader.line_num}: model_id and alias are required")
            rows.append(
                CrosswalkRow(
                    row["model_id"],
                    row["name"] or row["model_id"],
                    row["lab"] or None,
                    row["source"] or "*",
                    row["alias"],
                )
            )
    return rows


def identity_from_rows(rows: list[CrosswalkRow]) -> Identity:
    """An Identity resolver over crosswalk lines."""
    by_alias: dict[tuple[str, str], CrosswalkEntry] = {}
    by_normalised: dict[str, CrosswalkEntry] = {}
    for row in rows:
        entry = CrosswalkEntry(row.model_id, row.name, row.lab)
        by_alias[(row.source, row.alias.lower())] = entry
        by_normalised.setdefault(normalise(row.alias), entry)
    return Identity(by_alias, by_normalised)


def load_identity(folder: Path | None = None) -> Identity:
    """The resolver over the shipped crosswalk (data/model_crosswalk.csv), or rules only."""
    from frontier_watch.paths import data_dir

    path = (folder or data_dir()) / "model_crosswalk.csv"
    if not path.is_file():
        return Identity({}, {})
    return identity_from_rows(read_crosswalk_rows(path))
