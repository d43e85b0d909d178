"""trends, compare, changes and import on the shipped data, as a writer runs them."""

import csv
import json
import sqlite3
from datetime import date

import pytest

from frontier_watch.cli import main


def run(db, capsys, *args):
    try:
        code = main(["--db", str(db), *args])
    except SystemExit as exc:  # argparse refuses a value: usage, then the error line
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(db, capsys, *args):
    code, out, err = run(db, capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_r1_against_o1_reproduces_the_27x_on_output(seeded_db_path, capsys):
    data = run_json(seeded_db_path, capsys, "compare", "deepseek-r1", "o1", "--as-of", "2025-02-01")
    assert 25 <= data["ratio_b_over_a"]["output"] <= 30
    assert data["a"]["model_id"] == "deepseek-r1" and data["b"]["model_id"] == "o1"
    assert data["a"]["price_basis"] == data["b"]["price_basis"] == "first-party"
    assert data["b"]["output_usd_per_mtok"] == 60
    code, out, _ = run(seeded_db_path, capsys, "compare", "deepseek-r1", "o1", "--as-of", "2025-02-01")
    assert code == 0 and "output 27.4x" in out


def test_compare_says_when_a_model_has_no_price_that_day(seeded_db_path, capsys):
    code, _, err = run(seeded_db_path, capsys, "compare", "deepseek-r1", "o1", "--as-of", "2020-01-01")
    assert code == 2 and "no price for 'deepseek-r1' in force on 2020-01-01" in err


def test_gpt4_level_gpqa_is_within_an_order_of_epochs_40x_and_printed_beside_ours(seeded_db_path, capsys):
    args = ("trends", "capability", "--benchmark", "gpqa_diamond", "--threshold", "35.7", "--method", "epoch")
    data = run_json(seeded_db_path, capsys, *args)
    # With the 90-day price-lag window the shipped data gives about 18x (31x without it).
    assert 40 / 10 <= data["factor_per_year"] <= 40 * 2
    assert data["ci_low"] < data["factor_per_year"] < data["ci_high"]
    assert data["method"] == "epoch" and data["start"] < data["end"]
    assert {"date", "model_id", "blended_usd_per_mtok", "score", "source"} <= set(data["points"][0])
    assert all(point["score"] >= 35.7 for point in data["points"])
    prices = [point["blended_usd_per_mtok"] for point in data["points"]]
    assert prices == sorted(prices, reverse=True)  # the frontier only falls
    epoch = [claim for claim in data["published"] if claim["applies"] == "this benchmark"]
    assert [(claim["source"], claim["value"]) for claim in epoch] == [("Epoch AI", 40.0)]
    assert epoch[0]["source_url"].startswith("https://epoch.ai/") and epoch[0]["how_ours_differs"]
    code, out, _ = run(seeded_db_path, capsys, *args)
    assert code == 0
    assert f"ours: {data['factor_per_year']:.3g}x cheaper a year" in out
    assert "published: Epoch AI 40 x per year [this benchmark] https://epoch.ai/" in out


def test_mmlu_83_is_printed_beside_a16z(seeded_db_path, capsys):
    code, out, _ = run(
        seeded_db_path, capsys, "trends", "capability", "--benchmark", "mmlu", "--threshold", "83"
    )
    assert code == 0
    assert "ours: " in out and "published: a16z (Andreessen Horowitz) 10 x per year [this benchmark]" in out
    data = run_json(
        seeded_db_path,
        capsys,
        "trends",
        "capability",
        "--benchmark",
        "mmlu",
        "--threshold",
        "83",
        "--method",
        "a16z",
    )
    assert 5 <= data["factor_per_year"] <= 20  # a16z's own method lands near its 10x
    assert data["blend"] == "1:1 input:output"


def test_an_impossible_threshold_is_a_message_not_a_crash(seeded_db_path, capsys):
    data = run_json(
        seeded_db_path, capsys, "trends", "capability", "--benchmark", "mmlu", "--threshold", "99.5"
    )
    assert data["factor_per_year"] is None and data["points"] == []
    assert "no model scores 99.5 or more on mmlu" in data["message"]


def test_one_point_is_a_message_not_a_crash(seeded_db_path, capsys):
    data = run_json(
        seeded_db_path,
        capsys,
        "trends",
        "capability",
        "--benchmark",
        "mmlu",
        "--threshold",
        "83",
        "--since",
        "2023-03-14",
        "--until",
        "2023-03-20",
    )
    assert data["factor_per_year"] is None and len(data["points"]) == 1
    assert "at least two dates" in data["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--benchmark", "hellaswag", "--threshold", "80"),
            "no scores for benchmark 'hellaswag'; known benchmarks:",
        ),
        (("--benchmark", "mmlu", "--threshold", "high"), "'high': give a score"),
        (("--benchmark", "mmlu", "--threshold", "80", "--blend", "3"), "give input:output weights"),
        (
            ("--benchmark", "mmlu", "--threshold", "80", "--since", "2025-01-01", "--until", "2024-01-01"),
            "is after --until",
        ),
    ],
)
def test_bad_trend_arguments_are_one_line_errors(seeded_db_path, capsys, args, message):
    code, out, err = run(seeded_db_path, capsys, "trends", "capability", *args)
    assert code == 2 and message in err.strip().splitlines()[-1]


def test_a_model_trend_lists_every_change_with_its_source(seeded_db_path, capsys):
    data = run_json(seeded_db_path, capsys, "trends", "model", "gpt-4o-mini")
    assert data["model_id"] == "gpt-4o-mini" and data["changes"]
    assert data["first"]["blended_usd_per_mtok"] == pytest.approx(0.2625)
    assert all(change["source"] for change in data["changes"])
    code, _, err = run(seeded_db_path, capsys, "trends", "model", "no-such-model-x")
    assert code == 2 and "no prices for 'no-such-model-x'" in err


def test_release_and_compute_trends(seeded_db_path, capsys):
    releases = run_json(seeded_db_path, capsys, "trends", "releases")
    assert releases["releases"] >= 40
    assert all(0 <= row["open_share"] <= 1 for row in releases["open_weight_share"])
    assert {row["license_class"] for row in releases["licence_mix"]} >= {"permissive", "proprietary"}
    compute = run_json(seeded_db_path, capsys, "trends", "compute")
    gpus = next(item for item in compute["largest"] if item["measure"] == "GPUs in one cluster")
    # Colossus rests on a vendor's claim: set apart by default, fitted with --all-evidence.
    assert any(record["value"] == 100000 and "Colossus" in record["item"] for record in gpus["set_apart"])
    assert gpus["factor_per_year"] > 1 and gpus["doubling_years"] > 0
    every = run_json(seeded_db_path, capsys, "trends", "compute", "--all-evidence")
    gpus = next(item for item in every["largest"] if item["measure"] == "GPUs in one cluster")
    assert any(record["value"] == 100000 and "Colossus" in record["item"] for record in gpus["records"])
    assert gpus["set_apart"] == []
    assert any(row["entity"] == "Meta" for row in compute["capex_per_company_year"])


def test_changes_digest_in_text_markdown_and_json(seeded_db_path, capsys):
    data = run_json(seeded_db_path, capsys, "changes", "--since", "2026-06-20")
    # a price change is the model's (gpt-oss-120b at SambaNova), not one source's offering
    [change] = [
        row
        for row in data["price_changes"]
        if (row["model_id"], row["provider"], row["tier"]) == ("gpt-oss-120b", "SambaNova", "default")
    ]
    assert (change["old_input_usd_per_mtok"], change["new_input_usd_per_mtok"]) == (3, 0.22)
    assert change["input_change_pct"] == pytest.approx(-92.67, abs=0.01)
    assert change["date"] == "2026-06-26" and change["sources"] == ["litellm"]
    assert all(row["date"] >= "2026-06-20" for row in data["price_changes"])
    code, markdown, _ = run(seeded_db_path, capsys, "changes", "--since", "2026-06-20", "--format", "md")
    assert code == 0 and markdown.startswith("# What changed from 2026-06-20")
    assert (
        "## Price changes" in markdown
        and "- 2026-06-26 gpt-oss-120b at SambaNova: input $3 -> $0.22" in markdown
    )
    # the last day: only what is declared for later days (scheduled), if anything
    code, text, _ = run(seeded_db_path, capsys, "changes", "--since", "1d")
    lines = [line for line in text.splitlines()[1:] if line.startswith("  ")]
    assert code == 0 and all("[scheduled]" in line for line in lines)
    assert "Nothing changed in this window" in text or "Price changes" in text
    code, text, _ = run(seeded_db_path, capsys, "changes", "--since", "2100-01-01")
    assert code == 0 and "Nothing changed in this window" in text
    code, _, err = run(seeded_db_path, capsys, "changes", "--since", "last tuesday")
    assert code == 2 and "give a number of days" in err


def test_chart_in_a_pipe_has_no_colour_codes_and_saves_to_files(seeded_db_path, capsys, tmp_path):
    args = ("trends", "capability", "--benchmark", "gpqa_diamond", "--threshold", "35.7", "--chart")
    code, out, _ = run(seeded_db_path, capsys, *args, "--save-chart", str(tmp_path / "chart.txt"))
    assert code == 0 and "\x1b[" not in out and "┤" in out and "2024-" in out
    saved = (tmp_path / "chart.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in saved and "cheaper/yr" in saved
    code, _, _ = run(seeded_db_path, capsys, *args[:-1], "--save-chart", str(tmp_path / "chart.html"))
    assert code == 0 and "<html" in (tmp_path / "chart.html").read_text(encoding="utf-8").lower()
    code, _, err = run(seeded_db_path, capsys, *args[:-1], "--save-chart", str(tmp_path / "chart.png"))
    assert code == 2 and "give a file ending in .txt, .html, .ansi" in err


PRICE_HEADER = [
    "source",
    "provider",
    "offering_id",
    "name",
    "model_id",
    "lab",
    "tier",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "effective_from",
    "effective_to",
    "basis",
    "source_url",
    "evidence",
]


def write_csv(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def price_header(seeded_db_path):
    from frontier_watch.sources.curated import PRICE_COLUMNS

    return list(PRICE_COLUMNS)


def user_price_row(header, **values):
    row = dict.fromkeys(header, "")
    row.update(
        source="mine",
        provider="OpenAI",
        offering_id="o1",
        name="o1",
        tier="default",
        input_usd_per_mtok="12",
        output_usd_per_mtok="48",
        effective_from="2026-10-01",
        basis="curated",
        source_url="https://example.com/my-notes",
        evidence="official-announcement",
    )
    row.update(values)
    return [row[column] for column in header]


def test_import_prices_as_source_user_and_run_a_comparison_on_them(seeded_db_path, capsys, tmp_path):
    header = price_header(seeded_db_path)
    path = write_csv(tmp_path / "mine.csv", header, [user_price_row(header)])
    code, out, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 0, err
    assert "imported 1 prices row from" in out and "(source user)" in out
    rows = run_json(seeded_db_path, capsys, "prices", "--source", "user")
    assert [(row["model_id"], row["input_usd_per_mtok"], row["output_usd_per_mtok"]) for row in rows] == [
        ("o1", 12, 48)
    ]


def test_a_bad_import_is_one_line_and_stores_nothing(seeded_db_path, capsys, tmp_path):
    header = price_header(seeded_db_path)
    good = user_price_row(header)
    bad = user_price_row(header, offering_id="o3", input_usd_per_mtok="-4")
    path = write_csv(tmp_path / "mine.csv", header, [good, bad])
    before = sqlite3.connect(seeded_db_path).execute("SELECT count(*) FROM price_interval").fetchone()
    code, _, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 2 and f"{path}:3:" in err and len(err.strip().splitlines()) == 1
    assert sqlite3.connect(seeded_db_path).execute("SELECT count(*) FROM price_interval").fetchone() == before
    for name, content, message in (
        ("nothing.csv", "", "the file is empty"),
        ("odd.csv", "a,b,c\n1,2,3\n", "cannot tell what the file holds"),
    ):
        (tmp_path / name).write_text(content, encoding="utf-8")
        code, _, err = run(seeded_db_path, capsys, "import", str(tmp_path / name))
        assert code == 2 and message in err
    code, _, err = run(seeded_db_path, capsys, "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "no such file" in err


def test_import_signals_and_benchmark_scores(seeded_db_path, capsys, tmp_path):
    from frontier_watch.settings.paths import data_dir

    signal_header = next(csv.reader((data_dir() / "signals.csv").open(encoding="utf-8")))
    row = dict.fromkeys(signal_header, "")
    row.update(
        date="2026-11-01",
        date_precision="day",
        category="cluster",
        entity="Example Lab",
        item="Example cluster of 50k GPUs",
        metric="GPUs",
        value="50000",
        unit="GPUs",
        source_url="https://example.com/cluster",
        evidence="press-report",
    )
    path = write_csv(tmp_path / "signals.csv", signal_header, [[row[c] for c in signal_header]])
    code, out, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 0, err
    found = run_json(seeded_db_path, capsys, "signals", "--entity", "Example Lab")
    assert [(s["value"], s["source"]) for s in found] == [(50000.0, "user")]

    bench_header = next(csv.reader((data_dir() / "benchmarks.csv").open(encoding="utf-8")))
    row = dict.fromkeys(bench_header, "")
    row.update(
        model="My Model",
        model_id="my-model",
        benchmark="mmlu",
        score="91.5",
        source_url="https://example.com/eval",
        evidence="independent-estimate",
    )
    path = write_csv(tmp_path / "bench.csv", bench_header, [[row[c] for c in bench_header]])
    code, out, err = run(seeded_db_path, capsys, "import", str(path))
    assert code == 0 and "imported 1 benchmarks row" in out
    note = (
        sqlite3.connect(seeded_db_path)
        .execute("SELECT score, notes FROM benchmark_score WHERE model = 'My Model'")
        .fetchone()
    )
    assert note == (91.5, "imported by the user from bench.csv")


@pytest.mark.parametrize(
    ("threshold", "headline"), [(35.7, "cheaper a year (90% interval "), (50.0, "too few points")]
)
def test_the_cli_and_the_dashboard_word_a_capability_trend_alike(seeded_db_path, capsys, threshold, headline):
    """One text per report: `trends capability` and the dashboard's Trends caption give the
    same rate, interval and published figures (or the same reason for no rate), in the same words."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.store.opening import open_reader
    from frontier_watch.tui import trend_reports

    code, out, _ = run(
        seeded_db_path,
        capsys,
        "trends",
        "capability",
        "--benchmark",
        "gpqa_diamond",
        "--threshold",
        f"{threshold:g}",
    )
    assert code == 0
    with open_reader(str(seeded_db_path)) as reader:
        view = trend_reports.capability(reader, utc_now(), "gpqa_diamond", threshold)
    caption = trend_reports.capability_caption(view, wide=True).splitlines()
    ours = next(line for line in out.splitlines() if line.startswith("  ours: ")).removeprefix("  ours: ")
    assert headline in ours
    assert caption[0].startswith(f"Price of gpqa_diamond >= {threshold:g}: {ours}, ")
    assert " points; evidence: " in caption[0]
    published = [line.strip() for line in out.splitlines() if line.startswith("  published: ")]
    assert published and published == caption[1:]


@pytest.mark.parametrize(
    ("benchmark", "threshold", "window"),
    [("gpqa_diamond", "35.7", None), ("mmlu", "42", None), ("mmlu", "64.8", "30"), ("mmlu", "83", "any")],
)
def test_every_epoch_point_is_priced_within_the_stated_window(
    seeded_db_path, capsys, benchmark, threshold, window
):
    from frontier_watch.analytics.headline import DEFAULT_MAX_PRICE_LAG_DAYS

    args = ["trends", "capability", "--benchmark", benchmark, "--threshold", threshold]
    if window:
        args += ["--max-price-lag", window]
    data = run_json(seeded_db_path, capsys, *args)
    stated = {None: DEFAULT_MAX_PRICE_LAG_DAYS, "any": None, "30": 30}[window]
    assert data["max_price_lag_days"] == stated
    assert data["points"]
    for point in data["points"]:
        assert (
            point["price_lag_days"]
            == (date.fromisoformat(point["price_date"]) - date.fromisoformat(point["date"])).days
        )
        assert stated is None or 0 <= point["price_lag_days"] <= stated
    for model in data["excluded"]:  # each model left out says why; a late one is beyond the window
        assert model["reason"]
        if model["price_lag_days"] is not None:
            assert stated is not None and model["price_lag_days"] > stated
    if stated is None:
        assert all(model["price_lag_days"] is None for model in data["excluded"])


def test_gpqa_text_shows_each_points_lag_and_the_models_left_out(seeded_db_path, capsys):
    code, out, _ = run(
        seeded_db_path, capsys, "trends", "capability", "--benchmark", "gpqa_diamond", "--threshold", "35.7"
    )
    assert code == 0
    assert "priced +0d" in out and "left out: " in out and "first priced after the window (" in out
    # first priced 2025-08-22 (LiteLLM's sheet added DeepInfra's Qwen2.5-7B), released 2024-09-19
    assert "qwen2.5-7b +337d" in out
    assert "points fitted; evidence: " in out


def test_max_price_lag_refuses_a_word_in_one_line(seeded_db_path, capsys):
    code, _, err = run(
        seeded_db_path,
        capsys,
        "trends",
        "capability",
        "--benchmark",
        "mmlu",
        "--threshold",
        "83",
        "--max-price-lag",
        "soon",
    )
    assert code == 2 and "'soon': give a number of days such as 90, or 'any'" in err


def test_no_growth_headline_rests_on_fewer_points_than_the_minimum(seeded_db_path, capsys):
    from frontier_watch.analytics.headline import INDEPENDENT_EVIDENCE, MIN_POINTS, MIN_SPAN_DAYS

    for extra in ((), ("--all-evidence",)):
        data = run_json(seeded_db_path, capsys, "trends", "compute", *extra)
        for measure in data["largest"]:
            assert measure["evidence_classes"] in measure["headline"]
            if measure["headline_problem"] is None:
                assert measure["points_fitted"] >= MIN_POINTS
                assert (
                    date.fromisoformat(measure["end"]) - date.fromisoformat(measure["start"])
                ).days >= MIN_SPAN_DAYS
            else:
                assert measure["headline"].startswith("no rate: ")
            if not extra:  # by default the fit rests on independent-enough evidence only
                assert {record["evidence_class"] for record in measure["records"]} <= INDEPENDENT_EVIDENCE
    default = run_json(seeded_db_path, capsys, "trends", "compute")
    gpus = next(item for item in default["largest"] if item["measure"] == "GPUs in one cluster")
    assert 800_000 in [record["value"] for record in gpus["set_apart"]]  # a vendor's multi-site claim
    assert 800_000 not in [record["value"] for record in gpus["records"]]
    site = next(item for item in default["largest"] if item["measure"] == "MW at one site")
    assert "letter-of-intent" in [record["evidence_class"] for record in site["set_apart"]]
    code, out, _ = run(seeded_db_path, capsys, "trends", "compute")
    assert code == 0 and "set apart (vendor claims, letters of intent, rumours" in out
    assert "29.8x" not in out  # the 3-announcement rate of the issue is no headline
