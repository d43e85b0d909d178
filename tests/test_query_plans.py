"""The interval table grows for years: the questions that matter reach it through indexes.

The plans are read with EXPLAIN QUERY PLAN on the SQL the queries actually run. A full
scan of the interval table shows as "SCAN i" (the table's alias) with no index named.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.clock import end_of_day
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.store import price_reads
from frontier_watch.store.opening import open_reader
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.store.reading import Reader, _sqlite_param


class PlanRecorder(Reader):
    """A reader that also records the plan of every statement it runs."""

    def __init__(self, inner: Reader) -> None:
        super().__init__(inner._connection, inner.dialect)
        self.plans: list[tuple[str, list[str]]] = []

    def _execute(self, sql, params, **options):
        bound = {key: _sqlite_param(value) for key, value in params.items()}
        plan = [row[3] for row in self._connection.execute("EXPLAIN QUERY PLAN " + sql, bound)]
        self.plans.append((sql, plan))
        return super()._execute(sql, params, **options)


def price_plan(reader: PlanRecorder) -> tuple[str, list[str]]:
    """The plan of the last price query (the reads of model lives and spans come after it)."""
    return next(
        (sql, plan) for sql, plan in reversed(reader.plans) if "price_interval" in sql and "pf.flag" in sql
    )


def full_scans(plan: list[str]) -> list[str]:
    return [
        step
        for step in plan
        if step.split()[:2] in (["SCAN", "i"], ["SCAN", "price_interval"]) and "INDEX" not in step
    ]


@pytest.fixture
def reader(seeded_db_path):
    recorder = PlanRecorder(open_reader(str(seeded_db_path)))
    yield recorder
    recorder.close()


def test_prices_for_a_model_find_intervals_through_their_offerings(reader):
    assert price_reads.prices_as_of(reader, datetime(2025, 2, 1), model="deepseek-r1")
    (sql, plan) = price_plan(reader)
    assert not full_scans(plan), plan
    assert any("ix_price_interval" in step for step in plan)


def test_history_finds_intervals_through_their_offerings(reader):
    assert price_reads.price_history(reader, "deepseek-r1")
    (sql, plan) = price_plan(reader)
    assert not full_scans(plan), plan
    assert any(
        "USING INDEX ix_price_interval_offering_pk" in step or "ix_price_interval_lookup" in step
        for step in plan
    )


def test_current_prices_read_the_open_and_ending_later_intervals_through_indexes(reader):
    assert price_reads.prices_as_of(reader, datetime(2026, 11, 22))
    (sql, plan) = price_plan(reader)
    assert not full_scans(plan), plan


def test_an_old_day_seeks_each_offering_and_tier_instead_of_scanning(reader, monkeypatch):
    monkeypatch.setattr(price_reads, "RANGE_PATH_LIMIT", 0)  # as if most intervals ended later
    assert price_reads.prices_as_of(reader, end_of_day(date(2023, 3, 20)))
    (sql, plan) = price_plan(reader)
    assert "x.effective_from <= :as_of" in sql  # the seek path ran
    assert not full_scans(plan), plan
    assert any("ix_price_interval_lookup (offering_pk=? AND tier=? AND effective_from<?)" in s for s in plan)


@pytest.mark.parametrize(
    "day",
    [
        date(2021, 12, 1),
        date(2023, 3, 20),
        date(2024, 6, 1),
        date(2025, 2, 1),
        date(2026, 1, 1),
        date(2027, 1, 2),
    ],
)
def test_both_ways_to_the_prices_in_force_give_the_same_answer(reader, monkeypatch, day):
    by_range = price_reads.prices_as_of(reader, end_of_day(day))
    monkeypatch.setattr(price_reads, "RANGE_PATH_LIMIT", 0)
    by_seek = price_reads.prices_as_of(reader, end_of_day(day))
    assert by_seek == by_range and by_range


def test_a_fetch_loads_only_open_and_later_intervals_not_closed_history(empty_engine, monkeypatch):
    """A live sheet is compared with what is in force; closed history is never read."""
    from frontier_watch.store import price_intervals

    history = [
        PriceSegment(
            input=Decimal(n + 1),
            output=Decimal(2),
            effective_from=datetime(2020, 1, n + 1),
            effective_to=datetime(2020, 1, n + 2),
        )
        for n in range(20)
    ]
    with empty_engine.begin() as connection:
        record_offerings(
            connection,
            [PricedOffering("m", "M", "p", segments=history)],
            Provenance("s", Basis.RECONSTRUCTED, "https://x.test", "independent-estimate"),
            observed_at=datetime(2020, 2, 1),
            identity=Identity({}, {}),
        )
    loaded: list[int] = []
    real = price_intervals._load_intervals

    def counting(*args, **kwargs):
        grouped = real(*args, **kwargs)
        loaded.append(sum(len(rows) for rows in grouped.values()))
        return grouped

    monkeypatch.setattr(price_intervals, "_load_intervals", counting)
    live = Provenance("s", Basis.OBSERVED, "https://x.test", "independent-estimate")
    sheet = [PricedOffering("m", "M", "p", segments=[PriceSegment(input=Decimal(5), output=Decimal(6))])]
    for day in (2, 3):  # the first opens an interval, the second compares with it
        with empty_engine.begin() as connection:
            record_offerings(
                connection, sheet, live, observed_at=datetime(2026, 1, day), identity=Identity({}, {})
            )
    assert loaded == [0, 1]  # none of the 20 closed spans, then only the open one


def test_the_changes_digest_reaches_intervals_through_indexes_only(reader):
    """``changes`` finds the models touched in the window through the open intervals' and the
    ends' indexes, then reads their intervals through their offerings: no statement scans the
    interval table, whose history grows for years."""
    from frontier_watch.reports.changes import price_news

    news = price_news(reader, datetime(2026, 8, 25), datetime(2026, 12, 3))
    assert news.changes
    assert price_reads.prices_begun_since(reader, datetime(2026, 8, 25), 10_000) > 0  # the Overview's budget
    reads = [(sql, plan) for sql, plan in reader.plans if "price_interval" in sql]
    assert any("effective_to >= :since" in sql for sql, _ in reads)  # the models touched
    assert any(":ending_after" in sql for sql, _ in reads)  # their intervals in force
    assert any("LIMIT :limit" in sql for sql, _ in reads)
    for sql, plan in reads:
        assert not full_scans(plan), (sql, plan)
