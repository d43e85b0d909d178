"""The command line as a newcomer meets it: fitting tables, options anywhere, helpful misses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

import frontier_watch
from frontier_watch.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(seeded_db_path):
    return str(seeded_db_path)


def test_the_tests_import_the_source_tree_not_an_installed_copy():
    assert Path(frontier_watch.__file__).resolve().is_relative_to(ROOT / "src")


def test_no_command_and_no_terminal_prints_usage_and_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "frontier_watch", "--db", str(tmp_path / "fw.db")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "FRONTIER_WATCH_HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert result.stdout == ""  # no escape codes, no dashboard
    assert result.stderr.startswith("usage: frontier-watch")
    assert "needs a terminal" in result.stderr


@pytest.mark.parametrize("width", [20, 40, 80, 120])
@pytest.mark.parametrize(
    "argv",
    [
        ["history", "deepseek-chat"],
        ["signals"],
        ["prices"],
        ["releases"],
        ["prices", "--unmatched"],
        ["sources"],
    ],
)
def test_tables_fit_the_terminal_width(capsys, monkeypatch, db, width, argv):
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["--db", db, *argv]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 2
    assert max(cell_len(line) for line in lines) <= width


def test_wide_shows_whole_values_and_json_always_does(capsys, monkeypatch, db):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--db", db, "history", "--offerings", "deepseek-chat", "--wide"]) == 0
    wide = capsys.readouterr().out
    assert max(len(line) for line in wide.splitlines()) > 80
    assert "https://api-docs.deepseek.com" in wide  # the source URL column, whole
    assert main(["--db", db, "history", "--offerings", "deepseek-chat"]) == 0
    captured = capsys.readouterr()
    assert "…" in captured.out or "left out" in captured.err
    assert "--wide" in captured.err  # says how to see what was left out


def test_global_options_are_accepted_after_the_command(capsys, db):
    assert main(["prices", "--model", "gpt-4", "--as-of", "2023-03-20", "--db", db, "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert main(["--db", db, "prices", "--model", "gpt-4", "--as-of", "2023-03-20", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert after == before and after


def test_config_after_the_command_is_read(capsys, tmp_path, db):
    config = tmp_path / "elsewhere.toml"
    config.write_text("[fetch]\nattempts = 'three'\n")
    assert main(["sources", "--config", str(config)]) == 2
    assert "fetch.attempts" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "mentions"),
    [
        (["prices", "--source", "nosuch"], ["'nosuch'", "openrouter", "curated"]),
        (["prices", "--tier", "batch"], ["'batch'", "default", "off-peak"]),
        (["signals", "--category", "export control"], ["'export control'", "export_control"]),
        (["releases", "--lab", "nosuchlab"], ["'nosuchlab'", "DeepSeek"]),
        (["signals", "--entity", "nosuch"], ["'nosuch'", "xAI"]),
        (["history", "deepsek-r1"], ["'deepsek-r1'", "close matches: deepseek-r1"]),
        (["prices", "--model", "claude-sonet-4"], ["close matches: claude-sonnet-4"]),
    ],
)
def test_a_filter_that_matches_nothing_known_lists_the_known_values(capsys, db, argv, mentions):
    assert main(["--db", db, *argv]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("no ")
    for text in mentions:
        assert text in captured.err


def test_a_filter_with_known_values_but_no_rows_says_only_no_rows(capsys, db):
    assert main(["--db", db, "prices", "--source", "genai-prices", "--model", "davinci"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("no prices")
    assert captured.err == ""


def test_another_programs_config_toml_in_the_working_directory_is_ignored_with_one_warning(capsys, db):
    Path("config.toml").write_text('[package]\nname = "something-else"\n\n[build]\nsources = ["a", "b"]\n')
    assert main(["--db", db, "prices", "--model", "gpt-4", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)
    warnings = [line for line in captured.err.splitlines() if "config.toml" in line]
    assert len(warnings) == 1 and "ignored" in warnings[0]


def test_our_config_toml_in_the_working_directory_still_stops_on_a_bad_value(capsys, db):
    Path("config.toml").write_text("[fetch]\nattempts = 'three'\n")
    assert main(["--db", db, "prices"]) == 2
    assert "fetch.attempts" in capsys.readouterr().err


def test_help_never_mentions_internal_planning(capsys):
    parser = build_parser()
    texts = [parser.format_help()]
    for action in parser._subparsers._group_actions:  # every command's own help
        texts += [sub.format_help() for sub in action.choices.values()]
    joined = "\n".join(texts).lower()
    assert "issue" not in joined and "later" not in joined
    unbuilt = [
        name
        for action in parser._subparsers._group_actions
        for name, sub in action.choices.items()
        if "not available in this version yet" in sub.format_help()
    ]
    for name in unbuilt:  # whichever commands are still to come
        assert main([name]) == 2
        error = capsys.readouterr().err
        assert "not available in this version yet" in error and "issue" not in error


def test_prices_blended_mixes_input_and_output_three_to_one(capsys, db):
    assert (
        main(["--db", db, "prices", "--model", "gpt-4", "--as-of", "2023-03-20", "--blended", "--json"]) == 0
    )
    [gpt4] = [row for row in json.loads(capsys.readouterr().out) if row["offering_id"] == "gpt-4"]
    assert gpt4["blended_usd_per_mtok"] == pytest.approx((30 * 3 + 60) / 4)  # 37.5


def test_prices_blended_follows_the_configured_weights(capsys, tmp_path, db):
    config = tmp_path / "c.toml"
    config.write_text("[analytics]\nblend_input_weight = 1\nblend_output_weight = 1\n")
    argv = ["--db", db, "--config", str(config), "prices", "--model", "gpt-4", "--as-of", "2023-03-20"]
    assert main([*argv, "--blended", "--json"]) == 0
    [gpt4] = [row for row in json.loads(capsys.readouterr().out) if row["offering_id"] == "gpt-4"]
    assert gpt4["blended_usd_per_mtok"] == 45


@pytest.mark.parametrize(
    "text",
    [
        '[server]\nport = 8080\n\n[database]\nurl = "app.db"\n',  # shares a section name with ours
        '[sources.my_logs]\ntype = "file"\ninclude = ["/var/log/*.log"]\n',  # only sources we do not know
        "[package\nname = 'broken'\n",  # not even TOML
    ],
)
def test_a_foreign_config_toml_is_never_used_not_even_its_database(capsys, db, text):
    Path("config.toml").write_text(text)
    assert main(["--db", db, "prices", "--model", "gpt-4", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)
    assert "config.toml: ignored" in captured.err and "--config" in captured.err
    assert not Path("app.db").exists()


def test_after_a_foreign_config_toml_the_user_config_is_read(capsys, isolated_home, tmp_path):
    Path("config.toml").write_text("[server]\nport = 1\n")
    (isolated_home / "config.toml").write_text(f'[database]\nurl = "{tmp_path / "mine.db"}"\n')
    assert main(["db", "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["location"] == str(tmp_path / "mine.db")


def test_wide_characters_count_as_two_cells_and_are_never_cut_in_half(capsys, monkeypatch):
    from frontier_watch.render.output import write_table
    from frontier_watch.render.public_rows import Column, Listing

    monkeypatch.setenv("COLUMNS", "30")
    rows = [{"name": "深度求索模型名称很长很长很长", "price": 1.5}, {"name": "plain", "price": 22}]
    write_table(rows, Listing((Column("name", "name"), Column("price", "price", numeric=True))))
    lines = capsys.readouterr().out.splitlines()
    assert all(cell_len(line) <= 30 for line in lines)
    assert lines[2].endswith("1.5") and "…" in lines[2]
