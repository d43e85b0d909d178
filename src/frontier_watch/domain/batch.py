"""What a source yields: a typed batch of prices, releases, statistics, signals and feed items.

A source kind turns each response into a :class:`Batch`; the fetch use case merges the
pages of one fetch and hands each part to its writer in the store. These are plain data
with no database state, so a kind's parser is a pure function of the response.
All prices are exact Decimals in USD per million tokens (``request`` in USD per request).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from frontier_watch.domain.organisations import canonical_organisation, seller
from frontier_watch.domain.vocabulary import PRICE_FIELDS, Tier


@dataclass(slots=True)
class PriceSegment:
    """One set of prices for one tier, valid from ``effective_from`` to ``effective_to``.

    Not frozen: a sheet makes thousands, and a frozen dataclass costs four times as much to
    build. Treat one as a value all the same (``dataclasses.replace`` for a changed copy).

    ``effective_from`` None means "no date given": for a live sheet, "as observed now";
    for a declared schedule, "since the beginning". ``effective_to`` None means open-ended.
    """

    tier: str = Tier.DEFAULT
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    request: Decimal | None = None
    effective_from: datetime | None = None
    effective_to: datetime | None = None
    note: str | None = None
    # Per-segment provenance, for curated rows that cite a source each; None: the offering's.
    source_url: str | None = None
    evidence: str | None = None
    confidence: str | None = None
    date_precision: str | None = None

    def prices(self) -> tuple[Decimal | None, ...]:
        return tuple(getattr(self, name) for name in PRICE_FIELDS)


def is_zero_price(segment: PriceSegment) -> bool:
    """$0 input and output (or $0 on the one side a source gives): a free tier or a placeholder."""
    return (
        (segment.input == 0 or segment.input is None)
        and (segment.output == 0 or segment.output is None)
        and (segment.input is not None or segment.output is not None)
    )


@dataclass
class PricedOffering:
    """A priced thing at one source: a model as one provider sells it, with its price segments."""

    offering_id: str  # the source's own id (OpenRouter slug, LiteLLM key, ...)
    name: str
    # Who sells it, in its one spelling ("OpenAI", "Google", "OpenRouter"): a source's own
    # spelling ("openai", "vertex_ai-language-models") is made canonical on creation.
    provider: str
    segments: list[PriceSegment] = field(default_factory=list)
    lab: str | None = None  # who made the model, when the source says (canonical spelling)
    deprecation_date: date | None = None
    hf_repo: str | None = None
    listed_at: datetime | None = None  # when the source first listed it (OpenRouter's ``created``)
    source_url: str | None = None  # overrides the source's URL for this offering
    evidence: str | None = None  # overrides the source's evidence class
    confidence: str | None = None
    notes: str | None = None
    platform: str | None = None  # what it is sold through: "Vertex AI", "Bedrock" (from the provider)
    kind: str | None = None  # the kind of model the source states (model_kind.ModelKind); None: not stated

    def __post_init__(self) -> None:
        provider, platform = seller(self.provider)
        self.provider = provider
        self.platform = self.platform or platform
        self.lab = canonical_organisation(self.lab)

    def identity(self) -> tuple[str, str]:
        return (self.provider, self.offering_id)


@dataclass
class SourcedFields:
    """The evidence every fact carries: where it comes from and how strong it is.

    ``source_url`` None means the source's own URL; ``evidence`` None its evidence class.
    """

    source_url: str | None = None
    evidence: str | None = None
    verified_via: str | None = None  # the copy actually read, when not the source itself
    confidence: str | None = None  # high | medium | low
    notes: str | None = None


@dataclass(frozen=True)
class Lineage:
    """A repository a release was built from, and how: its relation as the source states it.

    ``relation`` is finetune, quantized, adapter, merge or distill (None: not stated);
    ``stated_in`` says where: a ``base_model:`` tag, the model card, or the repo's name
    ("X-Distill-Y" names X as the model distilled from).
    """

    repo_id: str
    relation: str | None = None
    stated_in: str = "tag"  # tag | card | name


@dataclass
class ReleaseFact(SourcedFields):
    """A model release: when, by whom, how large and how open. ``key`` identifies it at its source."""

    key: str = ""  # a Hugging Face repo id, or "lab|model|date" for curated rows
    date: date | None = None
    date_precision: str = "day"
    date_kind: str = "announced"  # vocabulary.DateKind: what ``date`` is
    lab: str = ""
    model: str = ""
    model_id: str | None = None
    architecture: str | None = None
    total_params_b: float | None = None
    active_params_b: float | None = None
    context_tokens: int | None = None
    license: str | None = None
    open_weights: str | None = None  # yes | no | restricted | unknown
    weights_released: str | None = None
    code_released: str | None = None
    data_released: str | None = None
    paper_or_report: str | None = None
    hf_repo_id: str | None = None
    training_tokens_t: float | None = None
    training_compute_claim: str | None = None
    # What a repository says of itself (Hugging Face); None for curated rows.
    org: str | None = None
    created_at: datetime | None = None  # the repository's creation time
    last_modified_at: datetime | None = None
    pipeline_tag: str | None = None
    library_name: str | None = None
    license_class: str | None = None  # permissive | restricted | proprietary | unknown
    params: int | None = None  # the exact parameter count (safetensors total)
    gated: str | None = None  # no | auto | manual | yes
    arxiv_ids: tuple[str, ...] = ()
    base_models: tuple[Lineage, ...] = ()

    def __post_init__(self) -> None:
        self.lab = canonical_organisation(self.lab) or self.lab

    training_compute_flop: float | None = None  # a number, where the source gives one

    def identity(self) -> str:
        """The release at its source: its key, or lab|model|date when the source gives none."""
        return self.key or f"{self.lab}|{self.model}|{self.date}"


@dataclass
class RepoStat:
    """Downloads and likes of a released repository, as seen on one fetch."""

    repo_id: str
    downloads: int | None = None
    likes: int | None = None

    def identity(self) -> str:
        return self.repo_id


@dataclass
class SignalFact(SourcedFields):
    """An infrastructure or policy signal: a cluster, a power deal, capex, an export rule."""

    key: str = ""  # the source's own row identity, or "date|entity|item|metric" for curated rows
    date: date | None = None
    date_precision: str = "day"
    category: str = ""
    entity: str = ""
    item: str = ""
    metric: str | None = None
    value: float | None = None
    value_high: float | None = None
    value_text: str | None = None  # a status rather than a number ("rescinded")
    unit: str | None = None

    def identity(self) -> str:
        """The signal at its source: its key, or date|entity|item|metric when the source gives none."""
        return self.key or f"{self.date}|{self.entity}|{self.item}|{self.metric or ''}"


@dataclass
class FeedEntry:
    """An item of an announcement feed, kept for a person to review."""

    key: str  # the entry's guid or link
    title: str
    link: str | None = None
    published_at: datetime | None = None
    summary: str | None = None
    matched: tuple[str, ...] = ()  # the spec's keywords the entry matched

    def identity(self) -> str:
        return self.key


@dataclass
class BenchmarkFact(SourcedFields):
    """A model's score on a benchmark."""

    model: str = ""
    model_id: str | None = None
    lab: str | None = None
    release_date: date | None = None
    benchmark: str = ""
    score: float | None = None
    setting: str | None = None
    measured_by: str | None = None  # who ran it; the model's own lab makes the score a vendor claim

    def __post_init__(self) -> None:
        self.lab = canonical_organisation(self.lab)
        self.measured_by = canonical_organisation(self.measured_by)


@dataclass
class ModelDateFact(SourcedFields):
    """A bound of a model's life: the day it was released, or retired from sale."""

    model_id: str = ""
    event: str = ""  # vocabulary.LifeEvent: released | retired
    date: date | None = None
    date_precision: str = "day"
    origin: str = ""  # where the date comes from: "models.dev", "facts/prices.csv", ...


@dataclass
class TrendClaimFact(SourcedFields):
    """A published rate (price decline per year, growth...) to set our figures beside."""

    date: date | None = None
    date_precision: str = "day"
    source_org: str = ""
    author: str | None = None
    claim: str = ""
    metric: str = ""
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    period: str | None = None
    baseline: str | None = None
    method_note: str | None = None


# The parts a batch can hold, each written by its own writer in the store.
PARTS = ("offerings", "releases", "release_stats", "signals", "feed_items")


@dataclass
class Batch:
    """What one response (a page) or one whole fetch of a source yielded.

    ``skipped`` lists items the source listed but that could not be used, with the reason;
    ``next_url`` is the next page to fetch, when the kind pages. ``incomplete`` says the
    pages stopped before the end of the list (a next page that could not be followed): what
    the batch lacks may still be listed, so nothing is taken as withdrawn.
    """

    offerings: list[PricedOffering] = field(default_factory=list)
    releases: list[ReleaseFact] = field(default_factory=list)
    release_stats: list[RepoStat] = field(default_factory=list)
    signals: list[SignalFact] = field(default_factory=list)
    feed_items: list[FeedEntry] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    notes: list[str] = field(default_factory=list)
    next_url: str | None = None
    incomplete: bool = False

    def count(self) -> int:
        """How many items of every part the batch holds."""
        return sum(len(getattr(self, part)) for part in PARTS)

    def extend(self, page: Batch) -> None:
        """Add a page's items (not its ``next_url``) to this batch."""
        for item in fields(self):
            if item.name not in ("next_url", "incomplete"):
                getattr(self, item.name).extend(getattr(page, item.name))
        self.incomplete = self.incomplete or page.incomplete
