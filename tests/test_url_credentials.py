"""Secrets in URLs: credentials are refused wherever a person writes a URL; a secret in a query
string is never stored or shown. Nothing is written when a URL is refused."""

from __future__ import annotations

import csv as csv_module
import json
import sqlite3
from pathlib import Path

import pytest
from cli_in_process import run  # the CLI as a terminal runs it, in this process
from fixture_server import fixture_server

from frontier_watch.cli import main
from frontier_watch.net.urls import REDACTED, credentials_problem, without_secrets
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.settings.config import ConfigError, load_settings

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "s3cretPassw0rd"
CREDENTIALED = [
    f"http://user:{SECRET}@127.0.0.1:9/api/v1/models",
    f"https://{SECRET}@example.org/x",  # a token given as the user name
    f"https://user:{SECRET}@example.org:8443/x?y=1",
    f"HTTPS://User:{SECRET}@Example.org/",
]


def one_line_error(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text and SECRET not in text
    return lines[0]


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---------------------------------------------------------------- refused where a person writes one


@pytest.mark.parametrize("url", CREDENTIALED)
def test_a_config_source_url_with_credentials_is_refused_naming_the_key_and_token_env(tmp_path, url):
    config = tmp_path / "config.toml"
    config.write_text(f'[sources.openrouter]\nurl = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(config)
    message = str(raised.value)
    assert "sources.openrouter.url" in message and "credentials" in message and "token_env" in message
    assert SECRET not in message


def test_every_command_refuses_such_a_config_in_one_line_and_writes_nothing(tmp_path, seeded_db_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[sources.openrouter]\nurl = "{CREDENTIALED[0]}"\n', encoding="utf-8")
    before = seeded_db_path.read_bytes()
    for command in (
        ["sources"],
        ["fetch", "openrouter"],
        ["prices"],
        ["export", "--out", str(tmp_path / "x")],
    ):
        result = run("--config", str(config), "--db", str(seeded_db_path), *command)
        assert result.returncode == 2, (command, result.stderr)
        assert "sources.openrouter.url" in one_line_error(result.stderr)
        assert SECRET not in result.stdout
    assert seeded_db_path.read_bytes() == before
    assert not (tmp_path / "x").exists()


def test_a_catalogue_file_with_credentials_is_refused_naming_the_file(isolated_home):
    folder = isolated_home / "fetchers"
    folder.mkdir()
    spec = (Path(load_catalogue()["openrouter"].path)).read_text(encoding="utf-8")
    mine = folder / "mirror.toml"
    mine.write_text(
        spec.replace('id = "openrouter"', 'id = "mirror"').replace(
            'url = "https://openrouter.ai/api/v1/models"', f'url = "{CREDENTIALED[2]}"'
        ),
        encoding="utf-8",
    )
    assert CREDENTIALED[2] in mine.read_text(encoding="utf-8")
    result = run("sources")
    assert result.returncode == 2
    line = one_line_error(result.stderr)
    assert str(mine) in line and "url" in line and "credentials" in line and "token_env" in line


@pytest.mark.parametrize("url", CREDENTIALED[1:])
def test_signals_add_refuses_a_source_url_with_credentials(seeded_db_path, url):
    before = count(seeded_db_path, "signal")
    result = run(
        "--db", str(seeded_db_path), "signals", "add", "--date", "2025-01-01", "--entity", "Acme",
        "--category", "cluster", "--metric", "GPUs", "--value", "5", "--unit", "GPUs",
        "--source-url", url, "--evidence", "vendor-claim",
    )  # fmt: skip
    assert result.returncode == 2
    line = one_line_error(result.stderr)
    assert "--source-url" in line and "credentials" in line
    assert count(seeded_db_path, "signal") == before


SIGNALS_HEADER = (
    "date,date_precision,category,entity,item,metric,value,value_high,unit,source_url,evidence,"
    "verified_via,confidence,notes"
)


def test_an_import_file_with_credentials_in_a_source_url_is_refused_whole(seeded_db_path, tmp_path):
    header = SIGNALS_HEADER
    row = f"2025-01-02,day,cluster,Acme,Acme cluster,GPUs,1000,,GPUs,{CREDENTIALED[2]},vendor-claim,,,"
    csv = tmp_path / "mine.csv"
    csv.write_text(f"{header}\n{row}\n", encoding="utf-8")
    before = count(seeded_db_path, "signal")
    result = run("--db", str(seeded_db_path), "import", str(csv))
    assert result.returncode == 2
    line = one_line_error(result.stderr)
    assert f"{csv}:2" in line and "credentials" in line
    assert count(seeded_db_path, "signal") == before


def test_an_imported_price_file_with_credentials_is_refused(seeded_db_path, tmp_path):
    shipped = next((Path(__file__).parents[1] / "data" / "prices").glob("*.csv"))
    header, first = shipped.read_text(encoding="utf-8").splitlines()[:2]
    columns = header.split(",")
    assert "source_url" in columns, "the price format cites a source_url per row"
    values = next(csv_module.reader([first]))
    values[columns.index("source_url")] = CREDENTIALED[2]
    csv = tmp_path / "prices.csv"
    with csv.open("w", encoding="utf-8", newline="") as file:
        csv_module.writer(file).writerows([columns, values])
    before = count(seeded_db_path, "price_interval")
    result = run("--db", str(seeded_db_path), "import", str(csv))
    assert result.returncode == 2
    assert "credentials" in one_line_error(result.stderr)
    assert count(seeded_db_path, "price_interval") == before


# ---------------------------------------------------------------- a secret in a query string


def test_a_query_string_secret_is_sent_but_never_stored_or_shown(tmp_path, seeded_db_path):
    """Some services take a key only in the URL: the fetch sends it, the store and the output hide it."""
    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - {"openrouter"})
    )
    with fixture_server() as server:
        url = server.serve(
            f"/api/v1/models?api_key={SECRET}&format=json",
            (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes(),
        )
        config = tmp_path / "config.toml"
        config.write_text(
            f'[fetch]\nbackoff_seconds = 0.01\n\n[sources.openrouter]\nurl = "{url}"\n'
            f"options = {{ shrink_floor = 10 }}\n{others}",
            encoding="utf-8",
        )
        fetched = run("--config", str(config), "--db", str(seeded_db_path), "fetch", "openrouter")
        assert fetched.returncode == 0, fetched.stderr
        assert any(SECRET in path for path, _ in server.requests), "the key is sent to the source"
    with sqlite3.connect(seeded_db_path) as connection:
        stored = [row[0] for row in connection.execute("SELECT source_url FROM price_interval")]
        runs = connection.execute("SELECT * FROM fetch_run").fetchall()
    assert any(f"api_key={REDACTED}" in (url or "") for url in stored)
    assert not any(SECRET in (url or "") for url in stored) and SECRET not in repr(runs)
    shown = [
        run("--config", str(config), "--db", str(seeded_db_path), *command)
        for command in (
            ["sources", "--json"],
            ["prices", "--source", "openrouter", "--json"],
            ["export", "--out", str(tmp_path / "out"), "--format", "json"],
            ["doctor"],
        )
    ]
    for result in shown:
        assert SECRET not in result.stdout + result.stderr
    assert f"api_key={REDACTED}" in shown[0].stdout
    for path in (tmp_path / "out").iterdir():
        assert SECRET not in path.read_text(encoding="utf-8")


def test_a_database_written_before_credentials_were_refused_never_shows_them(seeded_db_path, capsys):
    with sqlite3.connect(seeded_db_path) as connection:
        connection.execute(
            "UPDATE price_interval SET source_url = ? "
            "WHERE offering_pk IN (SELECT id FROM offering WHERE model_id = 'gpt-4')",
            (CREDENTIALED[2],),
        )
        connection.execute("UPDATE signal SET source_url = ? WHERE id = 1", (CREDENTIALED[1],))
    assert main(["--db", str(seeded_db_path), "history", "--offerings", "gpt-4", "--json"]) == 0
    history = capsys.readouterr().out
    assert SECRET not in history and "https://example.org:8443/x?y=1" in history
    assert main(["--db", str(seeded_db_path), "signals", "--json"]) == 0
    signals = capsys.readouterr().out
    assert SECRET not in signals and "https://example.org/x" in signals
    assert main(["--db", str(seeded_db_path), "db", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = [v for v in report["violations"] if v["rule"] == "provenance"]
    assert len(found) >= 2 and all("credentials" in v["detail"] for v in found)
    assert SECRET not in json.dumps(report)


# ---------------------------------------------------------------- the rules themselves


def test_without_secrets_removes_credentials_and_secret_parameters_and_nothing_else():
    assert without_secrets(f"https://u:{SECRET}@h.test/p?a=1") == "https://h.test/p?a=1"
    assert without_secrets(f"https://{SECRET}@h.test/") == "https://h.test/"
    assert (
        without_secrets(f"postgresql://alice:{SECRET}@db/x", keep_user=True) == "postgresql://alice:***@db/x"
    )
    for name in (
        "api_key",
        "apikey",
        "key",
        "token",
        "access_token",
        "X-Amz-Signature",
        "client_secret",
        "sig",
    ):
        shown = without_secrets(f"https://h.test/p?{name}={SECRET}&author=deepseek-ai")
        assert SECRET not in shown and f"{name}={REDACTED}" in shown and "author=deepseek-ai" in shown
    for kept in (
        "https://huggingface.co/api/models?author=Qwen&sort=createdAt&limit=100",
        "https://openrouter.ai/api/v1/models?cursor=abc&monkey=1",
        "https://x.test/{vendor}.json",
        "not a url",
    ):
        assert without_secrets(kept) == kept
    assert credentials_problem("https://example.org/a@b") is None  # an @ in the path is no user
    assert credentials_problem(f"https://u:{SECRET}@h.test/") and SECRET not in credentials_problem(
        f"https://u:{SECRET}@h.test/"
    )


def test_a_failed_fetch_never_stores_or_prints_the_key_in_its_error(tmp_path, seeded_db_path):
    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - {"openrouter"})
    )
    with fixture_server() as server:
        path = f"/api/v1/models?api_key={SECRET}"
        url = server.serve(path, b"", status=302, Location=server.url(path))  # a redirect loop
        config = tmp_path / "config.toml"
        config.write_text(
            f'[fetch]\nattempts = 1\n\n[sources.openrouter]\nurl = "{url}"\n{others}', encoding="utf-8"
        )
        fetched = run("--config", str(config), "--db", str(seeded_db_path), "fetch", "openrouter")
    assert fetched.returncode == 1 and "redirects" in fetched.stderr, fetched.stderr
    assert SECRET not in fetched.stdout + fetched.stderr and f"api_key={REDACTED}" in fetched.stderr
    with sqlite3.connect(seeded_db_path) as connection:
        [error] = connection.execute("SELECT error FROM fetch_run").fetchone()
    assert SECRET not in error and "redirects" in error


def test_a_database_url_password_is_never_printed():
    """A password belongs in ~/.pgpass; one given in --db anyway is hidden in every message."""
    url = f"postgresql://alice:{SECRET}@127.0.0.1:9/fw"
    for command in (["prices"], ["doctor"], ["db", "info"]):
        result = run("--db", url, *command)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr
        shown = result.stdout + result.stderr
        assert SECRET not in shown and "alice" in shown and "127.0.0.1" in shown, shown
