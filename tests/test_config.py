"""Config precedence and the one-line errors for bad settings."""

import subprocess
import sys
from pathlib import Path

import pytest

from frontier_watch.settings.config import ConfigError, load_settings

REPO = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_equals_builtin_defaults(tmp_path):
    shipped = load_settings(REPO / "config.toml")
    assert shipped.warnings == []
    defaults = load_settings()
    assert defaults.path is None
    assert (shipped.blend_input_weight, shipped.blend_output_weight) == (3, 1)
    assert shipped.database_url == defaults.database_url
    assert shipped.sources == defaults.sources


def test_precedence_flag_over_env_over_cwd_over_user_dir(tmp_path, monkeypatch, isolated_home):
    user = write(isolated_home / "config.toml", "[export]\nfolder = 'user'\n")
    assert load_settings().path == user
    cwd = write(Path.cwd() / "config.toml", "[export]\nfolder = 'cwd'\n")
    assert load_settings().path == cwd
    env = write(tmp_path / "env.toml", "[export]\nfolder = 'env'\n")
    monkeypatch.setenv("FRONTIER_WATCH_CONFIG", str(env))
    assert load_settings().export_folder == Path("env")
    flag = write(tmp_path / "flag.toml", "[export]\nfolder = 'flag'\n")
    assert load_settings(flag).export_folder == Path("flag")


def test_database_precedence_flag_env_config(tmp_path, monkeypatch):
    config = write(tmp_path / "c.toml", "[database]\nurl = 'from-config.db'\n")
    assert load_settings(config).database_url == str(tmp_path / "from-config.db")
    monkeypatch.setenv("FRONTIER_WATCH_DB", "sqlite:///env.db")
    assert load_settings(config).database_url == "sqlite:///env.db"
    assert load_settings(config, db="flag.db").database_url == "flag.db"


def test_source_override_changes_url_schedule_and_options(tmp_path):
    config = write(
        tmp_path / "c.toml",
        """
[sources.openrouter]
url = "http://127.0.0.1:9/api/v1/models"
schedule = "5 * * * *"
[sources.llm-prices]
enabled = false
options = { vendors = ["openai"] }
""",
    )
    settings = load_settings(config)
    assert settings.sources["openrouter"].url == "http://127.0.0.1:9/api/v1/models"
    assert settings.sources["openrouter"].schedule == "5 * * * *"
    assert settings.sources["llm-prices"].enabled is False
    assert settings.sources["llm-prices"].options["vendors"] == ["openai"]
    assert "llm-prices" not in {spec.id for spec in settings.enabled_sources()}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[sources.openrouter]\nenabled = 'yes'\n",
            r"sources\.openrouter\.enabled: expected true or false, got a string \('yes'\)",
        ),
        ("[sources.nope]\nenabled = true\n", r"sources\.nope: unknown source id 'nope'"),
        (
            "[sources.openrouter]\nschedule = '61 * * * *'\n",
            r"sources\.openrouter\.schedule: bad cron string '61 \* \* \* \*'",
        ),
        ("[sources.openrouter]\nschedule = '* * *'\n", r"expected 5 fields"),
        ("[sources.openrouter]\nurl = 'ftp://x'\n", r"sources\.openrouter\.url: expected an http\(s\) URL"),
        (
            "[sources.openrouter]\nurl = 'file:///tmp/m.json'\n",
            r"sources\.openrouter\.url: expected an http\(s\) URL",
        ),
        ("[analytics]\nblend_input_weight = 'three'\n", r"analytics\.blend_input_weight: expected a number"),
        ("[database]\nurl = 5\n", r"database\.url: expected a file path or an SQLAlchemy URL, got a number"),
        ("[database\nurl = ''\n", r"not valid TOML"),
    ],
)
def test_bad_config_names_file_key_and_reason(tmp_path, text, message):
    config = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(config)
    assert str(caught.value).startswith(str(config))
    assert "\n" not in str(caught.value)


def test_unknown_keys_warn_but_load(tmp_path):
    config = write(
        tmp_path / "c.toml",
        "colour = 'red'\n[export]\nfolder = 'x'\nzip = true\n[sources.openrouter]\nspeed = 3\n",
    )
    settings = load_settings(config)
    assert settings.warnings == [
        f"{config}: unknown key 'colour' (ignored)",
        f"{config}: unknown key 'export.zip' (ignored)",
        f"{config}: unknown key 'sources.openrouter.speed' (ignored)",
    ]


def test_cli_exits_2_with_one_line_on_bad_config(tmp_path):
    config = write(tmp_path / "bad.toml", "[sources.openrouter]\nschedule = 'every hour'\n")
    db = tmp_path / "untouched.db"
    result = subprocess.run(
        [sys.executable, "-m", "frontier_watch", "--config", str(config), "--db", str(db), "prices"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(config) in lines[0] and "sources.openrouter.schedule" in lines[0]
    assert not db.exists()


def test_missing_config_file_is_a_usage_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "absent.toml")


def test_database_path_with_a_tilde_is_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    config = write(tmp_path / "c.toml", "[database]\nurl = '~/fw.db'\n")
    assert load_settings(config).database_url == str(tmp_path / "me" / "fw.db")


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("foo://x", "not a database path or URL we can open"),
        ("postgresql+nosuchdriver://u@h/db", "not a database path or URL we can open"),
        ("postgresql+psycopg2://u@127.0.0.1:9/db", "the database driver is not installed"),
        ("postgresql://u@127.0.0.1:9/db", "Connection refused"),
    ],
)
def test_a_database_url_that_cannot_be_opened_is_one_line_exit_2(tmp_path, db, message):
    result = subprocess.run(
        [sys.executable, "-m", "frontier_watch", "--db", db, "prices"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
