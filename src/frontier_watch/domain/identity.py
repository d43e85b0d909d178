"""Model identity: one canonical id for the many spellings sources use.

Normalisation rules come first (provider prefixes, variant and date suffixes, case,
version separators); a curated crosswalk (data/model_crosswalk.csv) settles the rest,
such as DeepSeek's ``deepseek-reasoner`` being DeepSeek-R1.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontier_watch.domain.clock import parse_when
from frontier_watch.domain.errors import DataError
from frontier_watch.domain.model_kind import KINDS
from frontier_watch.domain.organisations import canonical_organisation

# Vendor prefixes written with a dot, optionally behind a region: Bedrock's
# "us.anthropic.claude-...", "us-gov.anthropic....", OCI's "xai.grok-3".
_DOTTED_VENDOR = re.compile(
    r"^(?:(?:us|eu|apac|global|jp|au|regional|us-gov)\.)?"
    r"(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs|xai"
    r"|moonshotai|minimax|google|nvidia|zai)\."
)
# Variant suffixes that name an offering of the same model: ":free", ":beta", ":thinking", "@default".
_VARIANT_SUFFIX = re.compile(r"(?::[a-z0-9._-]+|@[a-z0-9._-]+)$")
# A Bedrock version suffix ("-v1", "-v2"; its ":0" was a variant above).
_BEDROCK_VERSION = re.compile(r"-v\d+$")
_DATE_SUFFIXES = (
    re.compile(r"-\d{4}-\d{2}-\d{2}$"),  # gpt-4o-2024-08-06
    re.compile(r"-20\d{6}$"),  # claude-3-7-sonnet-20250219
    re.compile(r"-(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$"),  # gpt-3.5-turbo-0125 (MMDD)
    re.compile(r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"),  # gemini-2.5-flash-preview-04-17
    re.compile(r"-(?:0[1-9]|1[0-2])-20\d{2}$"),  # gemini-2.5-flash-lite-preview-09-2025
    re.compile(r"-(?:latest)$"),
)
# Host prefixes that name the seller, not the model: "databricks-claude-3-7-sonnet".
_HOST_PREFIX = re.compile(r"^(?:databricks|snowflake)-")
# Trailing words that name a build or a stage of the same model, peeled one at a time
# (the crosswalk is tried after each, so "o1-preview" stays itself): quantisation,
# instruction tuning, Hugging Face ports, previews, betas and experiments.
_BUILD_SUFFIX = re.compile(r"-(?:fp8|fp16|bf16|int4|int8|hf|maas|instruct|it|preview|exp|beta)$")
# "-chat" only after a parameter size (llama-2-70b-chat), never gpt-5-chat or deepseek-chat;
# "-turbo" only after -instruct (Together's fast builds), never gpt-3.5-turbo.
_SIZED_CHAT = re.compile(r"(?<=\db)-chat$")
_INSTRUCT_BUILD = re.compile(r"-instruct(?:-turbo|-v\d+(?:\.\d+)+)$")
# "4-5" -> "4.5" where both sides are single-digit version parts: claude-sonnet-4-5,
# but not a parameter size such as llama-3-8b or gemma-3-4b.
_VERSION_DASH = re.compile(r"(?<![\d.])(\d)-(\d)(?=$|[-.:])")
# Fireworks writes version dots as "p": deepseek-v3p2, kimi-k2p5, glm-5p2.
_VERSION_P = re.compile(r"(?<=[a-z-])(\d+)p(\d+)(?=$|-)")
# "llama3.1-70b" and "qwen-2.5-72b" -> "llama-3.1-70b" and "qwen2.5-72b"; "meta-llama-3" -> "llama-3".
_FAMILY_SPELLINGS = (
    (re.compile(r"^meta-(?=llama)"), ""),
    (re.compile(r"^llama(?=\d)"), "llama-"),
    (re.compile(r"^qwen-(?=\d)"), "qwen"),
    (re.compile(r"^nova-"), "amazon-nova-"),
)
_SPACES = re.compile(r"[\s_]+")


# Bumped whenever the rules below change what an id resolves to: a database resolves every
# offering again when it sees a new version.
IDENTITY_RULES_VERSION = "2"


_RESOLVED_LIMIT = 65536  # ids an Identity remembers; a fetch repeats a few thousand


@functools.lru_cache(maxsize=65536)  # pure, and sources repeat ids on every fetch
def normalised_forms(alias: str) -> tuple[str, ...]:
    """A source's model id made canonical by rule, one step at a time (the last is the result).

    Each form drops one more thing that does not change the model (a host prefix, a date,
    a build or stage word); a resolver takes the first form the crosswalk knows, so a
    crosswalk entry stops the peeling where it must ("o1-preview" is not "o1").
    """
    text = alias.strip().lower()
    text = text.rsplit("/", 1)[-1]  # openrouter/deepseek/deepseek-r1 -> deepseek-r1
    bedrock = _DOTTED_VENDOR.match(text) is not None or re.search(r"-v\d+:\d+$", text) is not None
    text = _DOTTED_VENDOR.sub("", text)
    text = _VARIANT_SUFFIX.sub("", text)
    if bedrock:
        text = _BEDROCK_VERSION.sub("", text)
    text = _SPACES.sub("-", text)
    text = _HOST_PREFIX.sub("", text)
    for pattern, replacement in _FAMILY_SPELLINGS:
        text = pattern.sub(replacement, text)
    text = _VERSION_P.sub(r"\1.\2", text)
    forms = [_VERSION_DASH.sub(r"\1.\2", text)]
    changed = True
    while changed:  # "-preview-04-17", "-instruct-turbo", "-2024-08-06-latest" stacks
        changed = False
        for pattern in (*_DATE_SUFFIXES, _INSTRUCT_BUILD, _BUILD_SUFFIX, _SIZED_CHAT):
            stripped = pattern.sub("", text)
            if stripped != text and stripped and "-" in text:
                text, changed = stripped, True
                forms.append(_VERSION_DASH.sub(r"\1.\2", text))
                break
    return tuple(dict.fromkeys(forms))


def normalise(alias: str) -> str:
    """The canonical spelling of a source's model id, by rule only (no crosswalk)."""
    return normalised_forms(alias)[-1]


@dataclass(frozen=True)
class CrosswalkRow:
    """One line of the curated crosswalk: an alias at a source ('*': any) names a model,
    over a span of days when the alias moved from model to model (``valid_from`` inclusive,
    ``valid_to`` exclusive; None: unbounded)."""

    model_id: str
    name: str
    lab: str | None
    source: str
    alias: str
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    # The kind of model (domain/model_kind.py), checked by hand, where its sources list it
    # under another kind or none; None: the sources' word (given on the model's own row).
    kind: str | None = None


@dataclass(frozen=True)
class CrosswalkEntry:
    model_id: str
    name: str
    lab: str | None


@dataclass(frozen=True)
class AliasSpan:
    """The model a moving alias served from ``valid_from`` (inclusive) to ``valid_to`` (exclusive)."""

    entry: CrosswalkEntry
    valid_from: datetime | None
    valid_to: datetime | None

    def covers(self, day: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class Identity:
    """Resolves (source, alias) to a canonical model: the crosswalk by exact alias, then the
    rules one form at a time (the first form the crosswalk knows wins), then the rules alone.

    An alias listed with dates is a *moving* alias (deepseek-chat served V2, V3, V3.1,
    V3.2-Exp in turn): :meth:`spans` gives the model it served on each span, and
    :meth:`resolve` the one it serves now (the latest span).
    """

    def __init__(
        self,
        by_source_alias: Mapping[tuple[str, str], Sequence[AliasSpan]],
        by_normalised: Mapping[str, CrosswalkEntry],
    ) -> None:
        self._by_source_alias = {key: tuple(spans) for key, spans in by_source_alias.items()}
        self._by_normalised = dict(by_normalised)
        self._resolved: dict[tuple[str, str], CrosswalkEntry | None] = {}  # sources repeat ids each fetch
        self._moving = any(
            len(spans) > 1 or spans[0].valid_from or spans[0].valid_to
            for spans in self._by_source_alias.values()
            if spans
        )

    def spans(self, source: str, alias: str) -> tuple[AliasSpan, ...]:
        """The dated spans of a moving alias, oldest first; empty for an alias that never moved."""
        if not self._moving:
            return ()
        found = self._exact(source, alias)
        return found if len(found) > 1 or (found and (found[0].valid_from or found[0].valid_to)) else ()

    def resolve(self, source: str, alias: str) -> CrosswalkEntry | None:
        """The crosswalk entry for an alias (for a moving alias, what it serves now), or None."""
        key = (source, alias)
        if key not in self._resolved:
            if len(self._resolved) >= _RESOLVED_LIMIT:  # an import of 300,000 ids: memory stays flat
                self._resolved.clear()
            self._resolved[key] = self._resolve(source, alias)
        return self._resolved[key]

    def _resolve(self, source: str, alias: str) -> CrosswalkEntry | None:
        found = self._exact(source, alias)
        if found:
            return found[-1].entry
        for form in normalised_forms(alias):
            found = self._exact(source, form)
            if found and not (found[-1].valid_from or found[-1].valid_to):
                return found[-1].entry
            entry = self._by_normalised.get(form)
            if entry is not None:
                return entry
        return None

    def model_id(self, source: str, alias: str) -> str:
        entry = self.resolve(source, alias)
        return entry.model_id if entry else normalise(alias)

    def knows(self, model_id: str) -> bool:
        """Whether a model id is one of the crosswalk's canonical models."""
        entry = self._by_normalised.get(model_id)
        return entry is not None and entry.model_id == model_id

    def _exact(self, source: str, alias: str) -> tuple[AliasSpan, ...]:
        key = alias.lower()
        return self._by_source_alias.get((source, key)) or self._by_source_alias.get(("*", key)) or ()


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
CROSSWALK_SPAN_COLUMNS = ("valid_from", "valid_to")  # optional: the span of a moving alias
CROSSWALK_KIND_COLUMN = "kind"  # optional: the model's kind, where the curated word is needed


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
            where = f"{path}:{reader.line_num}"
            if not row["model_id"] or not row["alias"]:
                raise CrosswalkError(f"{where}: model_id and alias are required")
            try:
                start, end = (parse_when(row.get(column, "")) for column in CROSSWALK_SPAN_COLUMNS)
            except ValueError as exc:
                raise CrosswalkError(f"{where}: {exc}") from None
            if start and end and end <= start:
                raise CrosswalkError(f"{where}: valid_to is not after valid_from")
            kind = row.get(CROSSWALK_KIND_COLUMN) or None
            if kind is not None and kind not in KINDS:
                raise CrosswalkError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)} (or empty)")
            rows.append(
                CrosswalkRow(
                    row["model_id"],
                    row["name"] or row["model_id"],
                    canonical_organisation(row["lab"]),
                    row["source"] or "*",
                    row["alias"],
                    start,
                    end,
                    kind,
                )
            )
    _check_spans(path, rows)
    return rows


def _check_spans(path: Path, rows: list[CrosswalkRow]) -> None:
    """The spans of one moving alias must not overlap: on any day it serves one model."""
    spans: dict[tuple[str, str], list[CrosswalkRow]] = {}
    for row in rows:
        spans.setdefault((row.source, row.alias.lower()), []).append(row)
    for (source, alias), group in spans.items():
        if len(group) == 1:
            continue
        ordered = sorted(group, key=lambda row: row.valid_from or datetime.min)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if before.valid_to is None or after.valid_from is None or before.valid_to > after.valid_from:
                raise CrosswalkError(f"{path}: alias {alias!r} ({source}) has overlapping spans")


def identity_from_rows(rows: list[CrosswalkRow]) -> Identity:
    """An Identity resolver over crosswalk lines."""
    by_alias: dict[tuple[str, str], list[AliasSpan]] = {}
    by_normalised: dict[str, CrosswalkEntry] = {}
    for row in rows:
        entry = CrosswalkEntry(row.model_id, row.name, row.lab)
        by_alias.setdefault((row.source, row.alias.lower()), []).append(
            AliasSpan(entry, row.valid_from, row.valid_to)
        )
        if row.alias.lower() == row.model_id:  # a canonical model names itself
            by_normalised[row.model_id] = entry
    for row in rows:  # an undated alias also answers for its rule-normalised spelling
        if row.valid_from is None and row.valid_to is None and row.source == "*":
            entry = CrosswalkEntry(row.model_id, row.name, row.lab)
            by_normalised.setdefault(row.alias.lower(), entry)
            by_normalised.setdefault(normalise(row.alias), entry)
    for spans in by_alias.values():
        spans.sort(key=lambda span: span.valid_from or datetime.min)
    return Identity(by_alias, by_normalised)
