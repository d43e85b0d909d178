"""Which canonical models are reasoning models (they think before answering, and bill it).

Epoch AI's price trends are given with and without reasoning models, because a reasoning
model's per-token price understates what an answer costs. The rule is by canonical model id,
written out here so ``trends capability --exclude-reasoning`` says exactly what it left out
(the JSON lists every model it treated as reasoning).

Hybrid models whose thinking is optional (Claude 3.7 Sonnet and later, GPT-5, Gemini 2.5)
are not counted: their list price is the same with thinking off, which is how most
published tables score them.
"""

from __future__ import annotations

import re

# Reasoning-only model lines: OpenAI's o-series and gpt-oss, DeepSeek R1 (and its distills),
# Qwen QwQ and the Qwen3 "thinking" builds, Grok 3 mini and Grok 4, Kimi K1.5, Magistral,
# Phi-4 reasoning, and any id that says so (-thinking, -reasoner, -reasoning).
_REASONING = re.compile(
    r"^(o[1-9](-mini|-pro|-preview)?(-\d|$|-high|-low)"
    r"|.*deepseek-r1"
    r"|qwq"
    r"|gpt-oss"
    r"|grok-3-mini"
    r"|grok-4(-\d+)?$"
    r"|magistral"
    r"|phi-4-(mini-)?reasoning"
    r"|kimi-k1\.5"
    r")"
    r"|.*-(thinking|reasoner|reasoning)(-|$)",
)


def is_reasoning_model(model_id: str) -> bool:
    """True for a canonical id of a reasoning-only model (``o1``, ``o3-mini``, ``deepseek-r1``)."""
    text = model_id.strip().lower()
    if text.endswith("-non-reasoning") or "-non-reasoning-" in text:
        return False
    return bool(_REASONING.match(text))
