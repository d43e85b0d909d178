"""LiteLLM price-map parser: the real trimmed map plus inline bad entries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.vocabulary import Tier
from frontier_watch.sources import litellm
from frontier_watch.sources.errors import SourceFormatError

FIXTURE = Path(__file__).parent / "fixtures" / "litellm" / "model_prices_and_context_window.sample.json"
URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"


@pytest.fixture(scope="module")
def result() -> Batch:
    return litellm.parse(FIXTURE.read_bytes(), url=URL)


@pytest.fixture(scope="module")
def offerings(result: Batch) -> dict[str, PricedOffering]:
    return {offering.offering_id: offering for offering in result.offerings}


def tiers(offering: PricedOffering) -> dict[str, PriceSegment]:
    found = {segment.tier: segment for segment in offering.segments}
    assert len(found) == len(offering.segments), "one segment per tier"
    return found


def parse_entries(entries: dict[str, object]) -> Batch:
    return litellm.parse(json.dumps(entries).encode(), url=URL)


def chat(**fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "litellm_provider": "acme",
        "mode": "chat",
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 2e-06,
    }
    entry.update(fields)
    return entry


# --- what is and is not a model -------------------------------------------------------------


def test_every_top_level_key_is_either_parsed_or_skipped(result: Batch) -> None:
    assert len(result.offerings) == 32
    assert len(result.skipped) == 7  # 39 keys in the sample


def test_sample_spec_is_skipped_as_documentation(result: Batch) -> None:
    assert ("sample_spec", "documentation sample, not a model") in result.skipped


def test_non_model_entry_is_skipped(result: Batch) -> None:
    reasons = dict(result.skipped)
    assert reasons["fallback_generalizations"] == "not a model entry (no litellm_provider)"


def test_entry_without_mode_is_a_pricing_class(result: Batch) -> None:
    reasons = dict(result.skipped)
    assert reasons["fireworks-ai-default"] == "no mode: pricing class, not a model"


def test_non_token_modes_are_skipped_with_their_mode(result: Batch) -> None:
    reasons = dict(result.skipped)
    assert reasons["dall-e-3"] == "non-token mode image_generation"
    assert reasons["1024-x-1024/dall-e-2"] == "non-token mode image_generation"
    assert reasons["gpt-image-1"] == "non-token mode image_generation"
    assert reasons["whisper-1"] == "non-token mode audio_transcription"


def test_token_modes_chat_responses_and_embedding_are_kept(
    offerings: dict[str, PricedOffering],
) -> None:
    assert tiers(offerings["gpt-5.5-pro"])[Tier.DEFAULT].output == Decimal("180")  # responses
    embedding = tiers(offerings["text-embedding-3-small"])
    assert embedding[Tier.DEFAULT].input == Decimal("0.02")
    assert embedding[Tier.DEFAULT].output == Decimal("0")
    assert embedding[Tier.BATCH].input == Decimal("0.01")


# --- prices ---------------------------------------------------------------------------------


def test_per_token_numbers_become_exact_usd_per_million(
    offerings: dict[str, PricedOffering],
) -> None:
    sonnet = offerings["claude-sonnet-5"]
    assert sonnet.provider == "Anthropic"
    assert sonnet.name == "claude-sonnet-5"
    default = tiers(sonnet)[Tier.DEFAULT]
    assert default.prices() == (
        Decimal("2"),  # 2e-06
        Decimal("10"),  # 1e-05
        Decimal("0.2"),  # 2e-07
        Decimal("2.5"),  # 2.5e-06
        None,
        None,
    )
    assert default.effective_from is None


def test_float_spelt_prices_do_not_pick_up_binary_noise(
    offerings: dict[str, PricedOffering],
) -> None:
    deepseek = tiers(offerings["deepseek-chat"])[Tier.DEFAULT]
    assert deepseek.input == Decimal("0.28")  # 2.8e-07
    assert deepseek.cache_read == Decimal("0.028")  # 2.8e-08
    bedrock = tiers(offerings["us.anthropic.claude-sonnet-4-5-20250929-v1:0"])
    assert bedrock[Tier.DEFAULT].cache_write == Decimal("4.125")
    assert bedrock["long-context>200k"].output == Decimal("24.75")


def test_one_hour_cache_write_is_not_mistaken_for_a_tier(
    offerings: dict[str, PricedOffering],
) -> None:
    # claude-sonnet-5 has cache_creation_input_token_cost_above_1hr = 4e-06
    assert list(tiers(offerings["claude-sonnet-5"])) == [Tier.DEFAULT]
    assert tiers(offerings["claude-sonnet-5"])[Tier.DEFAULT].cache_write == Decimal("2.5")


def test_reasoning_price_is_read(offerings: dict[str, PricedOffering]) -> None:
    assert tiers(offerings["gemini/gemini-2.5-flash"])[Tier.DEFAULT].reasoning == Decimal("2.5")


def test_cache_hit_spelling_is_the_cache_read_fallback(
    offerings: dict[str, PricedOffering],
) -> None:
    # only input_cost_per_token_cache_hit (1.4e-07) is given
    r1 = tiers(offerings["openrouter/deepseek/deepseek-r1"])[Tier.DEFAULT]
    assert r1.cache_read == Decimal("0.14")


def test_zero_prices_are_kept_as_zero(offerings: dict[str, PricedOffering]) -> None:
    llama = tiers(offerings["ollama/llama3"])[Tier.DEFAULT]
    assert (llama.input, llama.output) == (Decimal(0), Decimal(0))
    assert tiers(offerings["deepseek/deepseek-chat"])[Tier.DEFAULT].cache_write == Decimal(0)


# --- tiers ----------------------------------------------------------------------------------


def test_above_200k_suffix_is_a_long_context_tier(offerings: dict[str, PricedOffering]) -> None:
    long_context = tiers(offerings["claude-sonnet-4-5"])["long-context>200k"]
    assert long_context.prices() == (
        Decimal("6"),
        Decimal("22.5"),
        Decimal("0.6"),
        Decimal("7.5"),
        None,
        None,
    )


def test_above_272k_suffix_names_its_threshold(offerings: dict[str, PricedOffering]) -> None:
    terra = tiers(offerings["gpt-5.6-terra"])
    assert set(terra) == {
        Tier.DEFAULT,
        "long-context>272k",
        Tier.FLEX,
        Tier.PRIORITY,
        Tier.BATCH,
    }
    assert terra["long-context>272k"].input == Decimal("5")
    assert terra["long-context>272k"].output == Decimal("22.5")
    assert terra[Tier.FLEX].cache_write == Decimal("1.5625")


def test_priority_and_long_context_combine(offerings: dict[str, PricedOffering]) -> None:
    pro = tiers(offerings["gemini/gemini-2.5-pro"])
    assert set(pro) == {
        Tier.DEFAULT,
        "long-context>200k",
        Tier.PRIORITY,
        "priority+long-context>200k",
    }
    assert pro["long-context>200k"].prices()[:3] == (
        Decimal("2.5"),
        Decimal("15"),
        Decimal("0.25"),
    )
    combined = pro["priority+long-context>200k"]
    assert (combined.input, combined.output) == (Decimal("2.5"), Decimal("15"))


def test_tier_segment_does_not_copy_base_prices(offerings: dict[str, PricedOffering]) -> None:
    gpt_4o = tiers(offerings["gpt-4o"])
    assert gpt_4o[Tier.DEFAULT].cache_read == Decimal("1.25")
    assert gpt_4o[Tier.BATCH].prices() == (Decimal("1.25"), Decimal("5"), None, None, None, None)
    assert gpt_4o[Tier.PRIORITY].cache_read == Decimal("2.125")
    # gemini-2.5-pro has no priority cache price: left unknown, not copied
    assert tiers(offerings["gemini/gemini-2.5-pro"])[Tier.PRIORITY].cache_read is None


def test_flex_batch_and_priority_tiers(offerings: dict[str, PricedOffering]) -> None:
    flash = tiers(offerings["gemini/gemini-3.6-flash"])
    assert flash[Tier.FLEX].prices()[:3] == (Decimal("0.75"), Decimal("3.75"), Decimal("0.075"))
    assert flash[Tier.BATCH].prices()[:3] == (Decimal("0.75"), Decimal("3.75"), None)
    assert flash[Tier.PRIORITY].prices()[:3] == (Decimal("2.7"), Decimal("13.5"), Decimal("0.27"))
    assert flash[Tier.FLEX].reasoning is None


def test_default_segment_comes_first(result: Batch) -> None:
    for offering in result.offerings:
        assert offering.segments[0].tier == Tier.DEFAULT


def test_tiered_pricing_ranges_become_long_context_tiers(
    offerings: dict[str, PricedOffering],
) -> None:
    qwen = tiers(offerings["dashscope/qwen-flash"])
    assert (qwen[Tier.DEFAULT].input, qwen[Tier.DEFAULT].output) == (
        Decimal("0.05"),
        Decimal("0.4"),
    )
    above = qwen["long-context>256k"]
    assert (above.input, above.output) == (Decimal("0.25"), Decimal("2"))


# --- dates ----------------------------------------------------------------------------------


def test_deprecation_date_is_read(offerings: dict[str, PricedOffering]) -> None:
    assert offerings["azure/gpt-4o-2024-08-06"].deprecation_date == date(2026, 2, 27)
    assert offerings["claude-3-7-sonnet-20250219"].deprecation_date == date(2026, 2, 19)
    assert offerings["gemini-2.0-flash-001"].deprecation_date == date(2026, 6, 1)
    assert offerings["azure/gpt-4o"].deprecation_date is None


def test_deprecation_date_that_is_not_a_date_is_ignored() -> None:
    result = parse_entries({"acme-1": chat(deprecation_date="when the lab says so")})
    assert result.offerings[0].deprecation_date is None
    assert result.skipped == []


# --- whole-response problems ----------------------------------------------------------------


@pytest.mark.parametrize("document", [[], ["gpt-4o"], "map", 3])
def test_top_level_that_is_not_an_object_is_a_format_error(document: object) -> None:
    with pytest.raises(SourceFormatError, match="expected an object keyed by model"):
        litellm.parse(json.dumps(document).encode(), url=URL)


def test_truncated_map_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="truncated JSON"):
        litellm.parse(FIXTURE.read_bytes()[:20_000], url=URL)


def test_html_error_page_is_a_format_error() -> None:
    page = b"<html><body><h1>429 Too Many Requests</h1></body></html>"
    with pytest.raises(SourceFormatError, match="looks like HTML"):
        litellm.parse(page, url=URL)


def test_empty_map_is_valid() -> None:
    assert litellm.parse(b"{}", url=URL) == Batch()


# --- per-entry problems ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"input_cost_per_token": -1e-06}, "input_cost_per_token: negative"),
        ({"input_cost_per_token": "abc"}, "input_cost_per_token: not a number"),
        ({"output_cost_per_token": 1e308}, "output_cost_per_token: absurd"),
        ({"output_cost_per_token": ""}, "output_cost_per_token: empty price"),
        ({"output_cost_per_token": True}, "output_cost_per_token: not a number"),
        ({"cache_read_input_token_cost": [1]}, "cache_read_input_token_cost: not a number"),
        ({"input_cost_per_token_batches": -5e-07}, "input_cost_per_token_batches: negative"),
        (
            {"output_cost_per_token_above_200k_tokens": 1e308},
            "output_cost_per_token_above_200k_tokens: absurd",
        ),
    ],
)
def test_bad_price_skips_only_that_entry(fields: dict[str, object], reason: str) -> None:
    result = parse_entries({"good": chat(), "bad": chat(**fields)})
    assert [o.offering_id for o in result.offerings] == ["good"]
    assert len(result.skipped) == 1
    assert result.skipped[0][0] == "bad"
    assert result.skipped[0][1].startswith(reason)


def test_nan_literal_skips_the_entry() -> None:
    raw = b'{"bad": {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": NaN}}'
    result = litellm.parse(raw, url=URL)
    assert [key for key, _ in result.skipped] == ["bad"]
    assert result.skipped[0][1].startswith("input_cost_per_token: not a finite number")


def test_non_object_values_are_skipped() -> None:
    result = parse_entries({"comment": "see docs", "list": [1, 2], "ok": chat()})
    assert [o.offering_id for o in result.offerings] == ["ok"]
    assert result.skipped == [
        ("comment", "not a model entry (a string)"),
        ("list", "not a model entry (an array)"),
    ]


def test_entry_without_token_prices_is_skipped() -> None:
    entry = {"litellm_provider": "acme", "mode": "chat", "input_cost_per_second": 0.001}
    result = parse_entries({"per-second": entry})
    assert result.skipped == [("per-second", "no input_cost_per_token and no output_cost_per_token")]


def test_entry_with_only_an_output_price_is_kept() -> None:
    entry = chat()
    del entry["input_cost_per_token"]
    segment = parse_entries({"out-only": entry}).offerings[0].segments[0]
    assert (segment.input, segment.output) == (None, Decimal("2"))


def test_prices_for_unknown_modes_are_not_validated() -> None:
    entry = {"litellm_provider": "acme", "mode": "rerank", "input_cost_per_token": "abc"}
    assert parse_entries({"rr": entry}).skipped == [("rr", "non-token mode rerank")]


def test_bad_tiered_pricing_skips_the_entry() -> None:
    entry = {
        "litellm_provider": "acme",
        "mode": "chat",
        "tiered_pricing": [{"range": [0, 1000], "input_cost_per_token": -1}],
    }
    result = parse_entries({"tp": entry})
    assert result.offerings == []
    assert result.skipped[0][1].startswith("tiered_pricing[0].input_cost_per_token: negative")


def test_unknown_suffixes_are_ignored_not_misread() -> None:
    entry = chat(
        input_cost_per_token_above_1hr=9e-06,
        input_cost_per_token_flex_priority=9e-06,
        input_cost_per_character=9e-06,
    )
    offering = parse_entries({"x": entry}).offerings[0]
    assert [segment.tier for segment in offering.segments] == [Tier.DEFAULT]
    assert offering.segments[0].input == Decimal("1")
