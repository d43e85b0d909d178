"""Settings that passed the config check and failed later, and reads that created files.

Each bad value is one line naming the file and the key (exit 2) when the config is read,
never a failure at fetch time; no read command creates a file or a folder it was not asked for.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from cli_in_process import run  # the CLI as a terminal runs it, in this process

from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.settings.config import ConfigError, load_settings


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def config_error(tmp_path: Path, body: str) -> str:
    config = tmp_path / "config.toml"
    config.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(config)
    message = str(raised.value)
    assert str(config) in message and "\n" not in message
    return message


# ---------------------------------------------------------------- kind options: every number in its range


@pytest.mark.parametrize(
    "body, key",
    [
        ("[sources.huggingface]\nlimit = -1\n", "limit"),
        ("[sources.huggingface]\nlimit = 0\n", "limit"),
        ("[sources.huggingface]\noptions = { limit = 1001 }\n", "limit"),
        ("[sources.huggingface]\norgs = []\n", "orgs"),
        ("[sources.openrouter]\noptions = { shrink_floor = -5 }\n", "shrink_floor"),
        ("[sources.openrouter]\noptions = { shrink_floor = 0 }\n", "shrink_floor"),
        ("[sources.litellm]\nshrink_floor = 10000000000\n", "shrink_floor"),
        ("[sources.llm-prices]\nvendors = []\n", "vendors"),
        ('[sources.huggingface]\ntoken_env = "HF TOKEN; rm -rf"\n', "token_env"),
        ('[sources.huggingface]\ntoken_env = ""\n', "token_env"),
    ],
)
def test_a_kind_option_out_of_its_range_is_a_config_error_naming_it(tmp_path, body, key):
    message = config_error(tmp_path, body)
    source = body.split("]")[0].removeprefix("[")
    assert f"{source}.options.{key}" in message, message


@pytest.mark.parametrize(
    "body",
    [
        "[sources.huggingface]\nlimit = 1\n",
        "[sources.huggingface]\nlimit = 1000\n",
        "[sources.openrouter]\noptions = { shrink_floor = 1 }\n",
        '[sources.huggingface]\ntoken_env = "MY_HF_TOKEN_2"\n',
    ],
)
def test_the_edges_of_each_range_are_accepted(tmp_path, body):
    config = tmp_path / "config.toml"
    config.write_text(body, encoding="utf-8")
    assert load_settings(config).sources


def test_every_declared_number_option_has_a_range():
    """The class, not the example: a new number option must say its range to be declared."""
    from frontier_watch.sources import kinds

    for kind in kinds().values():
        for name, option in kind.all_options().items():
            if option.kind is int:
                assert option.low is not None and option.high is not None, f"{kind.name}.{name}"


def test_a_catalogue_file_with_a_bad_option_or_schedule_names_the_file(isolated_home):
    folder = isolated_home / "fetchers"
    folder.mkdir()
    text = Path(load_catalogue()["openrouter"].path).read_text(encoding="utf-8")
    text = text.replace('id = "openrouter"', 'id = "mirror"')
    assert 'schedule = "17 */6 * * *"' in text
    mine = folder / "mirror.toml"
    for body, key in (
        (text + "\n[options]\nshrink_floor = -5\n", "options.shrink_floor"),
        (text.replace('schedule = "17 */6 * * *"', 'schedule = "0 0 31 2 *"'), "schedule"),
    ):
        mine.write_text(body, encoding="utf-8")
        result = run("sources")
        assert result.returncode == 2, result.stdout
        line = one_line(result.stderr)
        assert str(mine) in line and key in line, line


# ---------------------------------------------------------------- schedules that never fire, ports


@pytest.mark.parametrize("cron", ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30-31 2 *"])
def test_a_schedule_that_can_never_fire_is_an_error_naming_the_key(tmp_path, cron):
    message = config_error(tmp_path, f'[sources.openrouter]\nschedule = "{cron}"\n')
    assert "sources.openrouter.schedule" in message and "never" in message


def test_a_schedule_that_fires_rarely_is_fine(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[sources.openrouter]\nschedule = "0 0 29 2 *"\n', encoding="utf-8")
    assert load_settings(config).sources["openrouter"].schedule == "0 0 29 2 *"


@pytest.mark.parametrize("port", ["99999", "0", "65536"])
def test_a_port_outside_1_to_65535_is_an_error_naming_the_key(tmp_path, port):
    message = config_error(tmp_path, f'[sources.openrouter]\nurl = "http://127.0.0.1:{port}/api"\n')
    assert "sources.openrouter.url" in message and port in message and "port" in message


def test_a_source_url_of_signals_add_with_a_bad_port_is_refused(seeded_db_path):
    result = run(
        "--db", str(seeded_db_path), "signals", "add", "--date", "2025-01-01", "--entity", "Acme",
        "--category", "cluster", "--metric", "GPUs", "--value", "5", "--unit", "GPUs",
        "--source-url", "https://acme.test:99999/", "--evidence", "vendor-claim",
    )  # fmt: skip
    assert result.returncode == 2 and "--source-url" in one_line(result.stderr)


# ---------------------------------------------------------------- an in-memory database


@pytest.mark.parametrize("location", [":memory:", "sqlite://", "sqlite:///:memory:", " :memory: "])
def test_an_in_memory_database_is_refused_and_no_file_is_made(tmp_path, location):
    work = tmp_path / "work"
    work.mkdir()
    for args, env in (
        (["--db", location, "prices"], None),
        (["prices"], {"FRONTIER_WATCH_DB": location}),
        (["--db", location, "fetch", "openrouter"], None),
    ):
        result = run(*args, cwd=work, env=env)
        assert result.returncode == 2, result.stdout
        assert "in-memory" in one_line(result.stderr)
    assert list(work.iterdir()) == []


def test_an_in_memory_database_in_the_config_is_refused_too(tmp_path):
    place = tmp_path / "place"
    place.mkdir()
    (place / "config.toml").write_text('[database]\nurl = ":memory:"\n', encoding="utf-8")
    result = run("--config", str(place / "config.toml"), "db", "info", cwd=place)
    assert result.returncode == 2 and "in-memory" in one_line(result.stderr)
    assert sorted(path.name for path in place.iterdir()) == ["config.toml"]


def odd_location(tmp_path: Path, kind: str) -> str:
    if kind == "a folder":
        (tmp_path / "a-folder.db").mkdir()
        return str(tmp_path / "a-folder.db")
    if kind == "a symlink loop":
        (tmp_path / "loop.db").symlink_to(tmp_path / "loop.db")
        return str(tmp_path / "loop.db")
    if kind == "an unknown user's home":
        return "~no-such-user-here/fw.db"
    if kind == "a named pipe":
        os.mkfifo(tmp_path / "pipe.db")
        return str(tmp_path / "pipe.db")
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["a folder", "a symlink loop", "an unknown user's home", "a named pipe"])
def test_a_database_location_that_is_no_file_is_one_line(tmp_path, kind):
    location = odd_location(tmp_path, kind)
    for command in (["prices"], ["db", "upgrade"], ["doctor"]):
        result = run("--db", location, *command)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if command == ["doctor"]:
            assert result.returncode == 1 and "failed    database" in result.stdout
        else:
            assert result.returncode == 2 and location.split("/")[-1] in one_line(result.stderr)


# ---------------------------------------------------------------- no read creates a folder


READ_COMMANDS = [
    ["prices"],
    ["history", "gpt-4"],
    ["signals"],
    ["signals", "--unreviewed"],
    ["releases"],
    ["sources"],
    ["export", "--out", "out"],
    ["trends", "compute"],
    ["trends", "model", "gpt-4"],
    ["compare", "gpt-4", "gpt-4o"],
    ["changes"],
    ["db", "info"],
    ["db", "check"],
    ["doctor"],
]


def test_no_read_command_creates_the_folder_of_a_database_path_that_does_not_exist(tmp_path):
    place = tmp_path / "place"
    missing = place / "missing" / "deeper"
    place.mkdir()
    (place / "config.toml").write_text(f'[database]\nurl = "{missing}/fw.db"\n', encoding="utf-8")
    for command in READ_COMMANDS:
        places = [["--db", str(missing / "fw.db")], ["--config", str(place / "config.toml")]]
        if command in (["prices"], ["db", "info"], ["db", "check"]):  # the URL form, as SQLAlchemy reads it
            places.append(["--db", f"sqlite:///{missing}/fw.db?timeout=5"])
        for where in places:
            result = run(*where, *command, cwd=place)
            assert "Traceback" not in result.stderr, (command, result.stderr)
            assert result.returncode in (1, 2), (command, result.stdout)  # doctor: a failed check
            if command != ["doctor"]:
                assert "does not exist" in one_line(result.stderr), command
            assert not (place / "missing").exists(), f"{command} made the folder"
    assert sorted(path.name for path in place.iterdir()) == ["config.toml"]


def test_a_command_that_writes_creates_the_folder_it_is_given(tmp_path):
    missing = tmp_path / "missing" / "fw.db"
    result = run("--db", str(missing), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert missing.is_file()


def test_the_first_launch_makes_the_user_data_folder_and_seeds_it(tmp_path):
    """Nothing names a database: the default one in the user data dir is made on first use."""
    home = tmp_path / "new-home"
    result = run("prices", "--model", "gpt-4", env={"FRONTIER_WATCH_HOME": str(home)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "GPT-4" in result.stdout and (home / "frontier-watch.db").is_file()


def test_the_dashboard_does_not_create_a_missing_folder_either(tmp_path, monkeypatch, capsys):
    from frontier_watch.cli import main

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--db", str(tmp_path / "missing" / "fw.db")]) == 2
    assert "does not exist" in one_line(capsys.readouterr().err)
    assert not (tmp_path / "missing").exists()
