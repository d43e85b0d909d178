"""The kind of a model: what each source's words mean (LiteLLM's mode, OpenRouter's output
modalities, llm-prices' name remarks), the rule that gives a model one kind from its
offerings' statements, and ``--kind`` as a person types it. Small known data only."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from frontier_watch.domain.model_kind import KINDS, KindError, model_kind, wanted_kinds
from frontier_watch.sources import litellm, llm_prices, openrouter

# ---------------------------------------------------------------- the rule


def test_a_model_no_source_states_a_kind_for_is_a_language_model():
    assert model_kind([]) == "language"
    assert model_kind([None, None]) == "language"


def test_the_kind_most_offerings_are_stated_to_be_wins():
    assert model_kind(["language", "language", "image"]) == "language"
    assert model_kind(["embedding", "embedding", "language", None, None]) == "embedding"


def test_a_specialised_kind_that_ties_with_language_wins():
    """One source lists DeepSeek-OCR as "chat" (it is called through a chat endpoint), another as "ocr"."""
    assert model_kind(["language", "ocr"]) == "ocr"
    assert model_kind(["ocr", "language", None]) == "ocr"


def test_two_specialised_kinds_that_tie_go_by_the_vocabulary_order():
    assert model_kind(["reranker", "embedding"]) == "embedding"
    assert model_kind(["embedding", "reranker"]) == "embedding"


def test_kind_option_defaults_to_language_and_takes_repeats_comma_lists_and_all():
    assert wanted_kinds(None) == wanted_kinds([]) == {"language"}
    assert (
        wanted_kinds(["embedding,reranker"])
        == wanted_kinds(["embedding", "Reranker "])
        == {
            "embedding",
            "reranker",
        }
    )
    assert wanted_kinds(["embedding", "all"]) is None


@pytest.mark.parametrize("value", ["llm-ish", "embeddings", ","])
def test_a_bad_kind_is_one_line_naming_every_valid_kind(value):
    with pytest.raises(KindError) as caught:
        wanted_kinds([value])
    message = str(caught.value)
    assert "\n" not in message
    assert all(kind in message for kind in KINDS) and "all" in message


# ---------------------------------------------------------------- what each source says


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        ("chat", "language"),
        ("completion", "language"),
        ("responses", "language"),
        ("embedding", "embedding"),
        ("rerank", "reranker"),
        ("image_generation", "image"),
        ("audio_transcription", "audio"),
        ("audio_speech", "audio"),
        ("ocr", "ocr"),
        ("moderation", "moderation"),
        ("vector_store", "other"),  # a mode the vocabulary does not name is still not "chat"
        ("", None),
        (None, None),
    ],
)
def test_litellm_modes_as_kinds(mode, kind):
    assert litellm.kind_of_mode(mode) == kind


def test_litellm_offerings_keep_the_kind_their_mode_states():
    body = (FIXTURES / "litellm/model_prices_and_context_window.sample.json").read_bytes()
    offerings = {item.offering_id: item for item in litellm.parse(body, url="x").offerings}
    assert offerings["text-embedding-3-small"].kind == "embedding"
    assert offerings["gpt-5.5-pro"].kind == "language"  # mode "responses"
    assert offerings["gpt-4o"].kind == "language"


@pytest.mark.parametrize(
    ("architecture", "kind"),
    [
        ({"output_modalities": ["text"]}, "language"),
        ({"output_modalities": ["text", "audio"]}, "language"),
        ({"output_modalities": ["image", "text"]}, "image"),
        ({"output_modalities": ["embeddings"]}, "embedding"),
        ({"output_modalities": ["audio"]}, "audio"),
        ({"modality": "text+image->text"}, "language"),  # the older spelling
        ({"modality": "text->image"}, "image"),
        ({"tokenizer": "GPT"}, None),
        (None, None),
        ("text->text", None),
    ],
)
def test_openrouter_output_modalities_as_kinds(architecture, kind):
    assert openrouter.kind_of_architecture(architecture) == kind


def test_openrouter_offerings_keep_the_kind_their_modalities_state():
    body = (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes()
    offerings = {item.offering_id: item for item in openrouter.parse(body, url="x").offerings}
    assert offerings["google/gemini-3.1-flash-image-preview"].kind == "image"
    assert offerings["anthropic/claude-sonnet-4.6"].kind == "language"


def test_llm_prices_states_a_kind_only_in_a_name_remark():
    assert llm_prices.kind_in_name("gpt-image-1 (image gen)") == "image"
    assert llm_prices.kind_in_name("gpt-image-2 (image gen) text tokens") == "image"
    assert llm_prices.kind_in_name("GPT-4o") is None
    assert llm_prices.kind_in_name("Claude 3.5 Sonnet (new)") is None
    document = json.loads((FIXTURES / "llm_prices/data_openai.json").read_bytes())
    parsed = llm_prices.parse(json.dumps(document).encode(), url="x")
    kinds = {item.offering_id: item.kind for item in parsed.offerings}
    assert kinds["gpt-image-1"] == "image" and kinds["gpt-4o"] is None


# ---------------------------------------------------------------- as the store reads it


def test_the_store_derives_each_models_kind_from_its_offerings_and_the_crosswalk(empty_engine):
    from datetime import datetime
    from decimal import Decimal

    from frontier_watch.domain.batch import PricedOffering, PriceSegment
    from frontier_watch.domain.identity import CrosswalkRow, Identity
    from frontier_watch.domain.vocabulary import Basis
    from frontier_watch.store.kind_reads import model_kinds
    from frontier_watch.store.model_identity import record_crosswalk
    from frontier_watch.store.price_intervals import Provenance, record_offerings
    from frontier_watch.store.reading import Reader

    def sold(offering_id: str, kind: str | None, provider: str = "acme") -> PricedOffering:
        price = PriceSegment(input=Decimal(1), output=Decimal(2))
        return PricedOffering(offering_id, offering_id, provider, segments=[price], kind=kind)

    with empty_engine.begin() as connection:
        record_crosswalk(connection, [CrosswalkRow("scan-1", "Scan 1", None, "*", "scan-1", kind="ocr")])
        record_offerings(
            connection,
            [
                sold("chatty", "language"),
                sold("ranker", "reranker"),
                sold("ranker", "language", provider="other-host"),  # a tie: the specialised kind
                sold("scan-1", "language"),  # the source says chat; the crosswalk says ocr
                sold("silent", None),
            ],
            Provenance("s", Basis.OBSERVED, "https://x.test", "independent-estimate"),
            observed_at=datetime(2026, 1, 1),
            identity=Identity({}, {}),
        )
    with empty_engine.connect() as connection:
        reader = Reader.from_sqlalchemy(connection)
        every = model_kinds(reader)
        some = model_kinds(reader, ["ranker", "silent", "unknown"])
    assert every == {
        "chatty": "language",
        "ranker": "reranker",
        "scan-1": "ocr",
        "silent": "language",
    }
    assert some == {"ranker": "reranker", "silent": "language", "unknown": "language"}
