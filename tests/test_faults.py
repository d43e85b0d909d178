"""The faults an adversarial run found in fetch, store and config: each repro, each fixed.

Every test here failed on the code before the fix. The bad inputs join the classes of
tests/test_fetch_bad_input.py: one clear line, the right exit code, the database as it was.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fixture_server import fixture_server

from frontier_watch.cli import main
from frontier_watch.domain.identity import Identity
from frontier_watch.domain.money import PriceError, per_mtok, per_token_to_per_mtok
from frontier_watch.net.http import RetryPolicy
from frontier_watch.render.output import safe_text, write_json
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.sources import litellm
from frontier_watch.use_cases.fetching import FetchOptions, fetch_source

FIXTURES = Path(__file__).parent / "fixtures"
NO_CROSSWALK = Identity({}, {})


def litellm_entry(input_cost: str = "3e-06", output_cost: str = "1.5e-05") -> str:
    return (
        f'{{"litellm_provider": "bedrock", "mode": "chat", "input_cost_per_token": {input_cost}, '
        f'"output_cost_per_token": {output_cost}}}'
    )


# ---------------------------------------------------------------- 1. duplicate keys in a LiteLLM map


def test_a_litellm_key_listed_twice_with_different_prices_is_skipped_with_a_reason():
    body = (
        '{"anthropic.claude-sonnet-5": ' + litellm_entry() + ', "other": ' + litellm_entry("1e-06") + ", "
        '"anthropic.claude-sonnet-5": ' + litellm_entry("9e-06") + "}"
    ).encode()
    batch = litellm.parse(body, url="https://x.test/map.json")
    assert [offering.offering_id for offering in batch.offerings] == ["other"]
    [(key, reason)] = batch.skipped
    assert key == "anthropic.claude-sonnet-5" and "listed 2 times with different contents" in reason


def test_a_litellm_key_listed_twice_the_same_is_read_once():
    body = ('{"m": ' + litellm_entry() + ', "m": ' + litellm_entry() + "}").encode()
    batch = litellm.parse(body, url="https://x.test/map.json")
    assert [offering.offering_id for offering in batch.offerings] == ["m"] and not batch.skipped


def test_a_repeated_price_field_inside_an_entry_is_not_silently_resolved():
    body = (
        b'{"m": {"litellm_provider": "x", "mode": "chat", "input_cost_per_token": 1e-06, '
        b'"output_cost_per_token": 2e-06, "input_cost_per_token": 9e-06}}'
    )
    batch = litellm.parse(body, url="https://x.test/map.json")
    assert not batch.offerings
    assert "input_cost_per_token listed 2 times" in batch.skipped[0][1]


def test_a_duplicate_key_keeps_the_stored_price_through_a_fetch(empty_engine):
    spec = replace(load_catalogue()["litellm"], url="https://litellm.test/map.json")

    def fetch(body: bytes):
        options = FetchOptions(
            transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body))
        )
        return fetch_source(empty_engine, spec, NO_CROSSWALK, options)

    good = (
        '{"anthropic.claude-sonnet-5": ' + litellm_entry() + ', "other": ' + litellm_entry("1e-06") + "}"
    ).encode()
    assert fetch(good).status == "ok"
    doubled = good[:-1] + b', "anthropic.claude-sonnet-5": ' + litellm_entry("9e-06").encode() + b"}"
    summary = fetch(doubled)
    assert summary.status == "ok" and summary.withdrawn == 0 and summary.changed == 0
    assert "anthropic.claude-sonnet-5: listed 2 times" in summary.error
    with empty_engine.connect() as connection:
        prices = (
            connection.exec_driver_sql(
                "SELECT i.input_nusd FROM price_interval i JOIN offering o ON o.id = i.offering_pk "
                "WHERE o.offering_id = 'anthropic.claude-sonnet-5' AND i.effective_to IS NULL"
            )
            .scalars()
            .all()
        )
    assert prices == [3_000_000_000]  # still 3 USD per million, not 9


# ---------------------------------------------------------------- 2. the shrink guard


@pytest.fixture
def one_model_sheet(tmp_path):
    one = {
        "data": [json.loads((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_text())["data"][1]]
    }
    with fixture_server() as server:
        url = server.serve("/api/v1/models", json.dumps(one).encode())
        config = tmp_path / "c.toml"
        config.write_text(f'[sources.openrouter]\nurl = "{url}"\n[fetch]\nattempts = 1\n')
        yield config


def open_openrouter_offerings(db) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT count(*) FROM offering WHERE source_id = 'openrouter' AND withdrawn_at IS NULL"
        ).fetchone()[0]


def test_the_first_fetch_of_a_tiny_sheet_on_a_seeded_database_is_refused(
    one_model_sheet, seeded_db_path, capsys
):
    before = open_openrouter_offerings(seeded_db_path)
    assert before > 50  # the seed holds the OpenRouter history
    assert (
        main(["--config", str(one_model_sheet), "--db", str(seeded_db_path), "fetch", "openrouter", "--json"])
        == 1
    )
    [summary] = json.loads(capsys.readouterr().out)
    assert summary["status"] == "suspicious" and f"from {before} to 1 offerings" in summary["error"]
    assert "--accept-shrink openrouter" in summary["error"]
    assert open_openrouter_offerings(seeded_db_path) == before  # nothing withdrawn


def test_accept_shrink_takes_the_smaller_list_once_and_it_becomes_the_measure(
    one_model_sheet, seeded_db_path, capsys
):
    argv = ["--config", str(one_model_sheet), "--db", str(seeded_db_path), "fetch", "openrouter", "--json"]
    assert main([*argv, "--accept-shrink", "openrouter"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["withdrawn"] > 50
    assert open_openrouter_offerings(seeded_db_path) == 1
    assert main(argv) == 0  # the next fetch of the same list is healthy: not suspicious for ever
    assert json.loads(capsys.readouterr().out)[0]["status"] == "ok"


def test_a_shrink_floor_lets_a_list_of_that_size_through(one_model_sheet, seeded_db_path, capsys):
    text = one_model_sheet.read_text().replace("[fetch]", "options = { shrink_floor = 1 }\n[fetch]")
    one_model_sheet.write_text(text)
    assert main(["--config", str(one_model_sheet), "--db", str(seeded_db_path), "fetch", "openrouter"]) == 0


def test_fetching_fewer_llm_prices_vendors_is_not_a_shrink(tmp_path, capsys):
    with fixture_server() as server:
        for vendor in ("openai", "anthropic", "deepseek"):
            server.serve(f"/v/{vendor}.json", (FIXTURES / f"llm_prices/data_{vendor}.json").read_bytes())
        config = tmp_path / "c.toml"
        db = str(tmp_path / "fw.db")

        def fetch(vendors: list[str]) -> dict:
            config.write_text(
                f'[sources.llm-prices]\nurl = "{server.url("/v/{vendor}.json")}"\n'
                f"options = {{ vendors = {json.dumps(vendors)} }}\n"
            )
            assert main(["--config", str(config), "--db", db, "fetch", "llm-prices", "--json"]) == 0
            return json.loads(capsys.readouterr().out)[0]

        assert fetch(["openai", "anthropic", "deepseek"])["status"] == "ok"
        narrower = fetch(["deepseek"])
        assert narrower["status"] == "ok" and narrower["withdrawn"] == 0
        assert fetch(["deepseek"])["status"] == "ok"


# ---------------------------------------------------------------- 3. a read-only database


@pytest.fixture
def immutable_db(seeded_db_path):
    """The database file made unwritable even for root (chattr +i)."""
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(seeded_db_path)]).returncode:
        pytest.skip("cannot make a file immutable here")
    yield seeded_db_path
    subprocess.run(["chattr", "-i", str(seeded_db_path)], check=True)


def test_a_read_only_database_is_a_one_line_error_for_fetch_and_readable_for_the_rest(immutable_db, capsys):
    before = immutable_db.read_bytes()
    assert main(["--db", str(immutable_db), "fetch", "openrouter"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "read-only" in error and "Traceback" not in error
    assert main(["--db", str(immutable_db), "prices", "--model", "gpt-4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert main(["--db", str(immutable_db), "history", "deepseek-r1"]) == 0
    assert immutable_db.read_bytes() == before


# ---------------------------------------------------------------- 4. encodings stacked into a bomb


BOMB = """
import gzip, sys, zlib, httpx
from frontier_watch.net.http import FetchError, download, make_client
sys.path.insert(0, sys.argv[1])
from fixture_server import fixture_server
packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip, built a megabyte at a time: never 1 GB at once
megabyte = bytes(1024 * 1024)
inner = b"".join([packer.compress(megabyte) for _ in range(1024)] + [packer.flush()])
outer = gzip.compress(inner, 9)  # 1 GB of zeros, twice gzipped: about 1.8 kB
assert len(outer) < 4096

def peak_kb():
    return int([line for line in open("/proc/self/status") if line.startswith("VmHWM")][0].split()[1])

with fixture_server() as server:
    url = server.serve("/bomb", outer, **{"Content-Encoding": "gzip, gzip"})
    before = peak_kb()
    try:
        download(make_client(), url, max_bytes=64 * 1024 * 1024)
    except FetchError as error:
        print(error)
    print((peak_kb() - before) // 1024)
"""


def test_a_stacked_gzip_bomb_is_refused_without_decoding_it_all():
    """gzip inside gzip, 1 GB of zeros in under two kilobytes: the cap holds in every layer."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the peak memory")
    result = subprocess.run(
        [sys.executable, "-c", BOMB, str(Path(__file__).parent)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    message, grown_mb = result.stdout.strip().splitlines()
    assert "too large" in message
    assert int(grown_mb) < 160  # the 64 MB cap, a copy, and bounded steps; not a gigabyte


def test_three_layers_of_encoding_are_refused(empty_engine):
    body = zlib.compress(gzip.compress(gzip.compress(b'{"data": []}')))
    with fixture_server() as server:
        url = server.serve("/models", body, **{"Content-Encoding": "gzip, gzip, deflate"})
        spec = replace(load_catalogue()["openrouter"], url=url)
        summary = fetch_source(empty_engine, spec, NO_CROSSWALK, FetchOptions())
    assert summary.status == "failed" and "3 content encodings stacked" in summary.error


def test_an_unknown_content_encoding_is_refused(empty_engine):
    with fixture_server() as server:
        url = server.serve("/models", b"\x28\xb5\x2f\xfd", **{"Content-Encoding": "zstd"})
        summary = fetch_source(
            empty_engine, replace(load_catalogue()["openrouter"], url=url), NO_CROSSWALK, FetchOptions()
        )
    assert summary.status == "failed" and "unsupported content encoding zstd" in summary.error


def test_a_plain_gzip_body_still_reads(empty_engine):
    body = gzip.compress((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes())
    spec = replace(load_catalogue()["openrouter"], url="https://openrouter.test/models")
    response = httpx.Response(200, content=body, headers={"Content-Encoding": "gzip"})
    summary = fetch_source(
        empty_engine,
        spec,
        NO_CROSSWALK,
        FetchOptions(transport=httpx.MockTransport(lambda request: response)),
    )
    assert summary.status == "ok" and summary.records > 20


# ---------------------------------------------------------------- 5. numbers that are not finite


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("timeout_seconds = nan", "fetch.timeout_seconds"),
        ("timeout_seconds = inf", "fetch.timeout_seconds"),
        ("max_retry_wait_seconds = nan", "fetch.max_retry_wait_seconds"),
        ("backoff_seconds = -inf", "fetch.backoff_seconds"),
        ("attempts = 100000", "fetch.attempts"),
        ("timeout_seconds = 1e9", "fetch.timeout_seconds"),
    ],
)
def test_settings_must_be_finite_and_in_range(tmp_path, capsys, line, key):
    config = tmp_path / "c.toml"
    config.write_text(f"[fetch]\n{line}\n")
    assert main(["--config", str(config), "--db", str(tmp_path / "fw.db"), "prices"]) == 2
    error = capsys.readouterr().err
    assert key in error and len(error.strip().splitlines()) == 1
    assert not (tmp_path / "fw.db").exists()


def test_blend_weights_must_be_finite(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text("[analytics]\nblend_input_weight = inf\n")
    assert main(["--config", str(config), "prices"]) == 2
    assert "analytics.blend_input_weight" in capsys.readouterr().err


# ---------------------------------------------------------------- 6. databases that are not ours


def test_a_schema_migration_version_that_is_not_a_number_is_one_line(tmp_path, capsys):
    """Another tool's migrations table (text versions) where ours should be."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE schema_migration (version TEXT PRIMARY KEY, name TEXT, applied_at TEXT)"
        )
        connection.execute("INSERT INTO schema_migration VALUES ('20240101_init', 'init', '2024-01-01')")
        connection.execute("INSERT INTO schema_migration VALUES ('3', 'three', '2024-01-02')")
    before = path.read_bytes()
    for argv in (["prices"], ["fetch", "openrouter"], ["db", "upgrade"]):
        assert main(["--db", str(path), *argv]) == 2
        error = capsys.readouterr().err.strip()
        assert len(error.splitlines()) == 1 and "schema_migration" in error and "Traceback" not in error
    assert path.read_bytes() == before


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path, capsys):
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('keep me')")
    before = path.read_bytes()
    assert main(["--db", str(path), "prices"]) == 2
    error = capsys.readouterr().err
    assert "not a frontier-watch database" in error and "notes" in error
    assert path.read_bytes() == before


def test_an_empty_sqlite_file_is_taken(tmp_path, capsys):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert main(["--db", str(path), "prices", "--model", "gpt-4", "--json"]) == 0


# ---------------------------------------------------------------- 7. tokens only to the exact origin


@pytest.mark.parametrize(
    "next_url",
    [
        "https://openrouter.test:8443/api/v1/models?page=2",  # same host, another port
        "http://openrouter.test/api/v1/models?page=2",  # a downgrade to plain http
    ],
)
def test_a_token_goes_only_to_the_exact_origin(empty_engine, monkeypatch, next_url):
    monkeypatch.setenv("FW_TOKEN", "s3cret")
    spec = replace(
        load_catalogue()["openrouter"],
        url="https://openrouter.test/api/v1/models",
        options={"token_env": "FW_TOKEN"},
    )
    first = {
        "data": [{"id": "a/one", "name": "One", "pricing": {"prompt": "0.000001", "completion": "0.000002"}}],
        "links": {"next": next_url},
    }
    second = {
        "data": [{"id": "b/two", "name": "Two", "pricing": {"prompt": "0.000001", "completion": "0.000002"}}]
    }
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("Authorization")))
        return httpx.Response(200, json=first if "page=2" not in str(request.url) else second)

    summary = fetch_source(
        empty_engine, spec, NO_CROSSWALK, FetchOptions(transport=httpx.MockTransport(answer))
    )
    assert summary.status == "ok"
    assert seen[0][1] == "Bearer s3cret" and seen[1][1] is None


# ---------------------------------------------------------------- also seen


def test_a_price_below_the_stores_resolution_is_absurd_not_zero():
    with pytest.raises(PriceError, match="below"):
        per_token_to_per_mtok("1e-30")
    with pytest.raises(PriceError, match="below"):
        per_mtok("0.0000000001")
    assert per_token_to_per_mtok("0") == 0  # a real zero is still zero
    assert per_token_to_per_mtok("1e-15") == Decimal("1E-9")  # exactly one nano-dollar per million


def test_backoff_is_capped_per_wait_and_in_total(empty_engine):
    spec = replace(load_catalogue()["openrouter"], url="https://openrouter.test/models")
    sleeps: list[float] = []
    options = FetchOptions(
        transport=httpx.MockTransport(lambda request: httpx.Response(503)),
        retry=RetryPolicy(attempts=12, backoff_seconds=2, max_wait_seconds=60),
        sleep=sleeps.append,
    )
    summary = fetch_source(empty_engine, spec, NO_CROSSWALK, options)
    assert summary.status == "failed"
    assert max(sleeps) <= 60 and sum(sleeps) <= 300


@pytest.mark.parametrize("character", ["\u202e", "\u2028", "\u2029", "\u200f", "\u2066", "\u061c"])
def test_bidi_and_line_separators_never_reach_the_terminal_raw(character, capsys):
    assert character not in safe_text(f"evil{character}name")
    write_json([{"name": f"evil{character}name"}])
    out = capsys.readouterr().out
    assert character not in out and json.loads(out)[0]["name"] == "evil\ufffdname"


@pytest.mark.parametrize("url", ["HTTP://mirror.example.org/models", "Https://mirror.example.org/models"])
def test_an_upper_case_scheme_is_a_url(tmp_path, url):
    from frontier_watch.settings.config import load_settings

    config = tmp_path / "c.toml"
    config.write_text(f'[sources.openrouter]\nurl = "{url}"\n')
    assert load_settings(config).sources["openrouter"].url == url


@pytest.mark.parametrize(
    "url", ["http://[::1", "https://mirror.example.org/\u001b[31mred", "https://", "http:///path"]
)
def test_a_url_that_is_not_one_is_refused_when_the_config_loads(tmp_path, capsys, url):
    config = tmp_path / "c.toml"
    config.write_text(f"[sources.openrouter]\nurl = {json.dumps(url)}\n")
    assert main(["--config", str(config), "sources"]) == 2
    error = capsys.readouterr().err
    assert "sources.openrouter.url" in error and "\x1b" not in error


def test_a_cron_string_cannot_echo_an_escape_to_the_terminal(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text('[sources.openrouter]\nschedule = "\\u001b[2J * * * *"\n')
    assert main(["--config", str(config), "sources"]) == 2
    error = capsys.readouterr().err
    assert "sources.openrouter.schedule" in error and "\x1b" not in error


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_ctrl_c_or_sigterm_with_several_slow_sources_stops_marks_the_runs_interrupted_and_unlocks(
    tmp_path, signum, code
):
    """Two sources whose servers never finish: a signal must not wait for their downloads, and
    must leave no run marked running and no lock held (SIGTERM as Ctrl-C does)."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()
    answered: list[socket.socket] = []

    def stall() -> None:  # answer the headers, then drip forever
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
            )
            answered.append(connection)

    threading.Thread(target=stall, daemon=True).start()
    config = tmp_path / "c.toml"
    config.write_text(
        f'[sources.openrouter]\nurl = "http://127.0.0.1:{port}/a"\n[sources.litellm]\nurl = "http://127.0.0.1:{port}/b"\n'
        "[fetch]\ntimeout_seconds = 60\n"
    )
    db = tmp_path / "fw.db"
    # `frontier-watch` as a terminal starts it, whatever started this test: a background job
    # of a script (as CI may run the suite) inherits SIGINT ignored, and so would the command.
    as_from_a_terminal = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from frontier_watch.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            as_from_a_terminal,
            "--config",
            str(config),
            "--db",
            str(db),
            "fetch",
            "openrouter",
            "litellm",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "FRONTIER_WATCH_HOME": str(tmp_path / "home")},
    )
    try:
        deadline = time.monotonic() + 60
        while len(answered) < 2:  # both downloads under way, their headers read
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the two downloads never began"
            time.sleep(0.05)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)  # a deadline, not a speed: see bench/stopping.py
        assert process.returncode == code, err
        assert b"Traceback" not in err
        with sqlite3.connect(db) as connection:
            runs = connection.execute("SELECT status, error FROM fetch_run").fetchall()
        assert len(runs) == 2
        assert all(status == "failed" and "interrupted" in error for status, error in runs), runs
        assert (tmp_path / "fw.db.fetch.lock").read_text() == ""  # released on the way out, not left
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
        process.communicate()
        for connection in answered:
            connection.close()
        listener.close()
