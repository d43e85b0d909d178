"""The rules that make a price right on every day, each on small known data.

attribution.py (which model a price answers for, on which days), anomalies.py (suspect
prices), disagreements.py (sources that disagree) and organisations.py (one spelling per
organisation) are pure, so each rule is pinned here without a database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from frontier_watch.domain.anomalies import PricePoint, detect, is_free_variant
from frontier_watch.domain.attribution import Life, ModelSpan, answering_pieces, piece_on
from frontier_watch.domain.disagreements import judge
from frontier_watch.domain.organisations import canonical_organisation, is_canonical, seller
from frontier_watch.domain.vocabulary import PriceFlag

D = Decimal
SEEN = datetime(2026, 8, 5)

# deepseek-chat's spans as the crosswalk states them
CHAT = (
    ModelSpan("deepseek-v2", None, datetime(2024, 12, 26)),
    ModelSpan("deepseek-v3", datetime(2024, 12, 26), datetime(2025, 8, 21)),
    ModelSpan("deepseek-v3.1", datetime(2025, 8, 21), datetime(2025, 9, 29)),
    ModelSpan("deepseek-v3.2-exp", datetime(2025, 9, 29), None),
)
LIVES = {
    "deepseek-v2": Life(date(2024, 5, 7)),
    "deepseek-v3": Life(date(2024, 12, 26)),
    "deepseek-v3.1": Life(date(2025, 8, 21)),
    "deepseek-v3.2-exp": Life(date(2025, 9, 29)),
    "mistral-large-2411": Life(date(2024, 11, 18), released_from="models.dev"),
    "gpt-4.5": Life(date(2025, 2, 27), date(2025, 7, 14), "curated releases", "facts/prices.csv"),
}


# ---------------------------------------------------------------- attribution


def test_a_price_of_a_moving_alias_is_split_where_the_alias_moved():
    pieces = answering_pieces(
        datetime(2025, 2, 8), datetime(2025, 9, 5), SEEN, "deepseek-v3.2-exp", CHAT, LIVES
    )
    assert [(piece.model_id, piece.start, piece.end) for piece in pieces] == [
        ("deepseek-v3", datetime(2025, 2, 8), datetime(2025, 8, 21)),
        ("deepseek-v3.1", datetime(2025, 8, 21), datetime(2025, 9, 5)),
    ]
    assert pieces[0].clipped and "served deepseek-v3" in pieces[0].clipped
    assert piece_on(pieces, datetime(2025, 9, 1)).model_id == "deepseek-v3.1"
    assert piece_on(pieces, datetime(2025, 9, 6)) is None


def test_an_undated_price_of_a_moving_alias_is_what_it_served_when_first_seen():
    # answers from when first seen, not from the day the alias moved to that model
    [piece] = answering_pieces(None, None, SEEN, "deepseek-v3.2-exp", CHAT, LIVES)
    assert (piece.model_id, piece.start, piece.end) == ("deepseek-v3.2-exp", SEEN, None)


def test_a_price_of_a_moving_alias_with_only_an_end_is_what_it_served_before_that_end():
    # llm-prices: deepseek-chat at 0.14/0.28 until 2025-02-08, no start: the alias served
    # DeepSeek-V3 then, so it is V3's price from the day the alias moved to V3 to that end
    [piece] = answering_pieces(None, datetime(2025, 2, 8), SEEN, "deepseek-v3.2-exp", CHAT, LIVES)
    assert piece.model_id == "deepseek-v3"
    assert (piece.start, piece.end) == (datetime(2024, 12, 26), datetime(2025, 2, 8))
    assert piece.covers(datetime(2025, 1, 15)) and not piece.covers(datetime(2025, 2, 8))


def test_a_month_precision_start_begins_at_the_release_day():
    [piece] = answering_pieces(datetime(2024, 11, 1), None, SEEN, "mistral-large-2411", (), LIVES)
    assert piece.start == datetime(2024, 11, 18)
    assert "before the model's release on 2024-11-18 (models.dev)" in piece.clipped
    assert not piece.covers(datetime(2024, 11, 10)) and piece.covers(datetime(2024, 11, 20))


def test_an_undated_start_is_when_first_seen_never_the_release_day():
    # issue 20: a release day known does not stretch an undated price back to it
    [known] = answering_pieces(None, None, SEEN, "mistral-large-2411", (), LIVES)
    assert known.start == SEEN and "first seen, 2026-08-05" in known.clipped
    assert not known.covers(datetime(2024, 11, 20)) and known.covers(SEEN)
    # seen before the release (a fetch of a pre-announced price): the release still bounds it
    [early] = answering_pieces(None, None, datetime(2024, 11, 1), "mistral-large-2411", (), LIVES)
    assert early.start == datetime(2024, 11, 18)
    [unknown] = answering_pieces(None, None, SEEN, "brand-new-model", (), LIVES)
    assert unknown.start == SEEN and "first seen" in unknown.clipped


def test_a_price_with_only_a_stated_end_answers_up_to_it_from_the_release_day():
    # issue 20: a launch price the source states only the end of ("until 2025-01-01"), first
    # seen on 2026-08-05, answers up to that end, not from first seen; a release day known bounds it
    [known] = answering_pieces(None, datetime(2025, 1, 1), SEEN, "mistral-large-2411", (), LIVES)
    assert (known.start, known.end) == (datetime(2024, 11, 18), datetime(2025, 1, 1))
    assert "in force until 2025-01-01, from the release on 2024-11-18 (models.dev)" in known.clipped
    assert not known.covers(datetime(2024, 11, 10)) and known.covers(datetime(2024, 12, 1))
    # an end after first seen: the same, not from first seen
    [later] = answering_pieces(None, datetime(2026, 9, 1), SEEN, "mistral-large-2411", (), LIVES)
    assert later.start == datetime(2024, 11, 18) and later.covers(datetime(2025, 6, 1))
    # an end within the model's retirement: both bounds hold
    [retired] = answering_pieces(None, datetime(2025, 9, 1), SEEN, "gpt-4.5", (), LIVES)
    assert (retired.start, retired.end) == (datetime(2025, 2, 27), datetime(2025, 7, 14))


# GPT-5.6 Luna's launch price: 1/6 "until 2026-07-30", no start stated, first seen 2026-08-05
UNTIL = datetime(2026, 7, 30)


def test_a_stated_end_without_a_release_day_answers_from_the_earliest_dated_evidence_of_sale():
    # no release day known, but a source dates the model on sale from 2026-07-09 (LiteLLM's
    # sheet listed it then): the launch price answers from that day to its end, never before
    listed = {"gpt-5.6-luna": Life(on_sale=date(2026, 7, 9), on_sale_from="litellm gpt-5.6-luna")}
    [luna] = answering_pieces(None, UNTIL, SEEN, "gpt-5.6-luna", (), listed)
    assert (luna.start, luna.end) == (datetime(2026, 7, 9), UNTIL)
    assert luna.clipped == (
        "no start date: in force until 2026-07-30, from 2026-07-09, the earliest day a source "
        "dates the model on sale (litellm gpt-5.6-luna)"
    )
    assert luna.covers(datetime(2026, 7, 28)) and not luna.covers(datetime(2026, 7, 1))
    assert not luna.covers(datetime(2024, 1, 1)) and not luna.covers(UNTIL)
    # the price itself first seen before any other dated evidence: from when it was first seen
    [seen_first] = answering_pieces(None, UNTIL, datetime(2026, 7, 5), "gpt-5.6-luna", (), listed)
    assert seen_first.start == datetime(2026, 7, 5) and "first seen, 2026-07-05" in seen_first.clipped
    # a release day known is the bound, whatever else is dated
    both = {"gpt-5.6-luna": Life(date(2026, 7, 14), released_from="test", on_sale=date(2026, 7, 9))}
    [released] = answering_pieces(None, UNTIL, SEEN, "gpt-5.6-luna", (), both)
    assert released.start == datetime(2026, 7, 14) and "from the release on 2026-07-14" in released.clipped
    # evidence dated only on or after the end: the price answers for no day
    late = {"gpt-5.6-luna": Life(on_sale=date(2026, 7, 30), on_sale_from="genai-prices gpt-5.6-luna")}
    [never] = answering_pieces(None, UNTIL, SEEN, "gpt-5.6-luna", (), late)
    assert never.empty and not never.covers(datetime(2026, 7, 28))


def test_a_stated_end_with_nothing_dated_answers_for_no_day_before_first_seen():
    # no release day, no dated evidence of sale: never since ever, only from when first seen;
    # closed before it was first seen, it answers for no day and says why
    [luna] = answering_pieces(None, UNTIL, SEEN, "brand-new-model", (), LIVES)
    assert luna.start == SEEN and luna.empty
    assert not any(luna.covers(day) for day in (datetime(2024, 1, 1), datetime(2026, 7, 28), SEEN))
    assert luna.clipped == (
        "no start date: in force until 2026-07-30; no release day and no earlier dated evidence "
        "of sale known: answers from when first seen, 2026-08-05"
    )
    # first seen before its end: from then up to the end
    [seen] = answering_pieces(None, UNTIL, datetime(2026, 7, 20), "brand-new-model", (), LIVES)
    assert (seen.start, seen.end) == (datetime(2026, 7, 20), UNTIL)
    assert seen.covers(datetime(2026, 7, 28)) and not seen.covers(datetime(2026, 7, 19))


def test_a_stated_end_of_a_moving_alias_is_bounded_for_the_model_it_served():
    # the alias's first span has no start: the model it served then is bounded like any other
    spans = (
        ModelSpan("old-model", None, datetime(2026, 1, 1)),
        ModelSpan("new-model", datetime(2026, 1, 1), None),
    )
    end = datetime(2025, 6, 1)
    [bare] = answering_pieces(None, end, SEEN, "new-model", spans, {})
    assert bare.model_id == "old-model" and bare.empty  # nothing dated: no day
    dated = {"old-model": Life(on_sale=date(2025, 3, 1), on_sale_from="test")}
    [piece] = answering_pieces(None, end, SEEN, "new-model", spans, dated)
    assert (piece.model_id, piece.start, piece.end) == ("old-model", datetime(2025, 3, 1), end)
    assert "served old-model" in piece.clipped and "earliest day a source dates" in piece.clipped


def test_no_price_from_the_retirement_day_on():
    [piece] = answering_pieces(datetime(2025, 2, 27), None, SEEN, "gpt-4.5", (), LIVES)
    assert piece.end == datetime(2025, 7, 14)
    assert "retired on 2025-07-14 (facts/prices.csv)" in piece.clipped
    assert piece.covers(datetime(2025, 7, 13)) and not piece.covers(datetime(2025, 7, 14))
    # dated by its source after the retirement: answers for no day
    [late] = answering_pieces(datetime(2025, 8, 1), None, SEEN, "gpt-4.5", (), LIVES)
    assert late.empty


def test_a_price_inside_its_model_life_is_left_as_the_source_dated_it():
    [piece] = answering_pieces(datetime(2025, 3, 1), datetime(2025, 4, 1), SEEN, "gpt-4.5", (), LIVES)
    assert (piece.start, piece.end, piece.clipped) == (datetime(2025, 3, 1), datetime(2025, 4, 1), None)


# ---------------------------------------------------------------- anomalies


def point(
    interval_id,
    input,
    output,
    start,
    end=None,
    *,
    offering=1,
    source="litellm",
    provider="Oracle",
    lab="xAI",
    basis="reconstructed",
    tier="default",
    offering_id="oci/xai.grok-3",
    name="",
):
    return PricePoint(
        interval_id, offering, offering_id, name or offering_id, source, provider, lab, basis, tier,
        None if input is None else D(input), None if output is None else D(output),
        start, end,
    )  # fmt: skip


def flags(points):
    return {interval_id: (found.flag, found.reason) for interval_id, found in detect(points).items()}


def test_swapped_input_and_output_are_flagged_against_the_neighbouring_state():
    found = flags(
        [
            point(
                1, "0.15", "0.0375", datetime(2025, 2, 6), datetime(2026, 6, 21), offering_id="command-r7b"
            ),
            point(2, "0.0375", "0.15", datetime(2026, 6, 21), offering_id="command-r7b"),
        ]
    )
    assert list(found) == [1]
    assert found[1][0] is PriceFlag.SWAPPED and "other way round" in found[1][1]


def test_a_reseller_100x_off_the_first_party_price_is_a_unit_error():
    oci = point(1, "3", "0.15", datetime(2025, 8, 7), datetime(2026, 2, 16))
    fixed = point(2, "3", "15", datetime(2026, 2, 16))
    xai = point(
        3, "3", "15", datetime(2025, 4, 9), offering=2, source="curated", provider="xAI", basis="curated"
    )
    found = flags([oci, fixed, xai])
    assert list(found) == [1]
    assert found[1][0] is PriceFlag.UNIT_ERROR
    assert "100x below the first-party $15" in found[1][1]


def test_a_short_lived_state_1000x_above_the_next_is_a_unit_error():
    spike = point(1, "210", "630", datetime(2025, 7, 22, 0, 37), datetime(2025, 7, 22, 5, 11))
    then = point(2, "0.21", "0.63", datetime(2025, 7, 27))
    assert flags([spike, then])[1][0] is PriceFlag.UNIT_ERROR


def test_a_real_price_move_is_not_a_unit_error():
    # OpenRouter routing to another provider: 0.02 -> 0.34 is 17x, not a slipped decimal point
    before = point(
        1, "0.02", "0.02", datetime(2026, 3, 1), datetime(2026, 3, 5), provider="OpenRouter", lab="Meta"
    )
    after = point(2, "0.051", "0.34", datetime(2026, 3, 5), provider="OpenRouter", lab="Meta")
    # and a 5x cut (o3 -80%) is a price cut
    cut = [point(3, "10", "40", datetime(2025, 4, 16), datetime(2025, 6, 10), offering=2),
           point(4, "2", "8", datetime(2025, 6, 10), offering=2)]  # fmt: skip
    assert flags([before, after, *cut]) == {}


def test_zero_prices_are_flagged_unless_the_offering_is_a_free_variant():
    placeholder = point(1, "0", "0", datetime(2026, 4, 18), tier="free", offering_id="moonshotai/kimi-k2.5")
    free = point(
        2, "0", "0", datetime(2026, 3, 1), tier="free", offering=2, offering_id="nvidia/nemotron:free"
    )
    found = flags([placeholder, free])
    assert list(found) == [1] and found[1][0] is PriceFlag.ZERO
    assert is_free_variant("arcee-ai/trinity:free", "x") and is_free_variant("x", "Trinity (free)")


def test_a_zero_output_is_suspect_only_where_the_output_is_charged_elsewhere():
    flash = [point(1, "0.075", "0.3", datetime(2025, 2, 6), datetime(2026, 3, 12)),
             point(2, "0.075", "0", datetime(2026, 3, 12))]  # fmt: skip
    embedding = [point(3, "0.15", "0", datetime(2026, 3, 11), datetime(2026, 3, 12), offering=2),
                 point(4, "0.2", "0", datetime(2026, 3, 12), offering=2)]  # fmt: skip
    assert list(flags(flash + embedding)) == [2]


# ---------------------------------------------------------------- disagreements

LAYOUT = {name: index for index, name in enumerate(
    ("model_id", "tier", "provider", "platform", "offering_id", "source", "basis", "input", "output", "flag",
     "outlier", "verdict"))}  # fmt: skip


def row(source, input, output, *, basis="declared", offering="o3", provider="OpenAI", flag=None):
    return ["o3", "default", provider, None, offering, source, basis, D(input), D(output), flag, None, None]


def test_a_stale_aggregator_is_the_outlier_against_the_first_party_price():
    rows = [
        row("curated", "2", "8", basis="curated"),
        row("genai-prices", "2", "8"),
        row("litellm", "2", "8"),
        row("llm-prices", "10", "40"),
    ]
    verdicts = {rows[index][5]: verdict for index, verdict in judge(LAYOUT, rows).items()}
    assert {source: verdict.verdict for source, verdict in verdicts.items()} == {
        "curated": "reference",
        "genai-prices": "agrees",
        "litellm": "agrees",
        "llm-prices": "outlier",
    }
    assert verdicts["llm-prices"].note == "differs from the first-party price (curated): 2/8"


def test_without_a_first_party_price_the_majority_is_the_reference_and_a_tie_has_none():
    majority = [row("a", "1", "2"), row("b", "1", "2"), row("c", "3", "4")]
    assert [v.verdict for _, v in sorted(judge(LAYOUT, majority).items())] == ["agrees", "agrees", "outlier"]
    tie = [row("a", "1", "2"), row("b", "3", "4")]
    assert {v.verdict for v in judge(LAYOUT, tie).values()} == {"differs"}


def test_agreeing_sources_other_sellers_and_flagged_prices_are_not_disagreements():
    same = [row("a", "2", "8"), row("b", "2", "8")]
    sellers = [row("a", "2", "8"), row("b", "2.2", "8.8", provider="Microsoft")]
    flagged = [row("a", "2", "8", basis="curated"), row("b", "200", "800", flag="unit-error")]
    host_path = [row("a", "2", "8", basis="curated"), row("b", "2", "8", offering="openai/o3")]
    for rows in (same, sellers, flagged, host_path):
        assert judge(LAYOUT, rows) == {}


# ---------------------------------------------------------------- one spelling per organisation


@pytest.mark.parametrize(
    ("spelling", "provider", "platform"),
    [
        ("openai", "OpenAI", None),
        ("OpenAI", "OpenAI", None),
        ("text-completion-openai", "OpenAI", "Completions API"),
        ("google", "Google", None),
        ("gemini", "Google", "Gemini API"),
        ("vertex_ai-language-models", "Google", "Vertex AI"),
        ("vertex_ai-anthropic_models", "Google", "Vertex AI"),
        ("bedrock_converse", "Amazon", "Bedrock"),
        ("azure_ai", "Microsoft", "Azure AI Foundry"),
        ("x-ai", "xAI", None),
        ("moonshot-ai", "Moonshot AI", None),
        ("Together.ai", "Together AI", None),
        ("some-new-host", "some-new-host", None),  # kept as spelt: never lost for want of an entry
    ],
)
def test_one_spelling_per_seller_with_the_platform_apart(spelling, provider, platform):
    assert seller(spelling) == (provider, platform)


def test_labs_take_the_same_spellings():
    assert canonical_organisation("Google DeepMind") == "Google"
    assert canonical_organisation("Alibaba (Qwen team)") == canonical_organisation("qwen") == "Alibaba"
    assert canonical_organisation("z-ai") == "Zhipu AI"
    assert canonical_organisation(None) is None and canonical_organisation(" ") is None
    assert is_canonical("OpenAI") and not is_canonical("openai")
