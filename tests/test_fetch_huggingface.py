"""`fetch huggingface` over a real HTTP server on 127.0.0.1, and `releases` on what it stored."""

import gzip
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from conftest import FIXTURES
from fixture_server import Route, fixture_server, recorded, route_key
from sqlalchemy import select

from frontier_watch.cli import main
from frontier_watch.domain.batch import Lineage, PricedOffering, PriceSegment, ReleaseFact
from frontier_watch.domain.clock import utc_now
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.vocabulary import Basis
from frontier_watch.net.http import RetryPolicy
from frontier_watch.render.public_rows import release_record
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.settings.config import ConfigError, load_settings
from frontier_watch.settings.crosswalk import load_identity
from frontier_watch.sources.openrouter import parse as parse_openrouter
from frontier_watch.store import release_reads
from frontier_watch.store.price_intervals import Provenance, record_offerings
from frontier_watch.store.readiness import SCHEMA_HEAD
from frontier_watch.store.reading import Reader
from frontier_watch.store.releases import WRITER as RELEASES
from frontier_watch.store.seed import open_seeded_database
from frontier_watch.store.tables import FetchRun, Offering
from frontier_watch.store.write_context import WriteContext
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source, run_fetch

PAGES = FIXTURES / "huggingface"
PAGE1 = "/api/models?author=deepseek-ai&sort=createdAt&direction=-1&limit=6&full=true"
PAGE2 = PAGE1 + "&cursor=eyIkb3IiOlt7ImNyZWF0ZWRBdCI6IjIwMjUtMDEtMjBUMDk6MTM6MzMuMDAwWiJ9XX0%3D"
DISTILLS = {"deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"}


def page(server, number: int, **changes) -> Route:
    """A recorded page with its headers, its Link cursor pointing at this server."""
    route = recorded(
        PAGES / f"models_deepseek-ai_page{number}.json", {"https://huggingface.co": server.base_url}
    )
    route.headers.update(changes)
    return route


def asked(requests) -> list:
    """The pages a server was asked for, whatever the order of their query parameters."""
    return [route_key(path) for path, _ in requests]


def serve_pages(server, first: Route | None = None, second: Route | None = None) -> None:
    server.serve_routes(PAGE1, first or page(server, 1))
    server.serve_routes(PAGE2, second or page(server, 2))


@pytest.fixture
def hub(tmp_path):
    with fixture_server() as server:
        serve_pages(server)
        config = tmp_path / "config.toml"
        config.write_text(
            f"""
[database]
url = "{tmp_path / "fw.db"}"

[fetch]
backoff_seconds = 0.01

[sources.huggingface]
url = "{server.base_url}"
orgs = ["deepseek-ai"]
options = {{ limit = 6 }}
""",
            encoding="utf-8",
        )
        yield server, config, tmp_path / "fw.db"


def run_json(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def count(db, table, where="1 = 1"):
    with sqlite3.connect(db) as connection:
        return connection.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


def test_fetch_huggingface_end_to_end(hub, capsys):
    server, config, db = hub
    [summary] = run_json(capsys, "--config", str(config), "fetch", "huggingface", "--json")
    assert summary["status"] == "ok", summary
    assert (summary["records"], summary["new"], summary["skipped"]) == (22, 22, 0)  # 11 repos, 11 stats
    assert asked(server.requests) == [route_key(PAGE1), route_key(PAGE2)]  # the cursor was followed
    assert count(db, "release", "source_id = 'huggingface'") == 11
    assert count(db, "release_stat") == 11

    rows = run_json(capsys, "--config", str(config), "releases", "--org", "deepseek-ai", "--json")
    repos = {row["repo_id"]: row for row in rows}
    assert len(repos) == 11 and all(row["source"] == "huggingface" for row in rows)

    r1 = repos["deepseek-ai/DeepSeek-R1"]
    assert r1["openness"] == {
        "weights": "open",
        "license": "permissive",
        "paper": "yes",
        "code": "no",
        "data": "no",
    }
    assert (r1["license"], r1["license_class"], r1["open_weights"]) == ("mit", "permissive", "yes")
    assert r1["arxiv_ids"] == ["2501.12948"] and r1["params"] == 684531386000
    assert (r1["downloads"], r1["likes"]) == (1893412, 12840)
    assert (r1["date"], r1["date_kind"], r1["created_at"]) == (
        "2025-01-20",
        "repo-created",
        "2025-01-20T03:46:07Z",
    )
    assert r1["org"] == "deepseek-ai" and r1["lab"] == "DeepSeek" and r1["model"] == "DeepSeek-R1"
    assert r1["source_url"] == server.url("/deepseek-ai/DeepSeek-R1")
    assert r1["model_id"] == "deepseek-r1"  # the model whose prices `prices --model deepseek-r1` shows

    v3 = repos["deepseek-ai/DeepSeek-V3"]
    assert (v3["license"], v3["license_class"]) == ("other", "restricted")
    assert v3["openness"]["license"] == "restricted"
    vl2 = repos["deepseek-ai/deepseek-vl2"]  # no safetensors block
    assert vl2["params"] is None and vl2["total_params_b"] is None and vl2["downloads"] == 12001

    teacher = {"repo_id": "deepseek-ai/DeepSeek-R1", "relation": "distill", "stated_in": "name"}
    qwen = repos["deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"]
    assert qwen["base_models"] == [
        {"repo_id": "Qwen/Qwen2.5-32B", "relation": "finetune", "stated_in": "tag"},
        teacher,
    ]
    llama = repos["deepseek-ai/DeepSeek-R1-Distill-Llama-70B"]
    assert llama["base_models"] == [
        {"repo_id": "meta-llama/Llama-3.3-70B-Instruct", "relation": "finetune", "stated_in": "tag"},
        teacher,
    ]
    assert qwen["model_id"] == "deepseek-r1-distill-qwen-32b"

    children = run_json(
        capsys, "--config", str(config), "releases", "--derived-from", "deepseek-ai/DeepSeek-R1", "--json"
    )
    assert {row["repo_id"] for row in children} == DISTILLS
    on_qwen = run_json(
        capsys, "--config", str(config), "releases", "--derived-from", "qwen/qwen2.5-32b", "--json"
    )
    assert [row["repo_id"] for row in on_qwen] == ["deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"]

    everything = run_json(capsys, "--config", str(config), "releases", "--json")
    curated = [row for row in everything if row["source"] == "curated"]
    assert len(curated) == 52 and len(everything) == 63
    gpt4 = next(row for row in curated if row["model_id"] == "gpt-4")
    assert gpt4["repo_id"] is None and gpt4["date_kind"] == "announced"
    assert gpt4["openness"]["weights"] == "none" and gpt4["license_class"] == "proprietary"
    for key in ("repo_id", "org", "created_at", "license", "license_class", "params", "base_models"):
        assert key in gpt4 and key in r1
    for key in ("openness", "downloads", "likes", "model_id", "source_url", "date", "lab", "model"):
        assert key in gpt4 and key in r1


def test_a_second_fetch_the_same_day_adds_nothing_and_the_next_day_adds_one_stat_per_repo(hub, capsys):
    server, config, db = hub
    assert main(["--config", str(config), "fetch", "huggingface"]) == 0
    settings = load_settings(config)
    database = open_seeded_database(settings.database_url)
    now = utc_now()

    def fetch_at(moment):
        options = FetchOptions.from_settings(settings, clock=lambda: moment)
        [summary] = run_fetch(settings, database, ["huggingface"], options=options).summaries
        assert summary.status == "ok", summary
        return summary

    requests_before = len(server.requests)
    again = fetch_at(now)
    assert again.new == 0 and again.changed == 0
    assert count(db, "release", "source_id = 'huggingface'") == 11 and count(db, "release_stat") == 11
    # Page 1 reached repositories stored, unchanged and counted today: page 2 was not read.
    assert asked(server.requests[requests_before:]) == [route_key(PAGE1)]
    assert "nothing new after: org deepseek-ai (page 1)" in again.error

    tomorrow = fetch_at(now + timedelta(days=1))
    assert tomorrow.new == 11  # one statistics row per repository, no new release
    assert count(db, "release", "source_id = 'huggingface'") == 11 and count(db, "release_stat") == 22
    assert count(db, "release_stat", f"day = '{(now + timedelta(days=1)).date().isoformat()}'") == 11
    assert count(db, "release_base_model") == 5  # lineage written once, not again


@pytest.fixture
def engine(seeded_database):
    return seeded_database.engine


def spec_for(server, *orgs):
    spec = load_catalogue()["huggingface"]
    return replace(
        spec, url=server.base_url, options={**spec.options, "orgs": list(orgs) or ["deepseek-ai"], "limit": 6}
    )


def fetch(engine, spec, sleeps=None, max_wait=60.0):
    options = FetchOptions(
        retry=RetryPolicy(attempts=3, backoff_seconds=0.01, max_wait_seconds=max_wait),
        sleep=(sleeps.append if sleeps is not None else (lambda seconds: None)),
    )
    return fetch_source(engine, spec, load_identity(), options)


def stored_repos(engine):
    with engine.connect() as connection:
        return set(
            connection.exec_driver_sql(
                "SELECT release_key FROM release WHERE source_id = 'huggingface'"
            ).scalars()
        )


def run_note(engine, summary):
    with engine.connect() as connection:
        return connection.execute(select(FetchRun.error).where(FetchRun.id == summary.run_id)).scalar_one()


def test_429_waits_for_retry_after_then_stores_everything(engine):
    with fixture_server() as server:
        serve_pages(server)
        server.serve_routes(
            PAGE1, Route(b'{"error": "slow down"}', 429, {"Retry-After": "3"}), page(server, 1)
        )
        sleeps: list[float] = []
        summary = fetch(engine, spec_for(server), sleeps)
    assert summary.status == "ok" and sleeps == [3.0]
    assert len(stored_repos(engine)) == 11
    assert "HTTP 429, retrying in 3.0s" in run_note(engine, summary)


def test_429_asking_for_longer_than_the_cap_fails_and_writes_nothing(engine):
    with fixture_server() as server:
        serve_pages(server)
        server.serve_routes(PAGE2, Route(b"{}", 429, {"Retry-After": "3600"}))
        sleeps: list[float] = []
        summary = fetch(engine, spec_for(server), sleeps)
    assert summary.status == "failed" and "retry after 3600s" in summary.error and sleeps == []
    assert stored_repos(engine) == set()  # page 1 was read, but a failed source writes nothing


def test_a_spent_rate_limit_pauses_before_the_next_page(engine):
    with fixture_server() as server:
        serve_pages(server, first=page(server, 1, ratelimit='"api";r=0;t=42'))
        sleeps: list[float] = []
        summary = fetch(engine, spec_for(server), sleeps)
    assert summary.status == "ok" and sleeps == [42.0]
    assert "rate limit spent, paused 42.0s" in run_note(engine, summary)
    assert len(stored_repos(engine)) == 11


def test_a_rate_limit_pause_is_capped_and_none_is_taken_after_the_last_page(engine):
    with fixture_server() as server:
        serve_pages(
            server,
            first=page(server, 1, ratelimit='"api";r=0;t=99999'),
            second=page(server, 2, ratelimit='"api";r=0;t=300'),
        )
        sleeps: list[float] = []
        summary = fetch(engine, spec_for(server), sleeps, max_wait=60.0)
    assert summary.status == "ok" and sleeps == [60.0]  # capped; nothing left to fetch after page 2


def test_a_page_with_one_malformed_entry_stores_the_rest_and_names_the_bad_one(engine):
    body = json.loads((PAGES / "models_deepseek-ai_page2.json").read_bytes())
    body.insert(1, {"id": "deepseek-ai/Broken", "createdAt": None, "downloads": 1})
    with fixture_server() as server:
        second = page(server, 2)
        second.body = json.dumps(body).encode()
        serve_pages(server, second=second)
        summary = fetch(engine, spec_for(server))
    assert summary.status == "ok" and summary.skipped == 1
    assert len(stored_repos(engine)) == 11 and "deepseek-ai/Broken" not in stored_repos(engine)
    assert "skipped 1: deepseek-ai/Broken: createdAt is missing or not a time (null)" in run_note(
        engine, summary
    )


def test_a_broken_link_header_keeps_the_page_and_says_why_paging_stopped(engine):
    with fixture_server() as server:
        serve_pages(server, first=page(server, 1, link=f'<{server.url(PAGE2)}; rel="next"'))
        summary = fetch(engine, spec_for(server))
        paths = asked(server.requests)
    assert summary.status == "ok" and paths == [route_key(PAGE1)]
    assert len(stored_repos(engine)) == 6
    assert "org deepseek-ai: the Link header names a next page that cannot be followed" in run_note(
        engine, summary
    )


def test_an_org_that_does_not_exist_is_a_clear_error_and_the_others_are_stored(hub, capsys):
    server, config, db = hub
    config.write_text(
        config.read_text().replace('orgs = ["deepseek-ai"]', 'orgs = ["nosuch-org", "deepseek-ai"]'),
        encoding="utf-8",
    )
    [summary] = run_json(capsys, "--config", str(config), "fetch", "huggingface", "--json")
    assert summary["status"] == "ok"
    assert summary["error"].startswith(
        "org nosuch-org failed: HTTP 404 Not Found (no such list at the source: is the name right?)"
    )
    assert count(db, "release", "source_id = 'huggingface'") == 11


def test_when_every_org_fails_the_source_fails(engine):
    with fixture_server() as server:
        summary = fetch(engine, spec_for(server, "nosuch-org", "gone-too"))
    assert summary.status == "failed" and summary.http_status == 404
    assert (
        "org nosuch-org failed: HTTP 404" in summary.error
        and "org gone-too failed: HTTP 404" in summary.error
    )


def test_an_org_listing_nothing_is_noted(engine):
    with fixture_server() as server:
        serve_pages(server)
        server.serve(PAGE1.replace("deepseek-ai", "empty-org"), b"[]")
        summary = fetch(engine, spec_for(server, "empty-org", "deepseek-ai"))
    assert summary.status == "ok" and len(stored_repos(engine)) == 11
    assert "org empty-org lists no repositories: is the name right?" in run_note(engine, summary)


def test_a_server_error_for_one_org_fails_the_whole_source(engine):
    """An outage is not one missing org: nothing is written, so nothing looks gone."""
    with fixture_server() as server:
        serve_pages(server)
        server.serve(PAGE1.replace("deepseek-ai", "qwen"), b"", status=503)
        summary = fetch(engine, spec_for(server, "deepseek-ai", "qwen"))
    assert summary.status == "failed" and summary.http_status == 503
    assert stored_repos(engine) == set()


def test_hf_token_goes_only_to_the_hub_and_is_never_stored_or_printed(hub, capsys, monkeypatch):
    server, config, db = hub
    token = "hf_SECRETtoken123"
    monkeypatch.setenv("HF_TOKEN", token)
    with fixture_server() as elsewhere:  # page 2 on another origin: it must not get the token
        elsewhere.serve_routes(PAGE2, page(elsewhere, 2))
        server.serve_routes(PAGE1, page(server, 1, link=f'<{elsewhere.url(PAGE2)}>; rel="next"'))
        code = main(["--config", str(config), "fetch", "huggingface"])
        captured = capsys.readouterr()
        remote = elsewhere.requests
    assert code == 0
    assert [headers.get("Authorization") for _, headers in server.requests] == [f"Bearer {token}"]
    assert [headers.get("Authorization") for _, headers in remote] == [None]
    assert count(db, "release", "source_id = 'huggingface'") == 11
    assert token not in captured.out + captured.err
    for path in db.parent.glob("fw.db*"):
        assert token.encode() not in path.read_bytes()


def test_orgs_can_be_set_beside_the_url_or_in_options(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[sources.huggingface]\norgs = ["Qwen", "google"]\n', encoding="utf-8")
    assert load_settings(config).sources["huggingface"].options["orgs"] == ["Qwen", "google"]
    config.write_text('[sources.huggingface]\noptions = { orgs = ["Qwen"], limit = 50 }\n', encoding="utf-8")
    options = load_settings(config).sources["huggingface"].options
    assert options["orgs"] == ["Qwen"] and options["limit"] == 50 and options["token_env"] == "HF_TOKEN"
    config.write_text('[sources.huggingface]\norgs = "Qwen"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="orgs: expected a list of organisation names"):
        load_settings(config)


def test_releases_license_filter_takes_only_the_four_classes(seeded_db_path, capsys):
    rows = run_json(capsys, "--db", str(seeded_db_path), "releases", "--license", "Proprietary", "--json")
    assert rows and {row["license_class"] for row in rows} == {"proprietary"}
    permissive = run_json(
        capsys, "--db", str(seeded_db_path), "releases", "--license", "permissive", "--json"
    )
    assert "MIT" in {row["license"] for row in permissive}
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(seeded_db_path), "releases", "--license", "open"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_releases_table_says_what_each_date_is(hub, capsys):
    server, config, db = hub
    assert main(["--config", str(config), "fetch", "huggingface", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "releases", "--lab", "deepseek", "--wide"]) == 0
    table = capsys.readouterr().out
    assert "date is" in table.splitlines()[0]
    assert any("repo-created" in line and "DeepSeek-R1-Zero" in line for line in table.splitlines())
    assert any("announced" in line and "DeepSeek-R1 (and R1-Zero)" in line for line in table.splitlines())


def test_openrouter_created_is_kept_as_the_api_listing_date(seeded_database):
    body = (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes()
    batch = parse_openrouter(body, url="https://openrouter.ai/api/v1/models")
    first = json.loads(body)["data"][0]
    listed = {offering.offering_id: offering.listed_at for offering in batch.offerings}
    assert listed[first["id"]] == datetime.fromtimestamp(first["created"], UTC).replace(tzinfo=None)

    when = datetime(2024, 5, 13, 18, 0)
    with seeded_database.engine.begin() as connection:
        record_offerings(
            connection,
            [
                PricedOffering(
                    "openai/gpt-4o",
                    "GPT-4o",
                    "openrouter",
                    segments=[PriceSegment(input=Decimal(5), output=Decimal(15))],
                    listed_at=when,
                )
            ],
            Provenance("openrouter", Basis.OBSERVED, None, None),
            observed_at=utc_now(),
            identity=load_identity(),
        )
        stored = connection.execute(select(Offering.listed_at).where(Offering.offering_id == "openai/gpt-4o"))
        assert stored.scalar_one() == when
        rows = release_reads.releases(Reader.from_sqlalchemy(connection), lab="OpenAI")
    gpt4o = next(row for row in rows if row["model_id"] == "gpt-4o")
    # Two kinds of date, each shown as what it is: the announcement, and the API listing.
    assert gpt4o["date"].isoformat() == "2024-05-13" and gpt4o["date_kind"] == "announced"
    assert gpt4o["api_listed_at"] == when


def test_lineage_follows_what_the_source_states_now(empty_engine):
    context = WriteContext(
        source_id="huggingface",
        observed_at=utc_now(),
        identity=Identity({}, {}),
        source_url="https://huggingface.co",
        evidence="official-announcement",
    )

    def write(*bases):
        fact = ReleaseFact(key="a/b", date=datetime(2025, 1, 1).date(), lab="A", model="b", hf_repo_id="a/b")
        with empty_engine.begin() as connection:
            RELEASES.write(connection, context, [replace(fact, base_models=bases)])
        with empty_engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT id, base_repo_id, relation FROM release_base_model ORDER BY id"
            ).all()

    first = write(Lineage("x/base", "finetune"), Lineage("y/other"))
    assert [row[1:] for row in first] == [("x/base", "finetune"), ("y/other", None)]
    assert write(Lineage("x/base", "finetune"), Lineage("y/other")) == first  # unchanged: untouched
    assert [row[1:] for row in write(Lineage("x/base", "quantized"))] == [("x/base", "quantized")]


def test_a_repository_links_to_a_model_by_crosswalk_or_a_known_model_only(empty_engine):
    from frontier_watch.store.releases import linked_model_id

    identity = load_identity()
    assert linked_model_id(identity, "huggingface", "deepseek-ai/DeepSeek-R1", set()) == "deepseek-r1"
    assert (
        linked_model_id(identity, "huggingface", "someone/Tiny-Model-7B", {"tiny-model-7b"})
        == "tiny-model-7b"
    )
    assert linked_model_id(identity, "huggingface", "someone/Tiny-Model-7B", set()) is None


def test_an_old_database_gets_licence_classes_and_date_kinds_for_its_curated_releases(tmp_path):
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript(
        gzip.decompress((FIXTURES / "databases/v2_seeded_0.1.0.sql.gz").read_bytes()).decode()
    )
    connection.close()
    open_seeded_database(str(path)).engine.dispose()
    with sqlite3.connect(path) as upgraded:
        assert upgraded.execute(
            "SELECT count(*) FROM release WHERE license_class IS NULL OR date_kind IS NULL"
        ).fetchone() == (0,)
        assert upgraded.execute(
            "SELECT license_class FROM release WHERE model = 'DeepSeek-V3 (and V3-Base)'"
        ).fetchone() == ("restricted",)
        versions = [
            row[0] for row in upgraded.execute("SELECT version FROM schema_migration ORDER BY version")
        ]
        assert 6 in versions and versions[-1] == SCHEMA_HEAD


def test_a_model_only_an_api_lists_is_a_release_dated_by_its_listing(seeded_database):
    """Closed models have no repository: OpenRouter's ``created`` dates them, as api-listed."""
    body = (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes()
    batch = parse_openrouter(body, url="https://openrouter.ai/api/v1/models")
    with seeded_database.engine.begin() as connection:
        record_offerings(
            connection,
            batch.offerings,
            Provenance(
                "openrouter", Basis.OBSERVED, "https://openrouter.ai/api/v1/models", "official-announcement"
            ),
            observed_at=utc_now(),
            identity=load_identity(),
        )
        reader = Reader.from_sqlalchemy(connection)
        rows = release_reads.releases(reader)
        by_model = {(row["model_id"], row["date_kind"]): row for row in rows}
        sonnet = by_model[("claude-sonnet-4.6", "api-listed")]
        assert sonnet["date"].isoformat() == "2026-02-17" and sonnet["api_listed_at"] == datetime(
            2026, 2, 17, 15, 43, 10
        )
        assert sonnet["source_id"] == "openrouter" and sonnet["evidence"] == "official-announcement"
        assert sonnet["source_url"] == "https://openrouter.ai/api/v1/models" and sonnet["id"] is None
        gpt5 = by_model[("gpt-5", "announced")]  # a curated release keeps its own date beside the listing
        assert gpt5["date"].isoformat() == "2025-08-07" and gpt5["api_listed_at"] == datetime(
            2025, 8, 7, 17, 23, 33
        )
        assert ("gpt-5", "api-listed") not in by_model
        # A model OpenRouter ties to a Hugging Face repository is not listed this way.
        assert not [row for row in rows if row["date_kind"] == "api-listed" and "qwen3.5" in row["model_id"]]
        assert all(
            row["date_kind"] != "api-listed" for row in release_reads.releases(reader, open_weights=True)
        )
        assert all(
            row["date_kind"] != "api-listed"
            for row in release_reads.releases(reader, license_class="permissive")
        )
        since = release_reads.releases(reader, since=datetime(2026, 2, 1).date(), lab="anthropic")
        assert [(row["model_id"], row["date_kind"]) for row in since] == [
            ("claude-sonnet-4.6", "api-listed"),
            ("claude-opus-4.6", "api-listed"),
        ]
    record = release_record(sonnet)
    assert record["openness"] == {
        "weights": "unknown",
        "license": "unknown",
        "paper": "unknown",
        "code": "unknown",
        "data": "unknown",
    }
    assert record["repo_id"] is None and record["date_kind"] == "api-listed"
