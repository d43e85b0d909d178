"""The answers: the store's rows through analytics/, as results the CLI and the dashboard show."""

# Each report reads what it needs (store.queries), turns it into frames (store.frames), calls
# the pure functions of analytics/, and returns a result object with the frames for tables
# and charts and ``as_json()`` for ``--json``. Nothing here prints or imports Textual.

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from frontier_watch.domain.errors import DataError

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.analytics.capability import CapabilityQuery
    from frontier_watch.analytics.fit import RateFit
    from frontier_watch.render.charts import Chart
    from frontier_watch.store.reading import Reader


def _rounded(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if abs(value) >= 1 else round(value, 6)


def fit_json(fit: RateFit | None) -> dict[str, Any]:
    if fit is None:
        return {key: None for key in ("factor_per_year", "ci_low", "ci_high", "start", "end", "total_factor")}
    return {
        "factor_per_year": _rounded(fit.factor_per_year),
        "ci_low": _rounded(fit.ci_low),
        "ci_high": _rounded(fit.ci_high),
        "start": fit.start.isoformat(),
        "end": fit.end.isoformat(),
        "total_factor": _rounded(fit.total_factor),
        "points_fitted": fit.points,
        "doubling_years" if fit.direction == "growth" else "halving_years": None
        if fit.doubling_years is None
        else round(fit.doubling_years, 3),
    }


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    rows = frame.to_dicts()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, date):
                row[key] = value.isoformat()
            elif isinstance(value, float):
                row[key] = _rounded(value, 6)
    return rows


def _standard_trends() -> tuple[CapabilityQuery, ...]:
    from frontier_watch.analytics.capability import CapabilityQuery

    return (
        CapabilityQuery("gpqa_diamond", 35.7),  # GPT-4's score: Epoch AI's 40x a year
        CapabilityQuery("mmlu", 83.0),
        CapabilityQuery("mmlu", 83.0, method="a16z"),  # a16z's LLMflation, 10x a year
    )


def benchmark_names(reader: Reader) -> list[str]:
    from frontier_watch.store import fact_reads

    return fact_reads.benchmark_names(reader)


# ---------------------------------------------------------------- price of a fixed capability

# The capability trends the dashboard opens on and `export trends` writes: those with a
# published figure in data/trend_claims.csv to set beside ours.
STANDARD_TRENDS = _standard_trends()


@dataclass
class CapabilityReport:
    query: CapabilityQuery
    points: pl.DataFrame  # the points fitted (analytics.capability.capability_points), with sources
    fit: RateFit | None
    published: pl.DataFrame
    qualifying: pl.DataFrame  # the models at or above the threshold, with score and counts_from
    message: str | None = None  # why there is no fit (nothing qualifies, one point...)

    @property
    def method_note(self) -> str:
        q = self.query
        if q.method == "epoch":
            selection = (
                f"Epoch AI's method: each model scoring >= {q.threshold:g} on {q.benchmark} at its release, "
                "priced on the first day a price of it is known, kept when cheaper than every model released "
                "before it; fit through those models"
            )
        else:
            selection = (
                f"a16z's method: the cheapest model scoring >= {q.threshold:g} on {q.benchmark} "
                "among the prices in force on each day (from each model's release); "
                "fit through the days that price changed"
            )
        parts = [
            selection,
            f"price blended {q.blend_text()}",
            "a seller's cheapest offering of the model; the lab's own price where it sells it, "
            "else the median across sellers",
            "default tier only",
            "flagged prices " + ("included" if q.include_flagged else "left out"),
            "free tiers " + ("included" if q.include_free else "left out"),
            "reasoning models " + ("left out" if q.exclude_reasoning else "included"),
            "log-linear least-squares fit of ln(price) on time; 90% interval from Student's t",
        ]
        return "; ".join(parts)

    def published_json(self) -> list[dict[str, Any]]:
        ours = self.fit.factor_per_year if self.fit else None
        result = []
        for claim in self.published.to_dicts():
            value = claim.get("value")
            entry = {
                "source": claim["source_org"],
                "claim": claim["claim"],
                "value": value,
                "value_high": claim.get("value_high"),
                "unit": claim["unit"],
                "period": claim.get("period"),
                "method_note": claim.get("method_note"),
                "applies": claim["applies"],
                "source_url": claim["source_url"],
                "evidence": claim.get("evidence"),
            }
            entry["how_ours_differs"] = _difference(self, claim, ours)
            result.append(entry)
        return result

    def as_json(self) -> dict[str, Any]:
        q = self.query
        reasoning = self.qualifying.filter(self.qualifying.get_column("reasoning")).get_column("model_id")
        return {
            **fit_json(self.fit),
            "method": q.method,
            "method_note": self.method_note,
            "benchmark": q.benchmark,
            "threshold": q.threshold,
            "blend": q.blend_text(),
            "since": q.since.isoformat() if q.since else None,
            "until": q.until.isoformat() if q.until else None,
            "message": self.message,
            "qualifying_models": self.qualifying.height,
            "reasoning_models_included": sorted(reasoning.to_list()),
            "points": [
                {
                    "date": row["date"],
                    "model_id": row["model_id"],
                    "blended_usd_per_mtok": row["blended_usd_per_mtok"],
                    "input_usd_per_mtok": row["input_usd_per_mtok"],
                    "output_usd_per_mtok": row["output_usd_per_mtok"],
                    "score": row["score"],
                    "price_basis": row["price_basis"],
                    "price_date": row["price_date"],
                    "source": row["source"],
                    "sellers": row.get("sellers"),
                }
                for row in _records(self.points)
            ],
            "published": self.published_json(),
        }


def _difference(report: CapabilityReport, claim: dict[str, Any], ours: float | None) -> str:
    if ours is None:
        return "no figure of ours to compare"
    value, high = claim.get("value"), claim.get("value_high")
    parts = []
    if value:
        ratio = ours / value
        if high and value <= ours <= high:
            parts.append(f"ours ({ours:.3g}x) is inside the published range {value:g}-{high:g}x")
        else:
            parts.append(f"ours is {ratio:.2f}x theirs ({ours:.3g}x vs {value:g}x a year)")
    fit = report.fit
    assert fit is not None
    parts.append(
        f"our period {fit.start.isoformat()}..{fit.end.isoformat()} vs theirs {claim.get('period') or '?'}"
    )
    parts.append(
        f"our blend {report.query.blend_text()}; "
        f"theirs: {claim.get('method_note') or claim.get('baseline') or '?'}"
    )
    if claim["applies"] != "this benchmark":
        parts.append("theirs spans several benchmarks and thresholds")
    return "; ".join(parts)


def capability_report(reader: Reader, query: CapabilityQuery, today: date) -> CapabilityReport:
    """The price of a fixed capability over time (analytics.capability), fitted and beside the claims."""
    import polars as pl

    from frontier_watch.analytics import capability, claims
    from frontier_watch.analytics.fit import CannotFit, fit_rate
    from frontier_watch.domain.model_kinds import is_reasoning_model
    from frontier_watch.store import fact_reads, frames, price_reads

    known = benchmark_names(reader)
    if query.benchmark not in known:
        raise DataError(f"no scores for benchmark {query.benchmark!r}; known benchmarks: {', '.join(known)}")
    scores = frames.score_frame(
        fact_reads.benchmark_scores(reader, benchmark=query.benchmark), is_reasoning_model
    )
    qualifying = capability.qualifying_models(scores, query)
    published = claims.capability_claims(claim_frame(reader), query.benchmark)
    message = None
    if qualifying.is_empty():
        best = cast("float | None", scores.get_column("score").max())
        message = (
            f"no model scores {query.threshold:g} or more on {query.benchmark}"
            f" (the highest stored score is {best:g})"
            if best is not None
            else f"no scores stored for {query.benchmark}"
        )
        prices = frames.piece_frame([])
    else:
        prices = frames.piece_frame(
            price_reads.price_pieces(reader, qualifying.get_column("model_id").to_list())
        )
    points = capability.points_with_sources(
        capability.capability_points(prices, scores, query, today), prices, query
    )
    fit = None
    if message is None:
        try:
            fit = fit_rate(points, value="blended_usd_per_mtok", decline=True)
        except CannotFit as exc:
            period = _period_text(query)
            message = (
                f"no qualifying model has a usable price{period}"
                if points.is_empty()
                else f"{exc} (the cheapest price never changed{period}); "
                "widen --since/--until or lower --threshold"
            )
    if fit is None and points.is_empty():
        points = points.with_columns(pl.lit(None, dtype=pl.String).alias("sellers"))
    return CapabilityReport(query, points, fit, published, qualifying, message)


def _period_text(query: CapabilityQuery) -> str:
    if query.since and query.until:
        return f" between {query.since} and {query.until}"
    if query.since:
        return f" since {query.since}"
    if query.until:
        return f" until {query.until}"
    return ""


def claim_frame(reader: Reader) -> pl.DataFrame:
    from frontier_watch.store import fact_reads, frames

    return frames.claim_frame(fact_reads.trend_claims(reader))


# ---------------------------------------------------------------- one model, two models


@dataclass
class ModelPrice:
    """A model's price on a day: first-party where in force, else the median across hosts."""

    asked: str
    model_id: str
    input: float
    output: float
    blended: float
    basis: str  # "first-party" | "median of N hosts"
    sources: str


def _model_frame(reader: Reader, text: str) -> tuple[pl.DataFrame, str]:
    from frontier_watch.store import frames, price_reads

    rows = price_reads.price_history(reader, text, include_superseded=False)
    if not rows:
        raise DataError(
            f"no prices for {text!r} (try `frontier-watch prices --model {text}` or `history {text}`)"
        )
    frame = frames.piece_frame(rows)
    models = sorted({row["model_id"] for row in rows if row["model_id"]})
    return frame, models[0] if len(models) == 1 else ""


def model_price_on(reader: Reader, text: str, day: date, *, blend: tuple[float, float]) -> ModelPrice:
    import polars as pl

    from frontier_watch.analytics import capability

    frame, _ = _model_frame(reader, text)
    query = capability.CapabilityQuery.pricing(blend)
    usable = capability.usable_prices(frame, query)
    daily = capability.model_prices_on_days(usable, pl.DataFrame({"day": [day]}, schema={"day": pl.Date}))
    if daily.is_empty():
        raise DataError(f"no price for {text!r} in force on {day.isoformat()}")
    if daily.height > 1:
        found = ", ".join(daily.get_column("model_id").to_list())
        raise DataError(f"{text!r} means several models on {day.isoformat()} ({found}); name one")
    row = daily.row(0, named=True)
    points = capability.points_with_sources(
        daily.rename({"day": "date"}).select("date", "model_id"), frame, query
    )
    return ModelPrice(
        asked=text,
        model_id=row["model_id"],
        input=row["input_usd_per_mtok"],
        output=row["output_usd_per_mtok"],
        blended=row["blended_usd_per_mtok"],
        basis=row["price_basis"],
        sources=points.get_column("source").item() or "",
    )


@dataclass
class Comparison:
    first: ModelPrice
    second: ModelPrice
    as_of: date
    blend: tuple[float, float]

    def ratios(self) -> dict[str, float | None]:
        def ratio(a: float, b: float) -> float | None:
            return a / b if b else None

        return {
            "input": ratio(self.second.input, self.first.input),
            "output": ratio(self.second.output, self.first.output),
            "blended": ratio(self.second.blended, self.first.blended),
        }

    def as_json(self) -> dict[str, Any]:
        def side(price: ModelPrice) -> dict[str, Any]:
            return {
                "asked": price.asked,
                "model_id": price.model_id,
                "input_usd_per_mtok": _rounded(price.input, 6),
                "output_usd_per_mtok": _rounded(price.output, 6),
                "blended_usd_per_mtok": _rounded(price.blended, 6),
                "price_basis": price.basis,
                "source": price.sources,
            }

        return {
            "as_of": self.as_of.isoformat(),
            "blend": f"{self.blend[0]:g}:{self.blend[1]:g} input:output",
            "a": side(self.first),
            "b": side(self.second),
            "ratio_b_over_a": {key: _rounded(value) for key, value in self.ratios().items()},
            "cheaper": self.first.model_id
            if self.first.blended < self.second.blended
            else self.second.model_id,
        }


def compare_report(
    reader: Reader, first: str, second: str, as_of: date, blend: tuple[float, float]
) -> Comparison:
    """Two models' prices on one day and how many times dearer B is than A."""
    return Comparison(
        model_price_on(reader, first, as_of, blend=blend),
        model_price_on(reader, second, as_of, blend=blend),
        as_of,
        blend,
    )


@dataclass
class ModelTrend:
    asked: str
    model_id: str
    changes: pl.DataFrame  # the days its price changed, with basis and sources
    fit: RateFit | None
    blend: tuple[float, float]
    message: str | None

    def as_json(self) -> dict[str, Any]:
        rows = _records(self.changes)
        first, latest = (rows[0], rows[-1]) if rows else (None, None)
        total = None
        if first and latest and latest["blended_usd_per_mtok"]:
            total = _rounded(first["blended_usd_per_mtok"] / latest["blended_usd_per_mtok"])
        fit = fit_json(self.fit)
        return {
            "model_id": self.model_id,
            "blend": f"{self.blend[0]:g}:{self.blend[1]:g} input:output",
            "first": first,
            "latest": latest,
            "total_factor": total,
            "factor_per_year": fit["factor_per_year"],
            "ci_low": fit["ci_low"],
            "ci_high": fit["ci_high"],
            "message": self.message,
            "changes": rows,
        }


def model_trend_report(reader: Reader, text: str, today: date, blend: tuple[float, float]) -> ModelTrend:
    """One model's price over its life: each change (first-party else host median) and the rate."""

    from frontier_watch.analytics import capability
    from frontier_watch.analytics.fit import CannotFit, fit_rate

    frame, model_id = _model_frame(reader, text)
    if not model_id:
        found = ", ".join(sorted(set(frame.get_column("model_id").drop_nulls().to_list())))
        raise DataError(f"{text!r} names several models ({found}); name one")
    query = capability.CapabilityQuery.pricing(blend)
    usable = capability.usable_prices(frame, query)
    grid = capability.change_days(usable, [], None, today)
    daily = capability.model_prices_on_days(usable, grid).rename({"day": "date"})
    changes = capability.change_points(daily, ("blended_usd_per_mtok",))
    changes = capability.points_with_sources(
        changes.select(
            "date",
            "model_id",
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "blended_usd_per_mtok",
            "price_basis",
        ),
        frame,
        query,
    )
    fit, message = None, None
    try:
        fit = fit_rate(changes, value="blended_usd_per_mtok", decline=True)
    except CannotFit:
        message = "its price never changed" if changes.height == 1 else "no usable price"
    return ModelTrend(text, model_id, changes, fit, blend, message)


# ---------------------------------------------------------------- what changed


@dataclass
class ChangesDigest:
    since: datetime
    until: datetime
    price_changes: pl.DataFrame
    new_offerings: pl.DataFrame
    withdrawn: pl.DataFrame
    releases: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.price_changes.height
            or self.new_offerings.height
            or self.withdrawn.height
            or self.releases
            or self.signals
        )

    def as_json(self) -> dict[str, Any]:
        keep = (
            "model_id",
            "model_name",
            "source",
            "provider",
            "offering_id",
            "tier",
            "effective_from",
            "old_input_usd_per_mtok",
            "input_usd_per_mtok",
            "input_change_pct",
            "old_output_usd_per_mtok",
            "output_usd_per_mtok",
            "output_change_pct",
            "flag",
            "source_url",
        )
        offering_keys = (
            "model_id",
            "model_name",
            "source",
            "provider",
            "offering_id",
            "tier",
            "effective_from",
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "source_url",
        )
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "price_changes": _records(self.price_changes.select(keep)),
            "new_offerings": _records(self.new_offerings.select(offering_keys)),
            "withdrawn": _records(self.withdrawn.select(*offering_keys[:5], "withdrawn_at")),
            "releases": [_release_entry(row) for row in self.releases],
            "signals": [_signal_entry(row) for row in self.signals],
        }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _release_entry(row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "date",
        "lab",
        "model",
        "model_id",
        "open_weights",
        "license",
        "license_class",
        "source_id",
        "source_url",
    )
    return {key: _iso(row.get(key)) for key in keys}


def _signal_entry(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("date", "category", "entity", "item", "value", "unit", "evidence", "source_url")
    return {key: _iso(row.get(key)) for key in keys}


def changes_report(reader: Reader, since: datetime, until: datetime) -> ChangesDigest:
    """Price changes, new and withdrawn offerings, releases and signals in [since, until)."""
    from frontier_watch.analytics import changes
    from frontier_watch.store import frames, price_reads, release_reads, signal_reads

    intervals = frames.interval_frame(price_reads.intervals_changed_since(reader, since))
    releases = [
        row
        for row in release_reads.releases(reader, since=since.date())
        if row.get("date") and row["date"] < until.date()
    ]
    signals = [
        row
        for row in signal_reads.signals(reader, since=since.date())
        if row.get("date") and row["date"] < until.date()
    ]
    return ChangesDigest(
        since,
        until,
        changes.price_changes(intervals, since, until),
        changes.new_offerings(intervals, since, until),
        changes.withdrawn_offerings(intervals, since, until),
        releases,
        signals,
    )


def parse_since(text: str, now: datetime) -> datetime:
    """``7d``, ``2w``, ``3m`` (30-day months) or a date, as the start of the window."""
    from frontier_watch.domain.clock import parse_day

    text = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    if text[:-1].isdigit() and text[-1:] in units:
        return now - timedelta(days=int(text[:-1]) * units[text[-1]])
    try:
        day = parse_day(text)
    except ValueError:
        raise DataError(
            f"--since {text!r}: give a number of days, weeks or months (7d, 2w, 3m) or a date"
        ) from None
    return datetime(day.year, day.month, day.day)


# ---------------------------------------------------------------- releases and compute


@dataclass
class ReleaseTrends:
    per_lab_quarter: pl.DataFrame
    open_share: pl.DataFrame
    licence_mix: pl.DataFrame
    releases: int

    def as_json(self) -> dict[str, Any]:
        return {
            "releases": self.releases,
            "per_lab_quarter": _records(self.per_lab_quarter),
            "open_weight_share": _records(self.open_share),
            "licence_mix": _records(self.licence_mix),
        }


def release_trends_report(reader: Reader, since: date | None = None) -> ReleaseTrends:
    import polars as pl

    from frontier_watch.analytics import releases as cadence
    from frontier_watch.store import release_reads

    rows = release_reads.releases(reader, since=since)
    columns = ("date", "lab", "model_id", "model", "open_weights", "license_class", "source_id")
    schema: dict[str, Any] = {key: pl.String for key in columns}
    schema["date"] = pl.Date
    frame = pl.DataFrame({key: [row.get(key) for row in rows] for key in columns}, schema=schema)
    frame = frame.rename({"source_id": "source"})
    return ReleaseTrends(
        cadence.releases_per_lab_quarter(frame),
        cadence.open_weight_share(frame),
        cadence.licence_mix(frame),
        cadence.distinct_releases(frame).height,
    )


@dataclass
class GrowthSeries:
    """The largest known value of one measure at each date, and its growth rate."""

    name: str  # "GPUs", "H100 equivalents", "MW"
    records: pl.DataFrame  # date, item, value, entity, source, evidence, source_url
    fit: RateFit | None
    message: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.name,
            **fit_json(self.fit),
            "message": self.message,
            "records": _records(self.records),
        }


@dataclass
class ComputeTrends:
    series: list[GrowthSeries]
    capex: pl.DataFrame
    published: pl.DataFrame

    def as_json(self) -> dict[str, Any]:
        return {
            "largest": [item.as_json() for item in self.series],
            "capex_per_company_year": _records(self.capex),
            "published": _records(self.published),
        }


def _growth(name: str, rows: list[dict[str, Any]]) -> GrowthSeries:
    from frontier_watch.analytics.compute import record_points
    from frontier_watch.analytics.fit import CannotFit, fit_rate
    from frontier_watch.store import frames

    # A value that is not a finite number (written by hand, or scaled past a float) is no record.
    rows = [row for row in rows if _finite(row.get("value"))]
    records = record_points(frames.signal_frame(rows)) if rows else frames.signal_frame([])
    fit, message = None, None
    if not rows:
        message = f"no {name} figures stored (fetch the Epoch sources or add signals)"
    else:
        try:
            fit = fit_rate(records, decline=False)
        except CannotFit as exc:
            message = str(exc)
    return GrowthSeries(name, records, fit, message)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def compute_trends_report(reader: Reader) -> ComputeTrends:
    """Largest known cluster (GPUs, H100 equivalents) and site power (MW) over time; capex per company."""
    from frontier_watch.analytics import claims
    from frontier_watch.analytics.compute import latest_per_year
    from frontier_watch.store import frames, signal_reads

    signal_rows = signal_reads.signals(reader)
    gpus = [
        row
        for row in signal_rows
        if row["category"] == "cluster"
        and (row.get("metric") or "").startswith("GPUs")
        and row.get("value")
        and "plan" not in (row.get("metric") or "")
        and "per rack" not in (row.get("metric") or "")
    ]
    power = []
    for row in signal_rows:
        unit = (row.get("unit") or "").split(" ")[0]
        if (
            row["category"] == "power"
            and (row.get("metric") or "").startswith("power capacity")
            and row.get("value")
        ):
            if (
                "target" in row["metric"]
                or "goal" in row["metric"]
                or "eventual" in row["metric"]
                or "added" in row["metric"]
            ):
                continue
            scale = {"GW": 1000.0, "MW": 1.0}.get(unit)
            if scale:
                power.append({**row, "value": row["value"] * scale, "unit": "MW"})
    power += signal_reads.site_power(reader)
    capex_rows = [
        row
        for row in signal_rows
        if row["category"] == "capex" and _finite(row.get("value")) and row.get("unit") == "billion USD"
    ]
    capex = latest_per_year(frames.signal_frame(capex_rows)) if capex_rows else frames.signal_frame([])
    return ComputeTrends(
        [
            _growth("GPUs in one cluster", gpus),
            _growth("H100 equivalents in one cluster", signal_reads.cluster_sizes(reader)),
            _growth("MW at one site", power),
        ],
        capex,
        claims.claims_matching(claim_frame(reader), r"compute growth|budget growth|cost decline per year"),
    )


# ---------------------------------------------------------------- charts


def capability_chart(report: CapabilityReport) -> Chart:
    """The fitted points on a log scale with the fitted line beside them."""
    from frontier_watch.render.charts import Chart, Series

    q = report.query
    points = report.points
    fitted = f"; line: {report.fit.factor_per_year:.3g}x cheaper/yr" if report.fit else ""
    chart = Chart(
        f"Cheapest {q.benchmark} >= {q.threshold:g} ({q.method}), USD/M{fitted}",
        log_scale=True,
        legend=False,
    )
    dates = points.get_column("date").to_list()
    chart.series.append(
        Series("price", dates, points.get_column("blended_usd_per_mtok").to_list(), step=q.method == "a16z")
    )
    if report.fit is not None:
        fit = report.fit
        label = f"fit: {fit.factor_per_year:.3g}x cheaper a year"
        chart.series.append(
            Series(label, [fit.start, fit.end], [fit.value_at(fit.start), fit.value_at(fit.end)])
        )
    return chart


def model_trend_chart(report: ModelTrend) -> Chart:
    from frontier_watch.render.charts import Chart, Series

    changes = report.changes
    return Chart(
        f"{report.model_id}: blended price, USD per M tokens",
        [
            Series(
                "price",
                changes.get_column("date").to_list(),
                changes.get_column("blended_usd_per_mtok").to_list(),
                step=True,
            )
        ],
        log_scale=True,
    )


def compute_chart(report: ComputeTrends) -> Chart:
    from frontier_watch.render.charts import Chart, Series

    chart = Chart("Largest known (log scale)", log_scale=True)
    for item in report.series:
        if not item.records.is_empty():
            chart.series.append(
                Series(
                    item.name,
                    item.records.get_column("date").to_list(),
                    item.records.get_column("value").to_list(),
                    step=True,
                )
            )
    return chart


def release_chart(report: ReleaseTrends) -> Chart:
    from frontier_watch.render.charts import Chart, Series

    share = report.open_share
    return Chart(
        "Releases per quarter",
        [
            Series("releases", share.get_column("quarter").to_list(), share.get_column("releases").to_list()),
            Series(
                "open weights",
                share.get_column("quarter").to_list(),
                share.get_column("open_weights").to_list(),
            ),
        ],
    )
