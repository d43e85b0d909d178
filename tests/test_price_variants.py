"""Variants: the price points one seller sells one model at side by side (domain/variants.py).

The rule is pure, on the offering id and the model it answers for; it is pinned here on the
offering ids the sources really use (the shipped data and the live LiteLLM, genai-prices and
OpenRouter keys), then on the shipped data through the model answer.
"""

from __future__ import annotations

import pytest

from frontier_watch.domain.variants import offering_variant

PLAIN = ""


@pytest.mark.parametrize(
    ("offering_id", "model_id", "variant"),
    [
        # Bedrock: geographic and regional inference profiles, apart from the global one
        ("us.anthropic.claude-sonnet-5", "claude-sonnet-5", "regional"),
        ("eu.anthropic.claude-sonnet-5", "claude-sonnet-5", "regional"),
        ("au.anthropic.claude-sonnet-5", "claude-sonnet-5", "regional"),
        ("jp.anthropic.claude-sonnet-5", "claude-sonnet-5", "regional"),
        ("apac.amazon.nova-2-lite-v1:0", "amazon-nova-2-lite", "regional"),
        ("regional.anthropic.claude-sonnet-5-v1:0", "claude-sonnet-5", "regional"),
        ("global.anthropic.claude-sonnet-5-v1:0", "claude-sonnet-5", PLAIN),
        ("global.anthropic.claude-sonnet-5", "claude-sonnet-5", PLAIN),
        ("anthropic.claude-sonnet-5", "claude-sonnet-5", PLAIN),
        ("amazon.nova-2-lite-v1:0", "amazon-nova-2-lite", PLAIN),
        ("openai.gpt-5.6-luna", "gpt-5.6-luna", PLAIN),  # a vendor, not a region
        # a cloud region in the path; AWS GovCloud is priced apart from both
        ("bedrock/eu-central-1/anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku", "regional"),
        ("bedrock/us-gov-west-1/anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku", "GovCloud"),
        ("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4.5", "GovCloud"),
        ("bedrock/invoke/anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3.5-sonnet", PLAIN),
        ("vertex_ai/us-east5/claude-sonnet-4-5", "claude-sonnet-4.5", "regional"),
        ("vertex_ai/claude-sonnet-5@default", "claude-sonnet-5", PLAIN),
        # Azure data zones, apart from the global deployment
        ("azure/eu/gpt-4o-2024-08-06", "gpt-4o", "regional"),
        ("azure/us/gpt-4o-2024-08-06", "gpt-4o", "regional"),
        ("azure/global/gpt-4o-2024-08-06", "gpt-4o", PLAIN),
        ("azure/gpt-4o", "gpt-4o", PLAIN),
        # a context size the model's own id does not carry
        ("gpt-4-32k", "gpt-4", "32k context"),
        ("gpt-4-32k-0613", "gpt-4", "32k context"),
        ("gpt-3.5-turbo-16k", "gpt-3.5-turbo", "16k context"),
        ("moonshot/moonshot-v1-32k", "moonshot-v1-32k", PLAIN),
        ("moonshot/moonshot-v1-128k-0430", "moonshot-v1-128k", PLAIN),
        ("novita/minimaxai/minimax-m1-80k", "minimax-m1-80k", PLAIN),
        # a faster serving sold beside the plain one, unless the model is named so
        ("novita/deepseek/deepseek-v3-turbo", "deepseek-v3", "turbo"),
        ("deepinfra/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "llama-3.1-8b", "turbo"),
        ("gpt-3.5-turbo-0125", "gpt-3.5-turbo", PLAIN),
        ("kimi-k2-turbo-preview", "kimi-k2-turbo", PLAIN),
        # OpenRouter: variants it prices apart, and suffixes that are the same price point
        ("qwen/qwen-plus-2025-07-28:thinking", "qwen-plus", "thinking"),
        ("meta-llama/llama-3.1-8b-instruct:extended", "llama-3.1-8b", "extended context"),
        ("nvidia/nemotron-3-super-120b-a12b:free", "nemotron-3-super-120b-a12b", PLAIN),
        ("openai/gpt-4o:nitro", "gpt-4o", PLAIN),
        ("openai/gpt-4o:floor", "gpt-4o", PLAIN),
        # snapshots, pins, aliases and modes: the same price point
        ("gpt-4o-2024-08-06", "gpt-4o", PLAIN),
        ("xai/grok-3-latest", "grok-3", PLAIN),
        ("xai/grok-3-beta", "grok-3", PLAIN),
        ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash", PLAIN),
        ("azure_ai/grok-4-fast-reasoning", "grok-4-fast", PLAIN),
        ("ft:babbage-002", "ft", PLAIN),
        # parts combine, region first
        ("us.anthropic.claude-x-200k", "claude-x", "regional, 200k context"),
    ],
)
def test_the_variant_of_an_offering(offering_id, model_id, variant):
    assert offering_variant(offering_id, model_id) == variant


def test_without_a_model_only_the_id_itself_can_say_so():
    # an unmatched offering answers for itself: a size or speed in its id is its own name
    assert offering_variant("gpt-4-32k", None) == PLAIN
    assert offering_variant("novita/deepseek/deepseek-v3-turbo", None) == PLAIN
    assert offering_variant("us.anthropic.claude-sonnet-5", None) == "regional"


def test_case_and_spaces_do_not_change_the_variant():
    assert offering_variant("  US.Anthropic.Claude-Sonnet-5 ", "claude-sonnet-5") == "regional"
    assert offering_variant("GPT-4-32K", "gpt-4") == "32k context"
