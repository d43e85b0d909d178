"""Model identity: normalisation rules, then the curated crosswalk."""

import pytest

from frontier_watch.domain.identity import model_display_name, normalise
from frontier_watch.settings.crosswalk import load_identity


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
        # builds and stages of the same model: quantisation, instruct ports, previews, hosts
        ("novita/qwen/qwen3-235b-a22b-fp8", "qwen3-235b-a22b"),
        ("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b"),
        ("deepinfra/meta-llama/Llama-2-70b-chat-hf", "llama-2-70b"),
        ("deepinfra/mistralai/Mixtral-8x7B-Instruct-v0.1", "mixtral-8x7b"),
        ("gemini/gemini-2.5-flash-preview-04-17", "gemini-2.5-flash"),
        ("gemini-2.5-flash-lite-preview-09-2025", "gemini-2.5-flash-lite"),
        ("google/gemma-3n-e4b-it", "gemma-3n-e4b"),
        ("bedrock/us-gov-east-1/claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5"),
        ("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5"),
        ("oci/xai.grok-3", "grok-3"),
        ("fireworks_ai/accounts/fireworks/models/deepseek-v3p2", "deepseek-v3.2"),
        ("snowflake/llama3.1-405b", "llama-3.1-405b"),
        ("databricks/databricks-meta-llama-3-1-405b-instruct", "llama-3.1-405b"),
        ("vertex_ai/claude-sonnet-5@default", "claude-sonnet-5"),
        # what must stay apart
        ("gpt-5-chat", "gpt-5-chat"),
        ("deepseek-chat", "deepseek-chat"),
        ("gpt-3.5-turbo", "gpt-3.5-turbo"),
        ("deepseek-v3", "deepseek-v3"),
    ],
)
def test_normalisation_rules(alias, canonical):
    assert normalise(alias) == canonical


def test_the_crosswalk_stops_the_peeling_where_it_must():
    """Each rule step is tried against the crosswalk, so o1-preview is not taken for o1 and
    gpt-4-1106-preview stays GPT-4 Turbo."""
    identity = load_identity()
    assert normalise("o1-preview-2024-09-12") == "o1"  # the rules alone peel too far
    assert identity.model_id("litellm", "o1-preview-2024-09-12") == "o1-preview"
    assert identity.model_id("curated", "gpt-4-1106-preview") == "gpt-4-turbo"
    assert identity.model_id("openrouter", "openai/gpt-4.5-preview") == "gpt-4.5"


def test_crosswalk_settles_what_rules_cannot():
    identity = load_identity()
    # a moving alias resolves to what it serves now; its spans say what it served before
    assert identity.model_id("llm-prices", "deepseek-reasoner") == "deepseek-v3.2-exp"
    spans = identity.spans("genai-prices", "deepseek-reasoner")
    assert [(span.entry.model_id, span.valid_to and span.valid_to.date().isoformat()) for span in spans] == [
        ("deepseek-r1", "2025-08-21"),
        ("deepseek-v3.1", "2025-09-29"),
        ("deepseek-v3.2-exp", None),
    ]
    assert identity.model_id("openrouter", "deepseek/deepseek-r1:free") == "deepseek-r1"
    # OpenRouter's deepseek-chat slug names one model; it does not move
    assert identity.model_id("openrouter", "deepseek/deepseek-chat") == "deepseek-v3"
    assert identity.spans("openrouter", "deepseek/deepseek-chat") == ()
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
