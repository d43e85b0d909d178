"""The model answer: one reference price per model, seller and tier on a day, and why.

The rules are pinned on small known rows (analytics/model_answer.py is pure), then the cases
of issue 20 on the shipped data through the store read (reports/model_answer.py).
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime
from decimal import Decimal

import pytest

from frontier_watch.analytics.model_answer import (
    AGREES,
    OUTLIER,
    REFERENCE,
    STALE,
    UNDATED,
    Evidence,
    answer_for,
    model_answers,
    unanswered,
)
from frontier_watch.domain.clock import utc_now
from frontier_watch.reports.model_answer import answers_by_model
from frontier_watch.reports.model_answer import model_answers as answers_on
from frontier_watch.store.reading import reader_for

D = Decimal


def row(
    source: str,
    price: tuple[str, str],
    basis: str = "declared",
    start: datetime | None = None,
    *,
    provider: str = "Anthropic",
    tier: str = "default",
    offering: str = "claude-x",
    flag: str | None = None,
    variant: str = "",
    end: datetime | None = None,
) -> Evidence:
    return Evidence(
        source=source,
        provider=provider,
        tier=tier,
        offering_id=offering,
        input=D(price[0]),
        output=D(price[1]),
        basis=basis,
        effective_from=start,
        effective_to=end,
        lab="Anthropic",
        flag=flag,
        variant=variant,
    )


def verdicts(answer) -> dict[str, str]:
    return {judged.evidence.source: judged.verdict for judged in answer.evidence}


# ---------------------------------------------------------------- the rules, on known rows


def test_a_newer_declared_change_beats_an_older_observed_snapshot():
    answer = answer_for(
        "Anthropic",
        "default",
        [
            row("litellm", ("2", "10"), "reconstructed", datetime(2026, 7, 3, 20, 19)),
            row("genai-prices", ("3", "15"), "declared", datetime(2026, 9, 1)),
            row("llm-prices", ("3", "15"), "declared", datetime(2026, 9, 1)),
        ],
    )
    assert answer.price == (D(3), D(15))
    assert verdicts(answer) == {"genai-prices": REFERENCE, "llm-prices": AGREES, "litellm": STALE}
    assert answer.why == "first-party, declared by 2 sources; 1 stale"
    [stale] = answer.with_verdict(STALE)
    assert stale.note == "older than the change to 3/15 on 2026-09-01"


def test_a_stated_date_beats_a_newer_observed_one():
    # a scraper's date says when a snapshot was taken, not when the price began
    answer = answer_for(
        "Anthropic",
        "default",
        [
            row("curated", ("1.1", "4.4"), "curated", datetime(2025, 1, 1)),
            row("litellm", ("3", "12"), "reconstructed", datetime(2025, 2, 6)),
        ],
    )
    assert answer.reference.source == "curated"
    assert verdicts(answer)["litellm"] == OUTLIER


def test_on_the_same_start_day_curated_beats_declared():
    answer = answer_for(
        "Anthropic",
        "default",
        [
            row("llm-prices", ("4", "20"), "declared", datetime(2025, 5, 1)),
            row("curated", ("3", "15"), "curated", datetime(2025, 5, 1)),
        ],
    )
    assert answer.reference.source == "curated"
    assert verdicts(answer)["llm-prices"] == OUTLIER
    assert answer.why == "first-party, curated by 1 source; 1 outlier"


def test_a_newer_declared_change_beats_an_older_curated_price():
    answer = answer_for(
        "Anthropic",
        "default",
        [
            row("curated", ("10", "40"), "curated", datetime(2025, 4, 16)),
            row("genai-prices", ("2", "8"), "declared", datetime(2025, 6, 10)),
        ],
    )
    assert answer.price == (D(2), D(8))
    assert verdicts(answer)["curated"] == STALE


def test_dated_evidence_beats_undated_even_curated():
    answer = answer_for(
        "Anthropic",
        "default",
        [
            row("curated", ("2.5", "10"), "curated", None),
            row("llm-prices", ("2.5", "10"), "declared", None),
            row("litellm", ("5", "15"), "reconstructed", datetime(2024, 5, 13)),
        ],
    )
    assert answer.price == (D(5), D(15))
    assert verdicts(answer) == {"litellm": REFERENCE, "curated": UNDATED, "llm-prices": UNDATED}
    assert answer.why == "first-party, observed by 1 source; 2 undated"


def test_without_dates_curated_then_most_sources():
    curated = answer_for(
        "Anthropic",
        "default",
        [row("llm-prices", ("1", "2"), "declared"), row("curated", ("3", "4"), "curated")],
    )
    assert curated.reference.source == "curated"
    assert verdicts(curated)["llm-prices"] == UNDATED
    majority = answer_for(
        "Anthropic",
        "default",
        [
            row("a", ("1", "2"), "declared"),
            row("b", ("3", "4"), "declared"),
            row("c", ("3", "4"), "reconstructed"),
        ],
    )
    assert majority.price == (D(3), D(4))
    assert majority.why == "first-party, undated by 2 sources; 1 undated"


def test_a_flagged_row_is_never_the_reference():
    answer = answer_for(
        "Anthropic",
        "default",
        [
            row("openrouter", ("0.03", "15"), "reconstructed", datetime(2025, 9, 1), flag="unit-error"),
            row("genai-prices", ("3", "15"), "declared", datetime(2025, 1, 1)),
        ],
    )
    assert answer.reference.source == "genai-prices"
    [flagged] = answer.with_verdict(OUTLIER)
    assert flagged.evidence.source == "openrouter" and flagged.note == "flagged: unit-error"
    assert answer_for("Anthropic", "default", [row("x", ("0", "0"), flag="unit-error")]) is None


def test_a_price_given_by_only_one_side_agrees_where_both_give_it():
    half = Evidence("b", "Anthropic", "default", "claude-x", D(3), None, "declared", datetime(2025, 1, 1))
    answer = answer_for(
        "Anthropic", "default", [row("a", ("3", "15"), "declared", datetime(2025, 1, 1)), half]
    )
    assert verdicts(answer)["b"] == AGREES


def test_one_answer_per_seller_and_tier_and_a_resold_one_says_so():
    answers = model_answers(
        [
            row("a", ("3", "15"), start=datetime(2025, 1, 1)),
            row("a", ("1.5", "7.5"), start=datetime(2025, 1, 1), tier="batch"),
            row("b", ("3.3", "16.5"), start=datetime(2025, 1, 1), provider="Amazon"),
        ]
    )
    assert [(answer.provider, answer.tier) for answer in answers] == [
        ("Amazon", "default"),
        ("Anthropic", "default"),
        ("Anthropic", "batch"),
    ]
    assert answers[0].why == "resold, declared by 1 source"


def test_the_answer_does_not_depend_on_the_row_order():
    rows = [
        row("a", ("1", "2"), "declared", datetime(2025, 3, 1)),
        row("b", ("3", "4"), "declared", datetime(2025, 3, 1)),
    ]
    assert answer_for("Anthropic", "default", rows) == answer_for("Anthropic", "default", rows[::-1])


def test_a_model_whose_every_row_is_flagged_is_unanswered_and_says_why():
    rows = [
        row("litellm", ("0.15", "0.0375"), "reconstructed", datetime(2025, 2, 6), flag="swapped"),
        row("openrouter", ("0.0375", "150"), "reconstructed", datetime(2025, 3, 1), flag="unit-error"),
        row("openrouter", ("0", "0"), "reconstructed", datetime(2025, 3, 1), tier="free", flag="zero"),
    ]
    assert model_answers(rows) == []
    none = unanswered(rows)
    assert [(item.provider, item.tier) for item in none] == [("Anthropic", "default"), ("Anthropic", "free")]
    assert none[0].why == "no reference: every price is flagged as implausible (1 swapped, 1 unit-error)"
    assert none[1].why == "no reference: its only price is flagged as implausible (1 zero)"
    assert {judged.verdict for item in none for judged in item.evidence} == {OUTLIER}
    assert none[0].evidence[0].note == "flagged: swapped"


def test_a_model_with_any_answer_has_no_unanswered_seller_or_tier():
    rows = [
        row("genai-prices", ("3", "15"), "declared", datetime(2025, 1, 1)),
        row("openrouter", ("0", "0"), "reconstructed", datetime(2025, 3, 1), tier="free", flag="zero"),
    ]
    assert unanswered(rows) == []


def store_row(source, offering, price, start, *, flag=None, provider="Anthropic"):
    """A store price row as answers_by_model reads it (a dict answers by name like a PriceRow)."""
    return {
        "model_id": "claude-x",
        "model_name": "Claude X",
        "source": source,
        "provider": provider,
        "tier": "default",
        "offering_id": offering,
        "input": D(price[0]),
        "output": D(price[1]),
        "basis": "declared",
        "effective_from": start,
        "effective_to": None,
        "lab": "Anthropic",
        "platform": None,
        "flag": flag,
        "source_url": None,
    }


def test_sources_disagree_across_offering_ids_of_one_model_seller_and_tier():
    """LiteLLM's dated key and llm-prices' plain id are one model, seller and tier: compared."""
    rows = [
        store_row("genai-prices", "claude-x", ("3", "15"), datetime(2025, 6, 1)),
        store_row("litellm", "claude-x-20250301", ("2", "10"), datetime(2025, 3, 1)),
    ]
    [answered] = answers_by_model(rows)
    assert answered.disagrees()
    assert [(item.row["offering_id"], item.verdict) for item in answered.evidence] == [
        ("claude-x", REFERENCE),
        ("claude-x-20250301", STALE),
    ]


def test_one_source_two_ids_agreeing_sources_and_flagged_rows_are_no_disagreement():
    one_source = [
        store_row("litellm", "claude-x", ("3", "15"), datetime(2025, 6, 1)),
        store_row("litellm", "eu.claude-x", ("3.3", "16.5"), datetime(2025, 6, 1)),
    ]
    agreeing = [
        store_row("genai-prices", "claude-x", ("3", "15"), datetime(2025, 6, 1)),
        store_row("litellm", "claude-x-20250601", ("3", "15"), datetime(2025, 6, 2)),
    ]
    flagged = [
        store_row("genai-prices", "claude-x", ("3", "15"), datetime(2025, 6, 1)),
        store_row("openrouter", "acme/claude-x", ("0.003", "15"), datetime(2025, 6, 1), flag="unit-error"),
    ]
    other_seller = [
        store_row("genai-prices", "claude-x", ("3", "15"), datetime(2025, 6, 1)),
        store_row("litellm", "claude-x", ("3.3", "16.5"), datetime(2025, 6, 1), provider="Amazon"),
    ]
    for rows in (one_source, agreeing, flagged, other_seller):
        assert not any(answered.disagrees() for answered in answers_by_model(rows)), rows


def test_a_model_with_no_answer_is_listed_without_a_reference():
    rows = [store_row("litellm", "claude-x", ("0.15", "0.0375"), datetime(2025, 2, 6), flag="swapped")]
    [answered] = answers_by_model(rows)
    assert not answered.has_reference and not answered.disagrees()
    assert answered.answer.why == "no reference: its only price is flagged as implausible (1 swapped)"
    assert answered.reference is rows[0]  # it stands for the model, seller and tier


def test_variants_of_one_seller_are_judged_apart_never_as_outliers():
    # GPT-4 and GPT-4-32k: two price points of one model and seller, not a disagreement
    answers = model_answers(
        [
            row("curated", ("60", "120"), "curated", datetime(2023, 3, 14), offering="gpt-4-32k",
                variant="32k context"),
            row("curated", ("30", "60"), "curated", datetime(2023, 3, 14), offering="gpt-4"),
        ]
    )  # fmt: skip
    assert [(a.provider, a.tier, a.variant, a.price) for a in answers] == [
        ("Anthropic", "default", "", (D(30), D(60))),
        ("Anthropic", "default", "32k context", (D(60), D(120))),
    ]
    assert all(judged.verdict == REFERENCE for answer in answers for judged in answer.evidence)
    assert [answer.why for answer in answers] == ["first-party, curated by 1 source"] * 2


def test_a_regional_price_is_judged_with_the_regional_rows_only():
    # Bedrock: the global 3/15 and the regional 3.3/16.5 declared from 2026-09-01; a regional
    # 2.2/11 observed in July is stale against the regional change, not the global one
    sept, july = datetime(2026, 9, 1), datetime(2026, 7, 3)
    answers = model_answers(
        [
            row("genai-prices", ("3", "15"), "declared", sept, provider="Amazon", offering="global.x"),
            row("genai-prices", ("3.3", "16.5"), "declared", sept, provider="Amazon", offering="regional.x",
                variant="regional"),
            row("litellm", ("2.2", "11"), "reconstructed", july, provider="Amazon", offering="us.x",
                variant="regional"),
        ]
    )  # fmt: skip
    plain, regional = answers
    assert (plain.variant, plain.price, plain.why) == ("", (D(3), D(15)), "resold, declared by 1 source")
    assert (regional.variant, regional.price) == ("regional", (D("3.3"), D("16.5")))
    assert verdicts(regional) == {"genai-prices": REFERENCE, "litellm": STALE}
    assert regional.why == "resold, declared by 1 source; 1 stale"


def test_a_price_with_a_stated_end_outranks_an_undated_one_and_says_so():
    # genai-prices: 0.75/3.75 until 2027-01-01 (no start stated); llm-prices: 1.5/7.5, no date
    until = datetime(2027, 1, 1)
    ended = row("z-ended", ("0.75", "3.75"), end=until)
    answer = answer_for("Anthropic", "default", [row("a-undated", ("1.5", "7.5")), ended])
    assert answer.price == (D("0.75"), D("3.75"))
    assert answer.why == "first-party, declared until 2027-01-01 by 1 source; 1 undated"
    [undated] = answer.with_verdict(UNDATED)
    assert undated.note == "no start date; the reference 0.75/3.75 is declared until 2027-01-01"
    # a start date still beats a stated end alone
    observed = row("b", ("1", "4"), "reconstructed", datetime(2026, 8, 1))
    assert answer_for("Anthropic", "default", [ended, observed]).price == (D(1), D(4))


# ---------------------------------------------------------------- the shipped data


@pytest.fixture
def reader(seeded_database):
    with closing(reader_for(seeded_database)) as reader:
        yield reader


def one(answers, provider: str, tier: str = "default", variant: str = ""):
    [answer] = [a for a in answers if (a.provider, a.tier, a.variant) == (provider, tier, variant)]
    return answer


def test_claude_sonnet_5_today_is_3_15_with_litellm_2_10_stale(reader):
    today = max(utc_now(), datetime(2026, 9, 2))
    answer = one(answers_on(reader, "claude-sonnet-5", today), "Anthropic")
    assert answer.price == (D(3), D(15))
    assert answer.reference.basis == "declared" and answer.reference.effective_from == datetime(2026, 9, 1)
    stale = {(judged.evidence.source, judged.evidence.price) for judged in answer.with_verdict(STALE)}
    assert stale == {("litellm", (D(2), D(10)))}
    assert answer.why == "first-party, declared by 2 sources; 1 stale"


def test_gpt_4o_on_2024_06_01_is_5_15_and_no_2_5_10(reader):
    answers = answers_on(reader, "gpt-4o", datetime(2024, 6, 1))
    assert one(answers, "OpenAI").price == (D(5), D(15))
    prices = {judged.evidence.price for answer in answers for judged in answer.evidence}
    assert (D("2.5"), D(10)) not in prices


def test_o1_mini_on_2024_09_20_is_3_12(reader):
    answers = answers_on(reader, "o1-mini", datetime(2024, 9, 20))
    assert one(answers, "OpenAI").price == (D(3), D(12))
    prices = {judged.evidence.price for answer in answers for judged in answer.evidence}
    assert (D("1.1"), D("4.4")) not in prices


def test_gpt_4_32k_is_a_variant_of_gpt_4_not_an_outlier(reader):
    answers = answers_on(reader, "gpt-4", datetime(2023, 3, 20))
    assert [(a.provider, a.variant, a.price) for a in answers] == [
        ("OpenAI", "", (D(30), D(60))),
        ("OpenAI", "32k context", (D(60), D(120))),
    ]
    assert not [judged for answer in answers for judged in answer.evidence if judged.verdict == OUTLIER]


def test_claude_sonnet_5_on_bedrock_answers_global_and_regional_apart(reader):
    today = max(utc_now(), datetime(2026, 9, 2))
    answers = [a for a in answers_on(reader, "claude-sonnet-5", today) if a.provider == "Amazon"]
    assert [(a.variant, a.price) for a in answers] == [
        ("", (D(3), D(15))),
        ("regional", (D("3.3"), D("16.5"))),
    ]
    plain, regional = answers
    # the July snapshots of each are stale against the change of their own price point
    assert {(j.evidence.offering_id, j.verdict) for j in plain.evidence} == {
        ("global.anthropic.claude-sonnet-5-v1:0", REFERENCE),
        ("anthropic.claude-sonnet-5", STALE),
        ("global.anthropic.claude-sonnet-5", STALE),
    }
    assert {j.evidence.price for j in regional.with_verdict(STALE)} == {(D("2.2"), D(11))}
    prefixes = {j.evidence.offering_id.split(".")[0] for j in regional.evidence}
    assert prefixes == {"regional", "us", "eu", "au", "jp"}
    assert not regional.with_verdict(OUTLIER) and not plain.with_verdict(OUTLIER)


@pytest.mark.parametrize(
    ("model", "launch", "long_context", "after"),
    [
        ("gpt-5.6-luna", (D(1), D(6)), (D(2), D(9)), (D("0.2"), D("1.2"))),
        ("gpt-5.6-terra", (D("2.5"), D(15)), (D(5), D("22.5")), (D(2), D(12))),
    ],
)
def test_gpt_5_6_launch_prices_answer_before_the_2026_07_30_change(
    reader, model, launch, long_context, after
):
    # issue 20: the launch price has no start date but its sources state when it ended; no
    # release day is known, so it answers from the earliest dated evidence of sale (LiteLLM's
    # sheet listed the model on 2026-07-09, at the same price) up to that end
    before = answers_on(reader, model, datetime(2026, 7, 28))
    assert one(before, "OpenAI").price == launch
    assert one(before, "OpenAI", "long-context>272k").price == long_context
    assert one(before, "OpenAI").why == (
        "first-party, observed by 1 source, declared until 2026-07-30 by 2 sources"
    )
    assert {(j.evidence.source, j.verdict) for j in one(before, "OpenAI").evidence} == {
        ("litellm", REFERENCE),
        ("genai-prices", AGREES),
        ("llm-prices", AGREES),
    }
    assert one(before, "Amazon").price == tuple(price * D("1.1") for price in launch)
    assert one(answers_on(reader, model, datetime(2026, 7, 30)), "OpenAI").price == after
    # and never before that evidence: no stretched launch price
    for day in (datetime(2024, 1, 1), datetime(2026, 7, 1), datetime(2026, 7, 8)):
        assert answers_on(reader, model, day) == []


def test_other_prices_with_a_stated_end_answer_from_the_release_day(reader):
    # o3's launch price in genai-prices ends 2025-06-10 with no start: from o3's release on
    answer = one(answers_on(reader, "o3", datetime(2025, 4, 20)), "OpenAI")
    assert answer.price == (D(10), D(40))
    assert ("genai-prices", AGREES) in {(j.evidence.source, j.verdict) for j in answer.evidence}
    # llm-prices' deepseek-chat 0.14/0.28 until 2025-02-08: DeepSeek-V3's, as the alias served it
    v3 = one(answers_on(reader, "deepseek-v3", datetime(2025, 1, 15)), "DeepSeek")
    assert v3.price == (D("0.14"), D("0.28"))
    assert ("llm-prices", AGREES) in {(j.evidence.source, j.verdict) for j in v3.evidence}
    # an undated price without an end still answers only from when first seen
    assert one(answers_on(reader, "gpt-4o", datetime(2024, 6, 1)), "OpenAI").price == (D(5), D(15))
