"""The database tables (SQLModel). The schema itself is created by store/migrations.py.

These declarations are what the writers build their statements from; the migrations are
the schema's history, and a test checks that the migrated schema matches these column for
column and index for index.

Conventions: times are naive UTC datetimes; prices are integer nano-dollars per
million tokens (see money.py); every fact row carries ``source_url`` and an evidence
class, every price row its ``basis``.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Collection
from datetime import date, datetime
from typing import Any, get_type_hints

from sqlalchemy import BigInteger, DateTime, Index, Integer, Table, UniqueConstraint, func, text
from sqlmodel import Field, SQLModel

from frontier_watch.domain.batch import ReleaseFact, SourcedFields


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model, typed (SQLModel sets ``__table__`` at class creation)."""
    return model.__table__  # type: ignore[attr-defined]


# Integers that outgrow 32 bits: nano-dollar prices, byte and download counts. BIGINT on
# PostgreSQL; SQLite's INTEGER is 64-bit already.
WIDE_INTEGER = BigInteger().with_variant(Integer(), "sqlite")


def _wide(**kwargs: Any) -> Any:
    return Field(default=None, sa_type=WIDE_INTEGER, **kwargs)


def fact_columns(fact: type, name: str, *, leave_out: Collection[str] = ()) -> type[SQLModel]:
    """A SQLModel (not a table) with a column for each field of the dataclass ``fact``, typed
    and defaulted as the fact has it, but those named in ``leave_out``."""
    hints = get_type_hints(fact)
    body: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for field in dataclasses.fields(fact):
        if field.name in leave_out:
            continue
        body["__annotations__"][field.name] = hints[field.name]
        if field.default is not dataclasses.MISSING:
            body[field.name] = field.default
    return types.new_class(name, (SQLModel,), {}, lambda namespace: namespace.update(body))


def _time(**kwargs: Any) -> Any:
    # Naive UTC, stored as given: SQLite has no time zones and every time here is UTC.
    return Field(sa_type=DateTime(), **kwargs)


class Meta(SQLModel, table=True):
    """Small facts about the database itself: the data version, the curated files' stamp."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class SchemaMigration(SQLModel, table=True):
    __tablename__ = "schema_migration"
    version: int = Field(primary_key=True)
    name: str
    applied_at: datetime = _time()


class CuratedLoad(SQLModel, table=True):
    """Which shipped data file was loaded, by content hash, so seeding is idempotent."""

    __tablename__ = "curated_load"
    name: str = Field(primary_key=True)
    content_hash: str
    rows: int
    loaded_at: datetime = _time()


class FetchRun(SQLModel, table=True):
    __tablename__ = "fetch_run"
    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(index=True)
    started_at: datetime = _time()
    finished_at: datetime | None = _time(default=None)
    status: str = "running"  # running | ok | failed | suspicious
    http_status: int | None = None
    bytes: int | None = _wide()
    content_hash: str | None = None
    records: int = 0
    skipped: int = 0
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    error: str | None = None


class Model(SQLModel, table=True):
    """A canonical model identity, shared by every source that sells or describes it."""

    __tablename__ = "model"
    __table_args__ = (Index("ix_model_lower_name", func.lower(text("name"))),)  # names as people type them
    id: str = Field(primary_key=True)
    name: str
    lab: str | None = None
    kind: str | None = None  # the crosswalk's word on its kind (model_kind.py); None: its sources'


class ModelAlias(SQLModel, table=True):
    """A spelling of a model at a source ('*': any), over a span of days for a moving alias."""

    __tablename__ = "model_alias"
    __table_args__ = (Index("ux_model_alias_span", "source", "alias", "valid_from", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    model_id: str = Field(foreign_key="model.id", index=True)
    source: str
    alias: str
    valid_from: datetime | None = _time(default=None)  # None: since ever
    valid_to: datetime | None = _time(default=None)  # None: still


class OfferingModelSpan(SQLModel, table=True):
    """The model an offering's moving alias served from ``valid_from`` to ``valid_to``.

    Only offerings whose alias moved have spans; any other offering is its ``model_id``
    on every day.
    """

    __tablename__ = "offering_model_span"
    __table_args__ = (Index("ux_offering_model_span", "offering_pk", "valid_from", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    offering_pk: int = Field(foreign_key="offering.id")
    model_id: str = Field(foreign_key="model.id")
    valid_from: datetime | None = _time(default=None)
    valid_to: datetime | None = _time(default=None)


class ModelEvent(SQLModel, table=True):
    """A bound of a model's life from one origin: released on a day, or retired on a day."""

    __tablename__ = "model_event"
    __table_args__ = (UniqueConstraint("model_id", "event", "origin"),)
    id: int | None = Field(default=None, primary_key=True)
    model_id: str = Field(foreign_key="model.id")
    event: str  # vocabulary.LifeEvent
    date: date
    date_precision: str = "day"
    origin: str  # where the date comes from: "models.dev", "facts/prices.csv", ...
    source_url: str
    evidence: str
    confidence: str | None = None
    notes: str | None = None


class PriceFlag(SQLModel, table=True):
    """Why a stored price is suspect (vocabulary.PriceFlag); recomputed after every write."""

    __tablename__ = "price_flag"
    interval_id: int = Field(primary_key=True, foreign_key="price_interval.id")
    flag: str
    reason: str
    flagged_at: datetime = _time()


class Offering(SQLModel, table=True):
    """A model as one provider sells it, as one source lists it."""

    __tablename__ = "offering"
    __table_args__ = (
        UniqueConstraint("source_id", "provider", "offering_id"),
        Index("ix_offering_lower_id", func.lower(text("offering_id"))),
    )
    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(index=True)
    provider: str
    offering_id: str
    name: str
    model_id: str | None = Field(default=None, foreign_key="model.id", index=True)
    lab: str | None = None
    deprecation_date: date | None = None
    hf_repo: str | None = None
    first_seen_at: datetime = _time()
    last_seen_at: datetime = _time()
    withdrawn_at: datetime | None = _time(default=None)
    platform: str | None = None  # what the provider sells it through: "Vertex AI", "Bedrock"
    listed_at: datetime | None = _time(default=None)  # when the source first listed it (API availability)
    kind: str | None = None  # the kind of model its source states (domain/model_kind.py); None: not stated


class PriceInterval(SQLModel, table=True):
    """Prices of one offering and tier over one span of effective time."""

    __tablename__ = "price_interval"
    __table_args__ = (
        Index("ix_price_interval_lookup", "offering_pk", "tier", "effective_from"),
        Index(
            "ix_price_interval_open",
            "offering_pk",
            "tier",
            sqlite_where=text("superseded_at IS NULL AND effective_to IS NULL"),
            postgresql_where=text("superseded_at IS NULL AND effective_to IS NULL"),
        ),
        Index(
            "ix_price_interval_undated",
            "offering_pk",
            sqlite_where=text("superseded_at IS NULL AND effective_from IS NULL"),
            postgresql_where=text("superseded_at IS NULL AND effective_from IS NULL"),
        ),
        Index(
            "ix_price_interval_ends",
            "effective_to",
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    offering_pk: int = Field(foreign_key="offering.id", index=True)
    tier: str = "default"
    input_nusd: int | None = _wide()
    output_nusd: int | None = _wide()
    cache_read_nusd: int | None = _wide()
    cache_write_nusd: int | None = _wide()
    reasoning_nusd: int | None = _wide()
    request_nusd: int | None = _wide()  # per request, not per million tokens
    effective_from: datetime | None = _time(default=None)  # None: since the beginning of the record
    effective_to: datetime | None = _time(default=None)  # None: open-ended
    first_seen_at: datetime = _time()
    last_seen_at: datetime = _time()
    basis: str
    source_url: str | None = None
    evidence: str | None = None
    confidence: str | None = None
    date_precision: str | None = None
    note: str | None = None
    fetch_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")
    superseded_at: datetime | None = _time(default=None)  # the source restated this span


SOURCED_FIELDS = frozenset(field.name for field in dataclasses.fields(SourcedFields))


class SourcedFact(SQLModel):
    """The evidence every curated fact carries: where it comes from and how strong it is."""

    source_url: str
    evidence: str  # one of vocabulary.Evidence
    verified_via: str | None = None  # the copy actually read, when not the source itself
    confidence: str | None = None  # high | medium | low
    notes: str | None = None


# A release's own fields are ReleaseFact's (domain/batch.py), stated there once: each becomes
# a column typed and defaulted as the fact has it. Release below adds what only the store
# keeps, and restates a field only where the column differs from the fact's field.
_RELEASE_FACT_COLUMNS = fact_columns(
    ReleaseFact, "ReleaseFactColumns", leave_out={"key", "base_models", *SOURCED_FIELDS}
)


class Release(_RELEASE_FACT_COLUMNS, SourcedFact, table=True):  # type: ignore[misc, valid-type]
    __tablename__ = "release"
    __table_args__ = (
        Index("ux_release_source_key", "source_id", "release_key", unique=True),
        Index("ix_release_hf_repo_id", "hf_repo_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    origin: str  # curated | user | the id of the source that fetched it
    first_seen_at: datetime = _time()
    source_id: str | None = None
    release_key: str | None = None  # the release at its source: a repo id, or lab|model|date
    fetch_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")
    last_seen_at: datetime | None = _time(default=None)
    # Fields stored otherwise than the fact holds them.
    date: date  # a stored release always has its day
    lab: str
    model: str
    model_id: str | None = Field(default=None, foreign_key="model.id")
    date_kind: str | None = None  # announced | repo-created | api-listed; nullable here
    created_at: datetime | None = _time(default=None)
    last_modified_at: datetime | None = _time(default=None)
    params: int | None = _wide()  # beyond 32 bits
    arxiv_ids: str | None = None  # space-separated


class ReleaseBaseModel(SQLModel, table=True):
    """A repository a release was built from: its relation, and where the source states it."""

    __tablename__ = "release_base_model"
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    base_repo_id: str = Field(index=True)
    relation: str | None = None  # finetune | quantized | adapter | merge | distill (None: not stated)
    stated_in: str  # tag | card | name


class ReleaseStat(SQLModel, table=True):
    """Downloads and likes of a released repository, as observed over time."""

    __tablename__ = "release_stat"
    __table_args__ = (Index("ux_release_stat_repo_day", "hf_repo_id", "day", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    hf_repo_id: str = Field(index=True)
    observed_at: datetime = _time()
    downloads: int | None = _wide()
    likes: int | None = _wide()
    fetch_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")
    day: date | None = None  # the UTC day of observed_at: one row per repo per day


class Signal(SourcedFact, table=True):
    """An infrastructure or policy signal: cluster, power, capex, export rule..."""

    __tablename__ = "signal"
    __table_args__ = (Index("ux_signal_source_key", "source_id", "signal_key", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    origin: str
    date: date
    date_precision: str = "day"
    category: str
    entity: str
    item: str
    metric: str | None = None
    value: float | None = None
    value_high: float | None = None
    value_text: str | None = None  # a status rather than a number ("rescinded")
    unit: str | None = None
    first_seen_at: datetime = _time()
    source_id: str | None = None
    signal_key: str | None = None  # the row at its source, or date|entity|item|metric
    fetch_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")
    last_seen_at: datetime | None = _time(default=None)


class SignalHistory(SQLModel, table=True):
    """What a signal said before its source changed it: a fetch updates, it never overwrites.

    One row per earlier version, holding that version's values and evidence. The version
    was in force from the previous version's ``replaced_at`` (or the signal's
    ``first_seen_at``) until ``replaced_at``.
    """

    __tablename__ = "signal_history"
    id: int | None = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", index=True)
    date: date
    date_precision: str
    category: str
    entity: str
    item: str
    metric: str | None = None
    value: float | None = None
    value_high: float | None = None
    value_text: str | None = None
    unit: str | None = None
    source_url: str
    evidence: str
    verified_via: str | None = None
    confidence: str | None = None
    notes: str | None = None
    last_seen_at: datetime | None = _time(default=None)  # the last time a fetch confirmed it
    fetch_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")  # the run that wrote it
    replaced_at: datetime = _time()
    replaced_by_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")


class FeedItem(SQLModel, table=True):
    """An entry of an announcement feed that matched the spec's keywords, kept for review."""

    __tablename__ = "feed_item"
    __table_args__ = (UniqueConstraint("source_id", "entry_key"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: str
    entry_key: str  # the entry's guid or link
    title: str
    link: str | None = None
    published_at: datetime | None = _time(default=None)
    summary: str | None = None
    matched: str | None = None  # the keywords it matched, comma-separated
    first_seen_at: datetime = _time()
    last_seen_at: datetime = _time()
    fetch_run_id: int | None = Field(default=None, foreign_key="fetch_run.id")
    reviewed_at: datetime | None = _time(default=None)  # None: not reviewed yet
    signal_id: int | None = Field(default=None, foreign_key="signal.id")  # the signal it became


class BenchmarkScore(SourcedFact, table=True):
    __tablename__ = "benchmark_score"
    __table_args__ = (UniqueConstraint("model", "benchmark"),)
    id: int | None = Field(default=None, primary_key=True)
    model: str
    model_id: str | None = Field(default=None, foreign_key="model.id")
    lab: str | None = None
    release_date: date | None = None
    benchmark: str
    score: float
    setting: str | None = None
    measured_by: str | None = None  # who ran it: the model's own lab makes it a vendor claim


class TrendClaim(SourcedFact, table=True):
    """A published rate claim (price decline per year, growth...) to compare against."""

    __tablename__ = "trend_claim"
    __table_args__ = (UniqueConstraint("date", "source_org", "metric", "claim"),)
    id: int | None = Field(default=None, primary_key=True)
    date: date
    date_precision: str = "day"
    source_org: str
    author: str | None = None
    claim: str
    metric: str
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    period: str | None = None
    baseline: str | None = None
    method_note: str | None = None
