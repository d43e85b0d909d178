"""Compute and infrastructure signals end to end: the Epoch specs, a feed and the curated source
fetched over a real HTTP server on 127.0.0.1, then read, added, reviewed and traced with the CLI."""

import csv
import io
import json
import sqlite3
from datetime import date

import polars as pl
import pytest
from conftest import FIXTURES
from fixture_server import fixture_server

from frontier_watch.analytics.compute import largest_to_date, value_as_of
from frontier_watch.cli import main
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.settings.paths import data_dir
from frontier_watch.store import signal_reads
from frontier_watch.store.frames import signal_frame
from frontier_watch.store.opening import open_reader

EPOCH = FIXTURES / "epoch"
FEED = (FIXTURES / "feeds/feed_anthropic_news.sample.xml").read_bytes()
CSV = {"Content-Type": "text/csv"}
XML = {"Content-Type": "application/rss+xml"}
ROUTES = {
    "epoch-gpu-clusters": "/epoch/gpu_clusters.csv",
    "epoch-data-centers": "/epoch/data_centers/data_center_timelines.csv",
    "epoch-hardware": "/epoch/ml_hardware.csv",
    "epoch-models": "/epoch/notable_ai_models.csv",
    "anthropic-news": "/feeds/anthropic.xml",
}
FILES = {
    "epoch-gpu-clusters": "gpu_clusters.sample.csv",
    "epoch-data-centers": "data_center_timelines.csv",
    "epoch-hardware": "ml_hardware.sample.csv",
    "epoch-models": "notable_ai_models_2025-04.sample.csv",
}
EPOCH_SPECS = tuple(FILES)


@pytest.fixture
def served(tmp_path):
    with fixture_server() as server:
        for source_id, name in FILES.items():
            server.serve(ROUTES[source_id], (EPOCH / name).read_bytes(), **CSV)
        server.serve(ROUTES["anthropic-news"], FEED, **XML)
        sections = [f'[database]\nurl = "{tmp_path / "fw.db"}"\n\n[fetch]\nattempts = 1\n']
        for source_id in sorted(load_catalogue()):
            if source_id in ROUTES:
                sections.append(f'[sources.{source_id}]\nurl = "{server.url(ROUTES[source_id])}"\n')
            elif source_id != "curated":  # every other source is off: nothing leaves 127.0.0.1
                sections.append(f"[sources.{source_id}]\nenabled = false\n")
        config = tmp_path / "config.toml"
        config.write_text("\n".join(sections), encoding="utf-8")
        yield server, config, tmp_path / "fw.db"


def run(config, *argv, capsys):
    code = main(["--config", str(config), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fetch(config, *sources, capsys):
    code, out, _ = run(config, "fetch", "--json", *sources, capsys=capsys)
    return code, {summary["source_id"]: summary for summary in json.loads(out)}


def signals_json(config, *argv, capsys):
    code, out, err = run(config, "signals", "--json", *argv, capsys=capsys)
    assert code == 0, err
    return json.loads(out)


def counts(db):
    with sqlite3.connect(db) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("signal", "signal_history", "release", "feed_item", "offering", "price_interval")
        }


def rewrite_csv(name, change, drop_column=None):
    text = (EPOCH / name).read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = [column for column in rows[0] if column != drop_column]
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        change(row)
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- Epoch over HTTP


def test_each_epoch_spec_is_fetched_and_stored(served, capsys):
    server, config, db = served
    code, summaries = fetch(config, *EPOCH_SPECS, capsys=capsys)
    assert code == 0
    assert {source: summary["status"] for source, summary in summaries.items()} == dict.fromkeys(
        EPOCH_SPECS, "ok"
    )
    assert summaries["epoch-gpu-clusters"]["records"] == 27
    assert "23 planned clusters have no operational date" in summaries["epoch-gpu-clusters"]["error"]
    assert summaries["epoch-data-centers"]["records"] == 334
    assert summaries["epoch-hardware"]["records"] == 106
    assert summaries["epoch-models"]["records"] == 29
    assert {path for path, _ in server.requests} == {ROUTES[source] for source in EPOCH_SPECS}
    code, out, _ = run(config, "sources", "--json", capsys=capsys)
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["epoch-data-centers"]["signals"] == 334 and rows["epoch-models"]["releases"] == 29
    assert rows["curated"]["url"] is None and rows["curated"]["signals"] == 95


def test_signals_category_cluster_lists_colossus_at_100k_gpus_with_source_and_evidence(served, capsys):
    _, config, _ = served
    fetch(config, "epoch-gpu-clusters", capsys=capsys)
    rows = signals_json(config, "--category", "cluster", capsys=capsys)
    curated = [row for row in rows if row["source"] == "curated" and row["metric"] == "GPUs"]
    [colossus] = [row for row in curated if row["entity"] == "xAI"]
    assert colossus["value"] == 100000 and colossus["unit"] == "NVIDIA H100 GPUs"
    assert colossus["evidence"] == "vendor-claim"  # Musk's post, never shown as independent
    assert colossus["source_url"].startswith("https://x.com/elonmusk")
    assert colossus["date"] == "2024-09-02" and colossus["origin"] == "curated"
    assert colossus["history"] == []
    [epoch] = [
        row for row in rows if row["item"] == "xAI Colossus Memphis Phase 1" and row["metric"] == "chips"
    ]
    assert epoch["value"] == 100000 and epoch["source"] == "epoch-gpu-clusters"
    assert epoch["evidence"] == "independent-estimate"
    assert epoch["source_url"].endswith(ROUTES["epoch-gpu-clusters"])
    assert epoch["confidence"] == "high"
    vendor = signals_json(config, "--category", "cluster", "--evidence", "vendor-claim", capsys=capsys)
    assert vendor and all(row["evidence"] == "vendor-claim" for row in vendor)


def test_fetching_the_same_data_again_adds_nothing(served, capsys):
    _, config, db = served
    fetch(config, *EPOCH_SPECS, "anthropic-news", capsys=capsys)
    before = counts(db)
    code, summaries = fetch(config, *EPOCH_SPECS, "anthropic-news", capsys=capsys)
    assert code == 0
    assert all(summary["new"] == 0 and summary["changed"] == 0 for summary in summaries.values()), summaries
    assert summaries["epoch-data-centers"]["unchanged"] == 334
    assert counts(db) == before
    assert before["signal_history"] == 0


def test_a_changed_epoch_row_updates_its_signal_and_keeps_the_old_value(served, capsys):
    server, config, db = served
    fetch(config, "epoch-gpu-clusters", capsys=capsys)

    def revise(row):
        if row["Name"] == "xAI Colossus Memphis Phase 1":
            row["H100 equivalents"] = "120000"

    server.serve(ROUTES["epoch-gpu-clusters"], rewrite_csv("gpu_clusters.sample.csv", revise), **CSV)
    code, summaries = fetch(config, "epoch-gpu-clusters", capsys=capsys)
    assert code == 0
    assert (summaries["epoch-gpu-clusters"]["changed"], summaries["epoch-gpu-clusters"]["new"]) == (1, 0)
    [changed] = signals_json(config, "--history", capsys=capsys)
    assert (changed["item"], changed["metric"], changed["value"]) == (
        "xAI Colossus Memphis Phase 1",
        "H100 equivalents",
        120000,
    )
    [before] = changed["history"]
    assert before["value"] == 100000 and before["evidence"] == "independent-estimate"
    assert before["in_force_from"] == changed["first_seen_at"]
    assert before["replaced_at"] == changed["last_seen_at"]
    code, out, _ = run(config, "signals", "--history", capsys=capsys)
    lines = [line for line in out.splitlines() if "Colossus Memphis Phase 1" in line]
    assert "now" in lines[0] and "120000" in lines[0]
    assert "until " in lines[1] and "100000" in lines[1]
    # the same revised file again changes nothing more
    assert fetch(config, "epoch-gpu-clusters", capsys=capsys)[1]["epoch-gpu-clusters"]["changed"] == 0
    assert counts(db)["signal_history"] == 1


def test_a_removed_column_fails_the_source_and_keeps_the_database(served, capsys):
    server, config, db = served
    fetch(config, "epoch-data-centers", capsys=capsys)
    before = counts(db)
    dropped = rewrite_csv("data_center_timelines.csv", lambda row: None, drop_column="Power (MW)")
    server.serve(ROUTES["epoch-data-centers"], dropped, **CSV)
    code, summaries = fetch(config, "epoch-data-centers", capsys=capsys)
    assert code == 1
    summary = summaries["epoch-data-centers"]
    assert summary["status"] == "failed"
    assert "column 'Power (MW)' missing from the header" in summary["error"]
    assert counts(db) == before


def test_notable_models_in_both_layouts_enrich_the_releases(served, capsys):
    server, config, _ = served
    fetch(config, "epoch-models", capsys=capsys)
    server.serve(ROUTES["epoch-models"], (EPOCH / "notable_ai_models_2026-05.sample.csv").read_bytes(), **CSV)
    code, summaries = fetch(config, "epoch-models", capsys=capsys)
    assert code == 0 and summaries["epoch-models"]["new"] == 12
    code, out, _ = run(config, "releases", "--json", "--lab", "DeepSeek", capsys=capsys)
    epoch = {row["model"]: row for row in json.loads(out) if row["source"] == "epoch-models"}
    r1 = epoch["DeepSeek-R1"]
    assert r1["model_id"] == "deepseek-r1"  # the crosswalk knows it
    assert (r1["date"], r1["open_weights"], r1["total_params_b"]) == ("2025-01-20", "yes", 671)
    assert r1["training_compute_flop"] == 5.17e24
    assert r1["evidence"] == "independent-estimate" and r1["source_url"].endswith(ROUTES["epoch-models"])
    assert r1["paper_or_report"] == "https://api-docs.deepseek.com/news/news250120"
    assert epoch["DeepSeek-V4-Pro"]["date"] == "2026-04-24"  # from the 47-column file
    code, out, _ = run(config, "releases", "--json", "--lab", "LG AI", capsys=capsys)
    exaone = {row["model"]: row for row in json.loads(out)}
    assert exaone["EXAONE Deep 32B"]["model_id"] is None  # no crosswalk entry: no made-up id


# ---------------------------------------------------------------- the data a trend needs


def test_per_site_power_over_time_and_the_largest_cluster_at_each_date(served, capsys):
    _, config, db = served
    fetch(config, "epoch-gpu-clusters", "epoch-data-centers", capsys=capsys)
    with open_reader(str(db)) as reader:
        colossus = signal_reads.site_power(reader, "Colossus 1")
        sites = signal_reads.site_power(reader)
        clusters = signal_reads.cluster_sizes(reader)
    assert {row["item"] for row in colossus} == {"xAI Colossus 1 Memphis Tennessee"}
    assert [row["date"] for row in colossus] == sorted(row["date"] for row in colossus)
    assert all(row["unit"] == "MW" and row["evidence"] == "independent-estimate" for row in colossus)
    assert len({row["item"] for row in sites}) == 16

    largest = largest_to_date(signal_frame(clusters))
    holders = {row["date"]: (row["item"], row["value"]) for row in largest.iter_rows(named=True)}
    assert holders[date(2024, 8, 28)] == ("CoreWeave H200s", 42000.0)
    assert holders[date(2024, 9, 2)] == ("xAI Colossus Memphis Phase 1", 100000.0)
    # Goodyear reached 100k on 2024-10-02 too: the first to reach a size keeps the record
    assert holders[date(2024, 10, 2)] == ("xAI Colossus Memphis Phase 1", 100000.0)
    assert holders[date(2025, 2, 18)] == ("xAI Colossus Memphis Phase 2", 200000.0)
    assert holders[date(2025, 7, 22)] == ("xAI Colossus Memphis Phase 3", 275795.8565)
    assert set(largest["evidence"]) == {"independent-estimate"}

    power = value_as_of(signal_frame(sites), [date(2025, 1, 1), date(2026, 1, 1)])
    total = dict(power.group_by("date").agg(pl.col("value").sum()).iter_rows())
    assert total[date(2025, 1, 1)] == sum(
        row["value"]
        for row in power.iter_rows(named=True)
        if row["date"] == date(2025, 1, 1) and row["value"]
    )
    colossus_then = power.filter(pl.col("item") == "xAI Colossus 1 Memphis Tennessee")["value"].to_list()
    assert colossus_then == [174.0, 498.0]  # as of 2025-01-01 (2024-11-12 row) and 2026-01-01
    assert 0 < total[date(2025, 1, 1)] < total[date(2026, 1, 1)]


# ---------------------------------------------------------------- feeds


def test_a_feed_gives_unreviewed_items_that_review_turns_into_signals(served, capsys):
    _, config, db = served
    code, summaries = fetch(config, "anthropic-news", capsys=capsys)
    assert code == 0 and summaries["anthropic-news"]["new"] == 3
    items = signals_json(config, "--unreviewed", capsys=capsys)
    assert [item["published_at"][:10] for item in items] == ["2026-05-06", "2026-04-20", "2026-04-06"]
    amazon = items[1]
    assert amazon["title"] == "Anthropic and Amazon expand collaboration for up to 5 gigawatts of new compute"
    assert amazon["matched"] == ["gigawatt", "compute"]
    assert amazon["source"] == "anthropic-news" and amazon["reviewed_at"] is None
    # feed items are listed apart: plain signals never include them
    assert not [row for row in signals_json(config, capsys=capsys) if row["source"] == "anthropic-news"]

    code, out, err = run(
        config,
        *("signals", "review", str(amazon["id"]), "--json", "--evidence", "official-announcement"),
        *("--category", "power", "--metric", "power capacity (up to)", "--value", "5", "--unit", "GW"),
        capsys=capsys,
    )
    assert code == 0, err
    [signal] = json.loads(out)
    assert (signal["entity"], signal["date"], signal["value"], signal["unit"]) == (
        "Anthropic",
        "2026-04-20",
        5,
        "GW",
    )
    assert signal["source_url"] == "https://www.anthropic.com/news/anthropic-amazon-compute"
    assert (signal["source"], signal["origin"], signal["evidence"]) == (
        "anthropic-news",
        "user",
        "official-announcement",
    )
    assert signal["item"] == amazon["title"]
    assert len(signals_json(config, "--unreviewed", capsys=capsys)) == 2
    power = signals_json(config, "--category", "power", "--entity", "Anthropic", capsys=capsys)
    assert signal["id"] in [row["id"] for row in power]

    code, _, err = run(config, "signals", "review", str(amazon["id"]), "--dismiss", capsys=capsys)
    assert code == 2 and f"feed item {amazon['id']} was reviewed on" in err
    code, _, err = run(config, "signals", "review", str(items[0]["id"]), "--dismiss", capsys=capsys)
    assert code == 0
    assert len(signals_json(config, "--unreviewed", capsys=capsys)) == 1
    # a new fetch of the same feed adds nothing and undoes no review
    code, summaries = fetch(config, "anthropic-news", capsys=capsys)
    assert summaries["anthropic-news"]["new"] == 0
    assert len(signals_json(config, "--unreviewed", capsys=capsys)) == 1
    code, _, err = run(config, "signals", "review", "99999", "--dismiss", capsys=capsys)
    assert code == 2 and "no feed item 99999" in err


def test_review_refuses_a_signal_without_an_evidence_class(served, capsys):
    _, config, db = served
    fetch(config, "anthropic-news", capsys=capsys)
    item = signals_json(config, "--unreviewed", capsys=capsys)[0]
    before = counts(db)
    code, _, err = run(config, "signals", "review", str(item["id"]), "--category", "power", capsys=capsys)
    assert code == 2 and "give --evidence and --category" in err
    code, _, err = run(
        config,
        *("signals", "review", str(item["id"]), "--evidence", "rumor", "--category", "power", "--value", "5"),
        capsys=capsys,
    )
    assert code == 2 and "missing --metric, --unit" in err
    assert counts(db) == before
    assert len(signals_json(config, "--unreviewed", capsys=capsys)) == 3


def hostile_feeds(tmp_path, server):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-GPU-COUNT")
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    return secret, {
        "billion laughs": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
            "<rss version='2.0'><channel><item><title>GPU &l9;</title><guid>a</guid></item></channel></rss>"
        ).encode(),
        "external file entity": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            "<rss version='2.0'><channel><item><title>GPU &xxe;</title><guid>b</guid></item></channel></rss>"
        ).encode(),
        "external http entity": (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "{server.url("/evil")}">]>'
            "<rss version='2.0'><channel><item><title>GPU &xxe;</title><guid>c</guid></item></channel></rss>"
        ).encode(),
        "external DTD": (
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{server.url("/evil.dtd")}">'
            "<rss version='2.0'><channel><item><title>GPU</title><guid>d</guid></item></channel></rss>"
        ).encode(),
    }


def test_hostile_feeds_are_refused_and_leave_the_database_intact(served, capsys, tmp_path):
    server, config, db = served
    fetch(config, "anthropic-news", capsys=capsys)
    before = counts(db)
    secret, documents = hostile_feeds(tmp_path, server)
    for name, document in documents.items():
        server.serve(ROUTES["anthropic-news"], document, **XML)
        code, summaries = fetch(config, "anthropic-news", capsys=capsys)
        summary = summaries["anthropic-news"]
        assert code == 1 and summary["status"] == "failed", name
        assert "refused: the document declares a DTD or entities" in summary["error"], name
        assert "TOP-SECRET" not in summary["error"]
        assert counts(db) == before, name
    assert not [path for path, _ in server.requests if path.startswith("/evil")]  # nothing resolved
    assert b"TOP-SECRET" not in db.read_bytes()
    assert len(signals_json(config, "--unreviewed", capsys=capsys)) == 3


# ---------------------------------------------------------------- signals add


ADD = (
    *("signals", "add", "--date", "2026-03-01", "--entity", "xAI", "--category", "cluster"),
    *(
        "--metric",
        "GPUs",
        "--value",
        "200000",
        "--unit",
        "NVIDIA H100/H200 GPUs",
        "--evidence",
        "vendor-claim",
    ),
)


def test_signals_add_without_a_source_url_is_refused_with_a_clear_message(served, capsys):
    _, config, db = served
    run(config, "signals", "--json", capsys=capsys)  # the database exists, seeded
    before = counts(db)
    code, out, err = run(config, *ADD, capsys=capsys)
    assert code == 2 and out == ""
    assert "missing --source-url (every signal carries the URL it comes from)" in err
    assert counts(db) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--source-url", "x.ai/news"), "--source-url: expected an http(s) URL"),
        (
            ("--source-url", "https://x.ai/news", "--evidence", "hearsay"),
            "--evidence 'hearsay' is not one of",
        ),
        (("--source-url", "https://x.ai/news", "--category", "vibes"), "--category 'vibes' is not one of"),
        (("--source-url", "https://x.ai/news", "--date", "2999-01-01"), "is in the future"),
        (("--source-url", "https://x.ai/news", "--value", "-5"), "--value -5 is negative"),
    ],
)
def test_signals_add_refuses_bad_values(served, capsys, change, message):
    _, config, db = served
    run(config, "signals", "--json", capsys=capsys)
    before = counts(db)
    code, _, err = run(config, *ADD, *change, capsys=capsys)
    assert code == 2 and message in err
    assert counts(db) == before


def test_signals_add_logs_a_signal_by_hand_and_a_correction_keeps_history(served, capsys):
    _, config, _ = served
    code, out, err = run(config, *ADD, "--source-url", "https://x.ai/news/colossus", "--json", capsys=capsys)
    assert code == 0, err
    [added] = json.loads(out)
    assert (added["origin"], added["source"], added["evidence"]) == ("user", "user", "vendor-claim")
    assert (added["item"], added["value"], added["source_url"]) == (
        "GPUs",
        200000,
        "https://x.ai/news/colossus",
    )
    code, out, _ = run(config, *ADD, "--source-url", "https://x.ai/news/colossus", capsys=capsys)
    assert "already stored with these values" in out
    fixed = [*ADD[:-6], "--value", "230000", *ADD[-4:], "--source-url", "https://x.ai/news/colossus"]
    code, out, _ = run(config, *fixed, capsys=capsys)
    assert code == 0 and f"signal {added['id']} updated" in out
    [changed] = signals_json(config, "--history", "--entity", "xAI", capsys=capsys)
    assert changed["value"] == 230000 and [old["value"] for old in changed["history"]] == [200000]


# ---------------------------------------------------------------- the curated source


def team_log(change) -> bytes:
    text = (data_dir() / "signals.csv").read_text(encoding="utf-8")
    return change(text).encode("utf-8")


def test_the_curated_source_reads_a_teams_log_from_its_url(served, capsys):
    server, config, db = served
    extra = (
        "2026-11-02,day,power,Example Lab,Example campus energised,power capacity,300,,MW,"
        "https://example.org/news/campus,official-announcement,,medium,\n"
    )

    def edit(text):
        return (
            text.replace(
                "Colossus build time from start to online,build time,122,",
                "Colossus build time from start to online,build time,120,",
            )
            + extra
        )

    server.serve("/team/signals.csv", team_log(edit), **CSV)
    config.write_text(
        config.read_text() + f'\n[sources.curated]\nurl = "{server.url("/team/")}"\n', encoding="utf-8"
    )
    code, summaries = fetch(config, capsys=capsys)  # named or not, a curated source with a url is fetched
    summary = summaries["curated"]
    assert code == 0 and summary["status"] == "ok"
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (1, 1, 94)
    [changed] = signals_json(config, "--history", capsys=capsys)
    assert changed["item"] == "Colossus build time from start to online"
    assert changed["value"] == 120 and changed["history"][0]["value"] == 122
    [new] = signals_json(config, "--entity", "Example Lab", capsys=capsys)
    assert new["source"] == "curated" and new["source_url"] == "https://example.org/news/campus"


def test_a_teams_log_is_validated_as_the_shipped_one(served, capsys):
    server, config, db = served
    config.write_text(
        config.read_text() + f'\n[sources.curated]\nurl = "{server.url("/team/signals.csv")}"\n',
        encoding="utf-8",
    )
    server.serve(
        "/team/signals.csv", team_log(lambda text: text.replace(",vendor-claim,", ",gossip,", 1)), **CSV
    )
    run(config, "signals", "--json", capsys=capsys)
    before = counts(db)
    code, summaries = fetch(config, "curated", capsys=capsys)
    assert code == 1
    error = summaries["curated"]["error"]
    assert "/team/signals.csv:2: evidence 'gossip' is not one of" in error
    assert counts(db) == before


def test_the_curated_source_without_a_url_uses_the_shipped_copy(served, capsys):
    _, config, _ = served
    code, summaries = fetch(config, capsys=capsys)
    assert "curated" not in summaries  # nothing to download: passed over
    code, summaries = fetch(config, "curated", capsys=capsys)
    assert code == 0 and summaries["curated"]["records"] == 0
    assert "the shipped copy is used" in summaries["curated"]["error"]
