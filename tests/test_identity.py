"""Model identity: normalisation rules, then the curated crosswalk."""

import pytest

from frontier_watch.identity import load_identity, model_display_name, normalise


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("deepseek/deepseek-r1", "deepseek-r1"),
        ("openrouter/deepseek/deepseek-r1", "deepseek-r1"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5"),
        ("anthropic/claude-sonnet-4.5", "claude-sonnet-4.5"),
        ("claude-3-7-sonnet-20250219", "claude-3.7-sonnet"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-3.5-turbo-0125", "gpt-3.5-turbo"),
        ("nvidia/nemotron-3-nano-30b-a3b:free", "nemotron-3-nano-30b-a3b"),
        ("GPT-4o", "gpt-4o"),
        ("claude-3-5-haiku-latest", "claude-3.5-haiku"),
        ("vertex_ai/claude-sonnet-4-6", "claude-sonnet-4.6"),
        # parameter sizes and real version suffixes are not versions to dot
        ("meta-llama/llama-3-8b", "llama-3-8b"),
        ("gemma-3-4b", "gemma-3-4b"),
        ("thedrummer/skyfall-36b-v2", "skyfall-36b-v2"),
        ("gpt-4-32k", "gpt-4-32k"),
        ("gpt-4-1106-preview", "gpt-4-1106-preview"),
    ],
)
def test_normalisation_rules(alias, canonical):
    assert normalise(alias) == canonical


def test_crosswalk_settles_what_rules_cannot():
    identity = load_identity()
    assert identity.model_id("llm-prices", "deepseek-reasoner") == "deepseek-r1"
    assert identity.model_id("genai-prices", "deepseek-reasoner") == "deepseek-r1"
    assert identity.model_id("openrouter", "deepseek/deepseek-r1:free") == "deepseek-r1"
    # unknown ids fall back to the rules, and are kept
    assert identity.model_id("openrouter", "brand-new/model-x-20260101") == "model-x"
    assert identity.resolve("openrouter", "brand-new/model-x-20260101") is None


@pytest.mark.parametrize(
    ("offering_id", "name", "model_id", "shown"),
    [
        (
            "anthropic/claude-sonnet-4.6",
            "Anthropic: Claude Sonnet 4.6",
            "claude-sonnet-4.6",
            "Claude Sonnet 4.6",
        ),
        ("amazon.nova-2-lite-v1:0", "amazon.nova-2-lite-v1:0", "nova-2-lite", "nova-2-lite"),
        ("azure/gpt-4o", "azure/gpt-4o", "gpt-4o", "gpt-4o"),
        ("amazon-nova-lite", "Amazon Nova Lite", "amazon-nova-lite", "Amazon Nova Lite"),
        (
            "x",
            "Google: Nano Banana 2 (Gemini 3.1 Flash Image Preview)",
            "x",
            "Nano Banana 2 (Gemini 3.1 Flash Image Preview)",
        ),
    ],
)
def test_model_display_name(offering_id, name, model_id, shown):
    assert model_display_name(offering_id, name, model_id) == shown
