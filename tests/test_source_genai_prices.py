"""genai-prices v2 data.json parser: dated, tiered and off-peak prices."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.vocabulary import Tier
from frontier_watch.sources import genai_prices
from frontier_watch.sources.errors import SourceFormatError

FIXTURE = Path(__file__).parent / "fixtures" / "genai_prices" / "data_v2.sample.json"
URL = "https://raw.githubusercontent.com/pydantic/genai-prices/refs/heads/main/prices/new_data/v2/data.json"
OFF_PEAK_NOTE = "standard 00:30-16:30 UTC; off-peak otherwise"


@pytest.fixture(scope="module")
def result() -> Batch:
    return genai_prices.parse(FIXTURE.read_bytes(), url=URL)


@pytest.fixture(scope="module")
def offerings(result: Batch) -> dict[tuple[str, str], PricedOffering]:
    # Providers come out in their one spelling ("OpenAI"); the tests name them in lower case.
    return {(o.provider.lower(), o.offering_id): o for o in result.offerings}


def money(*values: str | None) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else Decimal(v) for v in values)


def span(segment: PriceSegment) -> tuple[datetime | None, datetime | None]:
    return segment.effective_from, segment.effective_to


def parse_models(models: list[dict[str, object]], provider: str = "acme") -> Batch:
    document = [{"id": provider, "name": provider.title(), "models": models}]
    return genai_prices.parse(json.dumps(document).encode(), url=URL)


def flat(model_id: str = "m1", **prices: object) -> dict[str, object]:
    base: dict[str, object] = {"input_mtok": 1, "output_mtok": 2}
    base.update(prices)
    return {"id": model_id, "name": model_id.upper(), "prices": base}


# --- the real feed --------------------------------------------------------------------------


def test_every_model_of_the_sample_is_parsed(result: Batch) -> None:
    assert len(result.offerings) == 23
    assert result.skipped == []


def test_flat_prices_are_usd_per_million(offerings: dict[tuple[str, str], PricedOffering]) -> None:
    gpt_5 = offerings[("openai", "gpt-5")]
    assert gpt_5.name == "GPT-5"
    assert gpt_5.lab == "OpenAI"
    [segment] = gpt_5.segments
    assert segment.tier == Tier.DEFAULT
    assert segment.prices() == money("1.25", "10", "0.125", None, None, None)
    assert span(segment) == (None, None)


def test_cache_write_is_read_and_one_hour_cache_and_web_search_are_ignored(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    [haiku] = offerings[("anthropic", "claude-3-5-haiku-latest")].segments
    assert haiku.prices() == money("0.8", "4", "0.08", "1", None, None)


def test_future_start_date_is_kept_as_a_future_segment(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    now, later = offerings[("anthropic", "claude-sonnet-5")].segments
    assert span(now) == (None, datetime(2026, 9, 1))
    assert now.prices() == money("2", "10", "0.2", "2.5", None, None)
    assert span(later) == (datetime(2026, 9, 1), None)
    assert later.prices() == money("3", "15", "0.3", "3.75", None, None)
    assert now.tier == later.tier == Tier.DEFAULT


def test_past_price_cut_splits_the_timeline(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    before, after = offerings[("openai", "o3")].segments
    assert (before.input, before.output, span(before)) == (
        Decimal(10),
        Decimal(40),
        (None, datetime(2025, 6, 10)),
    )
    assert (after.input, after.output, span(after)) == (
        Decimal(2),
        Decimal(8),
        (datetime(2025, 6, 10), None),
    )


def test_tiered_value_makes_a_long_context_segment(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    default, long_context = offerings[("google", "gemini-2.5-pro")].segments
    assert default.tier == Tier.DEFAULT
    assert default.prices() == money("1.25", "10", "0.125", None, None, None)
    assert long_context.tier == "long-context>200k"
    assert long_context.prices() == money("2.5", "15", "0.25", None, None, None)


def test_long_context_tier_ends_when_a_dated_set_drops_it(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    # Opus 4.6: tiered above 200k until 2026-03-13, flat from then on.
    segments = offerings[("anthropic", "claude-opus-4-6")].segments
    assert [(s.tier, span(s)) for s in segments] == [
        (Tier.DEFAULT, (None, datetime(2026, 3, 13))),
        ("long-context>200k", (None, datetime(2026, 3, 13))),
        (Tier.DEFAULT, (datetime(2026, 3, 13), None)),
    ]
    assert segments[1].prices() == money("10", "37.5", "1", "12.5", None, None)
    assert segments[2].prices() == money("5", "25", "0.5", "6.25", None, None)


def test_dated_sets_keep_their_own_tiers(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    segments = offerings[("openai", "gpt-5.6-luna")].segments
    cut = datetime(2026, 7, 30)
    assert [(s.tier, span(s), s.input, s.output) for s in segments] == [
        (Tier.DEFAULT, (None, cut), Decimal("1"), Decimal("6")),
        ("long-context>272k", (None, cut), Decimal("2"), Decimal("9")),
        (Tier.DEFAULT, (cut, None), Decimal("0.2"), Decimal("1.2")),
        ("long-context>272k", (cut, None), Decimal("0.4"), Decimal("1.8")),
    ]


def test_deepseek_time_of_day_prices_are_default_and_off_peak(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    standard, off_peak = offerings[("deepseek", "deepseek-chat")].segments
    assert standard.tier == Tier.DEFAULT
    assert standard.prices() == money("0.27", "1.1", "0.07", None, None, None)
    assert off_peak.tier == Tier.OFF_PEAK
    assert off_peak.prices() == money("0.135", "0.55", "0.035", None, None, None)
    assert standard.note == off_peak.note == OFF_PEAK_NOTE
    assert span(standard) == span(off_peak) == (None, None)


def test_deepseek_reasoner_off_peak(offerings: dict[tuple[str, str], PricedOffering]) -> None:
    standard, off_peak = offerings[("deepseek", "deepseek-reasoner")].segments
    assert (standard.input, standard.output) == (Decimal("0.55"), Decimal("2.19"))
    assert (off_peak.input, off_peak.output) == (Decimal("0.135"), Decimal("0.55"))


def test_provider_name_and_lab(offerings: dict[tuple[str, str], PricedOffering]) -> None:
    assert offerings[("openai", "gpt-4o")].name == "gpt 4o"
    assert offerings[("google", "gemini-embedding-001")].name == "gemini-embedding-001"  # no name
    routed = offerings[("openrouter", "anthropic/claude-sonnet-5")]
    assert routed.provider == "OpenRouter"
    assert routed.lab == "Anthropic"  # the slug's prefix, not the router
    assert offerings[("xai", "grok-4.5")].lab == "xAI"  # one spelling: x-ai and xai are xAI


def test_input_only_embedding_model_is_kept(
    offerings: dict[tuple[str, str], PricedOffering],
) -> None:
    [segment] = offerings[("openai", "text-embedding-3-small")].segments
    assert (segment.input, segment.output) == (Decimal("0.02"), None)


# --- inline shapes --------------------------------------------------------------------------


def test_requests_kcount_is_a_per_request_fee() -> None:
    [segment] = parse_models([flat(requests_kcount=5)]).offerings[0].segments
    assert segment.request == Decimal("0.005")


def test_fields_without_tiers_keep_the_base_price_in_the_tier() -> None:
    model = flat(input_mtok={"base": 1, "tiers": [{"start": 128000, "price": 2}]}, output_mtok=4)
    default, long_context = parse_models([model]).offerings[0].segments
    assert long_context.tier == "long-context>128k"
    assert (long_context.input, long_context.output) == (Decimal(2), Decimal(4))
    assert (default.input, default.output) == (Decimal(1), Decimal(4))


def test_several_tier_thresholds_make_one_segment_each() -> None:
    model = flat(
        input_mtok={
            "base": 1,
            "tiers": [{"start": 1_000_000, "price": 3}, {"start": 200_000, "price": 2}],
        },
        output_mtok={"base": 5, "tiers": [{"start": 200_000, "price": 7}]},
    )
    segments = parse_models([model]).offerings[0].segments
    assert [(s.tier, s.input, s.output) for s in segments] == [
        (Tier.DEFAULT, Decimal(1), Decimal(5)),
        ("long-context>200k", Decimal(2), Decimal(7)),
        ("long-context>1000k", Decimal(3), Decimal(7)),
    ]


def test_dated_sets_are_ordered_by_start_date() -> None:
    prices = [
        {"prices": {"input_mtok": 3, "output_mtok": 9}},
        {"constraint": {"start_date": "2027-01-01"}, "prices": {"input_mtok": 1, "output_mtok": 3}},
        {"constraint": {"start_date": "2026-01-01"}, "prices": {"input_mtok": 2, "output_mtok": 6}},
    ]
    segments = parse_models([{"id": "m", "prices": prices}]).offerings[0].segments
    assert [(span(s), s.input) for s in segments] == [
        ((None, datetime(2026, 1, 1)), Decimal(3)),
        ((datetime(2026, 1, 1), datetime(2027, 1, 1)), Decimal(2)),
        ((datetime(2027, 1, 1), None), Decimal(1)),
    ]


def test_start_date_with_a_time_is_read_as_naive_utc() -> None:
    prices = [
        {"prices": {"input_mtok": 3, "output_mtok": 9}},
        {
            "constraint": {"start_date": "2026-09-01T02:00:00+02:00"},
            "prices": {"input_mtok": 1, "output_mtok": 3},
        },
    ]
    segments = parse_models([{"id": "m", "prices": prices}]).offerings[0].segments
    assert segments[1].effective_from == datetime(2026, 9, 1, 0, 0)


def test_cheaper_time_window_is_the_off_peak_tier() -> None:
    prices = [
        {"prices": {"input_mtok": 2, "output_mtok": 8}},
        {
            "constraint": {"start_time": "22:00:00Z", "end_time": "06:00:00Z"},
            "prices": {"input_mtok": 1, "output_mtok": 4},
        },
    ]
    standard, off_peak = parse_models([{"id": "m", "prices": prices}]).offerings[0].segments
    assert (standard.tier, standard.input) == (Tier.DEFAULT, Decimal(2))
    assert (off_peak.tier, off_peak.input) == (Tier.OFF_PEAK, Decimal(1))
    assert standard.note == "off-peak 22:00-06:00 UTC; standard otherwise"


# --- whole-response problems ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"providers": []}, "top level is an object, expected an array of providers"),
    ],
)
def test_wrong_shape_is_a_format_error(document: object, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        genai_prices.parse(json.dumps(document).encode(), url=URL)


GOOD_PROVIDER = {"id": "good", "models": [{"id": "m", "prices": {"input_mtok": 1, "output_mtok": 2}}]}


@pytest.mark.parametrize(
    ("entry", "label", "reason"),
    [
        ("anthropic", "provider 0", "a string, not an object"),
        ({"name": "No id", "models": []}, "provider 0", "no string 'id'"),
        ({"id": "acme", "models": {"m": {}}}, "provider 0", "'models' is an object"),
        ({"id": "acme"}, "provider 0", "'models' is null"),
        ({"id": "acme", "models": [["m"]]}, "acme/model 0", "an array, not an object"),
        ({"id": "acme", "models": [{"name": "M"}]}, "acme/model 0", "no string 'id'"),
    ],
)
def test_a_provider_or_model_that_cannot_be_read_is_skipped_and_the_rest_read(
    entry: object, label: str, reason: str
) -> None:
    batch = genai_prices.parse(json.dumps([entry, GOOD_PROVIDER]).encode(), url=URL)
    assert [(offering.provider, offering.offering_id) for offering in batch.offerings] == [("good", "m")]
    [(skipped, why)] = batch.skipped
    assert skipped == label and reason in why


def test_duplicate_model_in_one_provider_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="duplicate model id 'm1' in provider 'acme'"):
        parse_models([flat("m1"), flat("m1")])


def test_same_model_id_under_two_providers_is_fine() -> None:
    document = [
        {"id": "openai", "models": [flat("gpt-4o")]},
        {"id": "azure", "models": [flat("gpt-4o")]},
    ]
    result = genai_prices.parse(json.dumps(document).encode(), url=URL)
    assert [(o.provider, o.platform, o.offering_id) for o in result.offerings] == [
        ("OpenAI", None, "gpt-4o"),
        ("Microsoft", "Azure OpenAI", "gpt-4o"),  # the platform kept apart from the seller
    ]


def test_truncated_feed_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="truncated JSON"):
        genai_prices.parse(FIXTURE.read_bytes()[:10_000], url=URL)


def test_html_body_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="looks like HTML"):
        genai_prices.parse(b"\n  <!doctype html><title>Not Found</title>", url=URL)


def test_empty_provider_list_is_valid() -> None:
    assert genai_prices.parse(b"[]", url=URL) == Batch()


# --- per-model problems ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prices", "reason"),
    [
        ({"input_mtok": -1}, "prices.input_mtok: negative"),
        ({"input_mtok": "abc"}, "prices.input_mtok: not a number"),
        ({"output_mtok": 1e308}, "prices.output_mtok: absurd"),
        ({"output_mtok": ""}, "prices.output_mtok: empty price"),
        ({"cache_read_mtok": {"tiers": []}}, "prices.cache_read_mtok: tiered price without 'base'"),
        (
            {"input_mtok": {"base": 1, "tiers": [{"start": 0, "price": 2}]}},
            "prices.input_mtok.tiers[0].start",
        ),
        (
            {"input_mtok": {"base": 1, "tiers": [{"start": 200000, "price": -2}]}},
            "prices.input_mtok.tiers[0].price: negative",
        ),
        ({"requests_kcount": -3}, "prices.requests_kcount: negative"),
    ],
)
def test_bad_price_skips_only_that_model(prices: dict[str, object], reason: str) -> None:
    result = parse_models([flat("good"), flat("bad", **prices)])
    assert [o.offering_id for o in result.offerings] == ["good"]
    assert len(result.skipped) == 1
    assert result.skipped[0][0] == "acme/bad"
    assert result.skipped[0][1].startswith(reason)


def test_model_without_token_prices_is_skipped() -> None:
    result = parse_models([{"id": "search", "prices": {"web_searches_kcount": 10}}])
    assert result.skipped == [("acme/search", "prices: no input_mtok and no output_mtok")]


@pytest.mark.parametrize(
    ("prices", "reason"),
    [
        (None, "prices is null"),
        ([], "prices is an array"),
        (
            [{"prices": {"input_mtok": 1}}, {"constraint": {"start_date": "soon"}, "prices": {}}],
            "prices[1].prices: no input_mtok and no output_mtok",
        ),
        (
            [
                {"prices": {"input_mtok": 1}},
                {"constraint": {"start_date": "soon"}, "prices": {"input_mtok": 2}},
            ],
            "prices[1].constraint.start_date: not a date: 'soon'",
        ),
        (
            [
                {"prices": {"input_mtok": 1}},
                {"constraint": {"start_date": "2026-13-01"}, "prices": {"input_mtok": 2}},
            ],
            "prices[1].constraint.start_date: not a date",
        ),
        (
            [
                {"prices": {"input_mtok": 1}},
                {"constraint": {"weekday": "sat"}, "prices": {"input_mtok": 2}},
            ],
            "prices[1]: unsupported constraint (weekday)",
        ),
        (
            [{"prices": {"input_mtok": 1}}, {"prices": {"input_mtok": 2}}],
            "prices[1]: a second price set without a constraint",
        ),
    ],
)
def test_bad_schedule_skips_the_model(prices: object, reason: str) -> None:
    result = parse_models([{"id": "m", "prices": prices}])
    assert result.offerings == []
    assert result.skipped[0][1].startswith(reason)
