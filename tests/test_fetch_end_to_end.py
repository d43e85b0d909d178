"""`frontier-watch fetch` against the recorded responses served over real HTTP on 127.0.0.1."""

import json
from dataclasses import fields
from decimal import Decimal

import pytest
from conftest import FIXTURES
from fixture_server import fixture_server
from sqlalchemy import func, select

from frontier_watch.cli import main
from frontier_watch.domain.clock import utc_now
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.store import price_reads
from frontier_watch.store.fetch_runs import RunOutcome
from frontier_watch.store.reading import Reader
from frontier_watch.store.seed import open_seeded_database
from frontier_watch.store.tables import FetchRun, PriceInterval

PRICE_SOURCES = {"openrouter", "litellm", "genai-prices", "llm-prices"}
# These tests fetch the price sources; every other shipped source (feeds, Epoch) is off,
# so "fetch" with no names reaches only the fixture server.
OTHER_SOURCES_OFF = "".join(
    f"\n[sources.{source_id}]\nenabled = false\n"
    for source_id in sorted(set(load_catalogue()) - PRICE_SOURCES)
)


@pytest.fixture
def served(tmp_path):
    with fixture_server() as server:
        server.serve("/api/v1/models", (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes())
        server.serve(
            "/litellm.json", (FIXTURES / "litellm/model_prices_and_context_window.sample.json").read_bytes()
        )
        server.serve("/genai/data.json", (FIXTURES / "genai_prices/data_v2.sample.json").read_bytes())
        for vendor in ("openai", "anthropic", "deepseek"):
            server.serve(
                f"/llm-prices/{vendor}.json", (FIXTURES / f"llm_prices/data_{vendor}.json").read_bytes()
            )
        config = tmp_path / "config.toml"
        config.write_text(
            f"""
[database]
url = "{tmp_path / "fw.db"}"

[fetch]
backoff_seconds = 0.01

# The recorded sheets are trimmed samples, far smaller than what the seed holds open for
# these sources; the floor tells the shrink guard that a list this long is plausible.
[sources.openrouter]
url = "{server.url("/api/v1/models")}"
options = {{ shrink_floor = 10 }}

[sources.litellm]
url = "{server.url("/litellm.json")}"
options = {{ shrink_floor = 10 }}

[sources.genai-prices]
url = "{server.url("/genai/data.json")}"

[sources.llm-prices]
url = "{server.url("/llm-prices/{vendor}.json")}"
options = {{ vendors = ["openai", "anthropic", "deepseek"] }}
{OTHER_SOURCES_OFF}
""",
            encoding="utf-8",
        )
        yield server, config, tmp_path / "fw.db"


@pytest.fixture
def served_anywhere(served, database_url):
    """``served``, writing to an SQLite file or to a real PostgreSQL database."""
    server, config, db = served
    config.write_text(
        config.read_text(encoding="utf-8").replace(f'url = "{db}"', f'url = "{database_url}"'),
        encoding="utf-8",
    )
    return server, config, database_url


def fetch(config, *extra, capsys=None):
    code = main(["--config", str(config), "fetch", "--json", *extra])
    summaries = json.loads(capsys.readouterr().out) if capsys else None
    return code, summaries


def current(db_path, **filters):
    database = open_seeded_database(str(db_path))
    with database.engine.connect() as connection:
        return price_reads.prices_as_of(Reader.from_sqlalchemy(connection), utc_now(), **filters)


def one(rows, **wanted):
    found = [row for row in rows if all(row[key] == value for key, value in wanted.items())]
    assert len(found) == 1, (wanted, [(r["source"], r["offering_id"], r["tier"]) for r in found])
    return found[0]


def test_fetch_stores_prices_read_by_hand_from_the_fixtures(served_anywhere, capsys):
    server, config, db = served_anywhere
    code, summaries = fetch(config, capsys=capsys)
    assert code == 0
    by_source = {summary["source_id"]: summary for summary in summaries}
    assert set(by_source) == {"openrouter", "litellm", "genai-prices", "llm-prices"}
    assert all(summary["status"] == "ok" for summary in summaries), summaries
    assert by_source["openrouter"]["records"] == 29  # 30 models, openrouter/auto skipped as a router
    assert by_source["openrouter"]["skipped"] == 1

    rows = current(db, source="openrouter")
    sonnet = one(rows, offering_id="anthropic/claude-sonnet-4.6")
    # "0.000003" / "0.000015" / "0.0000003" / "0.00000375" per token
    assert (sonnet["input"], sonnet["output"]) == (Decimal("3"), Decimal("15"))
    assert (sonnet["cache_read"], sonnet["cache_write"]) == (Decimal("0.3"), Decimal("3.75"))
    assert sonnet["basis"] == "observed" and sonnet["evidence"] == "official-announcement"
    assert sonnet["source_url"] == server.url("/api/v1/models")
    free = one(rows, offering_id="nvidia/nemotron-3-nano-30b-a3b:free")
    assert (free["input"], free["output"], free["tier"]) == (Decimal(0), Decimal(0), "free")
    assert free["flag"] is None  # a ":free" variant is a real free tier, not a placeholder
    assert free["model_id"] == "nemotron-3-nano-30b-a3b"
    assert not [row for row in rows if row["offering_id"] == "openrouter/auto"]

    litellm = current(db, source="litellm")
    gemini = one(litellm, offering_id="gemini/gemini-2.5-pro", tier="long-context>200k")
    assert (gemini["input"], gemini["cache_read"]) == (Decimal("2.5"), Decimal("0.25"))
    gpt4o_batch = one(litellm, offering_id="gpt-4o", tier="batch")
    assert (gpt4o_batch["input"], gpt4o_batch["output"]) == (Decimal("1.25"), Decimal("5"))
    deepseek = one(litellm, offering_id="deepseek-chat", tier="default")
    assert (deepseek["input"], deepseek["output"], deepseek["cache_read"]) == (
        Decimal("0.28"),
        Decimal("0.42"),
        Decimal("0.028"),
    )
    assert not [row for row in litellm if row["offering_id"] in {"sample_spec", "dall-e-3", "whisper-1"}]

    genai = current(db, source="genai-prices")
    flash = one(genai, offering_id="gemini-3.6-flash", tier="default")
    assert flash["input"] == Decimal("0.75")  # 1.5 only from 2027-01-01: future, not current
    assert flash["effective_to"].isoformat().startswith("2027-01-01")
    reasoner = one(genai, offering_id="deepseek-reasoner", tier="default")
    off_peak = one(genai, offering_id="deepseek-reasoner", tier="off-peak")
    assert (reasoner["input"], reasoner["output"]) == (Decimal("0.55"), Decimal("2.19"))
    assert (off_peak["input"], off_peak["output"]) == (Decimal("0.135"), Decimal("0.55"))
    sonnet5 = one(genai, offering_id="claude-sonnet-5", tier="default", provider="Anthropic")
    assert (sonnet5["input"], sonnet5["output"]) == (Decimal("3"), Decimal("15"))  # since 2026-09-01

    llm_prices = current(db, source="llm-prices")
    chat = one(llm_prices, offering_id="deepseek-chat")
    assert (chat["input"], chat["output"]) == (Decimal("0.27"), Decimal("1.1"))
    assert chat["basis"] == "declared"
    # the seeded llm-prices history already held this span: the fetch confirmed it, no new row
    assert chat["first_seen_at"] < chat["last_seen_at"]
    assert chat["effective_from"].isoformat().startswith("2025-02-08")
    requested = {path for path, _ in server.requests}
    assert {"/llm-prices/openai.json", "/llm-prices/anthropic.json", "/llm-prices/deepseek.json"} <= requested
    user_agents = {headers.get("User-Agent", "") for _, headers in server.requests}
    assert all(agent.startswith("frontier-watch/") for agent in user_agents)


def test_fetching_an_unchanged_sheet_again_writes_no_price_row(served_anywhere, capsys):
    _, config, db = served_anywhere
    code, summaries = fetch(config, capsys=capsys)
    assert code == 0, summaries
    database = open_seeded_database(str(db))
    with database.engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(PriceInterval)).scalar_one()
    code, summaries = fetch(config, capsys=capsys)
    assert code == 0
    assert all(summary["new"] == 0 and summary["changed"] == 0 for summary in summaries), summaries
    with database.engine.connect() as connection:
        after = connection.execute(select(func.count()).select_from(PriceInterval)).scalar_one()
        runs = connection.execute(select(FetchRun.status, FetchRun.content_hash, FetchRun.bytes)).all()
    assert after == before
    assert len(runs) == 8 and {run.status for run in runs} == {"ok"}
    assert all(run.content_hash and run.bytes > 0 for run in runs)


def test_each_run_row_stores_what_its_summary_reports(served, capsys):
    """The outcome fields are stated once (RunOutcome): the summary a fetch prints and the
    fetch_run row it stores agree field for field, and every one of them is a column."""
    _, config, db = served
    code, summaries = fetch(config, capsys=capsys)
    assert code == 0 and summaries
    outcome = [name.name for name in fields(RunOutcome)]
    assert set(outcome) <= set(FetchRun.__table__.columns.keys())
    with open_seeded_database(str(db)).engine.connect() as connection:
        stored = {row.id: row._mapping for row in connection.execute(select(FetchRun))}
    for summary in summaries:
        row = stored[summary["run_id"]]
        assert {name: row[name] for name in outcome} == {name: summary[name] for name in outcome}
    assert {summary["status"] for summary in summaries} == {"ok"}
    assert any(summary["records"] and summary["bytes"] for summary in summaries)


def test_flags_after_a_fetch_are_what_a_full_review_finds(served, capsys):
    """The writer reviews only the models a fetch could change; db check judges everything."""
    _, config, _ = served
    assert fetch(config, capsys=capsys)[0] == 0
    assert main(["--config", str(config), "db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and not report["counts"].get("unflagged-anomaly")


def test_prices_model_shows_first_party_openrouter_and_litellm_side_by_side(served, capsys):
    _, config, db = served
    assert fetch(config, capsys=capsys)[0] == 0
    assert main(["--config", str(config), "prices", "--model", "deepseek-r1", "--offerings", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    sources = {(row["source"], row["provider"]) for row in rows if row["model_id"] == "deepseek-r1"}
    assert ("openrouter", "OpenRouter") in sources or ("genai-prices", "OpenRouter") in sources
    assert any(source == "litellm" for source, _ in sources)
    # DeepSeek's own alias serves V3.2-Exp now, so its undated genai-prices price is not R1's
    assert ("genai-prices", "DeepSeek") not in sources
    assert (
        main(["--config", str(config), "prices", "--model", "deepseek-reasoner", "--offerings", "--json"])
        == 0
    )
    alias = json.loads(capsys.readouterr().out)
    genai = [row for row in alias if row["source"] == "genai-prices" and row["tier"] == "default"]
    assert genai and {row["model_id"] for row in genai} == {"deepseek-v3.2-exp"}


def test_one_source_failing_does_not_stop_the_others(served, capsys):
    server, config, db = served
    server.serve(
        "/litellm.json",
        b"<html><body>502 Bad Gateway</body></html>",
        status=200,
        **{"Content-Type": "text/html"},
    )
    code, summaries = fetch(config, capsys=capsys)
    assert code == 1
    by_source = {summary["source_id"]: summary for summary in summaries}
    assert by_source["litellm"]["status"] == "failed"
    assert "not JSON" in by_source["litellm"]["error"]
    assert {by_source[name]["status"] for name in ("openrouter", "genai-prices", "llm-prices")} == {"ok"}
    assert current(db, source="openrouter")


def test_sources_command_lists_last_success_and_errors(served, capsys):
    server, config, db = served
    fetch(config, capsys=capsys)
    server.serve("/genai/data.json", b"{}", status=503)
    fetch(config, "genai-prices", capsys=capsys)
    assert main(["--config", str(config), "sources", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["openrouter"]["last_success"] and rows["openrouter"]["last_error"] is None
    assert rows["openrouter"]["price_rows"] >= 29
    assert rows["genai-prices"]["last_success"]
    assert rows["genai-prices"]["last_error"].startswith("HTTP 503")
    assert rows["litellm"]["kind"] == "litellm" and rows["litellm"]["licence"]


def test_unknown_source_is_a_usage_error(served, capsys):
    _, config, _ = served
    assert main(["--config", str(config), "fetch", "nope"]) == 2
    assert "unknown source 'nope'" in capsys.readouterr().err


def test_cron_gets_one_plain_line_per_source(served, capsys):
    _, config, _ = served
    assert main(["--config", str(config), "fetch"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 4
    assert {line.split()[1] for line in lines} == {"openrouter", "litellm", "genai-prices", "llm-prices"}
    assert all(" ok records=" in line and " seconds=" in line for line in lines)
    assert "\x1b" not in captured.out and "\x1b" not in captured.err  # no progress bars in a pipe


def test_quiet_prints_only_failures(served, capsys):
    server, config, _ = served
    server.serve("/genai/data.json", b"[1, 2", status=200)
    assert main(["--config", str(config), "fetch", "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert " genai-prices failed " in line and "truncated JSON" in line


def test_unmatched_offerings_are_kept_and_listed(served, capsys):
    server, config, _ = served
    document = json.loads((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes())
    unknown = {**document["data"][0], "id": "brand-new/frontier-x-1", "name": "Brand New: Frontier X 1"}
    document["data"].append(unknown)
    server.serve("/api/v1/models", json.dumps(document).encode())
    fetch(config, "openrouter", capsys=capsys)
    assert main(["--config", str(config), "prices", "--unmatched", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = {row["offering_id"] for row in rows}
    # an OpenRouter-only model that no crosswalk entry names is listed, not dropped
    assert "brand-new/frontier-x-1" in ids
    # one the models.dev catalogue names (through the crosswalk) is matched
    assert "nvidia/nemotron-3-nano-30b-a3b:free" not in ids
    assert all(row["source"] for row in rows)
    # DeepSeek-R1 is matched across sources, so it is not "unmatched"
    assert not [row for row in rows if row["model_id"] == "deepseek-r1"]
