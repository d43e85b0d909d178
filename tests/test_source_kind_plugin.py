"""A new kind is one module plus a spec: registered here, fetched end to end, no other edit.

The kind below lives only in this test. It reads signals from a JSON list and pages
through a Link header; a spec in the user's fetchers folder names it. The fetch goes
over a real HTTP server on 127.0.0.1 through the same CLI a user runs.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from fixture_server import fixture_server

from frontier_watch.cli import main
from frontier_watch.domain.batch import Batch, SignalFact
from frontier_watch.sources import register_kind, unregister_kind
from frontier_watch.sources.errors import SourceFormatError, load_json
from frontier_watch.sources.kind import Option, Response, SourceKind, link_header_next
from frontier_watch.sources.spec import SourceSpec


def parse_signal_list(response: Response, spec: SourceSpec) -> Batch:
    items = load_json(response.body, "signal list")
    if not isinstance(items, list):
        raise SourceFormatError("signal list: expected an array")
    batch = Batch(next_url=link_header_next(response))
    for item in items:
        batch.signals.append(
            SignalFact(
                key=item["id"],
                date=date.fromisoformat(item["date"]),
                category=spec.options.get("category", "cluster"),
                entity=item["entity"],
                item=item["what"],
                metric="GPUs",
                value=float(item["gpus"]),
                unit="GPUs",
            )
        )
    return batch


SIGNAL_LIST = SourceKind(
    "test-signal-list",
    parse_signal_list,
    frozenset({"signals"}),
    options={"category": Option(str, "a signal category")},
)


@pytest.fixture
def registered_kind():
    register_kind(SIGNAL_LIST)
    yield SIGNAL_LIST
    unregister_kind(SIGNAL_LIST.name)


PAGE_1 = [
    {"id": "c1", "date": "2024-09-02", "entity": "xAI", "what": "Colossus", "gpus": 100000},
    {"id": "c2", "date": "2025-01-10", "entity": "Meta", "what": "Cluster two", "gpus": 24000},
]
PAGE_2 = [{"id": "c3", "date": "2025-06-01", "entity": "OpenAI", "what": "Stargate phase 1", "gpus": 64000}]


def write_spec(home, url: str, **extra: str) -> None:
    folder = home / "fetchers"
    folder.mkdir(exist_ok=True)
    lines = [
        'id = "gpu-list"',
        'kind = "test-signal-list"',
        f'url = "{url}"',
        'schedule = "0 6 * * *"',
        'attribution = "A test list of clusters"',
        'licence = "CC0"',
        'evidence = "press-report"',
        *(f"{key} = {value}" for key, value in extra.items()),
    ]
    (folder / "gpu-list.toml").write_text("\n".join(lines) + "\n")


def test_a_kind_registered_in_a_test_fetches_end_to_end(registered_kind, isolated_home, tmp_path, capsys):
    db = str(tmp_path / "fw.db")
    with fixture_server() as server:
        page2 = server.serve("/clusters?page=2", json.dumps(PAGE_2).encode())
        server.serve("/clusters", json.dumps(PAGE_1).encode(), Link=f'<{page2}>; rel="next"')
        write_spec(isolated_home, server.url("/clusters"), options='{ category = "cluster" }')

        assert main(["--db", db, "fetch", "gpu-list", "--json"]) == 0
        [summary] = json.loads(capsys.readouterr().out)
        assert summary["status"] == "ok" and summary["records"] == 3 and summary["new"] == 3
        assert [path for path, _ in server.requests] == ["/clusters", "/clusters?page=2"]

        assert main(["--db", db, "fetch", "gpu-list", "--json"]) == 0
        [again] = json.loads(capsys.readouterr().out)
        assert again["new"] == 0 and again["changed"] == 0 and again["unchanged"] == 3

    assert main(["--db", db, "signals", "--entity", "xAI", "--json"]) == 0
    [colossus] = [row for row in json.loads(capsys.readouterr().out) if row["source"] == "gpu-list"]
    assert colossus["value"] == 100000 and colossus["category"] == "cluster"
    assert colossus["evidence"] == "press-report"  # the spec's class, since the row names none
    assert colossus["source_url"] == server.url("/clusters")

    assert main(["--db", db, "sources", "--json"]) == 0
    listed = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["gpu-list"]["kind"] == "test-signal-list" and listed["gpu-list"]["last_success"]


def test_a_mistyped_kind_option_is_a_config_error_naming_the_file_and_key(
    registered_kind, isolated_home, tmp_path, capsys
):
    write_spec(isolated_home, "http://127.0.0.1:9/x", options="{ category = 7 }")
    assert main(["--db", str(tmp_path / "fw.db"), "sources"]) == 2
    error = capsys.readouterr().err
    assert "gpu-list.toml" in error and "options.category" in error and "expected a signal category" in error


def test_an_unknown_kind_option_is_a_config_error(registered_kind, isolated_home, tmp_path, capsys):
    write_spec(isolated_home, "http://127.0.0.1:9/x", options="{ colour = 'red' }")
    assert main(["--db", str(tmp_path / "fw.db"), "sources"]) == 2
    assert "options.colour: unknown option" in capsys.readouterr().err


def test_a_spec_naming_an_unregistered_kind_lists_the_registered_ones(isolated_home, tmp_path, capsys):
    write_spec(isolated_home, "http://127.0.0.1:9/x")  # the kind is not registered in this test
    assert main(["--db", str(tmp_path / "fw.db"), "sources"]) == 2
    error = capsys.readouterr().err
    assert "kind: 'test-signal-list' is not one of" in error and "openrouter" in error
