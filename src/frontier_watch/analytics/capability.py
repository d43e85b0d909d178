"""The price of a fixed capability: the cheapest model at or above a benchmark score, over time.

Following the published methods (Epoch AI 2025, "LLM inference prices have fallen rapidly
but unequally across tasks"; a16z 2024, "LLMflation"):

* On each date, a model qualifies once it scores at or above the threshold, counting from
  its release (a score says nothing about the days before the model existed).
* A model's price on a date is its first-party price (the lab selling its own model) where
  one is in force, else the median across the hosts selling it. Only the default tier:
  batch, flex and priority prices answer other questions. Flagged prices (suspect
  anomalies) and free tiers are left out unless asked for.
* Prices are blended: 3 input : 1 output (Epoch), or the plain input/output average (a16z).
* The cheapest qualifying price on each date is a step series; its change points are the
  points a log-linear fit runs through (``fit.fit_rate``).

Frames in (built by ``store.frames``):

* prices: one row per attributed price piece with ``model_id``, ``lab``, ``provider``,
  ``platform``, ``source``, ``tier``, ``answers_from`` (Date), ``answers_to`` (Date, exclusive;
  null while open), ``input_usd_per_mtok``, ``output_usd_per_mtok`` and ``flag``.
* scores: ``model_id``, ``benchmark``, ``score``, ``counts_from`` (Date) and ``reasoning`` (Bool).

Pure polars, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from frontier_watch.analytics.headline import DEFAULT_MAX_PRICE_LAG_DAYS
from frontier_watch.domain.attribution import PIECE_PRICE_COLUMNS

METHODS = ("epoch", "a16z")
PRICES = ("input_usd_per_mtok", "output_usd_per_mtok", "blended_usd_per_mtok")
USED = PIECE_PRICE_COLUMNS  # of a price-piece frame (store/frames.piece_frame)
STREAM = ("model_id", "source", "provider", "platform", "offering_id", "tier")
FAR_FUTURE = date(9999, 12, 31)
DEFAULT_TIER = "default"


@dataclass(frozen=True)
class CapabilityQuery:
    """What to price: a benchmark threshold, a period, and which prices count."""

    benchmark: str
    threshold: float
    method: str = "epoch"
    input_weight: float = 3.0  # the blend; a16z's method is 1:1 whatever is given here
    output_weight: float = 1.0
    exclude_reasoning: bool = False
    include_flagged: bool = False
    include_free: bool = False
    since: date | None = None
    until: date | None = None
    # Epoch AI's method: a model counts only if a price of it is known within this many days
    # of its release (None: any lag).
    max_price_lag_days: int | None = DEFAULT_MAX_PRICE_LAG_DAYS

    @classmethod
    def pricing(cls, blend: tuple[float, float]) -> CapabilityQuery:
        """A query that only prices (one model, a comparison): no benchmark, this blend."""
        return cls(benchmark="", threshold=0, input_weight=blend[0], output_weight=blend[1])

    def weights(self) -> tuple[float, float]:
        return (1.0, 1.0) if self.method == "a16z" else (self.input_weight, self.output_weight)

    def blend_text(self) -> str:
        left, right = self.weights()
        return f"{left:g}:{right:g} input:output"


def _blended(input_weight: float, output_weight: float) -> pl.Expr:
    total = input_weight + output_weight
    return (
        pl.col("input_usd_per_mtok") * input_weight + pl.col("output_usd_per_mtok") * output_weight
    ) / total


def usable_prices(
    prices: pl.DataFrame, query: CapabilityQuery, models: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The price pieces that may answer: default tier (or free, if asked), unflagged (unless
    asked), both prices known and a start date; with the blend and whether it is first-party.
    With ``models`` (qualifying_models), only theirs, each with its ``counts_from``."""
    input_weight, output_weight = query.weights()
    tiers = [DEFAULT_TIER, "free"] if query.include_free else [DEFAULT_TIER]
    keep = (
        pl.col("tier").is_in(tiers)
        & pl.col("answers_from").is_not_null()
        & pl.col("input_usd_per_mtok").is_not_null()
        & pl.col("output_usd_per_mtok").is_not_null()
        & pl.col("model_id").is_not_null()
    )
    if not query.include_flagged:
        keep &= pl.col("flag").is_null()
    # The evidence class travels along (points_with_sources says what each point rests on).
    columns = [*USED, *(["evidence"] if "evidence" in prices.columns else [])]
    frame = prices.lazy().select(columns).filter(keep)
    if models is not None:
        frame = frame.join(models.lazy().select("model_id", "counts_from"), on="model_id")
    frame = frame.with_columns(
        _blended(input_weight, output_weight).alias("blended_usd_per_mtok"),
        ((pl.col("provider") == pl.col("lab")) & pl.col("platform").is_null()).alias("first_party"),
        pl.col("answers_to").fill_null(FAR_FUTURE).alias("until_day"),
    )
    if not query.include_free:
        frame = frame.filter(pl.col("blended_usd_per_mtok") > 0)
    return frame.collect()


def qualifying_models(scores: pl.DataFrame, query: CapabilityQuery) -> pl.DataFrame:
    """Models at or above the threshold: ``model_id``, best ``score``, ``counts_from``."""
    keep = (pl.col("benchmark") == query.benchmark) & (pl.col("score") >= query.threshold)
    keep &= pl.col("model_id").is_not_null() & pl.col("counts_from").is_not_null()
    if query.exclude_reasoning:
        keep &= ~pl.col("reasoning").fill_null(False)
    return (
        scores.filter(keep)
        .group_by("model_id")
        .agg(pl.col("score").max(), pl.col("counts_from").min(), pl.col("reasoning").any())
        .sort("model_id")
    )


def model_prices_on_days(prices: pl.DataFrame, days: pl.DataFrame) -> pl.DataFrame:
    """Each model's price on each of ``days`` (a frame with a ``day`` column).

    One row per day and model: ``input_usd_per_mtok``, ``output_usd_per_mtok`` and
    ``blended_usd_per_mtok``, ``price_basis`` ("first-party" or "median of N hosts") and
    ``hosts``. Sources that list the same offering count once (their median); a seller with
    several offerings of the model (a long-context variant, an fp8 build) counts at its
    cheapest; then the lab's own price where it sells the model, else the median across
    sellers. ``prices`` must come from :func:`usable_prices`.
    """
    # One stream per offering, tier, source and model: its pieces do not overlap, so the piece
    # in force on a day is the stream's latest to start by then (an as-of join), if not ended.
    keyed = prices.select(pl.struct(STREAM).hash().alias("stream"), *AGGREGATED, "answers_from", "until_day")
    # Each stream only on the days between its first start and its last end.
    spans = (
        keyed.lazy()
        .group_by("stream")
        .agg(
            pl.col("answers_from").min().alias("first"),
            pl.col("until_day").max().alias("last"),
            pl.col("model_id").first(),
            pl.col("first_party").first(),
        )
    )
    grid = (
        days.lazy()
        .select("day")
        .unique()
        .join(spans, how="cross")
        .filter((pl.col("day") >= pl.col("first")) & (pl.col("day") < pl.col("last")))
        .select("day", "stream", "model_id", "first_party")
        .collect()
    )

    def in_force(cells: pl.DataFrame) -> pl.DataFrame:
        # Only the streams asked about are sorted for the as-of join.
        pieces = keyed.lazy().join(cells.lazy().select("stream").unique(), on="stream", how="semi")
        return (
            cells.lazy()
            .select("day", "stream")
            .sort("day")
            .join_asof(
                pieces.sort("answers_from"),
                left_on="day",
                right_on="answers_from",
                by="stream",
                strategy="backward",
                check_sortedness=False,
            )
            .filter(pl.col("day") < pl.col("until_day"))
            .collect()
        )

    # The lab's own price decides where it is in force: hosts are read only for the days
    # and models without one.
    own = in_force(grid.filter(pl.col("first_party")))
    covered = own.select("day", "model_id").unique()
    hosts = in_force(grid.filter(~pl.col("first_party")).join(covered, on=["day", "model_id"], how="anti"))
    return _model_prices(pl.concat([own, hosts]), decided=True)


# The columns a day's price is made of.
AGGREGATED = ("model_id", "provider", "platform", "offering_id", "first_party", *PRICES)


def _model_prices(in_force: pl.DataFrame | pl.LazyFrame, *, decided: bool = False) -> pl.DataFrame:
    """The rows in force on each day (a ``day`` column) made one price per day and model.

    ``decided``: the rows hold a model's first-party rows or its hosts' on a day, never both.
    """
    rows = in_force.lazy()
    if not decided:
        # A first-party row, where there is one, decides: the other rows of that model and day go.
        rows = rows.filter(pl.col("first_party") | ~pl.col("first_party").any().over("day", "model_id"))
    seller = ["day", "model_id", "provider", "platform"]
    offerings = rows.group_by(*seller, "offering_id").agg(
        pl.col(PRICES).median(), pl.col("first_party").first()
    )
    sellers = offerings.group_by(*seller).agg(
        pl.col(PRICES).sort_by("blended_usd_per_mtok").first(), pl.col("first_party").first()
    )
    return (
        sellers.group_by("day", "model_id")
        .agg(pl.col(PRICES).median(), pl.col("first_party").first(), pl.len().alias("hosts"))
        .with_columns(
            pl.when(pl.col("first_party"))
            .then(pl.lit("first-party"))
            .otherwise(pl.format("median of {} hosts", pl.col("hosts")))
            .alias("price_basis")
        )
        .sort("day", "model_id")
        .collect()
    )


def change_days(
    prices: pl.DataFrame, extra: list[pl.Series], since: date | None, until: date
) -> pl.DataFrame:
    """Every day on which an answer can change: starts and ends of prices, score days, ``since``."""
    parts = [prices.get_column("answers_from"), prices.get_column("answers_to").drop_nulls(), *extra]
    if since is not None:
        parts.append(pl.Series([since], dtype=pl.Date))
    days = pl.concat([part.cast(pl.Date) for part in parts]).unique().sort().alias("day").to_frame()
    low = since or date.min
    return days.filter((pl.col("day") >= low) & (pl.col("day") <= until))


POINT_COLUMNS = (
    "date",
    "model_id",
    "score",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "blended_usd_per_mtok",
    "price_basis",
    "price_date",
    "price_lag_days",  # days from ``date`` to ``price_date``
    "reasoning",
)


def _daily_model_prices(
    prices: pl.DataFrame, scores: pl.DataFrame, query: CapabilityQuery, today: date
) -> pl.DataFrame:
    """Each qualifying model's price on each day an answer can change, from its release on."""
    models = qualifying_models(scores, query)
    usable = usable_prices(prices, query, models)
    until = query.until or today
    days = change_days(usable, [models.get_column("counts_from")], query.since, until)
    daily = model_prices_on_days(usable, days)
    return daily.join(models, on="model_id").filter(pl.col("day") >= pl.col("counts_from"))


def cheapest_series(
    prices: pl.DataFrame, scores: pl.DataFrame, query: CapabilityQuery, today: date
) -> pl.DataFrame:
    """The cheapest qualifying model in force on each day an answer can change, oldest first
    (a16z's method: historical prices). Columns: :data:`POINT_COLUMNS`; ``price_date`` is the day."""
    daily = _daily_model_prices(prices, scores, query, today)
    return (
        daily.sort("day", "blended_usd_per_mtok", "model_id")
        .group_by("day", maintain_order=True)
        .first()
        .with_columns(
            pl.col("day").alias("date"),
            pl.col("day").alias("price_date"),
            pl.lit(0, dtype=pl.Int64).alias("price_lag_days"),
        )
        .select(POINT_COLUMNS)
    )


def first_prices(
    prices: pl.DataFrame, scores: pl.DataFrame, query: CapabilityQuery, today: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each qualifying model released in the period, and (second frame) its price on the first
    day a price of it is known (``day``), with ``price_lag_days`` from its release to that day."""
    low, high = query.since or date.min, query.until or today
    models = qualifying_models(scores, query).filter(pl.col("counts_from").is_between(low, high))
    usable = usable_prices(prices, query, models)
    usable = usable.filter(pl.col("until_day") > pl.col("counts_from"))
    # Each model's first priced day: its release, or the first day a price of it is known.
    first_days = usable.group_by("model_id").agg(
        pl.max_horizontal(pl.col("counts_from").first(), pl.col("answers_from").min()).alias("day")
    )
    in_force = usable.join(first_days.filter(pl.col("day") <= high), on="model_id").filter(
        (pl.col("answers_from") <= pl.col("day")) & (pl.col("day") < pl.col("until_day"))
    )
    first = (
        _model_prices(in_force)
        .join(models, on="model_id")
        .with_columns((pl.col("day") - pl.col("counts_from")).dt.total_days().alias("price_lag_days"))
        .sort("counts_from", "blended_usd_per_mtok", "model_id")
    )
    return models, first


def _within_lag(query: CapabilityQuery) -> pl.Expr:
    if query.max_price_lag_days is None:
        return pl.lit(True)
    return pl.col("price_lag_days") <= query.max_price_lag_days


def release_frontier(
    prices: pl.DataFrame, scores: pl.DataFrame, query: CapabilityQuery, today: date
) -> pl.DataFrame:
    """Epoch AI's method: each qualifying model released in the period, priced on the first day
    a price of it is known (``price_date``) if that is within ``query.max_price_lag_days`` of its
    release, kept when cheaper than every such model released before it."""
    _, first = first_prices(prices, scores, query, today)
    first = first.filter(_within_lag(query))
    cheaper = pl.col("blended_usd_per_mtok") < pl.col("blended_usd_per_mtok").cum_min().shift(1)
    return (
        first.filter(cheaper.fill_null(True))
        .with_columns(pl.col("counts_from").alias("date"), pl.col("day").alias("price_date"))
        .select(POINT_COLUMNS)
    )


EXCLUDED_COLUMNS = ("model_id", "released", "price_lag_days", "reason")


def release_exclusions(
    prices: pl.DataFrame, scores: pl.DataFrame, query: CapabilityQuery, today: date
) -> pl.DataFrame:
    """The qualifying models released in the period that Epoch AI's method leaves out, and why:
    no usable price known (by the period's end), or first priced later than the window allows.
    Columns: :data:`EXCLUDED_COLUMNS`, oldest release first."""
    models, first = first_prices(prices, scores, query, today)
    late = first.filter(~_within_lag(query)).select(
        "model_id",
        pl.col("counts_from").alias("released"),
        "price_lag_days",
        pl.format(
            "first priced {} days after release (window {} days)",
            pl.col("price_lag_days"),
            pl.lit(query.max_price_lag_days),
        ).alias("reason"),
    )
    unpriced = models.join(first.select("model_id"), on="model_id", how="anti").select(
        "model_id",
        pl.col("counts_from").alias("released"),
        pl.lit(None, dtype=pl.Int64).alias("price_lag_days"),
        pl.lit("no usable price known").alias("reason"),
    )
    return pl.concat([late, unpriced]).sort("released", "model_id").select(EXCLUDED_COLUMNS)


def capability_points(
    prices: pl.DataFrame, scores: pl.DataFrame, query: CapabilityQuery, today: date
) -> pl.DataFrame:
    """The points the rate is fitted through, by the query's method.

    epoch: the release frontier (:func:`release_frontier`). a16z: the days the cheapest price
    in force changed (:func:`cheapest_series`, then :func:`change_points`).
    """
    if query.method not in METHODS:
        raise ValueError(f"unknown method {query.method!r}: one of {', '.join(METHODS)}")
    if query.method == "epoch":
        return release_frontier(prices, scores, query, today)
    return change_points(cheapest_series(prices, scores, query, today))


def change_points(
    series: pl.DataFrame, keys: tuple[str, ...] = ("model_id", "blended_usd_per_mtok")
) -> pl.DataFrame:
    """The rows of a dated step series where its answer changes (the first row always)."""
    if series.is_empty():
        return series
    changed = pl.any_horizontal([pl.col(key).ne_missing(pl.col(key).shift(1)) for key in keys])
    return series.filter(changed.fill_null(True))


def points_with_sources(points: pl.DataFrame, prices: pl.DataFrame, query: CapabilityQuery) -> pl.DataFrame:
    """Each point with ``source``, ``sellers`` and ``evidence`` (classes): the sources whose prices
    made it (first-party rows, else the hosts')."""
    if points.is_empty():
        return points.with_columns(
            pl.lit(None, dtype=pl.String).alias(name) for name in ("source", "sellers", "evidence")
        )
    usable = usable_prices(prices, query).join(points.select("model_id").unique(), on="model_id")
    day = "price_date" if "price_date" in points.columns else "date"
    days = points.select(pl.col(day).alias("day"), "model_id").unique()
    rows = usable.join_where(
        days.rename({"model_id": "point_model"}),
        pl.col("answers_from") <= pl.col("day"),
        pl.col("day") < pl.col("until_day"),
        pl.col("model_id") == pl.col("point_model"),
    )
    rows = rows.filter(pl.col("first_party") | ~pl.col("first_party").any().over("day", "model_id"))
    sources = rows.group_by("day", "model_id").agg(
        pl.col("source").unique().sort().str.join(", ").alias("source"),
        pl.col("provider").unique().sort().str.join(", ").alias("sellers"),
        *(
            [pl.col("evidence").drop_nulls().unique().sort().str.join(", ").alias("evidence")]
            if "evidence" in rows.columns
            else []
        ),
    )
    return points.join(sources, left_on=[day, "model_id"], right_on=["day", "model_id"], how="left")
