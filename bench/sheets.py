"""Synthetic source responses of realistic size, shaped like the recorded fixtures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def openrouter_sheet(size: int) -> bytes:
    templates = json.loads((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_text())["data"]
    models = []
    for index in range(size):
        model = json.loads(json.dumps(templates[index % len(templates)]))
        model["id"] = f"{model['id']}-{index}"
        model["name"] = f"{model['name']} #{index}"
        pricing = model["pricing"]
        if pricing.get("prompt") == "-1":
            pricing.update(prompt="0.000001", completion="0.000002")
        pricing["prompt"] = str(Decimal(pricing["prompt"]) + Decimal(index) / Decimal(10**10))
        models.append(model)
    return json.dumps({"data": models}).encode()


def litellm_map(size: int) -> bytes:
    raw = json.loads((FIXTURES / "litellm/model_prices_and_context_window.sample.json").read_text())
    templates = [
        v
        for v in raw.values()
        if isinstance(v, dict) and v.get("mode") == "chat" and "input_cost_per_token" in v
    ]
    document = {}
    for index in range(size):
        entry = dict(templates[index % len(templates)])
        entry["input_cost_per_token"] = float(entry["input_cost_per_token"]) + index * 1e-12
        document[f"provider-{index % 40}/model-{index}"] = entry
    return json.dumps(document).encode()
