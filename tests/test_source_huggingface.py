"""The huggingface kind as a pure parser: pages, licences, lineage, bad entries, Link headers."""

import json
from dataclasses import replace
from datetime import datetime

import httpx
import pytest
from conftest import FIXTURES

from frontier_watch.domain.batch import Lineage
from frontier_watch.net.http import rate_limit_wait
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.huggingface import (
    LICENCE_CLASS_NAMES,
    LICENCE_CLASSES,
    licence_class,
    parse,
    start_urls,
    stop_paging,
)
from frontier_watch.sources.kind import Response, StoredState

PAGES = FIXTURES / "huggingface"
PAGE1_URL = (
    "https://huggingface.co/api/models?author=deepseek-ai&sort=createdAt&direction=-1&limit=6&full=true"
)


def headers_of(name: str) -> httpx.Headers:
    lines = (PAGES / f"{name}.headers").read_text(encoding="utf-8").splitlines()[1:]
    return httpx.Headers(
        [tuple(part.strip() for part in line.split(":", 1)) for line in lines if ":" in line]
    )


def page(name: str, url: str = PAGE1_URL, body: bytes | None = None, **extra: str) -> Response:
    headers = headers_of(name)
    headers.update(extra)
    return Response(url, 200, headers, body if body is not None else (PAGES / f"{name}.json").read_bytes())


@pytest.fixture
def spec():
    return load_catalogue()["huggingface"]


def by_key(batch):
    return {release.key: release for release in batch.releases}


def test_first_page_yields_six_releases_their_statistics_and_the_cursor(spec):
    batch = parse(page("models_deepseek-ai_page1"), spec)
    assert len(batch.releases) == 6 and len(batch.release_stats) == 6 and not batch.skipped
    assert batch.next_url == (
        "https://huggingface.co/api/models?author=deepseek-ai&sort=createdAt&direction=-1&limit=6"
        "&full=true&cursor=eyIkb3IiOlt7ImNyZWF0ZWRBdCI6IjIwMjUtMDEtMjBUMDk6MTM6MzMuMDAwWiJ9XX0%3D"
    )
    exp = by_key(batch)["deepseek-ai/DeepSeek-V3.2-Exp"]
    assert exp.params == 685489620624 and exp.total_params_b == 685.49
    assert (exp.license, exp.license_class) == ("mit", "permissive")
    assert exp.created_at == datetime(2025, 9, 29, 3, 41, 36) and exp.date.isoformat() == "2025-09-29"
    assert exp.date_kind == "repo-created" and exp.lab == "DeepSeek" and exp.org == "deepseek-ai"
    assert exp.last_modified_at == datetime(2025, 9, 29, 12, 0)
    assert (exp.pipeline_tag, exp.library_name, exp.gated) == ("text-generation", "transformers", "no")
    assert exp.source_url == "https://huggingface.co/deepseek-ai/DeepSeek-V3.2-Exp"
    stats = {stat.repo_id: stat for stat in batch.release_stats}
    assert (
        stats["deepseek-ai/DeepSeek-V3.2-Exp"].downloads,
        stats["deepseek-ai/DeepSeek-V3.2-Exp"].likes,
    ) == (
        91234,
        812,
    )


def test_last_page_has_no_next_and_keeps_the_quirks(spec):
    batch = parse(page("models_deepseek-ai_page2", url=PAGE1_URL + "&cursor=x"), spec)
    assert batch.next_url is None and not batch.notes
    releases = by_key(batch)
    r1 = releases["deepseek-ai/DeepSeek-R1"]
    assert (r1.license, r1.license_class, r1.open_weights, r1.weights_released) == (
        "mit",
        "permissive",
        "yes",
        "open",
    )
    assert r1.arxiv_ids == ("2501.12948",) and r1.paper_or_report == "arXiv 2501.12948"
    v3 = releases["deepseek-ai/DeepSeek-V3"]
    assert v3.license == "other" and v3.license_class == "restricted"  # its own licence, never MIT
    vl2 = releases["deepseek-ai/deepseek-vl2"]  # no safetensors block
    assert vl2.params is None and vl2.total_params_b is None and vl2.pipeline_tag == "image-text-to-text"


def test_distills_name_their_bases_from_tags_and_their_teacher_from_their_name(spec):
    releases = by_key(parse(page("models_deepseek-ai_page1"), spec))
    assert releases["deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"].base_models == (
        Lineage("Qwen/Qwen2.5-32B", "finetune", "tag"),
        Lineage("deepseek-ai/DeepSeek-R1", "distill", "name"),
    )
    assert releases["deepseek-ai/DeepSeek-R1-Distill-Llama-70B"].base_models == (
        Lineage("meta-llama/Llama-3.3-70B-Instruct", "finetune", "tag"),
        Lineage("deepseek-ai/DeepSeek-R1", "distill", "name"),
    )
    assert releases["deepseek-ai/DeepSeek-V3.1"].base_models == (
        Lineage("deepseek-ai/DeepSeek-V3.1-Base", "finetune", "tag"),
    )
    assert releases["deepseek-ai/DeepSeek-R1-0528"].base_models == ()


def test_card_base_models_and_their_stated_relation(spec):
    item = {
        "id": "someone/Model-GGUF",
        "createdAt": "2025-02-01T00:00:00.000Z",
        "tags": ["base_model:deepseek-ai/DeepSeek-R1"],
        "cardData": {
            "base_model": ["deepseek-ai/DeepSeek-R1", "other/x"],
            "base_model_relation": "quantized",
        },
    }
    batch = parse(page("models_deepseek-ai_page2", body=json.dumps([item]).encode()), spec)
    assert batch.releases[0].base_models == (
        Lineage("deepseek-ai/DeepSeek-R1", "quantized", "tag"),
        Lineage("other/x", "quantized", "card"),
    )


def test_one_malformed_entry_is_skipped_with_its_reason_and_the_rest_kept(spec):
    good = json.loads((PAGES / "models_deepseek-ai_page2.json").read_bytes())
    bad = [
        {"id": "deepseek-ai/Broken", "createdAt": "not a time"},
        "a string",
        {"id": 42},
        {"id": "deepseek-ai/Secret", "createdAt": "2025-01-01T00:00:00Z", "private": True},
    ]
    batch = parse(page("models_deepseek-ai_page2", body=json.dumps(good[:2] + bad + good[2:]).encode()), spec)
    assert len(batch.releases) == 5
    reasons = dict(batch.skipped)
    assert reasons["deepseek-ai/Broken"] == "createdAt is missing or not a time (a string)"
    assert "not an object" in reasons["item 3 of org deepseek-ai"]
    assert "no repository id" in reasons["item 4 of org deepseek-ai"]
    assert "private" in reasons["deepseek-ai/Secret"]


def test_odd_values_are_left_empty_not_guessed(spec):
    item = {
        "id": "deepseek-ai/Odd",
        "createdAt": "2025-01-01T00:00:00Z",
        "lastModified": 5,
        "downloads": -3,
        "likes": True,
        "tags": "not a list",
        "safetensors": {"total": "685B"},
        "gated": "manual",
        "cardData": ["not", "an", "object"],
    }
    batch = parse(page("models_deepseek-ai_page2", body=json.dumps([item]).encode()), spec)
    [release] = batch.releases
    assert release.params is None and release.last_modified_at is None and release.license is None
    assert (
        release.license_class == "unknown"
        and release.gated == "manual"
        and release.weights_released == "gated"
    )
    assert batch.release_stats == []  # neither count could be read


def test_a_file_list_without_weights_means_no_weights(spec):
    item = {
        "id": "deepseek-ai/Placeholder",
        "createdAt": "2025-01-01T00:00:00Z",
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "config.json"}],
    }
    [release] = parse(page("models_deepseek-ai_page2", body=json.dumps([item]).encode()), spec).releases
    assert (release.weights_released, release.open_weights) == ("none", "no")


@pytest.mark.parametrize(
    "header",
    [
        '<https://huggingface.co/api/models?author=deepseek-ai&cursor=abc; rel="next"',  # no closing >
        'https://huggingface.co/api/models?cursor=abc; rel="next"',  # no <...>
        '<file:///etc/passwd>; rel="next"',  # not http(s)
    ],
)
def test_a_broken_link_header_stops_paging_with_a_note(spec, header):
    batch = parse(page("models_deepseek-ai_page1", link=header), spec)
    assert batch.next_url is None and len(batch.releases) == 6
    assert batch.notes == [
        "org deepseek-ai: the Link header names a next page that cannot be followed; stopped paging there"
    ]


def test_a_body_that_is_not_a_list_fails_the_page(spec):
    with pytest.raises(SourceFormatError, match="API error"):
        parse(page("models_deepseek-ai_page1", body=b'{"error": "Invalid cursor"}'), spec)
    with pytest.raises(SourceFormatError, match="expected an array"):
        parse(page("models_deepseek-ai_page1", body=b'"text"'), spec)
    with pytest.raises(SourceFormatError):
        parse(page("models_deepseek-ai_page1", body=b"[{"), spec)


def test_start_urls_ask_each_org_newest_first(spec):
    urls = start_urls(
        replace(spec, url="http://127.0.0.1:9/", options={**spec.options, "orgs": ["a", "b c"]})
    )
    assert urls == [
        "http://127.0.0.1:9/api/models?author=a&sort=createdAt&direction=-1&full=true&limit=100",
        "http://127.0.0.1:9/api/models?author=b+c&sort=createdAt&direction=-1&full=true&limit=100",
    ]
    with pytest.raises(ValueError, match="orgs"):
        start_urls(replace(spec, options={"orgs": []}))
    with pytest.raises(ValueError, match="limit"):
        start_urls(replace(spec, options={"orgs": ["a"], "limit": 0}))


def test_the_default_catalogue_tracks_the_frontier_orgs_with_an_optional_token(spec):
    orgs = spec.options["orgs"]
    for org in (
        "deepseek-ai",
        "meta-llama",
        "Qwen",
        "mistralai",
        "google",
        "moonshotai",
        "zai-org",
        "CohereLabs",
    ):
        assert org in orgs
    assert spec.options["token_env"] == "HF_TOKEN" and spec.url == "https://huggingface.co"


def test_paging_stops_at_a_stored_unchanged_repository_already_counted_today(spec):
    batch = parse(page("models_deepseek-ai_page1"), spec)
    r1 = by_key(batch)["deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"]
    stored = {r1.key: r1.last_modified_at}
    assert stop_paging(batch, StoredState(stored, frozenset({r1.key})))
    assert not stop_paging(batch, StoredState(stored, frozenset()))  # not counted today: read on
    assert not stop_paging(batch, StoredState({r1.key: datetime(2020, 1, 1)}, frozenset({r1.key})))
    assert not stop_paging(batch, StoredState({}, frozenset()))


@pytest.mark.parametrize(
    ("licence", "open_weights", "expected"),
    [
        ("mit", None, "permissive"),
        ("apache-2.0", None, "permissive"),
        ("other", None, "restricted"),  # a lab's own licence is never taken for a permissive one
        ("llama3.1", None, "restricted"),
        ("cc-by-nc-4.0", None, "restricted"),
        ("gemma", None, "restricted"),
        ("unknown", None, "unknown"),
        ("some-new-licence", None, "unknown"),
        (None, None, "unknown"),
        ("MIT (weights and code; distillation allowed)", "yes", "permissive"),
        ("code MIT; weights under DeepSeek Model License (commercial use allowed)", "yes", "restricted"),
        ("Modified MIT", "yes", "restricted"),
        ("Llama 3.1 Community License (700M MAU cap; acceptable-use policy)", "yes", "restricted"),
        ("research-only non-commercial licence (weights by application)", "restricted", "restricted"),
        ("proprietary (API)", "no", "proprietary"),
        ("Apache 2.0", "no", "proprietary"),  # no weights: nothing is licensed
        ("unknown (not in stored text)", "unknown", "unknown"),
    ],
)
def test_licence_classes(licence, open_weights, expected):
    assert licence_class(licence, open_weights) == expected


def test_every_licence_id_maps_to_a_known_class():
    assert set(LICENCE_CLASSES.values()) <= set(LICENCE_CLASS_NAMES)
    assert LICENCE_CLASSES["other"] != "permissive"


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"ratelimit": '"api";r=497;t=212'}, None),
        ({"ratelimit": '"api";r=0;t=212'}, 212.0),
        ({"ratelimit": '"api";r=5;t=10, "pages";r=0;t=30'}, 30.0),
        ({"ratelimit": "limit=500, remaining=0, reset=17"}, 17.0),
        ({"ratelimit-remaining": "0", "ratelimit-reset": "9"}, 9.0),
        ({"ratelimit": '"api";r=0'}, None),  # no reset time: nothing to wait for
        ({"ratelimit": '"api";r=zero;t=nan'}, None),
        ({"ratelimit": '"api";r=0;t=inf'}, None),
        ({}, None),
    ],
)
def test_rate_limit_headers(headers, wait):
    assert rate_limit_wait(httpx.Headers(headers)) == wait
