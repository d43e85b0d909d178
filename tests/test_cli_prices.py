"""The price commands on the seeded curated data: the acceptance of the foundation issue."""

import json

import pytest

from frontier_watch.cli import main
from frontier_watch.render.public_rows import PRICE_JSON_KEYS


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def db(seeded_db_path):
    return str(seeded_db_path)


def find(rows, **wanted):
    return [row for row in rows if all(row[key] == value for key, value in wanted.items())]


def test_gpt4_8k_on_2023_03_20_is_30_and_60(capsys, db):
    rows = run_json(
        capsys, "--db", db, "prices", "--as-of", "2023-03-20", "--model", "gpt-4", "--offerings", "--json"
    )
    [gpt4] = find(rows, source="curated", offering_id="gpt-4")
    assert gpt4["input_usd_per_mtok"] == 30 and gpt4["output_usd_per_mtok"] == 60
    assert gpt4["effective_from"].startswith("2023-03-14")
    assert gpt4["basis"] == "curated"
    assert gpt4["source_url"].startswith("https://openai.com/")
    assert gpt4["evidence"] == "official-announcement"


def test_deepseek_r1_on_2025_02_01_is_055_and_219(capsys, db):
    rows = run_json(capsys, "--db", db, "prices", "--as-of", "2025-02-01", "--model", "deepseek-r1", "--json")
    [r1] = find(rows, source="curated", offering_id="deepseek-reasoner", tier="default")
    assert r1["input_usd_per_mtok"] == 0.55 and r1["output_usd_per_mtok"] == 2.19
    assert r1["model_id"] == "deepseek-r1"
    assert "DeepSeek-R1" in r1["model_name"]


def test_davinci_on_2021_12_01_is_60(capsys, db):
    rows = run_json(capsys, "--db", db, "prices", "--as-of", "2021-12-01", "--json")
    [davinci] = find(rows, offering_id="davinci")
    assert davinci["input_usd_per_mtok"] == 60 and davinci["output_usd_per_mtok"] == 60
    # nothing that launched later is "in force" in 2021
    assert not find(rows, offering_id="gpt-4")


def test_prices_json_has_the_documented_shape(capsys, db):
    rows = run_json(capsys, "--db", db, "prices", "--json")
    assert rows, "the seeded database has current prices"
    for row in rows:
        assert set(PRICE_JSON_KEYS) <= set(row)
        for key in ("input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok"):
            assert row[key] is None or isinstance(row[key], int | float)
        if row["verdict"] is None:  # a model with no reference (every price flagged) says why
            assert row["why"].startswith("no reference") and row["input_usd_per_mtok"] is None
            continue
        assert row["basis"] in {"observed", "declared", "reconstructed", "curated"}
        assert row["source_url"]


def test_future_dated_prices_are_not_current(capsys, db):
    """genai-prices declares Gemini 3.6 Flash's standard price from 2027-01-01."""
    now = run_json(
        capsys, "--db", db, "prices", "--model", "gemini-3.6-flash", "--source", "genai-prices", "--json"
    )
    later = run_json(
        capsys,
        "--db",
        db,
        "prices",
        "--model",
        "gemini-3.6-flash",
        "--source",
        "genai-prices",
        "--as-of",
        "2027-01-02",
        "--json",
    )
    assert {row["input_usd_per_mtok"] for row in find(now, tier="default")} == {0.75}
    assert {row["input_usd_per_mtok"] for row in find(later, tier="default")} == {1.5}


def test_history_lists_every_interval_with_basis_and_source(capsys, db):
    rows = run_json(capsys, "--db", db, "history", "--offerings", "deepseek-reasoner", "--json")
    curated = find(rows, source="curated", tier="default")
    # The alias served R1, then V3.1 (from 2025-08-21), then V3.2-Exp: each span says which.
    assert [
        (
            row["model_id"],
            row["input_usd_per_mtok"],
            row["output_usd_per_mtok"],
            str(row["answers_from"])[:10],
        )
        for row in curated
    ] == [
        ("deepseek-r1", 0.55, 2.19, "2025-01-20"),
        ("deepseek-v3.1", 0.55, 2.19, "2025-08-21"),
        ("deepseek-v3.1", 0.56, 1.68, "2025-09-05"),
        ("deepseek-v3.2-exp", 0.28, 0.42, "2025-09-29"),
    ]
    assert curated[0]["answers_to"] == curated[1]["answers_from"]
    assert curated[1]["effective_from"] == curated[0]["effective_from"]  # the source's own dates kept
    assert "served deepseek-v3.1" in curated[1]["clipped"]
    assert all(row["basis"] and row["source_url"] for row in rows)
    assert {"curated", "llm-prices"} <= {row["source"] for row in rows}


def test_history_table_shows_basis_and_source(capsys, db):
    assert main(["--db", db, "history", "--offerings", "gpt-4o-mini"]) == 0
    out = capsys.readouterr().out
    assert "basis" in out.splitlines()[0] and "source url" in out.splitlines()[0]
    assert "curated" in out and "0.15" in out


def test_bad_as_of_date_is_a_usage_error(capsys, db):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db, "prices", "--as-of", "2023-13-01"])
    assert exit_info.value.code == 2
    assert "'2023-13-01' is not a date (expected YYYY-MM-DD)" in capsys.readouterr().err


def test_no_match_says_so(capsys, db):
    assert main(["--db", db, "prices", "--model", "no-such-model-xyz"]) == 0
    assert capsys.readouterr().out.strip() == "no prices for 'no-such-model-xyz'"


def test_signals_and_releases_json(capsys, db):
    signals = run_json(capsys, "--db", db, "signals", "--json")
    colossus = [row for row in signals if row["entity"] == "xAI" and row["metric"] == "GPUs"]
    assert any(row["value"] == 100000 and row["evidence"] == "vendor-claim" for row in colossus)
    assert all(row["source_url"] and row["evidence"] for row in signals)
    releases = run_json(capsys, "--db", db, "releases", "--json")
    [llama2] = [row for row in releases if row["model"].startswith("Llama 2 (")]
    assert llama2["date"] == "2023-07-18" and llama2["open_weights"] == "yes"
    assert llama2["evidence"] == "primary-technical-report"
    exports = run_json(capsys, "--db", db, "signals", "--category", "export_control", "--json")
    assert exports and {row["category"] for row in exports} == {"export_control"}


def test_db_info_prints_location_version_and_counts(capsys, db):
    assert main(["--db", db, "db", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["location"] == db
    assert info["schema_version"] == info["schema_head"]
    assert info["row_counts"]["price_interval"] > 500
    assert info["row_counts"]["signal"] == 95
    assert info["row_counts"]["release"] == 52


def test_db_upgrade_on_a_new_file(capsys, tmp_path):
    path = tmp_path / "fresh.db"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert "applied migration 1: initial schema" in out
    assert "seeded curated data" in out
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert "schema is up to date" in capsys.readouterr().out


def test_names_with_escape_sequences_are_never_printed_raw(capsys, empty_engine, tmp_path):
    from decimal import Decimal

    from frontier_watch.domain.batch import PricedOffering, PriceSegment
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.domain.identity import Identity
    from frontier_watch.domain.vocabulary import Basis
    from frontier_watch.store.price_intervals import Provenance, record_offerings

    evil = "Evil\x1b[2J\x1b]0;pwned\x07 Model\r\n"
    with empty_engine.begin() as connection:
        record_offerings(
            connection,
            [
                PricedOffering(
                    "evil/model",
                    evil,
                    "openrouter",
                    segments=[PriceSegment(input=Decimal(1), output=Decimal(2))],
                )
            ],
            Provenance("openrouter", Basis.OBSERVED, "https://x.test", "official-announcement"),
            observed_at=utc_now(),
            identity=Identity({}, {}),
        )
    db = str(empty_engine.url.database)
    assert main(["--db", db, "prices", "--source", "openrouter"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "Evil" in out
    assert main(["--db", db, "prices", "--source", "openrouter", "--json"]) == 0
    raw = capsys.readouterr().out
    assert "\x1b" not in raw and "\\u001b" not in raw
    [shown] = [row for row in json.loads(raw) if row["offering_id"] == "evil/model"]
    # Inert in the decoded value too (a program printing it is safe), the words still there.
    assert shown["offering_name"] == "Evil\ufffd[2J\ufffd]0;pwned\ufffd Model\n"  # CR LF: a newline
    with empty_engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT name FROM offering WHERE offering_id = 'evil/model'")
        assert stored.scalar_one() == evil  # stored as given; made inert only on output


def test_json_output_replaces_c1_controls_and_keeps_the_text(capsys):
    from frontier_watch.render.output import write_json

    write_json([{"name": "Evil\x9b31m CSI"}])
    raw = capsys.readouterr().out
    assert "\x9b" not in raw and "\\u009b" not in raw
    assert json.loads(raw)[0]["name"] == "Evil\ufffd31m CSI"


def test_db_upgrade_refuses_a_newer_schema_in_one_line(capsys, tmp_path):
    path = tmp_path / "future.db"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute(
            "insert into schema_migration values (999, 'future', '2030-01-01 00:00:00.000000')"
        )
    capsys.readouterr()
    assert main(["--db", str(path), "db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "newer than this frontier-watch" in err[0]


# ``prices`` answers per model (issue 20, item 3): one row per model, seller and tier.


def test_claude_sonnet_5_is_one_anthropic_answer_at_3_15_with_litellm_2_10_stale(capsys, db):
    rows = run_json(capsys, "--db", db, "prices", "--model", "claude-sonnet-5", "--json")
    [anthropic] = find(rows, provider="Anthropic")
    assert anthropic["tier"] == "default" and anthropic["verdict"] == "reference"
    assert (anthropic["input_usd_per_mtok"], anthropic["output_usd_per_mtok"]) == (3, 15)
    assert anthropic["why"] == "first-party, declared by 2 sources; 1 stale"
    assert anthropic["evidence"][0]["verdict"] == "reference"
    assert anthropic["evidence"][0]["source"] == anthropic["source"]
    [stale] = [item for item in anthropic["evidence"] if item["source"] == "litellm"]
    assert (stale["input_usd_per_mtok"], stale["output_usd_per_mtok"]) == (2, 10)
    assert stale["verdict"] == "stale" and "2026-09-01" in stale["note"]
    assert stale["basis"] == "reconstructed" and stale["source_url"] and stale["effective_from"]
    # one row per seller, tier and variant: Bedrock's regional price is its own row
    assert len({(row["provider"], row["tier"], row["variant"]) for row in rows}) == len(rows)
    assert [(row["variant"], row["input_usd_per_mtok"]) for row in find(rows, provider="Amazon")] == [
        ("", 3),
        ("regional", 3.3),
    ]


def test_gpt_4o_on_2024_06_01_answers_5_15_and_no_2_5_10_anywhere(capsys, db):
    asked = ("--db", db, "prices", "--model", "gpt-4o", "--as-of", "2024-06-01", "--json")
    answers = run_json(capsys, *asked)
    [openai] = find(answers, provider="OpenAI", tier="default")
    assert (openai["input_usd_per_mtok"], openai["output_usd_per_mtok"]) == (5, 15)
    offerings = run_json(capsys, *asked, "--offerings")
    assert offerings and {row["verdict"] for row in offerings} <= {"reference", "agrees"}
    shown = [(row["input_usd_per_mtok"], row["output_usd_per_mtok"]) for row in offerings]
    shown += [(item["input_usd_per_mtok"], item["output_usd_per_mtok"]) for item in openai["evidence"]]
    assert (5, 15) in shown and (2.5, 10) not in shown


def test_offerings_give_every_row_of_the_answers_each_with_its_verdict(capsys, db):
    answers = run_json(capsys, "--db", db, "prices", "--model", "claude-sonnet-5", "--json")
    rows = run_json(capsys, "--db", db, "prices", "--model", "claude-sonnet-5", "--offerings", "--json")
    assert len(rows) == sum(len(answer["evidence"]) for answer in answers)
    assert sum(row["verdict"] == "reference" for row in rows) == len(answers)
    [litellm] = find(rows, provider="Anthropic", source="litellm", tier="default")
    assert litellm["verdict"] == "stale" and litellm["why"].startswith("older than the change to 3/15")
    assert set(PRICE_JSON_KEYS) <= set(litellm) and isinstance(litellm["evidence"], str)


def test_the_listing_without_a_model_answers_each_model_as_asking_for_it_does(capsys, db):
    everything = run_json(capsys, "--db", db, "prices", "--json")
    keys = [(row["model_id"], row["provider"], row["tier"], row["variant"]) for row in everything]
    assert len(set(keys)) == len(keys), "one row per model, seller, tier and variant"
    for model in ("claude-sonnet-5", "gpt-4o"):
        alone = run_json(capsys, "--db", db, "prices", "--model", model, "--json")
        assert alone == find(everything, model_id=model)


def test_a_table_at_80_columns_shows_tier_when_one_is_not_default(capsys, db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--db", db, "prices", "--model", "gemini-2.5-pro"]) == 0
    out = capsys.readouterr().out
    assert "tier" in out.splitlines()[0] and "long-context" in out
    assert main(["--db", db, "prices", "--model", "o3-pro"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0]
    assert "tier" not in header and "variant" not in header  # default and plain: room for why
    assert "first-party, curated by 1 source" in out
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["--db", db, "prices", "--model", "claude-sonnet-5"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if "Anthropic" in line]
    assert "first-party, declared by 2 sources; 1 stale" in line


def test_a_table_at_80_columns_shows_the_variant_when_a_row_has_one(capsys, db, monkeypatch):
    # Bedrock's regional 3.3/16.5 and GPT-4-32k are variants, never outliers of the plain price
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--db", db, "prices", "--model", "claude-sonnet-5"]) == 0
    out = capsys.readouterr().out
    assert "variant" in out.splitlines()[0] and "tier" not in out.splitlines()[0]
    [regional] = [line for line in out.splitlines() if "regional" in line]
    assert "Amazon" in regional and "3.3" in regional and "16.5" in regional
    assert main(["--db", db, "prices", "--model", "gpt-4", "--as-of", "2023-03-20", "--offerings"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "variant" in lines[0] and "verdict" in lines[0]
    [variant] = [line for line in lines if "32k context" in line]
    assert "60" in variant and "120" in variant and "reference" in variant and "outlier" not in variant


def test_json_gives_each_answer_and_offering_its_variant(capsys, db):
    answers = run_json(capsys, "--db", db, "prices", "--model", "gpt-4", "--as-of", "2023-03-20", "--json")
    assert [(a["offering_id"], a["tier"], a["variant"], a["verdict"]) for a in answers] == [
        ("gpt-4", "default", "", "reference"),
        ("gpt-4-32k", "default", "32k context", "reference"),
    ]
    assert list(answers[0])[list(answers[0]).index("tier") + 1] == "variant"
    rows = run_json(capsys, "--db", db, "prices", "--model", "claude-sonnet-5", "--offerings", "--json")
    regional = find(rows, variant="regional")
    assert {row["offering_id"].split(".")[0] for row in regional} == {"regional", "us", "eu", "au", "jp"}
    assert {row["verdict"] for row in rows} <= {"reference", "agrees", "stale"}


def test_gpt_5_6_luna_and_terra_have_their_launch_price_on_2026_07_28(capsys, db):
    # issue 20: the launch price answers from the day LiteLLM's sheet listed the model
    # (2026-07-09) to the end genai-prices and llm-prices state (2026-07-30); never before
    for model, launch in (("gpt-5.6-luna", (1, 6)), ("gpt-5.6-terra", (2.5, 15))):
        rows = run_json(capsys, "--db", db, "prices", "--model", model, "--as-of", "2026-07-28", "--json")
        [openai] = find(rows, provider="OpenAI", tier="default")
        assert (openai["input_usd_per_mtok"], openai["output_usd_per_mtok"]) == launch
        assert openai["why"].startswith("first-party, observed by 1 source, declared until 2026-07-30")
        evidence = {(e["source"], e["basis"], e["verdict"]): e for e in openai["evidence"]}
        assert set(evidence) == {
            ("litellm", "reconstructed", "reference"),
            ("genai-prices", "declared", "agrees"),
            ("llm-prices", "declared", "agrees"),
        }
        observed = evidence[("litellm", "reconstructed", "reference")]
        assert (
            observed["effective_from"].startswith("2026-07-09")
            and "RoCry/llm-api-price" in observed["source_url"]
        )
        assert evidence[("genai-prices", "declared", "agrees")]["effective_to"].startswith("2026-07-30")
        for before in ("2024-01-01", "2026-07-01", "2026-07-08"):
            assert run_json(capsys, "--db", db, "prices", "--model", model, "--as-of", before, "--json") == []
        everything = run_json(capsys, "--db", db, "prices", "--as-of", "2024-01-01", "--json")
        assert not [row for row in everything if row["model_id"] == model]


def test_a_launch_price_closed_before_any_evidence_answers_for_no_day_and_history_says_why(capsys, db):
    # llm-prices and genai-prices close Luna's launch price on 2026-07-30; the history's raw
    # intervals say from which day each answers, and why
    rows = run_json(capsys, "--db", db, "history", "gpt-5.6-luna", "--offerings", "--json")
    declared = [row for row in rows if row["effective_from"] is None and row["effective_to"]]
    assert {row["source"] for row in declared} == {"genai-prices", "llm-prices"}
    for row in declared:
        assert row["answers_from"].startswith("2026-07-09"), row
        assert "the earliest day a source dates the model on sale (litellm gpt-5.6-luna)" in row["clipped"]
    # gemini-3.7-flash: nothing dated but its own stated end: it answers only from when first seen
    [ended] = [
        row
        for row in run_json(capsys, "--db", db, "history", "gemini-3.7-flash", "--offerings", "--json")
        if row["effective_from"] is None
    ]
    assert ended["answers_from"] == ended["first_seen_at"]
    assert "no release day and no earlier dated evidence of sale known" in ended["clipped"]
