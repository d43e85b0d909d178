"""The curated data format (data/*.csv): price rows and fact rows, read and validated.

Pure functions of a file's text, so the shipped files and a copy fetched from a team's URL
are held to the same rules. A bad row raises :class:`CuratedDataError` naming file:line.
"""

from __future__ import annotations

import csv
import functools
import io
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from frontier_watch.domain import money, plausible
from frontier_watch.domain.batch import (
    Batch,
    BenchmarkFact,
    ModelDateFact,
    PriceSegment,
    ReleaseFact,
    SignalFact,
    SourcedFields,
    TrendClaimFact,
)
from frontier_watch.domain.clock import parse_day, parse_when, utc_now
from frontier_watch.domain.errors import DataError
from frontier_watch.domain.model_kind import KINDS
from frontier_watch.domain.vocabulary import EVIDENCE_CLASSES, Basis, LifeEvent
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.huggingface import licence_class
from frontier_watch.sources.kind import Option, Response, SourceKind
from frontier_watch.sources.spec import SourceSpec

PRICE_COLUMNS = (
    "source",
    "provider",
    "platform",
    "offering_id",
    "name",
    "lab",
    "tier",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "effective_from",
    "effective_to",
    "date_precision",
    "basis",
    "source_url",
    "evidence",
    "confidence",
    "observed_at",
    "notes",
    "kind",
)
# Files written before the platform and kind columns existed still load.
OPTIONAL_PRICE_COLUMNS = frozenset({"platform", "kind"})
REQUIRED_PRICE_COLUMNS = tuple(column for column in PRICE_COLUMNS if column not in OPTIONAL_PRICE_COLUMNS)
CURATED_BASES = frozenset({Basis.CURATED, Basis.DECLARED, Basis.RECONSTRUCTED})
MODEL_DATE_COLUMNS = (
    "model_id",
    "event",
    "date",
    "date_precision",
    "origin",
    "source_url",
    "evidence",
    "confidence",
    "notes",
)


class CuratedDataError(DataError):
    """A row in a curated file is wrong. The message starts with file:line."""


@dataclass(frozen=True)
class FactFile:
    """A curated CSV of facts: the type of its rows, the columns it must fill, its natural key."""

    name: str
    fact: type[SourcedFields]
    required: tuple[str, ...]
    key: tuple[str, ...]
    # column -> text field that keeps a value which is not a number (a status such as "rescinded")
    text_fallback: tuple[tuple[str, str], ...] = ()
    # column -> the values it may take
    choices: tuple[tuple[str, frozenset[str]], ...] = ()

    def check(self, values: dict[str, Any]) -> None:
        for column, allowed in self.choices:
            value = values.get(column)
            if value is not None and value not in allowed:
                raise ValueError(f"{column} {value!r} is not one of {', '.join(sorted(allowed))}")


_EVIDENCE = ("source_url", "evidence")
FACT_FILES = (
    FactFile("releases.csv", ReleaseFact, ("date", "lab", "model", *_EVIDENCE), ("lab", "model", "date")),
    FactFile(
        "signals.csv",
        SignalFact,
        ("date", "category", "entity", "item", *_EVIDENCE),
        ("date", "entity", "item", "metric"),
        (("value", "value_text"),),
    ),
    FactFile(
        "benchmarks.csv", BenchmarkFact, ("model", "benchmark", "score", *_EVIDENCE), ("model", "benchmark")
    ),
    FactFile(
        "model_dates.csv",
        ModelDateFact,
        ("model_id", "event", "date", "origin", *_EVIDENCE),
        ("model_id", "event", "origin"),
        choices=(("event", frozenset(str(event) for event in LifeEvent)),),
    ),
    FactFile(
        "trend_claims.csv",
        TrendClaimFact,
        ("date", "source_org", "claim", "metric", *_EVIDENCE),
        ("date", "source_org", "metric", "claim"),
    ),
)


def csv_rows(
    lines: str | Iterable[str], where: str, required: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with stripped cells) for each data row; missing columns fail at line 1.

    ``lines`` is a file's whole text, or its lines one at a time (a file being read), so
    a large file is never held whole.
    """
    reader = csv.DictReader(io.StringIO(lines, newline="") if isinstance(lines, str) else lines)
    try:
        header = reader.fieldnames or []
        missing = [column for column in required if column not in header]
        if missing:
            raise CuratedDataError(f"{where}:1: missing columns {', '.join(missing)}")
        for row in reader:
            if None in row:
                raise CuratedDataError(f"{where}:{reader.line_num}: more cells than columns")
            cells = {key: (value or "").strip() for key, value in row.items()}
            for column, value in cells.items():
                problem = plausible.text_problem(value)
                if problem:
                    raise CuratedDataError(f"{where}:{reader.line_num}: {column} {problem}")
            yield reader.line_num, cells
    except csv.Error as exc:  # a cell beyond the size limit, say (the inner reader has counted its line)
        raise CuratedDataError(f"{where}:{reader.reader.line_num}: {exc}") from None


# ---------------------------------------------------------------- prices


@dataclass(slots=True)
class PriceRow:
    """One valid row of a price file: its offering, the snapshot it belongs to, its span."""

    line: int
    source: str
    basis: str
    observed_at: datetime | None  # when the upstream snapshot was taken (None: not known)
    provider: str
    offering_id: str
    name: str
    lab: str | None
    platform: str | None
    segment: PriceSegment
    kind: str | None = None  # the kind of model the row's source states (model_kind.KINDS)


def price_rows(lines: str | Iterable[str], where: str, today: date | None = None) -> Iterator[PriceRow]:
    """Each row of a price file, checked on its own; a bad row raises naming file:line.

    Dates and prices are held to plausible.py's bounds as of ``today`` (default: now). The
    rules between rows (one span per offering, tier and start; no two spans in force at
    once) need the whole file: store/price_files.py checks them where the rows are staged.
    """
    today = today or utc_now().date()
    for line, row in csv_rows(lines, where, REQUIRED_PRICE_COLUMNS):
        at = f"{where}:{line}"
        try:
            segment = _price_segment(row)
            observed = _when(row, "observed_at")
        except (money.PriceError, ValueError) as exc:
            raise CuratedDataError(f"{at}: {exc}") from None
        problem = plausible.item_problem(segment, today)
        if problem is None and observed is not None:
            off = plausible.PRICE_DATES.problem(observed, today)
            problem = f"observed_at: {off}" if off else None
        if problem:
            raise CuratedDataError(f"{at}: {problem}")
        if not row["source"] or not row["provider"] or not row["offering_id"]:
            raise CuratedDataError(f"{at}: source, provider and offering_id are required")
        if row["basis"] not in CURATED_BASES:
            raise CuratedDataError(f"{at}: basis {row['basis']!r} must be curated, declared or reconstructed")
        kind = row.get("kind") or None
        if kind is not None and kind not in KINDS:
            raise CuratedDataError(f"{at}: kind {kind!r} is not one of {', '.join(KINDS)} (or empty)")
        yield PriceRow(
            line,
            row["source"],
            row["basis"],
            observed,
            row["provider"],
            row["offering_id"],
            row["name"] or row["offering_id"],
            row["lab"] or None,
            row.get("platform") or None,
            segment,
            kind,
        )


def _price_segment(row: dict[str, str]) -> PriceSegment:
    prices = {
        name: money.per_mtok(row[f"{name}_usd_per_mtok"], what=f"{name} price")
        if row[f"{name}_usd_per_mtok"]
        else None
        for name in ("input", "output", "cache_read", "cache_write")
    }
    if prices["input"] is None and prices["output"] is None:
        raise ValueError("a price row needs an input or an output price")
    start, end = _when(row, "effective_from"), _when(row, "effective_to")
    if start and end and end <= start:
        raise ValueError(
            f"effective_to {row['effective_to']} is not after effective_from {row['effective_from']}"
        )
    check_evidence(row["evidence"])
    check_source_url(row["source_url"])
    return PriceSegment(
        tier=row["tier"] or "default",
        effective_from=start,
        effective_to=end,
        note=row["notes"] or None,
        source_url=row["source_url"],
        evidence=row["evidence"],
        confidence=row["confidence"] or None,
        date_precision=row["date_precision"] or None,
        **prices,
    )


def _when(row: dict[str, str], column: str) -> datetime | None:
    try:
        return parse_when(row[column])
    except ValueError as exc:
        raise ValueError(f"{column}: {row[column]!r} is not a date or UTC time ({exc})") from None


def check_evidence(value: str | None) -> None:
    """Refuse anything but the seven evidence classes."""
    if value not in EVIDENCE_CLASSES:
        raise ValueError(f"evidence {value!r} is not one of {', '.join(sorted(EVIDENCE_CLASSES))}")


def check_source_url(value: str | None) -> None:
    """A source_url is one http(s) URL: remarks such as "URL inferred" belong in the notes."""
    if not value:
        raise ValueError("source_url is required")
    from frontier_watch.net.urls import credentials_problem, without_secrets

    if not is_http_url(value):
        raise ValueError(
            f"source_url {without_secrets(value)!r} is not an http(s) URL (put remarks in the notes)"
        )
    problem = credentials_problem(value)
    if problem:
        raise ValueError(f"source_url: {problem}")


@functools.lru_cache(maxsize=4096)  # a few hundred distinct URLs stand behind 10,000 rows
def is_http_url(value: str) -> bool:
    """Whether text is a single absolute http or https URL with a host."""
    from urllib.parse import urlsplit

    if any(character.isspace() for character in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


# ---------------------------------------------------------------- facts


def parse_fact_file(text: str, where: str, spec: FactFile, today: date | None = None) -> list[Any]:
    """The rows of a fact file as ``spec.fact`` instances, validated; keys must be unique.

    Dates and numbers are held to plausible.py's bounds as of ``today`` (default: now).
    """
    facts: list[Any] = []
    keys: dict[tuple, int] = {}
    for line, key, fact in fact_rows(text, where, spec, today):
        if key in keys:
            raise CuratedDataError(f"{where}:{line}: {duplicate_message(spec, keys[key])}")
        keys[key] = line
        facts.append(fact)
    return facts


def duplicate_message(spec: FactFile, first_line: int) -> str:
    """What a row whose natural key an earlier row already has is told."""
    return f"duplicate of line {first_line} ({', '.join(spec.key)})"


def fact_rows(
    lines: str | Iterable[str], where: str, spec: FactFile, today: date | None = None
) -> Iterator[tuple[int, tuple, Any]]:
    """(line, natural key, fact) for each row of a fact file, checked on its own (dates and
    numbers within plausible.py's bounds as of ``today``, default now).

    A bad row raises naming file:line. That keys are unique is the caller's check: it needs
    every row (parse_fact_file keeps them; ``import`` stages them in the database).
    """
    today = today or utc_now().date()
    hints = typing.get_type_hints(spec.fact)
    names = [item.name for item in fields(spec.fact) if item.name != "key"]
    fallback = dict(spec.text_fallback)
    for line, raw in csv_rows(lines, where, spec.required):
        at = f"{where}:{line}"
        values: dict[str, Any] = {}
        for name in names:
            if name not in raw or raw[name] == "":
                continue
            try:
                values[name] = _convert(raw[name], hints[name])
            except (ValueError, InvalidOperation) as exc:
                if name in fallback:
                    values[fallback[name]] = raw[name]
                    continue
                raise CuratedDataError(f"{at}: {name}: {raw[name]!r} is not valid ({exc})") from None
        for name in spec.required:
            if values.get(name) is None and not (name in fallback and values.get(fallback[name])):
                raise CuratedDataError(f"{at}: {name} is required")
        try:
            check_evidence(values.get("evidence"))
            check_source_url(values.get("source_url"))
            spec.check(values)
        except ValueError as exc:
            raise CuratedDataError(f"{at}: {exc}") from None
        key = tuple(values.get(name) for name in spec.key)
        fact = spec.fact(**values)
        problem = plausible.item_problem(fact, today)
        if problem:
            raise CuratedDataError(f"{at}: {problem}")
        if isinstance(fact, ReleaseFact) and fact.license_class is None:
            fact.license_class = licence_class(fact.license, fact.open_weights)
        yield line, key, fact


def _convert(text: str, annotation: Any) -> Any:
    target = _base_type(annotation)
    if target is date:
        return parse_day(text)
    if target is datetime:
        return parse_when(text)
    if target is float:
        return float(Decimal(text))
    if target is int:
        return int(Decimal(text))
    return text


def _base_type(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return members[0] if members else str
    return annotation


# ---------------------------------------------------------------- the curated source

# The files a team can publish at its own URL: the facts a fetch writes (signals and
# releases). Prices, benchmarks and trend claims ship with the tool only.
FETCHABLE_FILES = {spec.name: spec for spec in FACT_FILES if spec.name in ("signals.csv", "releases.csv")}
DEFAULT_FILES = ("signals.csv",)


def curated_urls(spec: SourceSpec) -> list[str]:
    """What the curated source downloads: nothing when its URL is unset (the shipped copy is
    used), the file itself when the URL names a ``.csv``, else each of ``options.files``
    under the URL taken as a folder (``https://team.example/fw/`` + ``signals.csv``)."""
    from urllib.parse import urlsplit

    if not spec.url:
        return []
    if urlsplit(spec.url).path.lower().endswith(".csv"):
        return [spec.url]
    base = spec.url if spec.url.endswith("/") else spec.url + "/"
    return [base + name for name in spec.options.get("files", DEFAULT_FILES)]


def parse_published_file(response: Response, spec: SourceSpec) -> Batch:
    """A curated file fetched from a team's URL, validated exactly as the shipped copy is."""
    from urllib.parse import unquote, urlsplit

    name = unquote(urlsplit(response.url).path.rsplit("/", 1)[-1])
    fact_file = FETCHABLE_FILES.get(name)
    if fact_file is None:
        raise SourceFormatError(
            f"{response.url}: the curated source reads {' and '.join(FETCHABLE_FILES)}, "
            f"not {name or 'a folder'!r}"
        )
    try:
        text = bytes(response.body).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceFormatError(f"{response.url}: not UTF-8 text (offset {error.start})") from None
    facts = parse_fact_file(text, response.url, fact_file)
    batch = Batch()
    if fact_file.fact is SignalFact:
        batch.signals = facts
    else:
        batch.releases = facts
    return batch


KIND = SourceKind(
    name="curated",
    parse=parse_published_file,
    produces=frozenset({"signals", "releases"}),
    options={
        "files": Option(
            list,
            f"a list of curated file names to fetch under the url ({', '.join(FETCHABLE_FILES)})",
            item=str,
            choices=frozenset(FETCHABLE_FILES),
            low=1,
        )
    },
    start_urls=curated_urls,
    url_optional=True,
)
