"""analytics.fit and analytics.capability on small known answers: rates, blends, thresholds,
first-party against the median of hosts, release days, flags, both methods."""

import math
from datetime import date, timedelta

import polars as pl
import pytest

from frontier_watch.analytics import capability
from frontier_watch.analytics.capability import CapabilityQuery
from frontier_watch.analytics.fit import NotEnoughPoints, fit_rate, t_quantile_95

TODAY = date(2026, 1, 1)

PRICE_SCHEMA = {
    "model_id": pl.String,
    "model_name": pl.String,
    "lab": pl.String,
    "provider": pl.String,
    "platform": pl.String,
    "source": pl.String,
    "offering_id": pl.String,
    "tier": pl.String,
    "answers_from": pl.Date,
    "answers_to": pl.Date,
    "input_usd_per_mtok": pl.Float64,
    "output_usd_per_mtok": pl.Float64,
    "flag": pl.String,
    "basis": pl.String,
    "source_url": pl.String,
    "evidence": pl.String,
}


def price(
    model,
    provider,
    start,
    inp,
    out,
    *,
    lab="Lab",
    end=None,
    source="s1",
    offering=None,
    tier="default",
    flag=None,
    platform=None,
):
    return {
        "model_id": model,
        "model_name": model,
        "lab": lab,
        "provider": provider,
        "platform": platform,
        "source": source,
        "offering_id": offering or f"{provider}/{model}",
        "tier": tier,
        "answers_from": start,
        "answers_to": end,
        "input_usd_per_mtok": inp,
        "output_usd_per_mtok": out,
        "flag": flag,
        "basis": "api",
        "source_url": "https://example.com",
        "evidence": "official-api",
    }


def prices(*rows):
    return pl.DataFrame(list(rows), schema=PRICE_SCHEMA)


def scores(*rows, benchmark="mmlu"):
    return pl.DataFrame(
        [
            {
                "model_id": model,
                "model": model,
                "benchmark": benchmark,
                "score": score,
                "counts_from": released,
                "evidence": "independent-estimate",
                "source_url": "https://example.com",
                "reasoning": reasoning,
            }
            for model, score, released, reasoning in rows
        ],
        schema={
            "model_id": pl.String,
            "model": pl.String,
            "benchmark": pl.String,
            "score": pl.Float64,
            "counts_from": pl.Date,
            "evidence": pl.String,
            "source_url": pl.String,
            "reasoning": pl.Boolean,
        },
    )


# ---------------------------------------------------------------- the fit


def test_a_series_falling_exactly_ten_times_a_year_gives_ten():
    start = date(2022, 1, 1)
    days = [start + timedelta(days=round(365.25 * k / 4)) for k in range(9)]
    values = [100.0 * 10 ** (-(day - start).days / 365.25) for day in days]
    series = pl.DataFrame({"date": days, "value": values})
    fit = fit_rate(series, decline=True)
    assert fit.factor_per_year == pytest.approx(10.0, rel=1e-3)
    assert fit.ci_low == pytest.approx(10.0, rel=1e-6) and fit.ci_high == pytest.approx(10.0, rel=1e-6)
    assert fit.total_factor == pytest.approx(100.0, rel=1e-2)  # two years
    assert fit.doubling_years == pytest.approx(math.log(2) / math.log(10), rel=1e-3)
    assert (fit.start, fit.end, fit.points) == (days[0], days[-1], 9)


def test_noise_widens_the_interval_around_the_rate():
    start = date(2022, 1, 1)
    wobble = [1.3, 0.8, 1.1, 0.7, 1.4, 0.9, 1.2, 0.75]
    days = [start + timedelta(days=90 * k) for k in range(8)]
    values = [50.0 * 10 ** (-90 * k / 365.25) * w for k, w in enumerate(wobble)]
    fit = fit_rate(pl.DataFrame({"date": days, "value": values}), decline=True)
    assert fit.ci_low < fit.factor_per_year < fit.ci_high
    assert 5 < fit.factor_per_year < 20
    assert fit.ci_high / fit.ci_low > 1.5


def test_growth_reads_the_slope_upwards():
    days = [date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1)]
    fit = fit_rate(pl.DataFrame({"date": days, "value": [1.0, 2.5, 6.25]}), decline=False)
    assert fit.factor_per_year == pytest.approx(2.5, rel=1e-2)
    assert fit.direction == "growth"


@pytest.mark.parametrize(
    "values",
    [[], [5.0], [5.0, 0.0]],  # nothing, one point, a second point that cannot be logged
)
def test_fewer_than_two_usable_points_is_a_clear_error(values):
    series = pl.DataFrame(
        {"date": [date(2024, 1, 1) + timedelta(days=i) for i in range(len(values))], "value": values},
        schema={"date": pl.Date, "value": pl.Float64},
    )
    with pytest.raises(NotEnoughPoints, match="at least two dates"):
        fit_rate(series, decline=True)


def test_two_points_give_a_rate_but_no_interval():
    fit = fit_rate(
        pl.DataFrame({"date": [date(2024, 1, 1), date(2025, 1, 1)], "value": [10.0, 1.0]}), decline=True
    )
    assert fit.factor_per_year == pytest.approx(10.0, rel=1e-2)
    assert fit.ci_low is None and fit.ci_high is None


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 6.3138), (3, 2.3534), (10, 1.8125), (30, 1.6973), (120, 1.6577)]
)
def test_student_t_quantiles(df, expected):
    assert t_quantile_95(df) == pytest.approx(expected, abs=2e-3)


# ---------------------------------------------------------------- prices of one model on a day


def daily(frame, query, day):
    usable = capability.usable_prices(frame, query)
    return capability.model_prices_on_days(usable, pl.DataFrame({"day": [day]}, schema={"day": pl.Date}))


def test_blends_follow_the_method():
    frame = prices(price("m", "Lab", date(2024, 1, 1), 1.0, 5.0))
    epoch = daily(frame, CapabilityQuery("mmlu", 0), date(2024, 6, 1)).row(0, named=True)
    a16z = daily(frame, CapabilityQuery("mmlu", 0, method="a16z"), date(2024, 6, 1)).row(0, named=True)
    custom = daily(frame, CapabilityQuery("mmlu", 0, input_weight=1, output_weight=3), date(2024, 6, 1)).row(
        0, named=True
    )
    assert epoch["blended_usd_per_mtok"] == pytest.approx(2.0)  # (3*1 + 5) / 4
    assert a16z["blended_usd_per_mtok"] == pytest.approx(3.0)  # (1 + 5) / 2
    assert custom["blended_usd_per_mtok"] == pytest.approx(4.0)  # (1 + 3*5) / 4


def test_the_first_party_price_wins_over_hosts():
    frame = prices(
        price("m", "Lab", date(2024, 1, 1), 4.0, 4.0),
        price("m", "HostA", date(2024, 1, 1), 1.0, 1.0),
        price("m", "HostB", date(2024, 1, 1), 2.0, 2.0),
    )
    row = daily(frame, CapabilityQuery("mmlu", 0), date(2024, 6, 1)).row(0, named=True)
    assert (row["blended_usd_per_mtok"], row["price_basis"]) == (4.0, "first-party")


def test_without_a_first_party_price_the_median_across_hosts():
    frame = prices(
        price("m", "HostA", date(2024, 1, 1), 1.0, 1.0),
        price("m", "HostB", date(2024, 1, 1), 2.0, 2.0),
        price("m", "HostC", date(2024, 1, 1), 9.0, 9.0),
        # The lab sells it only through a platform (Bedrock): not first-party.
        price("m", "Lab", date(2024, 1, 1), 0.1, 0.1, platform="Bedrock"),
    )
    row = daily(frame, CapabilityQuery("mmlu", 0), date(2024, 6, 1)).row(0, named=True)
    assert row["price_basis"] == "median of 4 hosts"
    assert row["blended_usd_per_mtok"] == pytest.approx(1.5)


def test_sources_of_one_offering_count_once_and_a_seller_counts_at_its_cheapest_offering():
    frame = prices(
        price("m", "Lab", date(2024, 1, 1), 2.0, 2.0, source="s1", offering="m"),
        price("m", "Lab", date(2024, 1, 1), 4.0, 4.0, source="s2", offering="m"),  # median of the two: 3
        price("m", "Lab", date(2024, 1, 1), 8.0, 8.0, source="s1", offering="m-32k"),  # a dearer variant
    )
    row = daily(frame, CapabilityQuery("mmlu", 0), date(2024, 6, 1)).row(0, named=True)
    assert row["blended_usd_per_mtok"] == pytest.approx(3.0)


def test_only_prices_in_force_count_and_the_end_day_is_excluded():
    frame = prices(
        price("m", "Lab", date(2024, 1, 1), 4.0, 4.0, end=date(2024, 6, 1)),
        price("m", "Lab", date(2024, 6, 1), 1.0, 1.0),
    )
    query = CapabilityQuery("mmlu", 0)
    assert daily(frame, query, date(2024, 5, 31)).item(0, "blended_usd_per_mtok") == 4.0
    assert daily(frame, query, date(2024, 6, 1)).item(0, "blended_usd_per_mtok") == 1.0
    assert daily(frame, query, date(2023, 12, 31)).is_empty()


def test_flagged_prices_free_tiers_and_other_tiers_are_left_out_unless_asked():
    frame = prices(
        price("m", "Lab", date(2024, 1, 1), 0.001, 0.001, flag="unit-error"),
        price("m", "HostA", date(2024, 1, 1), 0.0, 0.0, tier="free"),
        price("m", "HostB", date(2024, 1, 1), 0.5, 0.5, tier="batch"),
        price("m", "HostC", date(2024, 1, 1), 2.0, 2.0),
    )
    plain = daily(frame, CapabilityQuery("mmlu", 0), date(2024, 6, 1)).row(0, named=True)
    assert (plain["blended_usd_per_mtok"], plain["price_basis"]) == (2.0, "median of 1 hosts")
    flagged = daily(frame, CapabilityQuery("mmlu", 0, include_flagged=True), date(2024, 6, 1))
    assert flagged.item(0, "price_basis") == "first-party"
    free = daily(frame, CapabilityQuery("mmlu", 0, include_free=True), date(2024, 6, 1))
    assert free.item(0, "price_basis") == "median of 2 hosts"
    assert free.item(0, "blended_usd_per_mtok") == pytest.approx(1.0)


# ---------------------------------------------------------------- the cheapest at a threshold


def test_the_threshold_is_inclusive_and_scores_count_from_the_release():
    frame = prices(
        price("old", "Lab", date(2023, 1, 1), 10.0, 10.0),
        price("new", "Lab", date(2023, 1, 1), 1.0, 1.0),  # priced before its release: the score cannot say so
        price("weak", "Lab", date(2023, 1, 1), 0.01, 0.01),
    )
    board = scores(
        ("old", 80.0, date(2023, 1, 1), False),
        ("new", 85.0, date(2024, 1, 1), False),
        ("weak", 79.9, date(2023, 1, 1), False),
    )
    series = capability.cheapest_series(frame, board, CapabilityQuery("mmlu", 80.0, method="a16z"), TODAY)
    assert series.select("date", "model_id").rows() == [
        (date(2023, 1, 1), "old"),
        (date(2024, 1, 1), "new"),
    ]


def test_reasoning_models_can_be_left_out():
    frame = prices(
        price("r1", "Lab", date(2024, 1, 1), 1.0, 1.0), price("chat", "Lab", date(2024, 1, 1), 3.0, 3.0)
    )
    board = scores(("r1", 90.0, date(2024, 1, 1), True), ("chat", 90.0, date(2024, 1, 1), False))
    with_r = capability.capability_points(frame, board, CapabilityQuery("mmlu", 80), TODAY)
    without = capability.capability_points(
        frame, board, CapabilityQuery("mmlu", 80, exclude_reasoning=True), TODAY
    )
    assert with_r.get_column("model_id").to_list() == ["r1"]
    assert without.get_column("model_id").to_list() == ["chat"]


def test_epoch_keeps_the_models_cheaper_than_every_earlier_release():
    frame = prices(
        price("a", "Lab", date(2023, 1, 1), 10.0, 10.0),
        price("b", "Lab", date(2023, 6, 1), 20.0, 20.0),  # dearer than a: not on the frontier
        price("c", "Lab", date(2024, 1, 1), 1.0, 1.0),
        price("a", "Lab", date(2024, 6, 1), 0.5, 0.5, offering="a-cut"),  # a later cut: not a release
        price("d", "Host", date(2025, 3, 1), 0.1, 0.1),  # first priced two months after its release
    )
    board = scores(
        ("a", 90.0, date(2023, 1, 1), False),
        ("b", 90.0, date(2023, 6, 1), False),
        ("c", 90.0, date(2024, 1, 1), False),
        ("d", 90.0, date(2025, 1, 1), False),
    )
    points = capability.capability_points(frame, board, CapabilityQuery("mmlu", 80), TODAY)
    assert points.select("date", "model_id", "blended_usd_per_mtok", "price_date").rows() == [
        (date(2023, 1, 1), "a", 10.0, date(2023, 1, 1)),
        (date(2024, 1, 1), "c", 1.0, date(2024, 1, 1)),
        (date(2025, 1, 1), "d", pytest.approx(0.1), date(2025, 3, 1)),
    ]
    a16z = capability.capability_points(frame, board, CapabilityQuery("mmlu", 80, method="a16z"), TODAY)
    assert ("a", 0.5) in [
        (r["model_id"], r["blended_usd_per_mtok"]) for r in a16z.to_dicts()
    ]  # the cut counts


def test_since_and_until_bound_the_days():
    frame = prices(
        price("a", "Lab", date(2023, 1, 1), 8.0, 8.0), price("b", "Lab", date(2025, 1, 1), 1.0, 1.0)
    )
    board = scores(("a", 90.0, date(2023, 1, 1), False), ("b", 90.0, date(2025, 1, 1), False))
    query = CapabilityQuery("mmlu", 80, method="a16z", since=date(2024, 1, 1), until=date(2024, 12, 31))
    series = capability.cheapest_series(frame, board, query, TODAY)
    assert series.select("date", "model_id").rows() == [(date(2024, 1, 1), "a")]


def test_nothing_qualifying_is_an_empty_selection_not_a_crash():
    frame = prices(price("a", "Lab", date(2023, 1, 1), 8.0, 8.0))
    board = scores(("a", 50.0, date(2023, 1, 1), False))
    for method in ("epoch", "a16z"):
        points = capability.capability_points(frame, board, CapabilityQuery("mmlu", 80, method=method), TODAY)
        assert points.is_empty()
    with pytest.raises(ValueError, match="unknown method"):
        capability.capability_points(frame, board, CapabilityQuery("mmlu", 80, method="guess"), TODAY)


def test_epoch_leaves_out_a_model_first_priced_after_the_lag_window_and_says_why():
    frame = prices(
        price("a", "Lab", date(2023, 1, 1), 10.0, 10.0),
        price("late", "Host", date(2024, 6, 1), 0.5, 0.5),  # released 2023-06-01: 366 days on
        price("c", "Lab", date(2024, 3, 1), 1.0, 1.0),  # released 2024-01-01: 60 days on
    )
    board = scores(
        ("a", 90.0, date(2023, 1, 1), False),
        ("late", 90.0, date(2023, 6, 1), False),
        ("c", 90.0, date(2024, 1, 1), False),
        ("unpriced", 90.0, date(2023, 9, 1), False),
    )
    query = CapabilityQuery("mmlu", 80, max_price_lag_days=90)
    points = capability.capability_points(frame, board, query, TODAY)
    assert points.select("model_id", "price_lag_days").rows() == [("a", 0), ("c", 60)]
    excluded = capability.release_exclusions(frame, board, query, TODAY)
    assert excluded.select("model_id", "price_lag_days").rows() == [("late", 366), ("unpriced", None)]
    assert excluded.get_column("reason").to_list() == [
        "first priced 366 days after release (window 90 days)",
        "no usable price known",
    ]
    # A narrower window drops c too; no window keeps the late model, which then sets the frontier.
    narrow = capability.capability_points(
        frame, board, CapabilityQuery("mmlu", 80, max_price_lag_days=30), TODAY
    )
    assert narrow.get_column("model_id").to_list() == ["a"]
    anyhow = capability.capability_points(
        frame, board, CapabilityQuery("mmlu", 80, max_price_lag_days=None), TODAY
    )
    assert anyhow.select("model_id", "price_lag_days").rows() == [("a", 0), ("late", 366)]
