"""The per-model price views on the shipped data: language models unless ``--kind`` asks for
others, disagreements across offering ids, a model with no usable price still listed, and
tables at 80 columns that show the tier whenever it is not ``default``.

Each acceptance is checked for the class, not only for the models the issue names."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES
from fixture_server import fixture_server

from frontier_watch.cli import main
from frontier_watch.domain.model_kind import KINDS
from frontier_watch.settings.catalogue import load_catalogue

# Words in a model's id that say it is not a language model, as an independent check on the
# kinds the sources state (the product never reads kinds from names).
NOT_LANGUAGE = re.compile(r"rerank|embed|ocr|-tts\b|whisper|image")


def run_json(capsys, db, *argv):
    assert main(["--db", db, *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def db(seeded_db_path):
    return str(seeded_db_path)


# ---------------------------------------------------------------- kinds


def test_the_default_views_hold_language_models_only(capsys, db):
    for view in ((), ("--offerings",), ("--disagreements",)):
        rows = run_json(capsys, db, "prices", *view)
        assert rows, view
        assert {row["kind"] for row in rows} == {"language"}, view
        named = sorted({row["model_id"] for row in rows if NOT_LANGUAGE.search(row["model_id"] or "")})
        assert named == [], view
    models = {row["model_id"] for row in run_json(capsys, db, "prices")}
    for other in (
        "bge-reranker-v2-m3",
        "qwen3-reranker-8b",
        "titan-embed-text",
        "gemini-embedding-2",
        "deepseek-ocr",
    ):
        assert other not in models


def test_kind_lists_the_other_kinds_and_all_lists_every_one(capsys, db):
    embedding = run_json(capsys, db, "prices", "--kind", "embedding")
    assert {row["kind"] for row in embedding} == {"embedding"}
    assert {"titan-embed-text", "bge-m3", "qwen3-embedding-8b", "gemini-embedding-2", "gte-large-en"} <= {
        row["model_id"] for row in embedding
    }
    rerankers = {row["model_id"] for row in run_json(capsys, db, "prices", "--kind", "reranker")}
    assert rerankers == {"bge-reranker-v2-m3", "qwen3-reranker-8b"}
    # The crosswalk's word where the source lists a model as "chat" (LiteLLM: Novita's DeepSeek-OCR).
    ocr = {row["model_id"] for row in run_json(capsys, db, "prices", "--kind", "ocr")}
    assert ocr == {"deepseek-ocr", "paddleocr-vl"}
    key = lambda row: (row["model_id"], row["provider"], row["tier"])  # noqa: E731
    both = run_json(capsys, db, "prices", "--kind", "embedding,reranker")
    assert sorted(map(key, both)) == sorted(
        map(key, run_json(capsys, db, "prices", "--kind", "reranker", "--kind", "embedding"))
    )
    every = run_json(capsys, db, "prices", "--kind", "all")
    by_kind = [row for kind in KINDS for row in run_json(capsys, db, "prices", "--kind", kind)]
    assert sorted(map(key, every)) == sorted(map(key, by_kind))
    assert {row["kind"] for row in every} >= {"language", "embedding", "reranker", "image", "audio", "ocr"}


def test_a_bad_kind_is_one_line_naming_the_kinds_exit_2(capsys, db):
    assert main(["--db", db, "prices", "--kind", "language,llm"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert "unknown kind 'llm'" in captured.err and all(kind in captured.err for kind in KINDS)


def test_a_model_asked_for_by_name_is_shown_whatever_its_kind(capsys, db):
    [reranker] = run_json(capsys, db, "prices", "--model", "bge-reranker-v2-m3")
    assert reranker["kind"] == "reranker" and reranker["input_usd_per_mtok"] == 0.01
    assert run_json(capsys, db, "prices", "--model", "bge-reranker-v2-m3", "--kind", "language") == []
    assert main(["--db", db, "prices", "--family", "qwen3-"]) == 0
    assert "Qwen3-Reranker" not in capsys.readouterr().out  # a family is a listing: language models


@pytest.fixture
def fetched(tmp_path, capsys):
    """A seeded database after a fetch of the recorded LiteLLM and genai-prices sheets."""
    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n"
        for name in sorted(set(load_catalogue()) - {"litellm", "genai-prices"})
    )
    db = str(tmp_path / "fw.db")
    with fixture_server() as server:
        server.serve(
            "/litellm.json", (FIXTURES / "litellm/model_prices_and_context_window.sample.json").read_bytes()
        )
        server.serve("/genai.json", (FIXTURES / "genai_prices/data_v2.sample.json").read_bytes())
        config = tmp_path / "config.toml"
        config.write_text(
            f'[fetch]\nbackoff_seconds = 0.01\n\n[sources.litellm]\nurl = "{server.url("/litellm.json")}"\n'
            f"options = {{ shrink_floor = 10 }}\n\n"
            f'[sources.genai-prices]\nurl = "{server.url("/genai.json")}"\n'
            f"{others}",
            encoding="utf-8",
        )
        assert main(["--config", str(config), "--db", db, "fetch"]) == 0, capsys.readouterr()
    capsys.readouterr()
    return db


def test_fetched_embedding_models_leave_the_default_view_for_kind_embedding(capsys, fetched):
    """LiteLLM states text-embedding-3-small's mode; genai-prices states no kind for it or for
    gemini-embedding-001 (the crosswalk gives that one's)."""
    default = {row["model_id"] for row in run_json(capsys, fetched, "prices", "--offerings")}
    embedding = run_json(capsys, fetched, "prices", "--kind", "embedding", "--offerings")
    sources = {(row["model_id"], row["source"]) for row in embedding}
    assert {("text-embedding-3-small", "litellm"), ("text-embedding-3-small", "genai-prices")} <= sources
    assert ("gemini-embedding-001", "genai-prices") in sources
    assert not default & {row["model_id"] for row in embedding}
    assert "gpt-4o" in default


# ---------------------------------------------------------------- disagreements


def groups(rows):
    by: dict[tuple, list] = {}
    for row in rows:
        by.setdefault((row["model_id"], row["provider"], row["tier"], row["variant"]), []).append(row)
    return by


def test_disagreements_never_show_a_stretched_undated_row(capsys, db):
    for day, model, stretched in (("2024-06-01", "gpt-4o", (2.5, 10)), ("2024-09-20", "o1-mini", (1.1, 4.4))):
        for asked in (("--model", model), ()):
            rows = run_json(capsys, db, "prices", "--disagreements", "--as-of", day, "--kind", "all", *asked)
            prices = {(row["input_usd_per_mtok"], row["output_usd_per_mtok"]) for row in rows}
            assert stretched not in prices, (day, model, asked)


def test_disagreements_compare_offering_ids_of_one_model_seller_and_tier(capsys, db):
    rows = run_json(capsys, db, "prices", "--disagreements")
    by = groups(rows)
    # GPT-3.5 Turbo at OpenAI: the curated 1106 snapshot against the 0125 price (and LiteLLM's
    # plain gpt-3.5-turbo key agreeing with it): several offering ids, one answer. The 16k
    # offering is a variant of its own (domain/variants.py), never judged against them.
    turbo = by[("gpt-3.5-turbo", "OpenAI", "default", "")]
    assert len({row["offering_id"] for row in turbo}) >= 3
    verdicts = {row["offering_id"]: row["verdict"] for row in turbo if row["source"] == "curated"}
    assert verdicts["gpt-3.5-turbo-0125"] == "reference" and verdicts["gpt-3.5-turbo-1106"] == "stale"
    assert "gpt-3.5-turbo-16k" not in verdicts
    # the class: each group is a whole model answer where two sources differ, every row judged
    for key, members in by.items():
        assert [row["verdict"] for row in members].count("reference") == 1, key
        assert len({row["source"] for row in members}) >= 2, key
        differing = [row for row in members if row["verdict"] not in ("reference", "agrees")]
        assert any(row["flag"] is None for row in differing), key
        assert all(row["why"] and row["outlier"] == row["why"] for row in differing), key
    # every answer the default view makes from two sources that differ is there
    answers = run_json(capsys, db, "prices")
    for answer in answers:
        evidence = answer["evidence"]
        splits = len({item["source"] for item in evidence}) >= 2 and any(
            item["verdict"] in ("stale", "undated")
            or (item["verdict"] == "outlier" and not item["note"].startswith("flagged"))
            for item in evidence
        )
        key = (answer["model_id"], answer["provider"], answer["tier"], answer["variant"])
        assert splits == (key in by), answer["model_id"]


# ---------------------------------------------------------------- a model with no usable price


def test_a_model_whose_every_price_is_flagged_is_listed_without_a_reference(capsys, db):
    rows = run_json(capsys, db, "prices", "--as-of", "2026-05-01")
    [r7b] = [row for row in rows if row["model_id"] == "command-r7b"]
    assert (r7b["input_usd_per_mtok"], r7b["output_usd_per_mtok"], r7b["verdict"]) == (None, None, None)
    assert r7b["why"] == "no reference: its only price is flagged as implausible (1 swapped)"
    [evidence] = r7b["evidence"]
    assert evidence["verdict"] == "outlier" and evidence["note"] == "flagged: swapped"
    assert main(["--db", db, "prices", "--as-of", "2026-05-01", "--model", "command-r7b"]) == 0
    assert "no reference: its only price is flagged" in capsys.readouterr().out


@pytest.mark.parametrize("day", ["2025-03-01", "2025-09-01", "2026-05-01"])
def test_no_model_vanishes_from_the_default_view(capsys, db, day):
    offered = {
        row["model_id"]
        for row in run_json(capsys, db, "prices", "--offerings", "--as-of", day, "--kind", "all")
    }
    answered = run_json(capsys, db, "prices", "--as-of", day, "--kind", "all")
    assert {row["model_id"] for row in answered} == offered
    unanswered = [row for row in answered if row["verdict"] is None]
    assert unanswered and all(row["why"].startswith("no reference: ") for row in unanswered)


# ---------------------------------------------------------------- tier at 80 columns


def table(capsys, monkeypatch, db, *argv, width="80"):
    monkeypatch.setenv("COLUMNS", width)
    assert main(["--db", db, *argv]) == 0
    captured = capsys.readouterr()
    return captured.out.splitlines(), captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ("prices", "--model", "gemini-2.5-pro"),
        ("prices", "--model", "gemini-2.5-pro", "--offerings"),
        ("prices", "--model", "gpt-5.5", "--offerings"),
        ("prices", "--model", "deepseek-v3.2-exp"),  # off-peak
        ("prices", "--kind", "all"),
        ("history", "gemini-2.5-pro"),
        ("history", "gemini-2.5-pro", "--offerings"),
        ("history", "gpt-5.5", "--offerings"),
    ],
)
def test_a_table_at_80_columns_shows_the_tier_whenever_a_row_is_not_default(capsys, monkeypatch, db, argv):
    as_json = run_json(capsys, db, *argv)
    assert {row["tier"] for row in as_json} - {"default"}, "a view with another tier"
    lines, err = table(capsys, monkeypatch, db, *argv)
    assert "tier" in lines[0].split(), (argv, lines[0])
    assert "tier" not in err


def test_the_footer_says_every_tier_is_default_instead_of_counting_it_left_out(capsys, monkeypatch, db):
    lines, err = table(capsys, monkeypatch, db, "prices", "--model", "claude-sonnet-5")
    assert "tier" not in lines[0].split()
    assert err.startswith("(every row's tier is default; ") and "left out to fit 80 columns" in err
    left_out = err.split("left out to fit 80 columns: ", 1)[1].split(";", 1)[0].split(", ")
    assert "tier" not in left_out and "source" in left_out
    lines, err = table(capsys, monkeypatch, db, "prices", "--model", "claude-sonnet-5", width="300")
    assert "tier" in lines[0].split() and err == ""  # wide enough: every column, nothing to say


def test_every_price_listing_keeps_a_tier_that_is_not_default_and_a_kind_that_is_not_language():
    """The same rule for every listing (the shipped data has no disagreement in another tier)."""
    from frontier_watch.render import answer_rows, public_rows, timeline_rows

    plain = [{"tier": "default", "kind": "language"}]
    mixed = [*plain, {"tier": "batch", "kind": "embedding"}]
    listings = (
        answer_rows.MODEL_PRICES,
        answer_rows.OFFERINGS,
        public_rows.DISAGREEMENTS,
        public_rows.HISTORY,
        timeline_rows.TIMELINE,
    )
    for listing in listings:
        shown = {column.key: column for column in answer_rows.fitted_to_rows(listing, mixed).columns}
        assert shown["tier"].priority == 1 and shown["tier"].note is None
        assert "kind" not in shown or shown["kind"].priority == 1
        quiet = {column.key: column for column in answer_rows.fitted_to_rows(listing, plain).columns}
        assert quiet["tier"].note == "every row's tier is default" and "kind" not in quiet
