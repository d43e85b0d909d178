"""``changes`` works on the model answer: a price change is a change of the reference price of
a model, seller and tier, never of one source's offering.

Pinned on small known rows (analytics/model_changes.py is pure), then on the shipped data
through the report (reports/changes.py, its bounded read) and the CLI.
"""

from __future__ import annotations

import json
import random
from contextlib import closing
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from frontier_watch.analytics.model_answer import Evidence
from frontier_watch.analytics.model_changes import (
    in_force_from,
    new_model_prices,
    reference_changes,
    withdrawn_prices,
)
from frontier_watch.analytics.model_timeline import Placed, model_timeline
from frontier_watch.cli import main
from frontier_watch.reports.changes import changes_report, price_news
from frontier_watch.reports.model_timeline import model_timeline as timeline_of
from frontier_watch.store.reading import reader_for

D = Decimal
TODAY = date(2026, 12, 3)


def placed(
    source: str,
    price: tuple[str, str],
    start: date | None,
    end: date | None = None,
    *,
    basis: str = "declared",
    dated: bool = True,
    provider: str = "Anthropic",
    model: str = "x",
    offering: str | None = None,
) -> Placed:
    evidence = Evidence(
        source=source,
        provider=provider,
        tier="default",
        offering_id=offering or f"{source}-{model}",
        input=D(price[0]),
        output=D(price[1]),
        basis=basis,
        effective_from=datetime.combine(start, datetime.min.time()) if dated and start else None,
        lab="Anthropic",
        source_url=f"https://{source}.example/{model}",
    )
    return Placed(model, model.upper(), evidence, start, end)


def changes_of(rows, since=date(2026, 1, 1), until=None, today=TODAY):
    return [
        (c.provider, c.date, (c.old_input, c.old_output), (c.new_input, c.new_output), c.sources)
        for c in reference_changes(model_timeline(rows), since, until, today)
    ]


# ---------------------------------------------------------------- small known rows


def test_one_source_changes_the_price_and_a_lagging_one_makes_no_line():
    rows = [
        placed("a", ("2", "10"), date(2026, 7, 1), date(2026, 9, 1)),
        placed("a", ("3", "15"), date(2026, 9, 1)),
        # b observed 2/10 from July 10 and never saw the change: stale from September 1
        placed("b", ("2", "10"), date(2026, 7, 10), basis="reconstructed"),
    ]
    assert changes_of(rows) == [("Anthropic", date(2026, 9, 1), (D(2), D(10)), (D(3), D(15)), ("a",))]


def test_two_sources_that_agree_on_a_change_make_one_change_with_both():
    rows = [
        placed("a", ("2", "10"), date(2026, 7, 1), date(2026, 9, 1)),
        placed("a", ("3", "15"), date(2026, 9, 1)),
        placed("b", ("2", "10"), date(2026, 7, 3), date(2026, 9, 1)),
        placed("b", ("3", "15"), date(2026, 9, 1)),
    ]
    [change] = reference_changes(model_timeline(rows), date(2026, 1, 1), None, TODAY)
    assert (change.date, change.sources, change.dating) == (date(2026, 9, 1), ("a", "b"), "declared")
    assert change.source_urls == ("https://a.example/x", "https://b.example/x")
    assert change.percent("input") == pytest.approx(50) and change.percent("output") == pytest.approx(50)


def test_each_source_changing_on_its_own_day_is_one_model_change():
    rows = [
        placed("a", ("2", "10"), date(2026, 7, 1), date(2026, 9, 1)),
        placed("a", ("3", "15"), date(2026, 9, 1)),
        # a scraper saw the new price a few days early and another a few days late: the
        # declared day stands, and neither snapshot makes a line of its own
        placed("early", ("2", "10"), date(2026, 7, 2), date(2026, 8, 28), basis="reconstructed"),
        placed("early", ("3", "15"), date(2026, 8, 28), basis="reconstructed"),
        placed("late", ("2", "10"), date(2026, 7, 2), date(2026, 9, 4), basis="reconstructed"),
        placed("late", ("3", "15"), date(2026, 9, 4), basis="reconstructed"),
    ]
    assert changes_of(rows) == [
        ("Anthropic", date(2026, 9, 1), (D(2), D(10)), (D(3), D(15)), ("a", "early", "late"))
    ]


def test_a_stale_or_undated_snapshot_makes_no_change():
    rows = [
        placed("a", ("3", "15"), date(2026, 9, 1)),
        # a snapshot taken later still lists the old price: observed, so the declared change stands
        placed("snap", ("2", "10"), date(2026, 9, 10), basis="reconstructed"),
        # a list first seen later with no dates at all
        placed("list", ("2.5", "12"), date(2026, 9, 20), dated=False),
    ]
    assert changes_of(rows) == []
    # a model only lists price: the second list first seen later says nothing of when a price began
    undated_only = [
        placed("list", ("1", "2"), date(2026, 8, 5), dated=False, model="y"),
        placed("another", ("0.5", "1"), date(2026, 8, 21), dated=False, model="y"),
    ]
    timeline = model_timeline(undated_only)
    assert [(s.start, s.price) for s in timeline] == [
        (date(2026, 8, 5), (D(1), D(2))),
        (date(2026, 8, 21), (D("0.5"), D(1))),
    ]
    assert reference_changes(timeline, date(2026, 1, 1), None, TODAY) == []


def test_a_declared_future_change_is_scheduled_until_its_day():
    rows = [
        placed("a", ("0.75", "3.75"), date(2026, 8, 21), date(2027, 1, 1)),
        placed("a", ("1.5", "7.5"), date(2027, 1, 1)),
    ]
    segments = model_timeline(rows)
    [ahead] = reference_changes(segments, date(2026, 11, 1), None, today=date(2026, 12, 3))
    assert (ahead.date, ahead.scheduled) == (date(2027, 1, 1), True)
    [past] = reference_changes(segments, date(2026, 11, 1), None, today=date(2027, 1, 1))
    assert not past.scheduled
    assert reference_changes(segments, date(2026, 11, 1), date(2027, 1, 1), today=date(2026, 12, 3)) == []


def test_a_first_price_is_a_new_model_and_a_new_seller_of_a_priced_model_is_not():
    rows = [
        placed("a", ("3", "15"), date(2026, 8, 1)),
        placed("a", ("3", "15"), date(2026, 8, 1), offering="a-x-batch", provider="Anthropic"),
        placed("b", ("3.3", "16.5"), date(2026, 8, 15), provider="Amazon"),  # a new offering, not a new model
    ]
    segments = model_timeline(rows)
    events = new_model_prices(segments, date(2026, 7, 1), None, TODAY)
    assert [(e.model_id, e.provider, e.date, e.input, e.dating) for e in events] == [
        ("x", "Anthropic", date(2026, 8, 1), D(3), "declared")
    ]
    assert new_model_prices(segments, date(2026, 8, 10), None, TODAY) == []  # Amazon's is no news
    assert reference_changes(segments, date(2026, 7, 1), None, TODAY) == []


def test_a_price_after_a_gap_is_neither_a_new_model_nor_a_change():
    rows = [
        placed("a", ("1", "2"), date(2025, 1, 1), date(2025, 2, 1)),
        placed("a", ("2", "4"), date(2026, 3, 1)),
    ]
    segments = model_timeline(rows)
    assert new_model_prices(segments, date(2026, 1, 1), None, TODAY) == []
    assert reference_changes(segments, date(2026, 1, 1), None, TODAY) == []
    [gone] = withdrawn_prices(segments, date(2025, 1, 15), None, TODAY)
    assert (gone.date, gone.input, gone.output) == (date(2025, 2, 1), D(1), D(2))


def test_a_seller_whose_offering_is_replaced_by_another_is_not_withdrawn():
    rows = [
        placed("a", ("1", "2"), date(2026, 1, 1), date(2026, 5, 1), offering="old-id"),
        placed("a", ("1", "2"), date(2026, 5, 1), offering="new-id"),
        placed("b", ("1", "2"), date(2026, 1, 1), date(2026, 6, 1), provider="Amazon"),
    ]
    segments = model_timeline(rows)
    assert [(e.provider, e.date) for e in withdrawn_prices(segments, date(2026, 1, 2), None, TODAY)] == [
        ("Amazon", date(2026, 6, 1))
    ]


def random_history(seed: int) -> list[Placed]:
    """Dated, observed and undated rows of three models and two sellers over two years."""
    rng = random.Random(seed)
    rows = []
    for model in ("m1", "m2", "m3"):
        for source, basis in (("a", "declared"), ("b", "reconstructed"), ("c", "curated")):
            for provider in ("Lab", "Host"):
                day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 200))
                while day < date(2026, 12, 31):
                    length = rng.randrange(5, 90)
                    ends = rng.random() < 0.9
                    price = (str(rng.choice((1, 2, 3))), str(rng.choice((4, 8))))
                    dated = rng.random() < 0.8
                    end = day + timedelta(days=length) if ends else None
                    rows.append(
                        placed(
                            source, price, day, end, basis=basis, dated=dated, provider=provider, model=model
                        )
                    )
                    if end is None:
                        break
                    day = end + timedelta(days=rng.choice((0, 0, 0, 3)))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rows_in_force_from_the_day_before_give_the_changes_of_the_whole_history(seed):
    """The report reads only the intervals in force the day before the window: its changes,
    and its withdrawn prices, are those of the whole timeline."""
    rows = random_history(seed)
    whole = model_timeline(rows)
    assert reference_changes(whole, date(2025, 1, 1), None, TODAY)  # the history has changes
    for since in (date(2025, 3, 1), date(2025, 9, 17), date(2026, 2, 2), date(2026, 11, 30)):
        read = in_force_from(rows, since - timedelta(days=1))
        assert len(read) < len(rows) or since < date(2026, 1, 1)  # later windows leave history out
        window = model_timeline(read)
        assert reference_changes(window, since, None, TODAY) == reference_changes(whole, since, None, TODAY)
        gone = [
            (e.model_id, e.provider, e.date, e.input, e.output)
            for e in withdrawn_prices(window, since, None, TODAY)
        ]
        assert gone == [
            (e.model_id, e.provider, e.date, e.input, e.output)
            for e in withdrawn_prices(whole, since, None, TODAY)
        ]


# ---------------------------------------------------------------- the shipped data


@pytest.fixture
def reader(seeded_database):
    with closing(reader_for(seeded_database)) as reader:
        yield reader


def run_json(db, capsys, *args):
    assert main(["--db", str(db), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


CHANGE_KEYS = {
    "model_id", "provider", "tier", "date", "old_input_usd_per_mtok", "old_output_usd_per_mtok",
    "new_input_usd_per_mtok", "new_output_usd_per_mtok", "sources", "scheduled",
}  # fmt: skip


def test_changes_since_2026_08_25_lists_claude_sonnet_5_going_from_2_10_to_3_15(seeded_db_path, capsys):
    data = run_json(seeded_db_path, capsys, "changes", "--since", "2026-08-25")
    assert data["price_changes"] and all(CHANGE_KEYS <= set(row) for row in data["price_changes"])
    [sonnet] = [
        row
        for row in data["price_changes"]
        if (row["model_id"], row["provider"], row["tier"]) == ("claude-sonnet-5", "Anthropic", "default")
    ]
    assert sonnet["date"] == "2026-09-01" and sonnet["scheduled"] is False
    assert (sonnet["old_input_usd_per_mtok"], sonnet["old_output_usd_per_mtok"]) == (2, 10)
    assert (sonnet["new_input_usd_per_mtok"], sonnet["new_output_usd_per_mtok"]) == (3, 15)
    assert {"genai-prices", "llm-prices"} <= set(sonnet["sources"]) and "litellm" not in sonnet["sources"]
    assert all(url.startswith("https://") for url in sonnet["source_urls"]) and sonnet["source_urls"]
    # one line per model, seller, tier and variant: no offering of any source makes a line of its own
    keys = [
        (row["model_id"], row["provider"], row["tier"], row["variant"], row["date"])
        for row in data["price_changes"]
    ]
    assert len(keys) == len(set(keys))
    assert not any(row["model_id"] == "claude-sonnet-5" for row in data["new_models"])


def test_o3s_cut_from_10_40_to_2_8_is_in_a_window_around_its_day(reader):
    def openai_o3(since: date) -> list[tuple]:
        news = price_news(reader, datetime.combine(since, datetime.min.time()), datetime(2025, 7, 1))
        return [
            (c.date, c.old_input, c.old_output, c.new_input, c.new_output, c.scheduled)
            for c in news.changes
            if (c.model_id, c.provider, c.tier) == ("o3", "OpenAI", "default")
        ]

    assert openai_o3(date(2025, 6, 1)) == [(date(2025, 6, 10), D(10), D(40), D(2), D(8), False)]
    assert openai_o3(date(2025, 6, 10)) == openai_o3(date(2025, 6, 1))
    assert openai_o3(date(2025, 6, 11)) == []


def history_steps(reader, model_id: str) -> set[tuple]:
    """Every (seller, tier, day, old price, new price) where the model's ``history`` steps."""
    segments = timeline_of(reader, model_id)
    steps = set()
    for before in segments:
        for after in segments:
            same_line = (before.provider, before.tier) == (after.provider, after.tier)
            if (
                same_line
                and before.end is not None
                and before.end == after.start
                and before.price != after.price
            ):
                steps.add((after.provider, after.tier, after.start, before.price, after.price, after.dating))
    return steps


@pytest.mark.parametrize("since", [date(2025, 6, 1), date(2026, 3, 1), date(2026, 7, 1)])
def test_the_windowed_read_gives_the_changes_of_every_models_whole_history(reader, since):
    """The report reads only the models touched since the window's start, and only their
    intervals in force from the day before: its changes, new models and withdrawn prices are
    those of every model's whole timeline, and each change is a step ``history MODEL`` shows."""
    from frontier_watch.reports.model_timeline import placed_of
    from frontier_watch.store.price_reads import price_pieces

    now = datetime(2026, 12, 3)
    news = price_news(reader, datetime.combine(since, datetime.min.time()), now)
    whole = model_timeline(placed_of(price_pieces(reader)))
    assert news.changes and news.changes == reference_changes(whole, since, None, now.date())
    assert news.new_models == new_model_prices(whole, since, None, now.date())
    assert [(e.model_id, e.provider, e.tier, e.date, e.input, e.output) for e in news.withdrawn] == [
        (e.model_id, e.provider, e.tier, e.date, e.input, e.output)
        for e in withdrawn_prices(whole, since, None, now.date())
    ]
    for change in news.changes[:: max(1, len(news.changes) // 10)]:  # a sample, through ``history``
        step = (
            change.provider,
            change.tier,
            change.date,
            (change.old_input, change.old_output),
            (change.new_input, change.new_output),
            change.dating,
        )
        assert step in history_steps(reader, change.model_id), change


def test_a_new_model_has_no_price_before_its_day_and_a_new_offering_of_a_priced_model_is_none(reader):
    since = datetime(2026, 6, 1)
    news = price_news(reader, since, datetime(2026, 12, 3))
    assert news.new_models
    for event in news.new_models:
        first = min(s.start for s in timeline_of(reader, event.model_id) if s.start is not None)
        assert first == event.date >= since.date(), event
    # a seller that starts selling a model already priced elsewhere is no new model, and its
    # first price makes no change line: every such seller's first day in the shipped data
    later = price_news(reader, datetime(2025, 1, 1), datetime(2026, 12, 3))
    late_sellers = []
    for model_id in {event.model_id for event in later.new_models} | {c.model_id for c in later.changes}:
        segments = [s for s in timeline_of(reader, model_id) if s.start is not None]
        first = min(s.start for s in segments)
        for line in {s.line for s in segments}:
            start = min(s.start for s in segments if s.line == line)
            if start > first and start >= date(2025, 1, 1):
                late_sellers.append((model_id, line, start))
    assert late_sellers  # the shipped data has sellers that came later
    for model_id, line, start in late_sellers:
        assert not [
            e
            for e in later.new_models
            if e.model_id == model_id and e.date == start and (e.provider, e.tier, e.variant) == line[1:]
        ], (model_id, line)
        assert not [
            c
            for c in later.changes
            if c.model_id == model_id and c.date == start and (c.provider, c.tier, c.variant) == line[1:]
        ], (model_id, line)


def test_a_declared_future_change_is_listed_as_scheduled(reader):
    def gemini(now: datetime) -> list[tuple]:
        news = price_news(reader, datetime(2026, 11, 1), now)
        return [
            (c.date, c.new_input, c.new_output, c.scheduled)
            for c in news.changes
            if c.model_id == "gemini-3.7-flash"
        ]

    assert gemini(datetime(2026, 12, 3, 12)) == [(date(2027, 1, 1), D("1.5"), D("7.5"), True)]
    assert gemini(datetime(2027, 1, 2)) == [(date(2027, 1, 1), D("1.5"), D("7.5"), False)]


def test_the_digest_lines_carry_the_day_the_sources_and_a_source_url(seeded_db_path, capsys):
    assert main(["--db", str(seeded_db_path), "changes", "--since", "2026-08-25", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    [line] = [line for line in markdown.splitlines() if "Claude Sonnet 5 at Anthropic" in line]
    assert line.startswith("- 2026-09-01 Claude Sonnet 5 at Anthropic: input $2 -> $3 (+50%)")
    assert "(genai-prices, llm-prices; declared) <https://" in line
    assert "new offering" not in markdown.lower()
    assert main(["--db", str(seeded_db_path), "changes", "--since", "2026-08-25"]) == 0
    text = capsys.readouterr().out
    assert "2026-09-01 Claude Sonnet 5 at Anthropic: input $2 -> $3 (+50%), output $10 -> $15 (+50%)" in text


def test_the_report_reads_only_the_window_not_every_models_history(reader, monkeypatch):
    """Only the models touched since the window's start are read, and only their intervals in
    force from the day before it (then the few whose first price may be in it, whole)."""
    from frontier_watch.store import price_reads

    calls = []
    real = price_reads.price_pieces

    def counting(reader, model_ids=None, **options):
        rows = real(reader, model_ids, **options)
        calls.append((model_ids, options.get("ending_after"), len(rows)))
        return rows

    monkeypatch.setattr(price_reads, "price_pieces", counting)
    changes_report(reader, datetime(2026, 8, 25), datetime(2026, 12, 3))
    every = reader.scalar("SELECT count(*) FROM price_interval WHERE superseded_at IS NULL")
    models = reader.scalar("SELECT count(DISTINCT model_id) FROM offering")
    assert calls and all(model_ids is not None for model_ids, _, _ in calls)
    windowed = [(ids, rows) for ids, after, rows in calls if after == datetime(2026, 8, 24)]
    assert windowed and sum(len(ids) for ids, _ in windowed) < models / 2
    assert sum(rows for _, _, rows in calls) < every / 4


def test_a_window_from_the_first_day_of_the_calendar_or_beyond_it_is_no_traceback(seeded_db_path, capsys):
    data = run_json(seeded_db_path, capsys, "changes", "--since", "0001-01-01")
    assert any(row["model_id"] == "claude-sonnet-5" for row in data["price_changes"])
    assert main(["--db", str(seeded_db_path), "changes", "--since", "999999d"]) == 2
    err = capsys.readouterr().err
    assert "--since" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
