"""The price of a fixed capability over time (Epoch AI's or a16z's method), beside the published claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from frontier_watch.domain.errors import DataError
from frontier_watch.render.output import safe_text
from frontier_watch.render.rates import cheaper_a_year, interval_text, usd_text
from frontier_watch.reports.common import benchmark_names, claim_frame, fit_json, json_records

if TYPE_CHECKING:
    import polars as pl

    from frontier_watch.analytics.capability import CapabilityQuery
    from frontier_watch.analytics.fit import RateFit
    from frontier_watch.store.reading import Reader


def _standard_trends() -> tuple[CapabilityQuery, ...]:
    from frontier_watch.analytics.capability import CapabilityQuery

    return (
        CapabilityQuery("gpqa_diamond", 35.7),  # GPT-4's score: Epoch AI's 40x a year
        CapabilityQuery("mmlu", 83.0),
        CapabilityQuery("mmlu", 83.0, method="a16z"),  # a16z's LLMflation, 10x a year
    )


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
    # Epoch AI's method: the qualifying models left out, and why (analytics.capability.release_exclusions)
    excluded: pl.DataFrame | None = None

    @property
    def problem(self) -> str | None:
        """Why our rate is no headline (no fit, too few points, too uncertain...), or None."""
        from frontier_watch.analytics.headline import headline_problem

        return self.message if self.fit is None else headline_problem(self.fit)

    def evidence_classes(self) -> str:
        """The evidence classes of the prices behind the points, each with its count of points."""
        from frontier_watch.analytics.headline import classes_text

        if "evidence" not in self.points.columns:
            return classes_text([])
        classes = [
            name
            for joined in self.points.get_column("evidence").to_list()
            for name in (joined.split(", ") if joined else [None])
        ]
        return classes_text(classes)

    @property
    def method_note(self) -> str:
        q = self.query
        if q.method == "epoch":
            selection = (
                f"Epoch AI's method: each model scoring >= {q.threshold:g} on {q.benchmark} at its release, "
                "priced on the first day a price of it is known, kept when cheaper than every model released "
                "before it; fit through those models; "
                + (
                    f"a model counts only if priced within {q.max_price_lag_days} days of its release"
                    if q.max_price_lag_days is not None
                    else "a model counts however long after its release it was first priced"
                )
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
            "headline": None if self.problem or self.fit is None else _rate_words(self.fit),
            "headline_problem": self.problem,
            "evidence_classes": self.evidence_classes(),
            "max_price_lag_days": q.max_price_lag_days if q.method == "epoch" else None,
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
                    "price_lag_days": row["price_lag_days"],
                    "evidence": row.get("evidence"),
                    "source": row["source"],
                    "sellers": row.get("sellers"),
                }
                for row in json_records(self.points)
            ],
            "excluded": [] if self.excluded is None else json_records(self.excluded),
            "published": self.published_json(),
        }


def _rate_words(fit: RateFit) -> str:
    return f"{cheaper_a_year(fit.factor_per_year)} ({interval_text(fit.ci_low, fit.ci_high)})"


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
    excluded = (
        capability.release_exclusions(prices, scores, query, today) if query.method == "epoch" else None
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
    return CapabilityReport(query, points, fit, published, qualifying, message, excluded)


def _period_text(query: CapabilityQuery) -> str:
    if query.since and query.until:
        return f" between {query.since} and {query.until}"
    if query.since:
        return f" since {query.since}"
    if query.until:
        return f" until {query.until}"
    return ""


# ---------------------------------------------------------------- its text (CLI, dashboard, exports)


def fit_headline(
    benchmark: str, threshold: float, fit: RateFit | None, message: str | None, evidence: str | None = None
) -> str:
    """One line: ``gpqa_diamond >= 50: 40x cheaper a year (90% interval ...), start..end, N points``
    (and the evidence classes, when given). A fit that is no headline (analytics.headline) says
    why instead of a rate."""
    from frontier_watch.analytics.headline import headline_problem

    if fit is None:
        return f"{benchmark} >= {threshold:g}: {message or 'no fit'}"
    problem = headline_problem(fit)
    rate = problem or _rate_words(fit)
    classes = f"; evidence: {evidence}" if evidence else ""
    return f"{benchmark} >= {threshold:g}: {rate}, {fit.start}..{fit.end}, {fit.points} points{classes}"


def claim_figure(claim: dict[str, Any], *, applies: bool = True) -> str:
    """A published claim's figure (from ``published_json``): ``Epoch AI 40 x per year [this benchmark]``."""
    high = f"-{claim['value_high']:g}" if claim.get("value_high") else ""
    value = f"{claim['value']:g}{high}" if claim.get("value") is not None else "?"
    figure = f"{safe_text(claim['source'])} {value} {safe_text(claim['unit'])}"
    return f"{figure} [{safe_text(claim['applies'])}]" if applies else figure


def claim_line(claim: dict[str, Any]) -> str:
    """A published claim with where it was published: ``published: Epoch AI 40 x per year [...] URL``."""
    return f"published: {claim_figure(claim)} {safe_text(claim['source_url'])}"


def capability_text(report: CapabilityReport) -> str:
    """The report as ``trends capability`` prints it: our rate, the points, the claims, the method."""
    q = report.query
    data = report.as_json()
    lines = [f"Price of {q.benchmark} >= {q.threshold:g} ({q.method} method, blend {q.blend_text()})"]
    if report.message:
        lines.append(f"  {safe_text(report.message)}")
    else:
        fit = report.fit
        assert fit is not None
        if report.problem:
            lines.append(f"  ours: {safe_text(report.problem)}")
        else:
            lines.append(f"  ours: {_rate_words(fit)}")
        lines.append(
            f"  {fit.start} .. {fit.end}: {fit.total_factor:.3g}x in all, {fit.points} points fitted; "
            f"evidence: {safe_text(data['evidence_classes'])}"
        )
        for point in data["points"]:
            lines.append(
                f"    {point['date']}  {safe_text(point['model_id']):<32} "
                f"{usd_text(point['blended_usd_per_mtok']):>10}  score {point['score']:g}  "
                f"priced +{point['price_lag_days']}d  "
                f"{safe_text(point['price_basis'])} ({safe_text(point['source'])})"
            )
    excluded = excluded_text(data["excluded"])
    if excluded:
        lines.append(f"  {excluded}")
    for claim in data["published"]:
        lines.append(f"  {claim_line(claim)}")
        lines.append(f"    how ours differs: {safe_text(claim['how_ours_differs'])}")
    lines.append(f"  method: {safe_text(report.method_note)}")
    return "\n".join(lines)


def excluded_text(excluded: list[dict[str, Any]]) -> str:
    """One line on the models Epoch AI's method left out: ``left out: 2 priced too late (a +300d, ...)``."""
    late = [row for row in excluded if row["price_lag_days"] is not None]
    unpriced = [row for row in excluded if row["price_lag_days"] is None]
    parts = []
    if late:
        names = ", ".join(f"{safe_text(row['model_id'])} +{row['price_lag_days']}d" for row in late)
        parts.append(f"{len(late)} first priced after the window ({names})")
    if unpriced:
        names = ", ".join(safe_text(row["model_id"]) for row in unpriced[:8])
        more = f", {len(unpriced) - 8} more" if len(unpriced) > 8 else ""
        parts.append(f"{len(unpriced)} with no usable price ({names}{more})")
    return "left out: " + "; ".join(parts) if parts else ""
