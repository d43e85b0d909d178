"""analytics.headline: when a fitted rate may be said, and which evidence a growth headline rests on."""

from datetime import date, timedelta

import polars as pl

from frontier_watch.analytics import headline
from frontier_watch.analytics.fit import fit_rate


def growth(days_and_values):
    frame = pl.DataFrame(
        {
            "date": [date(2020, 1, 1) + timedelta(days=day) for day, _ in days_and_values],
            "value": [value for _, value in days_and_values],
        },
        schema={"date": pl.Date, "value": pl.Float64},
    )
    return fit_rate(frame, decline=False)


def test_a_clean_doubling_over_three_years_on_six_points_is_a_headline():
    fit = growth([(day, 2 ** (day / 365)) for day in range(0, 1100, 200)])
    assert fit.points == 6 and headline.headline_problem(fit) is None


def test_fewer_points_than_the_minimum_is_no_headline():
    points = [(day, 2 ** (day / 365)) for day in range(0, 1100, 300)]  # 4 points over 2.5 years
    assert len(points) == headline.MIN_POINTS - 1
    assert headline.headline_problem(growth(points)) == "too few points (4; a headline needs 5)"


def test_a_span_under_two_years_is_no_headline():
    fit = growth([(day, 2 ** (day / 365)) for day in range(0, 700, 100)])  # 7 points, 600 days
    assert headline.headline_problem(fit) == "too short a span (600 days; a headline needs 730)"


def test_an_interval_wider_than_a_factor_of_100_is_too_uncertain():
    noisy = [(0, 1.0), (200, 50.0), (400, 0.5), (600, 80.0), (800, 0.3), (1000, 30.0)]
    fit = growth(noisy)
    assert fit.ci_high / fit.ci_low > headline.MAX_INTERVAL_RATIO
    assert headline.headline_problem(fit).startswith("too uncertain (90% interval ")


def test_vendor_claims_rumours_and_letters_of_intent_are_not_independent_enough():
    assert headline.is_independent({"evidence": "official-announcement", "item": "10k GPU cluster"})
    assert headline.is_independent({"evidence": "press-report", "item": "site at 1 GW"})
    assert not headline.is_independent({"evidence": "vendor-claim", "item": "800,000 GPUs"})
    assert not headline.is_independent({"evidence": "rumor", "item": "a cluster"})
    loi = {"evidence": "official-announcement", "item": "Letter of intent to deploy 10 GW", "notes": ""}
    assert headline.evidence_class(loi) == headline.LETTER_OF_INTENT and not headline.is_independent(loi)
    assert headline.evidence_class(
        {"evidence": "official-announcement", "notes": "LOI only; terms later"}
    ) == (headline.LETTER_OF_INTENT)


def test_classes_text_counts_each_class():
    assert headline.classes_text(["press-report", "official-announcement", "press-report", None]) == (
        "official-announcement 1, press-report 2, unknown 1"
    )
    assert headline.classes_text([]) == "none"
