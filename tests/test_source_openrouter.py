"""OpenRouter /api/v1/models parser: real snapshots plus inline bad responses."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from frontier_watch.domain.batch import Batch, PricedOffering, PriceSegment
from frontier_watch.domain.vocabulary import Tier
from frontier_watch.sources import openrouter
from frontier_watch.sources.errors import SourceFormatError

FIXTURES = Path(__file__).parent / "fixtures" / "openrouter"
URL = "https://openrouter.ai/api/v1/models"


def parse_fixture(name: str) -> Batch:
    return openrouter.parse((FIXTURES / name).read_bytes(), url=URL)


@pytest.fixture(scope="module")
def february() -> Batch:
    return parse_fixture("models_2026-02-27.sample.json")


@pytest.fixture(scope="module")
def may() -> Batch:
    return parse_fixture("models_2026-05-01.data-array.sample.json")


def by_id(result: Batch) -> dict[str, PricedOffering]:
    return {offering.offering_id: offering for offering in result.offerings}


def only_segment(offering: PricedOffering) -> PriceSegment:
    assert len(offering.segments) == 1
    return offering.segments[0]


def body(document: object) -> bytes:
    return json.dumps(document).encode()


def model(model_id: str = "acme/model-1", **pricing: object) -> dict[str, object]:
    prices: dict[str, object] = {"prompt": "0.000001", "completion": "0.000002"}
    prices.update(pricing)
    return {"id": model_id, "name": f"Acme: {model_id}", "pricing": prices}


# --- the real February snapshot ({"data": [...]} envelope) ---------------------------------


def test_envelope_snapshot_keeps_every_priced_model(february: Batch) -> None:
    assert len(february.offerings) == 29
    assert february.skipped == [("openrouter/auto", "router (price -1), not a price")]
    assert february.next_url is None


def test_per_token_strings_become_exact_usd_per_million(february: Batch) -> None:
    sonnet = by_id(february)["anthropic/claude-sonnet-4.6"]
    segment = only_segment(sonnet)
    assert segment.tier == Tier.DEFAULT
    assert segment.input == Decimal("3")  # "0.000003"
    assert segment.output == Decimal("15")  # "0.000015"
    assert segment.cache_read == Decimal("0.3")  # "0.0000003"
    assert segment.cache_write == Decimal("3.75")  # "0.00000375"
    assert segment.reasoning is None
    assert segment.request is None
    assert segment.effective_from is None and segment.effective_to is None


def test_long_repeating_decimal_is_not_rounded(february: Batch) -> None:
    # "0.00000008333333333333334" per token; a float round-trip would change the digits.
    flash = only_segment(by_id(february)["google/gemini-2.5-flash"])
    assert flash.cache_write == Decimal("0.08333333333333334")
    assert flash.cache_read == Decimal("0.03")


def test_sub_cent_prices_stay_exact(february: Batch) -> None:
    gpt_oss = only_segment(by_id(february)["openai/gpt-oss-120b"])
    assert gpt_oss.input == Decimal("0.039")  # "0.000000039"
    assert gpt_oss.output == Decimal("0.19")


def test_internal_reasoning_price_is_the_reasoning_price(february: Batch) -> None:
    pro = only_segment(by_id(february)["google/gemini-3.1-pro-preview"])
    assert (pro.input, pro.output, pro.reasoning) == (Decimal(2), Decimal(12), Decimal(12))
    assert pro.cache_write == Decimal("0.375")


def test_router_price_is_skipped_not_stored(february: Batch) -> None:
    assert "openrouter/auto" not in by_id(february)
    assert ("openrouter/auto", "router (price -1), not a price") in february.skipped


def test_free_variant_keeps_its_suffix_and_zero_price(february: Batch) -> None:
    free = by_id(february)["nvidia/nemotron-3-nano-30b-a3b:free"]
    assert free.name == "NVIDIA: Nemotron 3 Nano 30B A3B (free)"
    assert (only_segment(free).input, only_segment(free).output) == (Decimal(0), Decimal(0))


def test_variant_suffix_is_a_separate_offering(february: Batch) -> None:
    offerings = by_id(february)
    assert only_segment(offerings["openai/gpt-4o"]).input == Decimal("2.5")
    assert only_segment(offerings["openai/gpt-4o:extended"]).input == Decimal("6")


def test_image_audio_and_web_search_prices_are_ignored(february: Batch) -> None:
    voxtral = only_segment(by_id(february)["mistralai/voxtral-small-24b-2507"])  # audio 0.0001
    assert voxtral.prices() == (Decimal("0.1"), Decimal("0.3"), None, None, None, None)


def test_zero_request_and_reasoning_prices_are_no_separate_charge(february: Batch) -> None:
    # pricing: request "0", internal_reasoning "0"; OpenRouter adds and drops such zero keys.
    qwen = only_segment(by_id(february)["qwen/qwen3-235b-a22b-thinking-2507"])
    assert qwen.request is None
    assert qwen.reasoning is None


def test_offering_fields_come_from_the_catalogue(february: Batch) -> None:
    glm = by_id(february)["z-ai/glm-5"]
    assert glm.provider == "OpenRouter"
    assert glm.lab == "Zhipu AI"  # the slug prefix, in its one spelling
    assert glm.name == "Z.ai: GLM 5"
    assert glm.hf_repo == "zai-org/GLM-5"


def test_empty_or_null_hugging_face_id_means_no_repo(february: Batch) -> None:
    offerings = by_id(february)
    assert offerings["anthropic/claude-sonnet-4.6"].hf_repo is None  # ""
    assert offerings["anthropic/claude-3.5-sonnet"].hf_repo is None  # null


def test_expiration_date_is_the_deprecation_date(february: Batch, may: Batch) -> None:
    assert by_id(february)["google/gemini-3-pro-preview"].deprecation_date == date(2026, 3, 9)
    assert by_id(may)["anthropic/claude-3.7-sonnet"].deprecation_date == date(2026, 5, 5)
    assert by_id(may)["anthropic/claude-opus-4.6"].deprecation_date is None


# --- the real May snapshot (bare array sorted by id, as mirrors store it) ------------------


def test_bare_array_from_a_mirror_is_accepted(may: Batch) -> None:
    assert len(may.offerings) == 32
    assert sorted(may.skipped) == [
        ("openrouter/auto", "router (price -1), not a price"),
        ("openrouter/pareto-code", "router (price -1), not a price"),
    ]
    assert may.next_url is None
    ids = [offering.offering_id for offering in may.offerings]
    assert ids == sorted(ids)  # source order is kept


def test_price_change_between_snapshots_is_visible(february: Batch, may: Batch) -> None:
    before = only_segment(by_id(february)["deepseek/deepseek-chat-v3-0324"])
    after = only_segment(by_id(may)["deepseek/deepseek-chat-v3-0324"])
    assert (before.output, after.output) == (Decimal("0.87"), Decimal("0.77"))
    assert (before.cache_read, after.cache_read) == (Decimal("0.095"), Decimal("0.135"))


def test_tiny_cache_price_is_exact(may: Batch) -> None:
    v4_pro = only_segment(by_id(may)["deepseek/deepseek-v4-pro"])
    assert v4_pro.cache_read == Decimal("0.003625")  # "0.000000003625"
    assert v4_pro.input == Decimal("0.435")


# --- pagination -----------------------------------------------------------------------------


def test_links_next_is_followed_relative_to_the_page_url() -> None:
    page = {"data": [model()], "links": {"next": "/api/v1/models?cursor=abc"}}
    result = openrouter.parse(body(page), url=URL)
    assert result.next_url == "https://openrouter.ai/api/v1/models?cursor=abc"
    assert [o.offering_id for o in result.offerings] == ["acme/model-1"]


def test_absolute_links_next_is_kept() -> None:
    page = {"data": [], "links": {"next": "https://mirror.example/models?page=2"}}
    assert openrouter.parse(body(page), url=URL).next_url == "https://mirror.example/models?page=2"


def test_null_links_next_ends_pagination() -> None:
    page = {"data": [model()], "links": {"next": None}, "total_count": 1}
    assert openrouter.parse(body(page), url=URL).next_url is None


@pytest.mark.parametrize(
    ("links", "reason"),
    [
        ({"next": "javascript:alert(1)"}, "links.next is not an http(s) URL"),
        ({"next": 7}, "links.next is a number, not a URL"),
        ({"next": URL}, "links.next points back at this page"),  # would loop forever
        ({"next": "garbage <<>>"}, "links.next is not a URL"),
        ({"next": "https://user:secret@openrouter.ai/p2"}, "links.next carries credentials"),
        ("next-page", "'links' is a string, not an object"),
    ],
)
def test_unusable_links_next_stops_paging_with_a_note_and_keeps_the_page(links: object, reason: str) -> None:
    batch = openrouter.parse(body({"data": [model()], "links": links}), url=URL)
    assert batch.next_url is None and len(batch.offerings) == 1
    assert batch.incomplete  # what the later pages held is not taken as withdrawn
    assert batch.notes == [f"OpenRouter models list: {reason}; stopped paging there"]


# --- whole-response problems ----------------------------------------------------------------


def test_truncated_body_is_a_clear_format_error() -> None:
    raw = (FIXTURES / "models_2026-02-27.sample.json").read_bytes()[:5000]
    with pytest.raises(SourceFormatError, match="truncated JSON") as error:
        openrouter.parse(raw, url=URL)
    assert "\n" not in str(error.value)


def test_html_body_is_a_clear_format_error() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>"
    with pytest.raises(SourceFormatError, match=r"not JSON \(looks like HTML\)"):
        openrouter.parse(page, url=URL)


def test_empty_body_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="empty body"):
        openrouter.parse(b"  \n", url=URL)


def test_non_utf8_body_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError, match="not UTF-8"):
        openrouter.parse(b'{"data": ["\xff"]}', url=URL)


def test_body_cut_inside_a_utf8_character_is_reported_as_truncated() -> None:
    with pytest.raises(SourceFormatError, match="truncated body"):
        openrouter.parse('[{"id": "acme/caf\u00e9"'.encode()[:-2], url=URL)


def test_api_error_object_is_reported_with_its_message() -> None:
    error_body = {"error": {"message": "Rate limit exceeded", "code": 429}}
    with pytest.raises(SourceFormatError, match="Rate limit exceeded"):
        openrouter.parse(body(error_body), url=URL)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"models": []}, "no 'data'"),
        ({"data": {"acme/model-1": {}}}, "'data' is an object"),
        ("models", "top level is a string"),
        (42, "top level is a number"),
    ],
)
def test_wrong_shape_is_a_format_error(document: object, message: str) -> None:
    with pytest.raises(SourceFormatError, match=message):
        openrouter.parse(body(document), url=URL)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (1, "a number, not an object"),
        ({"name": "no id", "pricing": {}}, "no string 'id' (id is null)"),
        ({"id": ""}, "no string 'id' (id is a string)"),
        ({"id": 7}, "no string 'id' (id is a number)"),
    ],
)
def test_an_entry_that_cannot_be_told_apart_is_skipped_and_the_rest_read(entry: object, reason: str) -> None:
    batch = openrouter.parse(body({"data": [model("acme/one"), entry, model("acme/two")]}), url=URL)
    assert [offering.offering_id for offering in batch.offerings] == ["acme/one", "acme/two"]
    assert batch.skipped == [("item 1", reason)]


def test_duplicate_ids_are_a_format_error_naming_the_id() -> None:
    document = {"data": [model("acme/twin"), model("acme/other"), model("acme/twin")]}
    with pytest.raises(SourceFormatError, match="duplicate model id 'acme/twin'"):
        openrouter.parse(body(document), url=URL)


def test_empty_list_is_a_valid_empty_catalogue() -> None:
    assert openrouter.parse(b'{"data": []}', url=URL) == Batch()
    assert openrouter.parse(b"[]", url=URL) == Batch()


# --- per-model problems: skipped with a reason, the rest still parsed -----------------------


@pytest.mark.parametrize(
    ("pricing", "reason"),
    [
        ({"prompt": None}, "pricing.prompt: missing"),
        ({"completion": ""}, "pricing.completion: empty price"),
        ({"prompt": "-0.000001"}, "pricing.prompt: negative"),
        ({"prompt": "abc"}, "pricing.prompt: not a number"),
        ({"completion": "1e308"}, "pricing.completion: absurd"),
        ({"prompt": "NaN"}, "pricing.prompt: not a finite number"),
        ({"input_cache_read": "abc"}, "pricing.input_cache_read: not a number"),
        ({"input_cache_write": "-0.1"}, "pricing.input_cache_write: negative"),
        ({"internal_reasoning": "1e308"}, "pricing.internal_reasoning: absurd"),
        ({"request": "5000"}, "pricing.request: absurd"),
        ({"request": "-0.01"}, "pricing.request: negative"),
    ],
)
def test_bad_price_skips_only_that_model(pricing: dict[str, object], reason: str) -> None:
    bad = model("acme/bad", **pricing)
    if bad["pricing"].get("prompt") is None:  # type: ignore[union-attr]
        del bad["pricing"]["prompt"]  # type: ignore[union-attr]
    result = openrouter.parse(body({"data": [model("acme/good"), bad]}), url=URL)
    assert [o.offering_id for o in result.offerings] == ["acme/good"]
    assert len(result.skipped) == 1
    skipped_id, skipped_reason = result.skipped[0]
    assert skipped_id == "acme/bad"
    assert skipped_reason.startswith(reason)


def test_model_without_pricing_object_is_skipped() -> None:
    result = openrouter.parse(body([{"id": "acme/naked", "name": "Naked"}]), url=URL)
    assert result.offerings == []
    assert result.skipped == [("acme/naked", "no pricing object (pricing is null)")]


def test_router_is_recognised_even_if_only_one_side_is_minus_one() -> None:
    result = openrouter.parse(body([model("acme/router", completion="-1")]), url=URL)
    assert result.skipped == [("acme/router", "router (price -1), not a price")]


def test_json_number_prices_are_read_exactly() -> None:
    raw = b'[{"id": "acme/n", "name": "N", "pricing": {"prompt": 0.00000008333333333333334, '
    raw += b'"completion": 0.000015, "request": 0.0004}}]'
    segment = only_segment(openrouter.parse(raw, url=URL).offerings[0])
    assert segment.input == Decimal("0.08333333333333334")
    assert segment.output == Decimal("15")
    assert segment.request == Decimal("0.0004")


def test_nonzero_request_fee_is_kept_in_usd_per_request() -> None:
    result = openrouter.parse(body([model(request="0.005")]), url=URL)
    assert only_segment(result.offerings[0]).request == Decimal("0.005")


def test_names_are_stored_as_given_including_control_characters() -> None:
    raw_name = "Evil\x1b[31m Model\r\n"
    document = [{"id": "acme/evil", "name": raw_name, "pricing": model()["pricing"]}]
    assert openrouter.parse(body(document), url=URL).offerings[0].name == raw_name


def test_missing_name_falls_back_to_the_id() -> None:
    document = [{"id": "acme/anon", "pricing": model()["pricing"]}]
    offering = openrouter.parse(body(document), url=URL).offerings[0]
    assert offering.name == "acme/anon"
    assert offering.lab == "acme"
