"""simonw/llm-prices vendor-file parser: declared history with from/to dates."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from frontier_watch.domain.batch import Batch, PricedOffering
from frontier_watch.domain.vocabulary import Tier
from frontier_watch.sources import llm_prices
from frontier_watch.sources.errors import SourceFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "llm_prices"
URL = "https://raw.githubusercontent.com/simonw/llm-prices/main/data/{}.json"


def parse_vendor(vendor: str) -> Batch:
    return llm_prices.parse((FIXTURES / f"data_{vendor}.json").read_bytes(), url=URL.format(vendor))


def by_id(result: Batch) -> dict[str, PricedOffering]:
    return {offering.offering_id: offering for offering in result.offerings}


def parse_models(models: list[object], vendor: str = "acme") -> Batch:
    document = {"vendor": vendor, "models": models}
    return llm_prices.parse(json.dumps(document).encode(), url=URL.format(vendor))


def period(**fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "input": 1,
        "output": 2,
        "input_cached": None,
        "from_date": None,
        "to_date": None,
    }
    entry.update(fields)
    return entry


def one_model(*history: object, model_id: str = "m1") -> Batch:
    return parse_models([{"id": model_id, "name": "M1", "price_history": list(history)}])


# --- the real vendor files ------------------------------------------------------------------


# openai lists 46 ids, 7 of them long-context tiers ("-272k"); anthropic 17, one a "-200k" tier
@pytest.mark.parametrize(("vendor", "count"), [("openai", 39), ("anthropic", 16), ("deepseek", 4)])
def test_every_model_in_the_vendor_file_is_parsed(vendor: str, count: int) -> None:
    result = parse_vendor(vendor)
    assert len(result.offerings) == count
    assert result.skipped == []
    assert {o.provider.lower() for o in result.offerings} == {vendor}  # in its one spelling
    assert {(o.lab or "").lower() for o in result.offerings} == {vendor}


def test_unordered_history_is_sorted_oldest_first() -> None:
    # data_deepseek.json lists the 2025-02-08 period before the one that ends on that day.
    chat = by_id(parse_vendor("deepseek"))["deepseek-chat"]
    first, second = chat.segments
    assert (first.effective_from, first.effective_to) == (None, datetime(2025, 2, 8))
    assert (first.input, first.output) == (Decimal("0.14"), Decimal("0.28"))
    assert (second.effective_from, second.effective_to) == (datetime(2025, 2, 8), None)
    assert (second.input, second.output) == (Decimal("0.27"), Decimal("1.1"))


def test_announced_future_price_is_a_declared_future_segment() -> None:
    sonnet = by_id(parse_vendor("anthropic"))["claude-sonnet-5"]
    now, later = sonnet.segments
    assert (now.input, now.output, now.effective_to) == (
        Decimal(2),
        Decimal(10),
        datetime(2026, 9, 1),
    )
    assert (later.input, later.output, later.effective_from, later.effective_to) == (
        Decimal(3),
        Decimal(15),
        datetime(2026, 9, 1),
        None,
    )


def test_input_cached_is_the_cache_read_price() -> None:
    [flash] = by_id(parse_vendor("deepseek"))["deepseek-v4-flash"].segments
    assert flash.prices() == (Decimal("0.14"), Decimal("0.28"), Decimal("0.028"), None, None, None)
    assert flash.tier == Tier.DEFAULT
    assert (flash.effective_from, flash.effective_to) == (None, None)


def test_null_input_cached_means_unknown_cache_price() -> None:
    [opus] = by_id(parse_vendor("anthropic"))["claude-3-opus"].segments
    assert (opus.input, opus.output, opus.cache_read) == (Decimal(15), Decimal(75), None)


def test_float_spelt_prices_are_exact() -> None:
    terra = by_id(parse_vendor("openai"))["gpt-5.6-terra"]
    long_context = [s for s in terra.segments if s.tier == "long-context>272k"]
    assert [(s.input, s.output, s.cache_read) for s in long_context] == [
        (Decimal("5"), Decimal("22.5"), Decimal("0.5")),
        (Decimal("4"), Decimal("18"), Decimal("0.4")),
    ]


def test_names_lose_only_their_tier_qualifier() -> None:
    offerings = by_id(parse_vendor("openai"))
    assert offerings["gpt-5.4"].name == "GPT-5.4"  # "GPT-5.4 \u2264272k" in the file
    assert offerings["o1-pro"].segments[0].output == Decimal("600")


# --- whole-response problems ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([{"id": "m"}], "top level is an array, expected an object"),
        ({"models": []}, "no string 'vendor'"),
        ({"vendor": "acme"}, "'models' is null"),
        ({"vendor": "acme", "models": {"m": {}}}, "'models' is an object"),
    ],
)
def test_wrong_shape_is_a_format_error(document: object, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        llm_prices.parse(json.dumps(document).encode(), url=URL)


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        ("m", "a string, not an object"),
        ({"name": "M"}, "no string 'id' (id is null)"),
        ({"id": 5}, "id is a number"),
    ],
)
def test_a_model_that_cannot_be_told_apart_is_skipped_and_the_rest_read(model: object, reason: str) -> None:
    good = {"id": "good", "price_history": [{"input": 1, "output": 2}]}
    batch = llm_prices.parse(json.dumps({"vendor": "acme", "models": [model, good]}).encode(), url=URL)
    assert [offering.offering_id for offering in batch.offerings] == ["good"]
    [(label, why)] = batch.skipped
    assert label == "model 0" and reason in why


def test_an_identical_duplicate_is_listed_once() -> None:
    result = parse_models([{"id": "twin", "price_history": [period()]}] * 2)
    assert [offering.offering_id for offering in result.offerings] == ["twin"]
    assert result.skipped == []


def test_a_conflicting_duplicate_keeps_the_first_and_says_so() -> None:
    result = parse_models(
        [
            {"id": "twin", "price_history": [period()]},
            {"id": "twin", "price_history": [period(input=5)]},
        ]
    )
    [twin] = result.offerings
    assert twin.segments[0].input == Decimal(1)
    assert result.skipped == [("twin", "listed twice with different prices; kept the first")]


def test_long_context_ids_become_tiers_of_their_base_model() -> None:
    """llm-prices lists claude-sonnet-4.5-200k beside claude-sonnet-4.5 (fixture)."""
    result = llm_prices.parse((FIXTURES / "data_anthropic.json").read_bytes(), url=URL.format("anthropic"))
    ids = {offering.offering_id for offering in result.offerings}
    assert "claude-sonnet-4.5-200k" not in ids
    [sonnet] = [offering for offering in result.offerings if offering.offering_id == "claude-sonnet-4.5"]
    tiers = {segment.tier: (segment.input, segment.output) for segment in sonnet.segments}
    assert tiers == {"default": (Decimal(3), Decimal(15)), "long-context>200k": (Decimal(6), Decimal("22.5"))}
    assert sonnet.name == "Claude Sonnet 4 and 4.5"


def test_a_long_context_id_without_its_base_stays_an_offering() -> None:
    result = parse_models([{"id": "solo-128k", "name": "Solo >128k", "price_history": [period()]}])
    assert [offering.offering_id for offering in result.offerings] == ["solo-128k"]


def test_truncated_file_is_a_format_error() -> None:
    raw = (FIXTURES / "data_openai.json").read_bytes()[:3000]
    with pytest.raises(SourceFormatError, match="truncated JSON"):
        llm_prices.parse(raw, url=URL)


def test_html_body_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="looks like HTML"):
        llm_prices.parse(b"<HTML><BODY>Moved</BODY></HTML>", url=URL)


def test_vendor_without_models_is_valid() -> None:
    assert parse_models([]) == Batch()


# --- per-model problems ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"input": None}, "price_history[0].input: missing"),
        ({"output": ""}, "price_history[0].output: empty price"),
        ({"input": -1}, "price_history[0].input: negative"),
        ({"output": "abc"}, "price_history[0].output: not a number"),
        ({"input": 1e308}, "price_history[0].input: absurd"),
        ({"input_cached": -0.5}, "price_history[0].input_cached: negative"),
        ({"from_date": "next week"}, "price_history[0].from_date: not a date"),
        ({"to_date": 20250208}, "price_history[0].to_date: not a date"),
        (
            {"from_date": "2025-03-01", "to_date": "2025-02-01"},
            "price_history[0]: to_date 2025-02-01 is not after from_date 2025-03-01",
        ),
    ],
)
def test_bad_history_entry_skips_only_that_model(fields: dict[str, object], reason: str) -> None:
    models = [
        {"id": "good", "name": "Good", "price_history": [period()]},
        {"id": "bad", "name": "Bad", "price_history": [period(**fields)]},
    ]
    result = parse_models(models)
    assert [o.offering_id for o in result.offerings] == ["good"]
    assert len(result.skipped) == 1
    assert result.skipped[0][0] == "bad"
    assert result.skipped[0][1].startswith(reason)


def test_missing_price_key_is_reported_as_missing() -> None:
    entry = period()
    del entry["output"]
    assert one_model(entry).skipped == [("m1", "price_history[0].output: missing")]


@pytest.mark.parametrize("history", [None, [], {"input": 1}])
def test_model_without_history_is_skipped(history: object) -> None:
    result = parse_models([{"id": "m1", "price_history": history}])
    assert result.offerings == []
    assert result.skipped[0][1].startswith("price_history is")


def test_overlapping_periods_are_skipped_not_guessed() -> None:
    result = one_model(period(to_date="2025-06-01"), period(from_date="2025-05-01"))
    assert result.offerings == []
    assert result.skipped[0][1].startswith("overlapping periods in price_history")


def test_two_open_ended_periods_overlap() -> None:
    result = one_model(period(), period(input=3))
    assert result.skipped[0][1].startswith("overlapping periods")


def test_gap_between_periods_is_allowed_and_kept() -> None:
    history = [
        period(input=3, from_date="2025-09-01"),
        period(input=1, to_date="2025-01-01"),
        period(input=2, from_date="2025-01-01", to_date="2025-06-01"),
    ]
    segments = one_model(*history).offerings[0].segments
    assert [(s.effective_from, s.effective_to, s.input) for s in segments] == [
        (None, datetime(2025, 1, 1), Decimal(1)),
        (datetime(2025, 1, 1), datetime(2025, 6, 1), Decimal(2)),
        (datetime(2025, 9, 1), None, Decimal(3)),
    ]
