"""The capability trend and the changes digest over 1,000,000 price intervals and 200 models.

Usage: python bench/trends_at_scale.py [REPEATS]
A synthetic history (built in memory, seeded): 200 benchmarked models, each sold by its lab
and four hosts, every seller's price changing about every day or two over three years, so
1,000,000 intervals. Times the analytics the commands run (both capability methods with
their fit, and the last week's model-level price changes and withdrawn prices over the rows
the digest's read returns) against a plain polars group-by over the same frame in the same
run (the cheapest input price per model and start day).
Goals (bench/README.md): each under 2 s, within 5x of the plain group-by.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, ms  # noqa: E402

from frontier_watch.analytics import capability, model_changes  # noqa: E402
from frontier_watch.analytics.capability import CapabilityQuery  # noqa: E402
from frontier_watch.analytics.fit import fit_rate  # noqa: E402
from frontier_watch.analytics.model_answer import Evidence  # noqa: E402
from frontier_watch.analytics.model_timeline import Placed, model_timeline  # noqa: E402

MODELS, SELLERS, INTERVALS_PER_SELLER = 200, 5, 1000
START = date(2023, 1, 1)
TODAY = date(2026, 1, 1)


def synthetic(seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(price pieces, benchmark scores) for the same history."""
    rng = random.Random(seed)
    rows: dict[str, list] = {key: [] for key in ("model_id", "provider", "start", "end", "input", "output")}
    released = []
    for model in range(MODELS):
        release = START + timedelta(days=rng.randrange(0, 700))
        released.append(release)
        base = 30.0 * 0.2 ** ((release - START).days / 365) * rng.uniform(0.3, 3)
        for seller in range(SELLERS):
            day = release
            price = base * rng.uniform(0.8, 1.5)
            for _ in range(INTERVALS_PER_SELLER):
                length = rng.choice((1, 1, 1, 2))
                rows["model_id"].append(f"m{model}")
                rows["provider"].append("Lab" if seller == 0 else f"Host{seller}")
                rows["start"].append(day)
                rows["end"].append(day + timedelta(days=length))
                rows["input"].append(price)
                rows["output"].append(price * 4)
                day += timedelta(days=length)
                price *= rng.uniform(0.995, 1.004)
    n = len(rows["model_id"])
    pieces = pl.DataFrame(
        {
            "model_id": rows["model_id"],
            "model_name": rows["model_id"],
            "lab": ["Lab"] * n,
            "provider": rows["provider"],
            "platform": pl.Series([None] * n, dtype=pl.String),
            "source": ["bench"] * n,
            "offering_id": [f"{p}/{m}" for p, m in zip(rows["provider"], rows["model_id"], strict=True)],
            "tier": ["default"] * n,
            "answers_from": rows["start"],
            "answers_to": rows["end"],
            "input_usd_per_mtok": rows["input"],
            "output_usd_per_mtok": rows["output"],
            "flag": pl.Series([None] * n, dtype=pl.String),
        }
    )
    scores = pl.DataFrame(
        {
            "model_id": [f"m{m}" for m in range(MODELS)],
            "benchmark": ["mmlu"] * MODELS,
            "score": [rng.uniform(60, 95) for _ in range(MODELS)],
            "counts_from": released,
            "reasoning": [False] * MODELS,
        }
    )
    return pieces, scores


def placed(frame: pl.DataFrame) -> list[Placed]:
    """Price pieces as the model timeline's rows (what reports/model_timeline.placed_of makes)."""
    return [
        Placed(
            row["model_id"],
            row["model_name"],
            Evidence(
                source=row["source"],
                provider=row["provider"],
                tier=row["tier"],
                offering_id=row["offering_id"],
                input=Decimal(str(row["input_usd_per_mtok"])),
                output=Decimal(str(row["output_usd_per_mtok"])),
                basis="reconstructed",
                effective_from=datetime.combine(row["answers_from"], datetime.min.time()),
                lab=row["lab"],
            ),
            row["answers_from"],
            row["answers_to"],
        )
        for row in frame.iter_rows(named=True)
    ]


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(repeats: int = 5) -> list[Goal]:
    started = time.perf_counter()
    pieces, scores = synthetic()
    print(
        f"{pieces.height:,} intervals, {scores.height} models "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )

    def plain() -> None:
        pieces.group_by("model_id", "answers_from").agg(pl.col("input_usd_per_mtok").min())

    def trend(method: str):
        def run() -> None:
            query = CapabilityQuery("mmlu", 80.0, method=method)
            points = capability.capability_points(pieces, scores, query, TODAY)
            fit_rate(points, value="blended_usd_per_mtok", decline=True)

        return run

    week = TODAY - timedelta(days=7)
    # The store holds history up to today: the rows the digest's read returns are those in
    # force from the day before the week (reports/changes.py reaches them through indexes).
    stored = pieces.filter(pl.col("answers_from") < TODAY)

    def digest() -> None:
        day_before = week - timedelta(days=1)
        read = stored.filter(pl.col("answers_to").is_null() | (pl.col("answers_to") > day_before))
        rows = model_changes.in_force_from(placed(read), day_before)
        segments = model_timeline(rows)
        model_changes.reference_changes(segments, week, None, TODAY)
        model_changes.withdrawn_prices(segments, week, None, TODAY)

    baseline = best_of(repeats, plain)
    goals = []
    for name, work in (
        ("capability trend, epoch method", trend("epoch")),
        ("capability trend, a16z method", trend("a16z")),
        ("changes digest (a week)", digest),
    ):
        work()  # warm up
        seconds = best_of(repeats, work)
        ratio = seconds / baseline
        print(f"{name}: {ms(seconds)} (plain group-by {ms(baseline)}, {ratio:.1f}x)")
        goals.append(
            Goal(
                f"{name} at 1M intervals",
                ms(seconds),
                ms(baseline),
                ratio,
                "< 2 s, within 5x",
                seconds < 2 and ratio <= 5,
            )
        )
    return goals


if __name__ == "__main__":
    from goals import print_goals

    print_goals(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
