"""One malformed item is skipped with its reason; the rest of the source is stored.

An OpenRouter entry without an ``id``, an id holding a lone surrogate (``"evil/x\\ud800"`` in
the JSON), or an llm-prices model whose id is not a string used to fail every item of the
source. And a garbage Hugging Face ``Link`` header was followed to ``/api/%3C``, throwing away
the page already read. A malformed item is now skipped with its reason in the run's note,
paging that cannot go on stops with a note and keeps what it has, and a list known to be cut
short withdraws nothing.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections import defaultdict
from dataclasses import replace
from typing import Any

import pytest
from conftest import FIXTURES
from fixture_server import fixture_server, route_key
from hostile_input import (
    HF_PAGE,
    PRICE_OPTIONS,
    assert_one_line_error,
    assert_reads_work,
    fetch_one,
    genai_data,
    genai_model,
    hf_page,
    hf_repo_ids,
    integrity_ok,
    litellm_entry,
    llm_prices_file,
    llm_prices_model,
    openrouter_model,
    openrouter_sheet,
    run_cli,
    run_note,
    served_config,
    stored_dates_out_of_range,
    table_counts,
)

from frontier_watch.domain.batch import PARTS, PricedOffering, ReleaseFact, RepoStat
from frontier_watch.domain.clock import utc_now
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.plausible import vet_batch
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources import get_kind
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.kind import Response
from frontier_watch.store.write_context import WriteContext
from frontier_watch.store.writers import WRITERS

LONE_SURROGATE = "evil/x\ud800"


def stored_offerings(db, source_id: str) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {
            row[0]
            for row in connection.execute(
                "SELECT offering_id FROM offering WHERE source_id = ? AND withdrawn_at IS NULL", (source_id,)
            )
        }


def served_fetch(tmp_path, capsys, source_id: str, route: str, body: bytes, config_url=None, **options):
    with fixture_server() as server:
        url = server.serve(route, body)
        config = served_config(tmp_path, source_id, config_url(server) if config_url else url, **options)
        return fetch_one(capsys, config, source_id)


# ---------------------------------------------------------------- the faults as reported


@pytest.mark.parametrize(
    ("bad", "label", "reason"),
    [
        (
            {"name": "no id", "pricing": {"prompt": "0.000001", "completion": "0.000002"}},
            "item 1",
            "no string 'id'",
        ),
        (openrouter_model(7), "item 1", "no string 'id'"),
        (openrouter_model(LONE_SURROGATE), "evil/x\\ud800", "not valid Unicode"),
        (openrouter_model("evil/nul\x00"), "evil/nul\\x00", "NUL"),
        (openrouter_model("evil/name", name="bad\ud800name"), "evil/name", "not valid Unicode"),
        ("just text", "item 1", "not an object"),
        (None, "item 1", "not an object"),
        (openrouter_model("evil/created", created="yesterday"), None, None),  # kept: created is optional
    ],
)
def test_one_bad_openrouter_entry_is_skipped_and_the_rest_stored(tmp_path, capsys, bad, label, reason):
    body = openrouter_sheet(openrouter_model("good/one"), bad, openrouter_model("good/two"))
    assert b"\\ud800" in body or LONE_SURROGATE not in json.dumps(bad)  # a JSON escape, as a server sends it
    summary = served_fetch(tmp_path, capsys, "openrouter", "/api/v1/models", body, **PRICE_OPTIONS)
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert {"good/one", "good/two"} <= stored_offerings(db, "openrouter")
    if label is not None:
        assert summary["skipped"] == 1
        assert label in run_note(db) and reason in run_note(db), run_note(db)
    assert integrity_ok(db)
    assert_reads_work(capsys, db)


@pytest.mark.parametrize(
    ("bad", "label", "reason"),
    [
        (llm_prices_model(5), "model 1", "no string 'id'"),
        (llm_prices_model(None), "model 1", "no string 'id'"),
        (["not", "a", "model"], "model 1", "not an object"),
        (llm_prices_model(LONE_SURROGATE), "evil/x\\ud800", "not valid Unicode"),
        ({**llm_prices_model("evil-history"), "price_history": "cheap"}, "evil-history", "price_history"),
    ],
)
def test_one_bad_llm_prices_model_is_skipped_and_the_rest_stored(tmp_path, capsys, bad, label, reason):
    body = llm_prices_file(llm_prices_model("good-one"), bad, llm_prices_model("good-two"))
    summary = served_fetch(
        tmp_path,
        capsys,
        "llm-prices",
        "/data/openai.json",
        body,
        config_url=lambda server: server.url("/data/{vendor}.json"),
        vendors=["openai"],
        **PRICE_OPTIONS,
    )
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert {"good-one", "good-two"} <= stored_offerings(db, "llm-prices")
    assert summary["skipped"] == 1 and label in run_note(db) and reason in run_note(db), run_note(db)
    assert integrity_ok(db)


@pytest.mark.parametrize(
    ("bad", "label"),
    [
        (genai_model(None), "model 1"),
        (genai_model(12), "model 1"),
        ("not a model", "model 1"),
        (genai_model(LONE_SURROGATE), "evil/x\\ud800"),
    ],
)
def test_one_bad_genai_prices_model_is_skipped_and_the_rest_stored(tmp_path, capsys, bad, label):
    body = genai_data(genai_model("good-one"), bad, genai_model("good-two"))
    summary = served_fetch(tmp_path, capsys, "genai-prices", "/data.json", body, **PRICE_OPTIONS)
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert {"good-one", "good-two"} <= stored_offerings(db, "genai-prices")
    assert summary["skipped"] == 1 and label in run_note(db), run_note(db)


def test_a_litellm_key_with_a_lone_surrogate_is_skipped_and_the_rest_stored(tmp_path, capsys):
    body = json.dumps(
        {"good-one": litellm_entry(), LONE_SURROGATE: litellm_entry(), "good-two": litellm_entry()}
    ).encode()
    summary = served_fetch(tmp_path, capsys, "litellm", "/prices.json", body, **PRICE_OPTIONS)
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert {"good-one", "good-two"} <= stored_offerings(db, "litellm")
    assert "evil/x\\ud800" in run_note(db) and "not valid Unicode" in run_note(db)


@pytest.mark.parametrize(
    "fields",
    [{"id": LONE_SURROGATE}, {"tags": 5}, {"author": ["x"]}, {"cardData": {"license": 7}}, {"siblings": "x"}],
)
def test_one_bad_hugging_face_repository_is_skipped_or_read_and_the_rest_stored(tmp_path, capsys, fields):
    summary = served_fetch(
        tmp_path,
        capsys,
        "huggingface",
        HF_PAGE,
        hf_page(0, **fields),
        config_url=lambda server: server.base_url,
        orgs=["deepseek-ai"],
        limit=6,
    )
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    with sqlite3.connect(db) as connection:
        stored = {
            row[0]
            for row in connection.execute("SELECT release_key FROM release WHERE source_id = 'huggingface'")
        }
    assert set(hf_repo_ids()[1:]) <= stored
    assert integrity_ok(db)


# ---------------------------------------------------------------- every field of one item, every wrong type

HOSTILE_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    1e308,
    10**30,
    "",
    "x\ud800",
    "nul\x00",
    "0001-01-01",
    [],
    {},
    [None],
    {"a": None},
]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path inside an item (objects and the first element of arrays)."""
    paths = []
    if isinstance(value, dict):
        for key, inner in value.items():
            paths.append((*prefix, key))
            paths.extend(_paths(inner, (*prefix, key)))
    elif isinstance(value, list) and value:
        paths.append((*prefix, 0))
        paths.extend(_paths(value[0], (*prefix, 0)))
    return paths


def _set(item: Any, path: tuple, value: Any) -> Any:
    item = copy.deepcopy(item)
    target = item
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return item


def _openrouter_item() -> dict:
    document = json.loads((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes())
    item = next(entry for entry in document["data"] if entry.get("pricing", {}).get("input_cache_read"))
    return {**item, "hugging_face_id": "org/repo", "expiration_date": "2026-09-01"}


def _hf_item() -> dict:
    return json.loads((FIXTURES / "huggingface/models_deepseek-ai_page1.json").read_bytes())[0]


# kind -> (the good item, how a list of items becomes a body, the good item's id, a fresh id for item n)
FUZZED_KINDS: dict[str, tuple[Any, Any, str]] = {
    "openrouter": (_openrouter_item(), lambda items: json.dumps({"data": items}).encode(), "id"),
    "llm-prices": (
        {
            "id": "m",
            "name": "M",
            "price_history": [
                {
                    "input": 1,
                    "output": 2,
                    "input_cached": 0.5,
                    "from_date": "2024-01-01",
                    "to_date": "2025-01-01",
                },
                {"input": 1, "output": 2, "input_cached": None, "from_date": "2025-01-01", "to_date": None},
            ],
        },
        lambda items: llm_prices_file(*items),
        "id",
    ),
    "genai-prices": (
        {
            "id": "m",
            "name": "M",
            "prices": [
                {
                    "prices": {
                        "input_mtok": 1,
                        "output_mtok": {"base": 2, "tiers": [{"start": 200000, "price": 4}]},
                    }
                },
                {"constraint": {"start_date": "2025-06-01"}, "prices": {"input_mtok": 0.5, "output_mtok": 1}},
            ],
        },
        lambda items: genai_data(*items),
        "id",
    ),
    "litellm": (
        {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 1e-06,
            "output_cost_per_token": 2e-06,
            "input_cost_per_token_batches": 5e-07,
            "deprecation_date": "2026-01-01",
            "tiered_pricing": [{"range": [0, 1000], "input_cost_per_token": 1e-6}],
        },
        lambda items: json.dumps({f"model-{n}": item for n, item in enumerate(items)}).encode(),
        "",  # the key is the id
    ),
    "huggingface": (_hf_item(), lambda items: json.dumps(items).encode(), "id"),
}


def _item_ids(batch) -> set[str]:
    """The source's own id of every item the batch keeps."""
    return {
        identity[1] if isinstance(identity, tuple) else identity
        for part in PARTS
        for identity in (item.identity() for item in getattr(batch, part))
    }


def _renamed(item: Any, number: int) -> Any:
    """The item under an identity of its own, so every survivor can be written together."""
    if isinstance(item, PricedOffering):
        return replace(item, offering_id=f"{item.offering_id}#{number}")
    if isinstance(item, ReleaseFact):
        return replace(item, key=f"{item.key}#{number}", hf_repo_id=f"{item.hf_repo_id}#{number}")
    if isinstance(item, RepoStat):
        return replace(item, repo_id=f"{item.repo_id}#{number}")
    return replace(item, key=f"{item.key}#{number}")


@pytest.mark.parametrize("kind_name", list(FUZZED_KINDS))
def test_any_field_of_one_item_with_any_wrong_type_never_fails_the_others(kind_name, empty_engine):
    """Each field of a real item, set to each hostile value in turn, beside an untouched copy:
    the page parses, the untouched item survives, the changed one is kept or skipped with a
    reason, and everything kept can be written."""
    good, page_of, id_key = FUZZED_KINDS[kind_name]
    spec = replace(load_catalogue()[kind_name], url="https://example.test/x.json")
    if kind_name == "huggingface":
        spec = replace(spec, url="https://example.test", options={**spec.options, "orgs": ["deepseek-ai"]})
    kind = get_kind(spec.kind)
    assert kind is not None
    today = utc_now().date()
    other = _set(good, (id_key,), f"{good[id_key]}-other") if id_key else good
    other_id = other[id_key] if id_key else "model-1"

    def parse(items: list) -> Any:
        return kind.parse(Response(spec.url, 200, {}, page_of(items)), spec)

    assert other_id in _item_ids(parse([good, other]))
    survivors: dict[str, list] = defaultdict(list)
    tried = 0
    for path in _paths(good):
        for value in HOSTILE_VALUES:
            try:
                batch = parse([_set(good, path, value), other])
            except SourceFormatError as error:  # only a whole-response problem may fail the page
                pytest.fail(f"{kind_name} {path}={value!r} failed the page: {error}")
            vet_batch(batch, today)
            assert other_id in _item_ids(batch), (kind_name, path, value, batch.skipped)
            for label, reason in batch.skipped:
                assert label.strip() and reason.strip(), (label, reason)
                (label + reason).encode("utf-8")  # a note the database can hold
            tried += 1
            for part in PARTS:
                survivors[part].extend(_renamed(item, tried) for item in getattr(batch, part))
    assert tried > 50
    context = WriteContext(
        source_id=kind_name,
        observed_at=utc_now(),
        identity=Identity({}, {}),
        source_url=spec.url,
        evidence="vendor-claim",
        basis=kind.basis or Basis.OBSERVED,
    )
    with empty_engine.begin() as connection:
        for part in sorted(kind.produces):
            WRITERS[part].check(connection, context, survivors[part])
            WRITERS[part].write(connection, context, survivors[part])


# ---------------------------------------------------------------- paging that cannot go on


def hf_config(tmp_path, server):
    return served_config(tmp_path, "huggingface", server.base_url, orgs=["deepseek-ai"], limit=6)


def hf_route(server, number: int, link: str | None):
    from fixture_server import recorded

    route = recorded(
        FIXTURES / f"huggingface/models_deepseek-ai_page{number}.json",
        {"https://huggingface.co": server.base_url},
    )
    route.headers.pop("link", None)
    if link is not None:
        route.headers["link"] = link
    return route


PAGE2 = HF_PAGE + "&cursor=eyIkb3IiOlt7ImNyZWF0ZWRBdCI6IjIwMjUtMDEtMjBUMDk6MTM6MzMuMDAwWiJ9XX0%3D"


@pytest.mark.parametrize(
    "link",
    [
        "garbage <<>>; rel=next; ,,,",
        '<>>; rel="next"',
        '< https://x y>; rel="next"',
        '<"quoted">; rel="next"',
        '<http://[::1>; rel="next"',
        '<http://user:secret@127.0.0.1/next>; rel="next"',
    ],
)
def test_a_garbage_link_header_keeps_page_one_and_stops_with_a_note(tmp_path, capsys, link):
    with fixture_server() as server:
        server.serve_routes(HF_PAGE, hf_route(server, 1, link))
        summary = fetch_one(capsys, hf_config(tmp_path, server), "huggingface")
        asked = [route_key(path) for path, _ in server.requests]
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert asked == [route_key(HF_PAGE)]  # never /api/%3C
    assert "stopped paging" in run_note(db)
    with sqlite3.connect(db) as connection:
        assert (
            connection.execute("SELECT count(*) FROM release WHERE source_id = 'huggingface'").fetchone()[0]
            == 6
        )
    assert "secret" not in run_note(db)


def test_a_link_back_to_an_earlier_page_keeps_every_page_and_stops_with_a_note(tmp_path, capsys):
    with fixture_server() as server:
        server.serve_routes(HF_PAGE, hf_route(server, 1, f'<{server.url(PAGE2)}>; rel="next"'))
        server.serve_routes(PAGE2, hf_route(server, 2, f'<{server.url(HF_PAGE)}>; rel="next"'))
        summary = fetch_one(capsys, hf_config(tmp_path, server), "huggingface")
        asked = [route_key(path) for path, _ in server.requests]
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert asked == [route_key(HF_PAGE), route_key(PAGE2)]
    assert "already read" in run_note(db)
    with sqlite3.connect(db) as connection:
        assert (
            connection.execute("SELECT count(*) FROM release WHERE source_id = 'huggingface'").fetchone()[0]
            == 11
        )


def test_a_link_to_the_same_page_keeps_it_and_stops_with_a_note(tmp_path, capsys):
    with fixture_server() as server:
        server.serve_routes(HF_PAGE, hf_route(server, 1, f'<{server.url(HF_PAGE)}>; rel="next"'))
        summary = fetch_one(capsys, hf_config(tmp_path, server), "huggingface")
        asked = [route_key(path) for path, _ in server.requests]
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok" and asked == [route_key(HF_PAGE)]
    assert "stopped paging" in run_note(db)
    with sqlite3.connect(db) as connection:
        assert (
            connection.execute("SELECT count(*) FROM release WHERE source_id = 'huggingface'").fetchone()[0]
            == 6
        )


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("where", ["a path the hub does not have", "a host that refuses the connection"])
def test_a_next_page_that_cannot_be_had_keeps_page_one_and_stops_with_a_note(tmp_path, capsys, where):
    with fixture_server() as server:
        target = (
            server.url("/api/nope?cursor=x")
            if where.startswith("a path")
            else f"http://127.0.0.1:{_closed_port()}/api/models?cursor=x"
        )
        server.serve_routes(HF_PAGE, hf_route(server, 1, f'<{target}>; rel="next"'))
        summary = fetch_one(capsys, hf_config(tmp_path, server), "huggingface")
    db = tmp_path / "fw.db"
    assert summary["status"] == "ok", summary
    assert "page 2 failed" in run_note(db) and "kept the 1 page(s) before it" in run_note(db)
    with sqlite3.connect(db) as connection:
        assert (
            connection.execute("SELECT count(*) FROM release WHERE source_id = 'huggingface'").fetchone()[0]
            == 6
        )


@pytest.mark.parametrize(("status", "kept"), [(404, True), (410, True), (503, False), (429, False)])
def test_a_price_list_whose_second_page_is_missing_keeps_the_first_and_withdraws_nothing(
    tmp_path, capsys, status, kept
):
    """A next page that does not exist keeps the first page; an outage (5xx, 429) still fails the
    source, which then writes nothing."""
    with fixture_server() as server:
        url = server.url("/api/v1/models")
        config = served_config(
            tmp_path, "openrouter", url, **PRICE_OPTIONS
        )  # seeded: openrouter's history is open
        db = tmp_path / "fw.db"
        open_before = stored_offerings(db, "openrouter")
        page2 = server.url("/api/v1/models?page=2")
        first = {"data": [openrouter_model("good/one")], "links": {"next": page2}}
        server.serve("/api/v1/models", json.dumps(first).encode())
        server.serve("/api/v1/models?page=2", b"{}", status=status)
        summary = fetch_one(capsys, config, "openrouter")
    if kept:
        assert summary["status"] == "ok" and summary["withdrawn"] == 0, summary
        assert open_before | {"good/one"} == stored_offerings(db, "openrouter")
        assert f"page 2 failed (HTTP {status}" in run_note(db)
    else:
        assert summary["status"] == "failed", summary
        assert open_before == stored_offerings(db, "openrouter")


def test_a_link_to_another_host_is_followed_without_the_token_and_keeps_page_one(
    tmp_path, capsys, monkeypatch
):
    """A mirror may page onto another host: the page is read, the token never goes with it."""
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    with fixture_server() as server, fixture_server() as elsewhere:
        elsewhere.serve_routes(PAGE2, hf_route(elsewhere, 2, None))
        server.serve_routes(HF_PAGE, hf_route(server, 1, f'<{elsewhere.url(PAGE2)}>; rel="next"'))
        summary = fetch_one(capsys, hf_config(tmp_path, server), "huggingface")
        tokens = [headers.get("Authorization") for _, headers in elsewhere.requests]
    assert summary["status"] == "ok" and summary["records"] == 22
    assert tokens == [None]


@pytest.mark.parametrize("next_link", ["javascript:alert(1)", 7, "SELF", "http://[::1"])
def test_an_unusable_openrouter_next_link_keeps_the_page_and_withdraws_nothing(tmp_path, capsys, next_link):
    """Paging stopped short: the page is stored, and offerings not on it are not taken as withdrawn."""
    with fixture_server() as server:
        url = server.url("/api/v1/models")
        config = served_config(
            tmp_path, "openrouter", url, **PRICE_OPTIONS
        )  # seeded: openrouter's history is open
        db = tmp_path / "fw.db"
        open_before = stored_offerings(db, "openrouter")
        links = {"next": url if next_link == "SELF" else next_link}
        server.serve(
            "/api/v1/models", json.dumps({"data": [openrouter_model("good/one")], "links": links}).encode()
        )
        summary = fetch_one(capsys, config, "openrouter")
    assert summary["status"] == "ok", summary
    assert summary["withdrawn"] == 0
    assert open_before | {"good/one"} == stored_offerings(db, "openrouter")
    assert "stopped paging" in run_note(db)
    assert stored_dates_out_of_range(db) == []


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        (
            "date,category,entity,item,metric,value,unit,source_url,evidence",
            "2025-01-01,cluster,x\x00AI,Colossus,GPUs,100000,GPUs,https://example.com/a,press-report",
            "entity",
        ),
        (
            "model,benchmark,score,source_url,evidence",
            "GPT\x00-4,MMLU,86.4,https://example.com/b,vendor-claim",
            "model",
        ),
    ],
)
def test_import_refuses_a_row_with_text_no_database_can_hold(
    seeded_db_path, tmp_path, capsys, header, row, column
):
    """PostgreSQL refuses a NUL in text: the row is refused by its line on every database."""
    path = tmp_path / "rows.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    before = table_counts(seeded_db_path)
    run = run_cli(capsys, "--db", str(seeded_db_path), "import", str(path))
    assert_one_line_error(run, "rows.csv:2", column, "NUL")
    assert table_counts(seeded_db_path) == before
