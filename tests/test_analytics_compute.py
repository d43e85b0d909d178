"""analytics.compute on known series: the largest cluster to date, values as of dates."""

from datetime import date

import polars as pl

from frontier_watch.analytics.compute import largest_to_date, value_as_of


def series(*rows):
    return pl.DataFrame(
        [
            {"date": d, "item": item, "value": value, "evidence": evidence}
            for d, item, value, evidence in rows
        ],
        schema={"date": pl.Date, "item": pl.String, "value": pl.Float64, "evidence": pl.String},
    )


CLUSTERS = series(
    (date(2024, 9, 2), "Colossus", 100000.0, "vendor-claim"),
    (date(2024, 8, 28), "CoreWeave", 42000.0, "independent-estimate"),
    (date(2024, 10, 2), "Goodyear", 100000.0, "independent-estimate"),
    (date(2024, 9, 2), "Small", 10.0, "rumor"),
    (date(2024, 12, 1), "Unknown", None, "rumor"),
    (date(2025, 2, 18), "Colossus 2", 200000.0, "independent-estimate"),
)


def test_the_largest_known_value_on_each_date_with_its_holder_and_evidence():
    result = largest_to_date(CLUSTERS)
    assert result.columns == ["date", "item", "value", "evidence", "record_since"]
    assert result.rows() == [
        (date(2024, 8, 28), "CoreWeave", 42000.0, "independent-estimate", date(2024, 8, 28)),
        (date(2024, 9, 2), "Colossus", 100000.0, "vendor-claim", date(2024, 9, 2)),
        (date(2024, 10, 2), "Colossus", 100000.0, "vendor-claim", date(2024, 9, 2)),  # a tie keeps the first
        (date(2025, 2, 18), "Colossus 2", 200000.0, "independent-estimate", date(2025, 2, 18)),
    ]


def test_no_values_give_no_records():
    assert largest_to_date(CLUSTERS.clear()).is_empty()


def test_values_as_of_dates_step_and_never_interpolate():
    sites = series(
        (date(2024, 4, 24), "Colossus 1", 0.0, "independent-estimate"),
        (date(2024, 9, 2), "Colossus 1", 174.0, "independent-estimate"),
        (date(2025, 2, 17), "Colossus 1", 349.0, "independent-estimate"),
        (date(2025, 3, 1), "Abilene", 200.0, "independent-estimate"),
        (date(2025, 3, 1), "Abilene", 210.0, "press-report"),  # a later row of the same day wins
    )
    result = value_as_of(sites, [date(2025, 1, 1), date(2024, 1, 1), date(2025, 6, 1)])
    assert result.select("date", "item", "value", "value_date").rows() == [
        (date(2024, 1, 1), "Abilene", None, None),
        (date(2024, 1, 1), "Colossus 1", None, None),
        (date(2025, 1, 1), "Abilene", None, None),
        (date(2025, 1, 1), "Colossus 1", 174.0, date(2024, 9, 2)),
        (date(2025, 6, 1), "Abilene", 210.0, date(2025, 3, 1)),
        (date(2025, 6, 1), "Colossus 1", 349.0, date(2025, 2, 17)),
    ]
