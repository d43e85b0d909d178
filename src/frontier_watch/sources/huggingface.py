"""Hugging Face Hub ``GET /api/models?author=ORG``: an organisation's model repositories.

One request per organisation (``options.orgs``), newest first
(``sort=createdAt&direction=-1&full=true&limit=N``); the next page is announced in the
``Link: <...>; rel="next"`` response header, absent on the last page. Each repository is
a release (date kind ``repo-created``) with its licence and licence class, parameter count
(``safetensors.total``), gating, arXiv ids and the repositories it was built from, plus
its downloads and likes for the day's statistics.

Each organisation is a list of its own: one that does not exist (HTTP 404) is noted in
the run and the others are stored. Paging an organisation stops at the first page that
reaches a repository already stored, unchanged and already counted today, so hourly
fetches read one page per organisation and the first fetch of a day reads them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from frontier_watch.domain.batch import Batch, Lineage, ReleaseFact, RepoStat
from frontier_watch.domain.clock import parse_when
from frontier_watch.domain.organisations import canonical_organisation
from frontier_watch.domain.vocabulary import DateKind
from frontier_watch.sources.errors import SourceFormatError, describe, load_json
from frontier_watch.sources.kind import (
    Option,
    Response,
    SourceKind,
    StoredState,
    link_header_next,
    link_values,
)
from frontier_watch.sources.spec import SourceSpec

WHAT = "Hugging Face models list"
DEFAULT_LIMIT = 100  # repositories per page

# The licence class of each licence id the Hub knows (its ``license:`` tags and the model
# card's ``license`` field, SPDX-style). The classes say how freely the weights may be used:
#   permissive   an open-source licence with no restriction on use or users (copyleft
#                ones such as GPL included: they bind redistribution, not use);
#   restricted   published weights under terms that limit use or users: non-commercial,
#                research-only, RAIL use restrictions, the Llama and Gemma licences, and
#                "other", the lab's own licence (DeepSeek's, Qwen's...), which is never
#                assumed to be permissive;
#   proprietary  no weights to licence at all (closed models; curated data only);
#   unknown      no licence given, or one not listed here.
LICENCE_CLASSES: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "apache-2.0",
            "mit",
            "afl-3.0",
            "artistic-2.0",
            "bsl-1.0",
            "bsd",
            "bsd-2-clause",
            "bsd-3-clause",
            "bsd-3-clause-clear",
            "cc0-1.0",
            "cc-by-2.0",
            "cc-by-2.5",
            "cc-by-3.0",
            "cc-by-4.0",
            "cc-by-sa-3.0",
            "cc-by-sa-4.0",
            "cdla-permissive-1.0",
            "cdla-permissive-2.0",
            "cdla-sharing-1.0",
            "ecl-2.0",
            "epl-1.0",
            "epl-2.0",
            "etalab-2.0",
            "eupl-1.1",
            "eupl-1.2",
            "agpl-3.0",
            "gfdl",
            "gpl",
            "gpl-2.0",
            "gpl-3.0",
            "lgpl",
            "lgpl-2.1",
            "lgpl-3.0",
            "lgpl-lr",
            "isc",
            "lppl-1.3c",
            "mpl-2.0",
            "ms-pl",
            "ncsa",
            "odbl",
            "odc-by",
            "ofl-1.1",
            "osl-3.0",
            "pddl",
            "postgresql",
            "unlicense",
            "wtfpl",
            "zlib",
        ),
        "permissive",
    ),
    **dict.fromkeys(
        (
            "other",
            "openrail",
            "openrail++",
            "bigscience-openrail-m",
            "bigscience-bloom-rail-1.0",
            "bigcode-openrail-m",
            "creativeml-openrail-m",
            "cc-by-nc-2.0",
            "cc-by-nc-3.0",
            "cc-by-nc-4.0",
            "cc-by-nc-nd-3.0",
            "cc-by-nc-nd-4.0",
            "cc-by-nc-sa-2.0",
            "cc-by-nc-sa-3.0",
            "cc-by-nc-sa-4.0",
            "cc-by-nd-4.0",
            "c-uda",
            "h-research",
            "intel-research",
            "apple-ascl",
            "apple-amlr",
            "deepfloyd-if-license",
            "fair-noncommercial-research-license",
            "llama2",
            "llama3",
            "llama3.1",
            "llama3.2",
            "llama3.3",
            "llama4",
            "gemma",
        ),
        "restricted",
    ),
    "unknown": "unknown",
    "cc": "unknown",  # which Creative Commons licence is not said
}
LICENCE_CLASS_NAMES = ("permissive", "restricted", "proprietary", "unknown")

# Free-text licences (curated rows: "Llama 3.1 Community License (700M MAU cap...)") read
# by these rules, first match wins, when the text is not one of the ids above. Only the
# licence of the weights counts: "code MIT; weights under DeepSeek Model License" is read
# from "weights" on.
LICENCE_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^unknown|not in stored text"), "unknown"),
    (re.compile(r"proprietary|api only|closed"), "proprietary"),
    (
        re.compile(
            r"modified|non-?commercial|research[- ]only|community licen[cs]e|model licen[cs]e|"
            r"qwen licen[cs]e|llama|gemma|openrail|acceptable[- ]use|\bother\b"
        ),
        "restricted",
    ),
    (re.compile(r"^(mit|apache|bsd|isc|cc0|cc-by-4|unlicense|zlib|mpl)\b"), "permissive"),
)

# Relations the Hub states in ``base_model:<relation>:<repo>`` tags and ``base_model_relation``.
RELATIONS = frozenset({"finetune", "quantized", "adapter", "merge", "distill"})
_RELATION_SPELLINGS = {"distillation": "distill", "distilled": "distill", "quantization": "quantized"}
# "DeepSeek-R1-Distill-Qwen-32B": distilled from DeepSeek-R1 (the same organisation's repo).
_DISTILLED_FROM = re.compile(r"^(?P<teacher>.+?)-Distill-.+$", re.IGNORECASE)
_WEIGHT_FILES = (".safetensors", ".bin", ".gguf", ".pt", ".pth", ".ckpt", ".onnx", ".msgpack", ".h5", ".nemo")


def licence_class(licence: str | None, open_weights: str | None = None) -> str:
    """The class of a licence id or free-text licence: permissive, restricted, proprietary or unknown.

    ``open_weights`` "no" (a closed model) makes any licence text proprietary.
    """
    if open_weights == "no":
        return "proprietary"
    text = (licence or "").strip().lower()
    if not text:
        return "unknown"
    if text in LICENCE_CLASSES:
        return LICENCE_CLASSES[text]
    weights_part = [part.strip() for part in text.split(";") if part.strip().startswith("weights")]
    if weights_part:
        text = weights_part[0]
    for pattern, name in LICENCE_TEXT_RULES:
        if pattern.search(text):
            return name
    return "unknown"


def lab_of(org: str) -> str:
    """The lab behind a Hub organisation, in its one spelling (organisations.py), so --lab
    finds a lab's repositories and its curated releases alike; else the organisation."""
    return canonical_organisation(org) or org


def start_urls(spec: SourceSpec) -> list[str]:
    """One listing per organisation: ``{url}/api/models?author=ORG&sort=createdAt&...``."""
    orgs = spec.options.get("orgs") or []
    if not orgs:
        raise ValueError("options.orgs names no organisation to fetch")
    limit = spec.options.get("limit", DEFAULT_LIMIT)
    if not 1 <= limit <= 1000:
        raise ValueError(f"options.limit: expected 1 to 1000 repositories per page, got {limit}")
    base = spec.url.rstrip("/")
    return [
        f"{base}/api/models?"
        + urlencode(
            {
                "author": org,
                "sort": "createdAt",
                "direction": "-1",
                "full": "true",
                "limit": str(limit),
            }
        )
        for org in orgs
    ]


def org_of_url(url: str) -> str:
    """How the run's note names a listing: "org deepseek-ai"."""
    authors = parse_qs(urlsplit(url).query).get("author")
    return f"org {authors[0]}" if authors else url


def parse(response: Response, spec: SourceSpec) -> Batch:
    """One page of an organisation's repositories; the next page from the ``Link`` header."""
    document = load_json(response.body, WHAT)
    if isinstance(document, dict) and "error" in document:
        raise SourceFormatError(f"{WHAT}: API error: {document.get('error')}")
    if not isinstance(document, list):
        raise SourceFormatError(f"{WHAT}: top level is {describe(document)}, expected an array")
    batch = Batch(next_url=link_header_next(response))
    header = response.headers.get("link")
    if header and batch.next_url is None and _announces_next(header):
        batch.notes.append(
            f"{org_of_url(response.url)}: the Link header names a next page that cannot be "
            "followed; stopped paging there"
        )
        batch.incomplete = True
    if not document and "cursor" not in parse_qs(urlsplit(response.url).query):
        # The Hub answers an unknown author with an empty list, not an error.
        batch.notes.append(f"{org_of_url(response.url)} lists no repositories: is the name right?")
    hub = urljoin(response.url, "/")
    for index, item in enumerate(document):
        label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        try:
            release, stat = _release(item, hub)
        except _Skip as skip:
            batch.skipped.append((label or f"item {index} of {org_of_url(response.url)}", str(skip)))
            continue
        batch.releases.append(release)
        if stat is not None:
            batch.release_stats.append(stat)
    return batch


def _announces_next(header: str) -> bool:
    """A Link header that mentions a next page, whether or not it could be read."""
    parsed = any("next" in params.get("rel", "").lower().split() for _, params in link_values(header))
    return parsed or "next" in header.lower()


def stop_paging(page: Batch, stored: StoredState) -> bool:
    """The page reached a repository stored before, unchanged since, and counted today."""
    return any(
        release.key in stored.releases
        and stored.releases[release.key] == release.last_modified_at
        and release.key in stored.stats_today
        for release in page.releases
    )


class _Skip(Exception):
    """This repository cannot be stored; the message is the reason."""


def _release(item: Any, hub: str) -> tuple[ReleaseFact, RepoStat | None]:
    if not isinstance(item, dict):
        raise _Skip(f"not an object ({describe(item)})")
    repo_id = item.get("id")
    if not isinstance(repo_id, str) or repo_id.count("/") != 1 or not all(repo_id.split("/")):
        raise _Skip(f"no repository id 'org/name' (id is {describe(repo_id)})")
    if item.get("private") is True:
        raise _Skip("a private repository: not stored")
    created = _time(item.get("createdAt"))
    if created is None:
        raise _Skip(f"createdAt is missing or not a time ({describe(item.get('createdAt'))})")
    org, name = repo_id.split("/")
    author = item.get("author")
    org = author if isinstance(author, str) and author.lower() == org.lower() else org
    listed_tags = item.get("tags")
    tags = [tag for tag in listed_tags if isinstance(tag, str)] if isinstance(listed_tags, list) else []
    card_data = item.get("cardData")
    card: dict[str, Any] = card_data if isinstance(card_data, dict) else {}
    licence = _licence(tags, card)
    params = _params(item.get("safetensors"))
    gated = _gated(item.get("gated"))
    weights = _weights(item, gated)
    arxiv = tuple(dict.fromkeys(tag.split(":", 1)[1] for tag in tags if tag.startswith("arxiv:")))
    release = ReleaseFact(
        key=repo_id,
        date=created.date(),
        date_kind=DateKind.REPO_CREATED,
        lab=lab_of(org),
        model=name,
        total_params_b=round(params / 1e9, 3) if params else None,
        license=licence,
        license_class=licence_class(licence),
        open_weights="no" if weights == "none" else "yes",
        weights_released=weights,
        paper_or_report=f"arXiv {', '.join(arxiv)}" if arxiv else None,
        hf_repo_id=repo_id,
        source_url=urljoin(hub, repo_id),
        notes=_licence_note(card),
        org=org,
        created_at=created,
        last_modified_at=_time(item.get("lastModified")),
        pipeline_tag=_text(item.get("pipeline_tag")),
        library_name=_text(item.get("library_name")),
        params=params,
        gated=gated,
        arxiv_ids=arxiv,
        base_models=_lineage(repo_id, tags, card),
    )
    downloads, likes = _count(item.get("downloads")), _count(item.get("likes"))
    stat = RepoStat(repo_id, downloads, likes) if downloads is not None or likes is not None else None
    return release, stat


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_when(value)
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _licence(tags: list[str], card: dict[str, Any]) -> str | None:
    """The model card's licence, else the ``license:`` tag (the Hub derives one from the other)."""
    stated = card.get("license")
    if isinstance(stated, list):
        stated = next((entry for entry in stated if isinstance(entry, str)), None)
    if isinstance(stated, str) and stated.strip():
        return stated.strip().lower()
    tagged = next((tag.split(":", 1)[1] for tag in tags if tag.startswith("license:")), None)
    return tagged.strip().lower() if tagged and tagged.strip() else None


def _licence_note(card: dict[str, Any]) -> str | None:
    """An "other" licence's own name and link, when the card gives them."""
    parts = [
        f"licence {label}: {card[key].strip()}"
        for key, label in (("license_name", "name"), ("license_link", "link"))
        if isinstance(card.get(key), str) and card[key].strip()
    ]
    return "; ".join(parts) or None


def _params(safetensors: Any) -> int | None:
    """``safetensors.total``, the exact parameter count; None without a safetensors block."""
    if not isinstance(safetensors, dict):
        return None
    total = safetensors.get("total")
    return total if isinstance(total, int) and not isinstance(total, bool) and total > 0 else None


def _gated(value: Any) -> str | None:
    if value is False:
        return "no"
    if value is True:
        return "yes"
    if isinstance(value, str) and value.strip().lower() in ("auto", "manual"):
        return value.strip().lower()
    return None


def _weights(item: dict[str, Any], gated: str | None) -> str:
    """open, gated or none: a repository whose file list holds no weight file has none."""
    siblings = item.get("siblings")
    if isinstance(siblings, list) and siblings:
        names = [entry.get("rfilename") for entry in siblings if isinstance(entry, dict)]
        if not any(isinstance(name, str) and name.lower().endswith(_WEIGHT_FILES) for name in names):
            return "none"
    return "gated" if gated not in (None, "no") else "open"


def _lineage(repo_id: str, tags: list[str], card: dict[str, Any]) -> tuple[Lineage, ...]:
    """The repositories this one was built from: tags first, then the card, then its name."""
    found: dict[str, Lineage] = {}
    for tag in tags:
        if not tag.startswith("base_model:"):
            continue
        value = tag.removeprefix("base_model:")
        relation, colon, rest = value.partition(":")
        if colon and "/" in rest and "/" not in relation:
            relation = _RELATION_SPELLINGS.get(relation.lower(), relation.lower())
            if relation in RELATIONS:
                found[rest] = Lineage(rest, relation, "tag")
            continue
        if "/" in value and value not in found:
            found[value] = Lineage(value, None, "tag")
    stated = card.get("base_model")
    stated_relation = card.get("base_model_relation")
    relation = stated_relation.strip().lower() if isinstance(stated_relation, str) else ""
    relation = _RELATION_SPELLINGS.get(relation, relation)
    card_relation = relation if relation in RELATIONS else None
    bases = [stated] if isinstance(stated, str) else stated if isinstance(stated, list) else []
    for base in bases:
        if not isinstance(base, str) or "/" not in base.strip():
            continue
        base = base.strip()
        known = found.get(base)
        if known is None:
            found[base] = Lineage(base, card_relation, "card")
        elif known.relation is None and card_relation is not None:
            found[base] = Lineage(base, card_relation, known.stated_in)
    org, name = repo_id.split("/")
    teacher = _DISTILLED_FROM.match(name)
    if teacher:
        parent = f"{org}/{teacher.group('teacher')}"
        if parent not in found:
            found[parent] = Lineage(parent, "distill", "name")
    found.pop(repo_id, None)  # a repository is not its own base
    return tuple(found.values())


KIND = SourceKind(
    "huggingface",
    parse,
    frozenset({"releases", "release_stats"}),
    options={
        "orgs": Option(list, "a list of organisation names (deepseek-ai, Qwen, ...)", item=str, low=1),
        "limit": Option(int, "a whole number of repositories per page (1 to 1000)", low=1, high=1000),
    },
    start_urls=start_urls,
    label_start=org_of_url,
    stop_paging=stop_paging,
)
