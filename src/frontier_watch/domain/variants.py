"""Which price point of its model an offering is: its variant, read from the offering id.

One seller sells one model in one tier at several prices at once, and these are not sources
disagreeing: GPT-4 and GPT-4-32k (30/60 and 60/120); Claude on Bedrock through the global
endpoint, through a regional or geographic one (3/15 and 3.3/16.5) and on AWS GovCloud
(3.6/18). The model answer judges each variant apart; ``""`` is the plain price point.

The rule, on the offering id (the source's own: an API id, a LiteLLM key, an OpenRouter
slug) and the id of the model it answers for:

* **Region.** ``regional``: a Bedrock geographic or regional inference profile (``us.``,
  ``eu.``, ``apac.``, ``au.``, ``jp.``, ``ca.`` or genai-prices' ``regional.`` before the
  vendor: ``us.anthropic.claude-sonnet-5``), a cloud region in the path
  (``bedrock/eu-central-1/...``, ``vertex_ai/us-east5/...``) or an Azure data zone
  (``azure/eu/...``, ``azure/us/...``): these are priced apart from the global endpoint
  (10% more for recent Claude models). ``GovCloud``: AWS GovCloud (``us-gov.``,
  ``bedrock/us-gov-west-1/...``), priced apart from both. The global profile (``global.``,
  ``azure/global/...``) and the id without a region are the plain price point.
* **Context size.** ``32k context``: an id ending in ``-32k`` (``-16k``, ...; a snapshot date
  may follow) where the model's own id has no such size: GPT-4-32k is a variant of GPT-4,
  but ``moonshot-v1-32k`` is its own model. OpenRouter's ``:extended`` is ``extended context``.
* **Serving.** ``turbo``: an id ending in ``-turbo`` where the model's id has no ``turbo``
  (a reseller's faster serving sold beside the plain one: Novita's ``deepseek-v3-turbo``,
  DeepInfra's ``...-Instruct-Turbo``). OpenRouter's ``:thinking`` is ``thinking`` (priced
  apart from the plain slug).

Not variants, because they are the same price point (a different price there is a real
disagreement, or a stale row): a dated snapshot or version pin (``-2024-08-06``, ``-0430``,
``@default``, ``-v1:0``), whose prices over time the model answer orders by date; an alias
(``-latest``, ``-beta``, ``-preview``); a provider or route prefix (``gemini/``,
``vertex_ai/``, ``bedrock/invoke/``); a reasoning mode sold at the model's price
(``-reasoning``); OpenRouter's routing shortcuts (``:nitro``, ``:floor``: the same list
price, routed differently) and ``:free`` (a $0 price is its own tier, ``free``).

Without a model id (an offering matching no model answers for itself) only a region can
make a variant: a size or speed in the id is then part of its own name. Parts combine in
the order above, joined by ``, `` (``regional, 32k context``). A pure function.
"""

from __future__ import annotations

import re
from functools import lru_cache

REGIONAL, GOVCLOUD = "regional", "GovCloud"

# Bedrock inference profiles: "<geography>.<vendor>.<model>"
_GEOGRAPHIC_PROFILES = frozenset({"us", "eu", "apac", "au", "jp", "ca", "regional"})
_GOVCLOUD_PROFILE = "us-gov"
# cloud regions as path segments: AWS (us-east-1, us-gov-west-1), Google Cloud (us-east5)
_AWS_REGION = re.compile(r"[a-z]{2}(?P<gov>-gov)?-[a-z]+-\d+")
_GCP_REGION = re.compile(r"(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\d+")
_AZURE_DATA_ZONES = frozenset({"eu", "us"})
# a size or speed at the end of the id, a snapshot date (-0613, -2024-04-09) may follow
_SNAPSHOT = r"(?:-\d{4}(?:-\d{2}-\d{2})?)?$"
_CONTEXT = re.compile(r"-(?P<size>\d+)k" + _SNAPSHOT)
_TURBO = re.compile(r"-turbo" + _SNAPSHOT)
# OpenRouter's ":suffix" variants priced apart; every other suffix is the same price point
_OPENROUTER_VARIANTS = {"extended": "extended context", "thinking": "thinking"}


@lru_cache(maxsize=8192)
def offering_variant(offering_id: str, model_id: str | None = None) -> str:
    """The variant of ``offering_id`` as a price point of ``model_id`` (``""``: the plain one)."""
    *path, name = offering_id.strip().lower().split("/")
    head, colon, suffix = name.rpartition(":")
    if colon and suffix.isalpha():  # an OpenRouter variant; "-v1:0" is a version
        name = head
    else:
        suffix = ""
    model = (model_id or "").lower()
    parts = [_region(path, name)]
    if model:
        context = _CONTEXT.search(name)
        if context and f"-{context['size']}k" not in model:
            parts.append(f"{context['size']}k context")
        if _TURBO.search(name) and "turbo" not in model:
            parts.append("turbo")
    parts.append(_OPENROUTER_VARIANTS.get(suffix, ""))
    return ", ".join(part for part in parts if part)


def _region(path: list[str], name: str) -> str:
    profile, dot, rest = name.partition(".")
    if dot and "." in rest:  # "<profile>.<vendor>.<model>"
        if profile == _GOVCLOUD_PROFILE:
            return GOVCLOUD
        if profile in _GEOGRAPHIC_PROFILES:
            return REGIONAL
    for segment in path:
        aws = _AWS_REGION.fullmatch(segment)
        if aws:
            return GOVCLOUD if aws["gov"] else REGIONAL
        if _GCP_REGION.fullmatch(segment):
            return REGIONAL
    if len(path) >= 2 and path[0] == "azure" and path[1] in _AZURE_DATA_ZONES:
        return REGIONAL
    return ""
