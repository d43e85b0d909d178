"""The model timeline: the reference price's segments per seller and tier (``history MODEL``).

Pinned on small known rows (analytics/model_timeline.py is pure), then on the shipped data
through the store read and the CLI.
"""

from __future__ import annotations

import json
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal

import pytest

from frontier_watch.analytics.model_answer import Evidence
from frontier_watch.analytics.model_changes import reference_changes
from frontier_watch.analytics.model_timeline import Placed, change_points, model_timeline
from frontier_watch.cli import main
from frontier_watch.render.timeline_rows import TIMELINE_KEYS
from frontier_watch.reports.model_timeline import model_timeline as timeline_of
from frontier_watch.store.reading import reader_for

D = Decimal


def placed(
    source: str,
    price: tuple[str, str],
    start: date | None,
    end: date | None = None,
    *,
    basis: str = "declared",
    dated: bool = True,
    provider: str = "Anthropic",
    variant: str = "",
) -> Placed:
    evidence = Evidence(
        source=source,
        provider=provider,
        tier="default",
        offering_id=f"{source}-x",
        input=D(price[0]),
        output=D(price[1]),
        basis=basis,
        effective_from=datetime.combine(start, datetime.min.time()) if dated and start else None,
        lab="Anthropic",
        variant=variant,
    )
    return Placed("x", "X", evidence, start, end)


def spans(segments) -> list[tuple]:
    return [(s.provider, s.start, s.end, (s.input, s.output), s.sources) for s in segments]


def test_a_declared_change_splits_the_timeline_and_equal_segments_merge():
    rows = [
        placed("a", ("2", "10"), date(2026, 7, 3), date(2026, 9, 1)),
        placed("a", ("3", "15"), date(2026, 9, 1)),
        # b says 2/10 from July 10 on, never closed: stale once a's change starts.
        placed("b", ("2", "10"), date(2026, 7, 10), basis="reconstructed"),
    ]
    assert change_points(rows) == [date(2026, 7, 3), date(2026, 7, 10), date(2026, 9, 1)]
    assert spans(model_timeline(rows)) == [
        ("Anthropic", date(2026, 7, 3), date(2026, 9, 1), (D(2), D(10)), ("a", "b")),
        ("Anthropic", date(2026, 9, 1), None, (D(3), D(15)), ("a",)),
    ]


def test_a_day_without_evidence_leaves_a_gap():
    rows = [
        placed("a", ("1", "2"), date(2025, 1, 1), date(2025, 2, 1)),
        placed("a", ("1", "2"), date(2025, 3, 1)),
    ]
    assert spans(model_timeline(rows)) == [
        ("Anthropic", date(2025, 1, 1), date(2025, 2, 1), (D(1), D(2)), ("a",)),
        ("Anthropic", date(2025, 3, 1), None, (D(1), D(2)), ("a",)),
    ]


def test_an_undated_row_answers_until_dated_evidence_covers_the_day():
    rows = [
        placed("u", ("5", "5"), date(2025, 1, 1), dated=False),
        placed("a", ("4", "8"), date(2025, 6, 1)),
    ]
    assert spans(model_timeline(rows)) == [
        ("Anthropic", date(2025, 1, 1), date(2025, 6, 1), (D(5), D(5)), ("u",)),
        ("Anthropic", date(2025, 6, 1), None, (D(4), D(8)), ("a",)),
    ]


def test_each_seller_has_its_own_segments_and_row_order_does_not_matter():
    rows = [
        placed("a", ("3", "15"), date(2026, 1, 1)),
        placed("b", ("3.3", "16.5"), date(2026, 2, 1), provider="Amazon"),
    ]
    timeline = model_timeline(rows)
    assert spans(timeline) == [
        ("Amazon", date(2026, 2, 1), None, (D("3.3"), D("16.5")), ("b",)),
        ("Anthropic", date(2026, 1, 1), None, (D(3), D(15)), ("a",)),
    ]
    assert model_timeline(rows[::-1]) == timeline


def test_each_variant_has_its_own_segments_and_no_change_between_variants():
    rows = [
        placed("a", ("2", "10"), date(2026, 7, 3), date(2026, 9, 1), provider="Amazon"),
        placed("a", ("3", "15"), date(2026, 9, 1), provider="Amazon"),
        placed("r", ("2.2", "11"), date(2026, 7, 3), date(2026, 9, 1), provider="Amazon", variant="regional"),
        placed("r", ("3.3", "16.5"), date(2026, 9, 1), provider="Amazon", variant="regional"),
    ]
    segments = model_timeline(rows)
    assert [(s.variant, s.start, (s.input, s.output)) for s in segments] == [
        ("", date(2026, 7, 3), (D(2), D(10))),
        ("", date(2026, 9, 1), (D(3), D(15))),
        ("regional", date(2026, 7, 3), (D("2.2"), D(11))),
        ("regional", date(2026, 9, 1), (D("3.3"), D("16.5"))),
    ]
    changes = reference_changes(segments, date(2026, 1, 1), date(2027, 1, 1), today=date(2026, 9, 2))
    assert [(c.variant, c.old_input, c.new_input) for c in changes] == [
        ("", D(2), D(3)),
        ("regional", D("2.2"), D("3.3")),
    ]
    # a plain segment right after a regional one of another price is not a change
    one_each = [
        placed("r", ("9", "9"), date(2026, 1, 1), date(2026, 2, 1), variant="regional"),
        placed("a", ("1", "1"), date(2026, 2, 1)),
    ]
    assert not reference_changes(
        model_timeline(one_each), date(2026, 1, 1), date(2027, 1, 1), date(2026, 9, 2)
    )


# ---------------------------------------------------------------- the shipped data


@pytest.fixture
def reader(seeded_database):
    with closing(reader_for(seeded_database)) as reader:
        yield reader


def seller(segments, provider: str, variant: str = "", tier: str = "default") -> list[tuple]:
    return [
        (s.start, s.end, (s.input, s.output))
        for s in segments
        if (s.provider, s.tier, s.variant) == (provider, tier, variant)
    ]


def test_o3_shows_its_launch_price_then_the_cut(reader):
    openai = seller(timeline_of(reader, "o3"), "OpenAI")
    assert [price for _, _, price in openai] == [(D(10), D(40)), (D(2), D(8))]
    assert openai[0][1] == openai[1][0]  # the cut ends the launch price
    assert openai[1][1] is None


def test_claude_sonnet_5_shows_2_10_then_3_15_from_2026_09_01(reader):
    segments = timeline_of(reader, "claude-sonnet-5")
    anthropic = seller(segments, "Anthropic")
    prices = [price for _, _, price in anthropic]
    assert prices[-2:] == [(D(2), D(10)), (D(3), D(15))]
    assert anthropic[-1][0] == date(2026, 9, 1) and anthropic[-1][1] is None
    [last] = [s for s in segments if s.provider == "Anthropic" and s.start == date(2026, 9, 1)]
    assert {"genai-prices", "llm-prices"} <= set(last.sources) and "litellm" not in last.sources


def test_history_json_is_the_timeline_and_offerings_the_raw_intervals(seeded_db_path, capsys):
    db = str(seeded_db_path)
    assert main(["--db", db, "history", "o3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert list(rows[0]) == TIMELINE_KEYS and set(rows[0]) == {
        "model_id", "model_name", "provider", "tier", "variant", "from", "to",
        "input_usd_per_mtok", "output_usd_per_mtok", "sources", "why",
    }  # fmt: skip
    openai = [(r["input_usd_per_mtok"], r["output_usd_per_mtok"]) for r in rows if r["provider"] == "OpenAI"]
    assert openai == [(10, 40), (2, 8)]
    assert main(["--db", db, "history", "o3", "--offerings", "--json"]) == 0
    raw = json.loads(capsys.readouterr().out)
    assert {"offering_id", "source", "effective_from", "basis"} <= set(raw[0])
    assert "o3-2025-04-16" in {r["offering_id"] for r in raw}


def test_claude_sonnet_5_on_bedrock_has_a_global_and_a_regional_timeline(reader):
    segments = timeline_of(reader, "claude-sonnet-5")
    assert [price for _, _, price in seller(segments, "Amazon")][-2:] == [(D(2), D(10)), (D(3), D(15))]
    regional = seller(segments, "Amazon", "regional")
    assert [price for _, _, price in regional][-2:] == [(D("2.2"), D(11)), (D("3.3"), D("16.5"))]
    assert regional[-1][0] == date(2026, 9, 1)
    assert {s.variant for s in segments} == {"", "regional"}


def test_gpt_4_32k_has_its_own_timeline_beside_gpt_4(reader):
    segments = timeline_of(reader, "gpt-4")
    assert seller(segments, "OpenAI")[0][2] == (D(30), D(60))
    assert seller(segments, "OpenAI", "32k context")[0][2] == (D(60), D(120))


def test_gpt_5_6_luna_shows_its_launch_price_then_the_2026_07_30_change(reader):
    segments = timeline_of(reader, "gpt-5.6-luna")
    assert seller(segments, "OpenAI") == [
        # no release day known: from the day LiteLLM's sheet listed it (its earliest dated evidence)
        (date(2026, 7, 9), date(2026, 7, 30), (D(1), D(6))),
        (date(2026, 7, 30), None, (D("0.2"), D("1.2"))),
    ]
    assert [price for _, _, price in seller(segments, "OpenAI", tier="long-context>272k")] == [
        (D(2), D(9)),
        (D("0.4"), D("1.8")),
    ]


def test_history_shows_the_variant_beside_the_tier_at_80_columns(seeded_db_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--db", str(seeded_db_path), "history", "claude-sonnet-5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "variant" in lines[0]
    assert [line for line in lines if "Amazon" in line and "regional" in line and "3.3" in line]
    assert main(["--db", str(seeded_db_path), "history", "o3-pro"]) == 0  # no variant: no column
    assert "variant" not in capsys.readouterr().out.splitlines()[0]
