"""The interval rules of the one price recorder (DESIGN.md: history as intervals)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from frontier_watch.domain.batch import PricedOffering, PriceSegment
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.store import price_reads
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.store.reading import Reader
from frontier_watch.store.tables import ModelEvent, Offering, PriceInterval

NO_CROSSWALK = Identity({}, {})


@pytest.fixture
def empty_engine(storage_engine):
    """The interval writer's rules hold on SQLite and on PostgreSQL alike."""
    return storage_engine


LIVE = Provenance("openrouter", Basis.OBSERVED, "https://example.test/models", "official-announcement")
DECLARED = Provenance(
    "genai-prices", Basis.DECLARED, "https://example.test/data.json", "independent-estimate"
)

DAY1 = datetime(2026, 3, 1, 6, 0)
DAY2 = datetime(2026, 3, 2, 6, 0)
DAY3 = datetime(2026, 3, 3, 6, 0)


def offering(input_price, output_price, offering_id="deepseek/deepseek-r1", **segment):
    return PricedOffering(
        offering_id=offering_id,
        name="DeepSeek: R1",
        provider="openrouter",
        lab="deepseek",
        segments=[PriceSegment(input=Decimal(input_price), output=Decimal(output_price), **segment)],
    )


def record(engine, offerings, provenance=LIVE, at=DAY1, **kwargs):
    with engine.begin() as connection:
        return record_offerings(
            connection, offerings, provenance, observed_at=at, identity=NO_CROSSWALK, **kwargs
        )


def interval_rows(engine):
    with engine.connect() as connection:
        return connection.execute(select(PriceInterval).order_by(PriceInterval.id)).all()


def interval_count(engine):
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PriceInterval)).scalar_one()


def test_first_observation_opens_an_interval(empty_engine):
    counts = record(empty_engine, [offering("0.55", "2.19")])
    assert (counts.new, counts.changed, counts.unchanged) == (1, 0, 0)
    [row] = interval_rows(empty_engine)
    assert row.input_nusd == 550_000_000 and row.output_nusd == 2_190_000_000
    assert row.effective_from == DAY1 and row.effective_to is None
    assert row.basis == "observed"


def test_unchanged_price_adds_no_row_and_moves_last_seen(empty_engine):
    record(empty_engine, [offering("0.55", "2.19")], at=DAY1)
    counts = record(empty_engine, [offering("0.55", "2.19")], at=DAY2)
    assert (counts.new, counts.changed, counts.unchanged) == (0, 0, 1)
    [row] = interval_rows(empty_engine)
    assert row.first_seen_at == DAY1 and row.last_seen_at == DAY2
    assert row.effective_to is None


def test_changed_price_closes_the_open_interval_and_opens_a_new_one(empty_engine):
    record(empty_engine, [offering("0.55", "2.19")], at=DAY1)
    counts = record(empty_engine, [offering("0.45", "2.15")], at=DAY2)
    assert (counts.new, counts.changed) == (0, 1)
    old, new = interval_rows(empty_engine)
    assert old.effective_to == DAY2 and old.input_nusd == 550_000_000
    assert new.effective_from == DAY2 and new.effective_to is None and new.input_nusd == 450_000_000
    with empty_engine.connect() as connection:
        [on_day1] = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY1)
        [on_day3] = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY3)
    assert on_day1["input"] == Decimal("0.55")
    assert on_day3["input"] == Decimal("0.45")


def test_a_price_change_back_opens_a_third_interval(empty_engine):
    record(empty_engine, [offering("0.55", "2.19")], at=DAY1)
    record(empty_engine, [offering("0.45", "2.15")], at=DAY2)
    record(empty_engine, [offering("0.55", "2.19")], at=DAY3)
    assert [row.input_nusd for row in interval_rows(empty_engine)] == [550_000_000, 450_000_000, 550_000_000]


def test_future_effective_date_is_stored_but_not_current(empty_engine):
    intro = PriceSegment(input=Decimal(2), output=Decimal(10), effective_to=datetime(2026, 9, 1))
    standard = PriceSegment(input=Decimal(3), output=Decimal(15), effective_from=datetime(2026, 9, 1))
    sonnet = PricedOffering("claude-sonnet-5", "Claude Sonnet 5", "anthropic", segments=[intro, standard])
    record(empty_engine, [sonnet], provenance=DECLARED, at=datetime(2026, 8, 21))
    with empty_engine.connect() as connection:
        [now] = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), datetime(2026, 8, 21))
        [later] = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), datetime(2026, 9, 1))
    assert (now["input"], now["output"]) == (Decimal(2), Decimal(10))
    assert (later["input"], later["output"]) == (Decimal(3), Decimal(15))
    assert later["basis"] == "declared"


def test_live_observation_does_not_close_a_future_dated_price(empty_engine):
    standard = PriceSegment(input=Decimal(3), output=Decimal(15), effective_from=datetime(2026, 9, 1))
    record(empty_engine, [PricedOffering("m", "M", "p", segments=[standard])], provenance=DECLARED, at=DAY1)
    live = Provenance("genai-prices", Basis.OBSERVED, None, None)
    record(
        empty_engine,
        [PricedOffering("m", "M", "p", segments=[PriceSegment(input=Decimal(2), output=Decimal(10))])],
        provenance=live,
        at=DAY2,
    )
    with empty_engine.connect() as connection:
        [later] = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), datetime(2026, 10, 1))
    assert later["input"] == Decimal(3)


def test_applying_the_same_batch_twice_changes_nothing(empty_engine):
    batch = [
        offering("0.55", "2.19"),
        offering("0", "0", offering_id="deepseek/deepseek-r1:free"),
        PricedOffering(
            "o3",
            "o3",
            "openai",
            segments=[
                PriceSegment(input=Decimal(10), output=Decimal(40), effective_to=datetime(2025, 6, 10)),
                PriceSegment(input=Decimal(2), output=Decimal(8), effective_from=datetime(2025, 6, 10)),
            ],
        ),
    ]
    record(empty_engine, batch, provenance=DECLARED, at=DAY1)
    before = [tuple(row) for row in interval_rows(empty_engine)]
    counts = record(empty_engine, batch, provenance=DECLARED, at=DAY1)
    assert (counts.new, counts.changed, counts.offerings_added) == (0, 0, 0)
    assert [tuple(row) for row in interval_rows(empty_engine)] == before


def test_restated_declared_span_is_superseded_not_deleted(empty_engine):
    first = PricedOffering(
        "o3",
        "o3",
        "openai",
        segments=[PriceSegment(input=Decimal(2), output=Decimal(8), effective_from=datetime(2025, 6, 10))],
    )
    fixed = PricedOffering(
        "o3",
        "o3",
        "openai",
        segments=[
            PriceSegment(input=Decimal("2.5"), output=Decimal(8), effective_from=datetime(2025, 6, 10))
        ],
    )
    record(empty_engine, [first], provenance=DECLARED, at=DAY1)
    counts = record(empty_engine, [fixed], provenance=DECLARED, at=DAY2)
    assert counts.changed == 1
    old, new = interval_rows(empty_engine)
    assert old.superseded_at == DAY2 and new.superseded_at is None
    with empty_engine.connect() as connection:
        [current] = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY3)
        history = price_reads.price_history(Reader.from_sqlalchemy(connection), "o3")
    assert current["input"] == Decimal("2.5")
    assert len(history) == 2


def test_a_new_dated_segment_closes_the_open_one(empty_engine):
    intro = PriceSegment(input=Decimal(2), output=Decimal(10))
    record(
        empty_engine,
        [PricedOffering("s5", "S5", "anthropic", segments=[intro])],
        provenance=DECLARED,
        at=DAY1,
    )
    announced = [
        PriceSegment(input=Decimal(2), output=Decimal(10), effective_to=datetime(2026, 9, 1)),
        PriceSegment(input=Decimal(3), output=Decimal(15), effective_from=datetime(2026, 9, 1)),
    ]
    counts = record(
        empty_engine,
        [PricedOffering("s5", "S5", "anthropic", segments=announced)],
        provenance=DECLARED,
        at=DAY2,
    )
    assert (counts.new, counts.changed) == (1, 1)
    first, second = interval_rows(empty_engine)
    assert first.effective_to == datetime(2026, 9, 1) and first.superseded_at is None
    assert second.effective_from == datetime(2026, 9, 1)


def test_offering_missing_from_a_healthy_sheet_is_withdrawn_not_deleted(empty_engine):
    record(empty_engine, [offering("0.55", "2.19"), offering("1", "2", offering_id="x/gone")], at=DAY1)
    counts = record(empty_engine, [offering("0.55", "2.19")], at=DAY2, withdraw_missing=True)
    assert counts.withdrawn == 1
    with empty_engine.connect() as connection:
        gone = connection.execute(select(Offering).where(Offering.offering_id == "x/gone")).one()
        assert gone.withdrawn_at == DAY2
        assert {
            row["offering_id"] for row in price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY3)
        } == {"deepseek/deepseek-r1"}
        assert {
            row["offering_id"] for row in price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY1)
        } == {
            "deepseek/deepseek-r1",
            "x/gone",
        }
    assert interval_count(empty_engine) == 2


def test_skipped_offerings_are_kept_not_withdrawn(empty_engine):
    record(empty_engine, [offering("0.55", "2.19"), offering("1", "2", offering_id="x/bad-today")], at=DAY1)
    counts = record(
        empty_engine, [offering("0.55", "2.19")], at=DAY2, withdraw_missing=True, keep_ids=["x/bad-today"]
    )
    assert counts.withdrawn == 0
    with empty_engine.connect() as connection:
        assert len(price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY3)) == 2


def test_tiers_are_separate_intervals(empty_engine):
    tiers = PricedOffering(
        "gemini-2.5-pro",
        "Gemini 2.5 Pro",
        "google",
        segments=[
            PriceSegment(input=Decimal("1.25"), output=Decimal(10)),
            PriceSegment(tier="long-context>200k", input=Decimal("2.5"), output=Decimal(15)),
        ],
    )
    record(empty_engine, [tiers], provenance=DECLARED)
    with empty_engine.connect() as connection:
        rows = price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY2, model="gemini")
    assert {(row["tier"], row["input"]) for row in rows} == {
        ("default", Decimal("1.25")),
        ("long-context>200k", Decimal("2.5")),
    }


def test_an_undated_start_answers_from_when_first_seen_and_a_stated_end_up_to_it(empty_engine):
    """llm-prices' from_date null means "start unknown", not "since the beginning of time": a
    price with no date answers from when first seen; one whose end the source states answers
    up to that end (issue 20: a launch price closed before we first saw it)."""
    undated_open = PricedOffering(
        "gpt-4.5", "GPT-4.5", "openai", segments=[PriceSegment(input=Decimal(75), output=Decimal(150))]
    )
    undated_closed = PricedOffering(
        "deepseek-chat",
        "DeepSeek Chat",
        "deepseek",
        segments=[
            PriceSegment(input=Decimal("0.14"), output=Decimal("0.28"), effective_to=datetime(2025, 2, 8)),
            PriceSegment(input=Decimal("0.27"), output=Decimal("1.1"), effective_from=datetime(2025, 2, 8)),
        ],
    )
    record(empty_engine, [undated_open, undated_closed], provenance=DECLARED, at=datetime(2026, 8, 5))

    def inputs_on(day: datetime) -> set[tuple[str, Decimal]]:
        with empty_engine.connect() as connection:
            return {
                (row["offering_id"], row["input"])
                for row in price_reads.prices_as_of(Reader.from_sqlalchemy(connection), day)
            }

    # No release day known and nothing dated before its end (the model's earliest dated price
    # is the one that replaced it): the closed price answers for no day, never since ever.
    assert inputs_on(datetime(2025, 1, 15)) == set()
    assert inputs_on(datetime(2026, 9, 1)) == {("gpt-4.5", Decimal(75)), ("deepseek-chat", Decimal("0.27"))}
    # Another source dates the model on sale from 2025-01-10 (any source, any seller): the
    # closed price answers from that day to its end.
    seen = offering("0.2", "0.9", offering_id="deepseek-chat")
    record(empty_engine, [seen], at=datetime(2025, 1, 10))
    assert inputs_on(datetime(2025, 1, 5)) == set()
    assert inputs_on(datetime(2025, 1, 15)) == {
        ("deepseek-chat", Decimal("0.14")),
        ("deepseek-chat", Decimal("0.2")),
    }
    # A release day known does not stretch the undated one back (issue 20), and bounds the
    # closed one: from the release to its end, whatever else is dated.
    with empty_engine.begin() as connection:
        connection.execute(
            insert(ModelEvent).values(
                model_id="deepseek-chat",
                event="released",
                date=date(2024, 12, 26),
                date_precision="day",
                origin="test",
                source_url="https://example.test/release",
                evidence="official-announcement",
            )
        )
    assert inputs_on(datetime(2024, 12, 1)) == set()
    assert inputs_on(datetime(2025, 1, 5)) == {("deepseek-chat", Decimal("0.14"))}
    assert ("deepseek-chat", Decimal("0.27")) in inputs_on(datetime(2026, 1, 15))
    assert ("gpt-4.5", Decimal(75)) in inputs_on(datetime(2026, 9, 1))


def test_a_stated_end_answers_from_the_day_a_source_listed_the_model(empty_engine):
    """A listing date (OpenRouter's ``created``) is dated evidence of sale too; the price's
    history row says from which day it answers and why."""
    ended = PricedOffering(
        "luna",
        "Luna",
        "openai",
        segments=[PriceSegment(input=Decimal(1), output=Decimal(6), effective_to=datetime(2026, 7, 30))],
    )
    listed = PricedOffering(
        "luna", "Luna", "openrouter", listed_at=datetime(2026, 7, 9, 20, 52),
        segments=[PriceSegment(input=Decimal(1), output=Decimal(6))],
    )  # fmt: skip
    record(empty_engine, [ended], provenance=DECLARED, at=datetime(2026, 8, 5))
    with empty_engine.connect() as connection:
        [row] = price_reads.price_history(Reader.from_sqlalchemy(connection), "luna")
    assert row["answers_from"] is None and row["clipped"].startswith("answers for no day: ")
    assert "no release day and no earlier dated evidence of sale known" in row["clipped"]
    record(empty_engine, [listed], provenance=LIVE, at=datetime(2026, 8, 5))
    with empty_engine.connect() as connection:
        reader = Reader.from_sqlalchemy(connection)
        [row] = [r for r in price_reads.price_history(reader, "luna") if r["effective_to"]]
        assert row["answers_from"] == datetime(2026, 7, 9) and row["answers_to"] == datetime(2026, 7, 30)
        assert "from 2026-07-09, the earliest day a source dates the model on sale" in row["clipped"]
        assert {r["provider"] for r in price_reads.prices_as_of(reader, datetime(2026, 7, 28))} == {"OpenAI"}
        assert price_reads.prices_as_of(reader, datetime(2026, 7, 8)) == []


def test_a_span_restated_within_one_batch_is_stored_once(empty_engine):
    twice = PricedOffering(
        "o3",
        "o3",
        "openai",
        segments=[
            PriceSegment(input=Decimal(2), output=Decimal(8), effective_from=datetime(2025, 6, 10)),
            PriceSegment(input=Decimal("2.5"), output=Decimal(8), effective_from=datetime(2025, 6, 10)),
        ],
    )
    record(empty_engine, [twice], provenance=DECLARED)
    [row] = interval_rows(empty_engine)
    assert row.input_nusd == 2_500_000_000 and row.superseded_at is None


def schedule(*spans):
    """An o3-like offering whose declared schedule is the given (start, end, input) spans."""
    return PricedOffering(
        "m",
        "M",
        "p",
        segments=[
            PriceSegment(input=Decimal(price), output=Decimal(1), effective_from=start, effective_to=end)
            for start, end, price in spans
        ],
    )


def in_force(engine, at):
    with engine.connect() as connection:
        return sorted(
            row["input"] for row in price_reads.prices_as_of(Reader.from_sqlalchemy(connection), at)
        )


def test_a_moved_future_price_does_not_leave_two_prices_in_force(empty_engine):
    july1, july15 = datetime(2030, 7, 1), datetime(2030, 7, 15)
    record(empty_engine, [schedule((None, july1, 2), (july1, None, 3))], provenance=DECLARED, at=DAY1)
    record(empty_engine, [schedule((None, july15, 2), (july15, None, 3))], provenance=DECLARED, at=DAY2)
    assert in_force(empty_engine, datetime(2030, 7, 5)) == [Decimal(2)]
    assert in_force(empty_engine, datetime(2030, 8, 1)) == [Decimal(3)]


def test_a_cancelled_future_price_never_takes_effect(empty_engine):
    july1 = datetime(2030, 7, 1)
    record(empty_engine, [schedule((None, july1, 2), (july1, None, 3))], provenance=DECLARED, at=DAY1)
    record(empty_engine, [schedule((None, None, 2))], provenance=DECLARED, at=DAY2)
    assert in_force(empty_engine, datetime(2030, 8, 1)) == [Decimal(2)]


def test_a_tier_gone_from_a_live_sheet_is_closed(empty_engine):
    both = PricedOffering(
        "gpt-4o",
        "gpt-4o",
        "openai",
        segments=[
            PriceSegment(input=Decimal("2.5"), output=Decimal(10)),
            PriceSegment(tier="batch", input=Decimal("1.25"), output=Decimal(5)),
        ],
    )
    default_only = PricedOffering(
        "gpt-4o", "gpt-4o", "openai", segments=[PriceSegment(input=Decimal("2.5"), output=Decimal(10))]
    )
    record(empty_engine, [both], at=DAY1)
    counts = record(empty_engine, [default_only], at=DAY2)
    assert counts.changed == 1
    with empty_engine.connect() as connection:
        assert {
            row["tier"] for row in price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY3)
        } == {"default"}
        assert {
            row["tier"] for row in price_reads.prices_as_of(Reader.from_sqlalchemy(connection), DAY1)
        } == {
            "default",
            "batch",
        }


def test_withdrawal_also_cancels_announced_future_prices(empty_engine):
    july1 = datetime(2030, 7, 1)
    record(
        empty_engine,
        [
            schedule((None, july1, 2), (july1, None, 3)),
            PricedOffering("stays", "S", "p", segments=[PriceSegment(input=Decimal(1), output=Decimal(1))]),
        ],
        provenance=DECLARED,
        at=DAY1,
    )
    counts = record(
        empty_engine,
        [PricedOffering("stays", "S", "p", segments=[PriceSegment(input=Decimal(1), output=Decimal(1))])],
        provenance=DECLARED,
        at=DAY2,
        withdraw_missing=True,
    )
    assert counts.withdrawn == 1
    assert in_force(empty_engine, DAY3) == [Decimal(1)]
    assert in_force(empty_engine, datetime(2031, 1, 1)) == [Decimal(1)]
    assert in_force(empty_engine, DAY1) == [Decimal(1), Decimal(2)]


def test_reapplying_an_older_snapshot_keeps_withdrawals_and_last_seen(empty_engine):
    history = Provenance("openrouter", Basis.RECONSTRUCTED, "https://x.test", "official-announcement")
    gone = PricedOffering(
        "x/gone",
        "Gone",
        "openrouter",
        segments=[PriceSegment(input=Decimal(1), output=Decimal(2), effective_from=datetime(2026, 2, 27))],
    )
    kept = PricedOffering(
        "x/kept",
        "Kept",
        "openrouter",
        segments=[PriceSegment(input=Decimal(1), output=Decimal(2), effective_from=datetime(2026, 2, 27))],
    )
    record(empty_engine, [gone, kept], provenance=history, at=datetime(2026, 5, 1))
    live_kept = PricedOffering(
        "x/kept", "Kept", "openrouter", segments=[PriceSegment(input=Decimal(1), output=Decimal(2))]
    )
    record(empty_engine, [live_kept], at=datetime(2026, 11, 1), withdraw_missing=True)
    record(empty_engine, [gone, kept], provenance=history, at=datetime(2026, 5, 1))  # the seed again
    with empty_engine.connect() as connection:
        offerings = {row.offering_id: row for row in connection.execute(select(Offering))}
    assert offerings["x/gone"].withdrawn_at == datetime(2026, 11, 1)
    assert offerings["x/kept"].last_seen_at == datetime(2026, 11, 1)


def flags_by_interval(engine) -> dict[int, str]:
    with engine.connect() as connection:
        return dict(connection.exec_driver_sql("SELECT interval_id, flag FROM price_flag").all())


def test_a_fetch_flags_what_it_wrote_and_a_correction_stands_unflagged(empty_engine):
    """The writer reviews the models whose prices changed: a swapped state is flagged when
    written, and the corrected state the next day is not."""
    record(empty_engine, [offering("2.19", "0.55")], at=DAY1)
    record(empty_engine, [offering("0.55", "2.19")], at=DAY2)
    swapped, corrected = interval_rows(empty_engine)
    assert flags_by_interval(empty_engine) == {swapped.id: "swapped"}
    record(empty_engine, [offering("0.55", "2.19")], at=DAY3)  # unchanged: nothing to review
    assert flags_by_interval(empty_engine) == {swapped.id: "swapped"}
    assert corrected.id not in flags_by_interval(empty_engine)


def test_zero_prices_on_a_live_sheet_are_tier_free(empty_engine):
    record(empty_engine, [offering("0", "0", offering_id="qwen/qwen3-thinking")], at=DAY1)
    record(empty_engine, [offering("0.2", "0.8", offering_id="qwen/qwen3-thinking")], at=DAY2)
    free, paid = interval_rows(empty_engine)
    assert (free.tier, free.effective_to) == ("free", DAY2)  # the sheet stopped giving it away
    assert (paid.tier, paid.effective_from) == ("default", DAY2)
    assert flags_by_interval(empty_engine) == {free.id: "zero"}
