"""One spelling per organisation, whether it sells a model (provider) or made it (lab).

Sources spell the same company many ways: ``openai``, ``OpenAI``, ``text-completion-openai``;
Google as ``google``, ``gemini`` or ``vertex_ai-language-models``. Each spelling maps to one
canonical name here. Where a spelling also names the product a model is sold through (Vertex
AI, Bedrock, Azure), that is kept apart as the *platform*, so "Google on Vertex AI" and
"Google's Gemini API" are one provider on two platforms.

A spelling not listed is kept as the source wrote it (trimmed): new sellers appear often and
their prices must not be lost for want of an entry. ``db check`` lists them.
"""

from __future__ import annotations

import functools
import re

# canonical name -> the spellings sources use (compared case-insensitively, "_" as "-")
_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "OpenAI": ("openai", "text-completion-openai", "chatgpt"),
    "Anthropic": ("anthropic",),
    "Google": ("google", "google-deepmind", "google deepmind", "gemini", "vertex-ai", "palm"),
    "Meta": ("meta", "meta-ai", "meta-llama", "facebook", "meta (via third-party host)"),
    "Mistral AI": ("mistral", "mistralai", "mistral-ai", "codestral"),
    "DeepSeek": ("deepseek", "deepseek-ai"),
    "xAI": ("xai", "x-ai", "xai-org"),
    "Moonshot AI": ("moonshot", "moonshot-ai", "moonshotai"),
    "Alibaba": ("alibaba", "alibaba cloud", "alibaba (qwen team)", "qwen", "dashscope", "alibaba-cloud"),
    "Zhipu AI": ("zhipu", "zhipuai", "zai", "z-ai", "zai-org", "z.ai", "thudm"),
    "MiniMax": ("minimax", "minimaxai"),
    "Cohere": ("cohere", "cohere-chat", "command", "coherelabs", "coherelabs-ai", "cohereforai"),
    "ByteDance": ("bytedance", "bytedance-seed", "doubao", "volcengine"),
    "Amazon": ("amazon", "aws", "bedrock", "bedrock-converse", "amazon-nova"),
    "Microsoft": ("microsoft", "azure", "azure-ai", "azure-openai", "phi"),
    "NVIDIA": ("nvidia",),
    "IBM": ("ibm", "ibm-granite", "watsonx"),
    "Oracle": ("oracle", "oci"),
    "Allen Institute for AI (Ai2)": (
        "allenai",
        "ai2",
        "allen institute for ai (ai2)",
        "allen-institute-for-ai",
    ),
    "OpenRouter": ("openrouter",),
    "Together AI": ("together", "together-ai", "togethercomputer", "together.ai"),
    "Fireworks AI": ("fireworks", "fireworks-ai"),
    "DeepInfra": ("deepinfra",),
    "Novita AI": ("novita", "novita-ai", "novitaai"),
    "Groq": ("groq",),
    "Cerebras": ("cerebras",),
    "SambaNova": ("sambanova",),
    "Snowflake": ("snowflake",),
    "Databricks": ("databricks",),
    "Weights & Biases": ("wandb",),
    "Perplexity": ("perplexity", "perplexity-ai"),
    "Xiaomi": ("xiaomi", "xiaomimimo"),
    "Baidu": ("baidu",),
    "Tencent": ("tencent",),
    "StepFun": ("stepfun", "stepfun-ai"),
    "Arcee AI": ("arcee-ai", "arcee"),
    "Inception": ("inception", "inceptionlabs"),
    "Reka": ("reka", "rekaai"),
    "NousResearch": ("nousresearch", "nous"),
    "Sao10K": ("sao10k",),
    "TNG Technology": ("tngtech",),
    "Nex AGI": ("nex-agi",),
    "Sakana AI": ("sakana", "sakanaai"),
    "Sarvam AI": ("sarvam", "sarvamai"),
    "Liquid AI": ("liquid", "liquidai"),
    "Ant Group (inclusionAI)": ("inclusionai", "ant-group"),
    "Hugging Face": ("huggingface", "huggingfacetb", "hugging-face"),
    "Technology Innovation Institute": ("tiiuae", "tii"),
    "01.AI": ("01-ai", "01.ai", "01ai"),
    "AI21 Labs": ("ai21", "ai21labs", "ai21-labs"),
    "Writer": ("writer",),
    "Baichuan": ("baichuan",),
    "Inflection AI": ("inflection",),
    "BAAI": ("baai",),
    "Skywork": ("skywork",),
    "Gryphe": ("gryphe",),
    "SDAIA": ("sdaia",),
    "Cognitive Computations": ("cognitivecomputations",),
    "OpenChat": ("openchat",),
    "Epoch AI": ("epoch", "epoch-ai", "epoch-research"),
    "DeepReinforce": ("deepreinforce",),
    "lizpreciatior": ("lizpreciatior",),
}

# A seller's spelling that also names the platform it sells through.
_PLATFORMS: dict[str, tuple[str, str]] = {
    "gemini": ("Google", "Gemini API"),
    "vertex-ai": ("Google", "Vertex AI"),
    "bedrock": ("Amazon", "Bedrock"),
    "bedrock-converse": ("Amazon", "Bedrock"),
    "azure": ("Microsoft", "Azure OpenAI"),
    "azure-openai": ("Microsoft", "Azure OpenAI"),
    "azure-ai": ("Microsoft", "Azure AI Foundry"),
    "watsonx": ("IBM", "watsonx.ai"),
    "oci": ("Oracle", "OCI Generative AI"),
    "dashscope": ("Alibaba", "Model Studio"),
    "text-completion-openai": ("OpenAI", "Completions API"),
}

_LOOKUP: dict[str, str] = {}
for _name, _spellings in _ORGANISATIONS.items():
    _LOOKUP[_name.lower()] = _name
    for _spelling in _spellings:
        _LOOKUP[_spelling] = _name

_SEPARATORS = re.compile(r"[\s_]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub("-", text.strip().lower())


@functools.lru_cache(maxsize=4096)
def canonical_organisation(text: str | None) -> str | None:
    """The one spelling of a lab or seller: "openai" -> "OpenAI", "gemini" -> "Google"."""
    if text is None or not text.strip():
        return None
    key = _key(text)
    found = _LOOKUP.get(key) or _LOOKUP.get(key.replace("-", " "))
    if found is None and key.startswith("vertex-ai"):  # vertex_ai-anthropic_models and kin
        found = "Google"
    return found or text.strip()


@functools.lru_cache(maxsize=4096)
def seller(provider: str) -> tuple[str, str | None]:
    """(provider, platform) for a source's provider spelling.

    ``vertex_ai-language-models`` -> ("Google", "Vertex AI"); ``openai`` -> ("OpenAI", None).
    """
    key = _key(provider)
    platform = _PLATFORMS.get(key)
    if platform is None and key.startswith("vertex-ai"):
        platform = _PLATFORMS["vertex-ai"]
    if platform is not None:
        return platform
    return canonical_organisation(provider) or provider.strip(), None


def is_canonical(name: str | None) -> bool:
    """Whether a stored provider or lab is one of the canonical spellings."""
    return name is None or name in _ORGANISATIONS


KNOWN_ORGANISATIONS = tuple(_ORGANISATIONS)
