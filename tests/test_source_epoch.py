"""The Epoch AI kinds on the recorded files: clusters, data-centre timelines, hardware, notable models."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from conftest import FIXTURES

from frontier_watch.sources import epoch_data_centers, epoch_gpu_clusters, epoch_hardware, epoch_models
from frontier_watch.sources.epoch_csv import day, measure, number
from frontier_watch.sources.errors import SourceFormatError
from frontier_watch.sources.kind import Response

EPOCH = FIXTURES / "epoch"


def body(name: str) -> bytes:
    return (EPOCH / name).read_bytes()


def parse(kind, data: bytes):
    return kind.parse(Response("https://epoch.test/file.csv", 200, {}, data), None)


def by_key(batch):
    return {fact.identity(): fact for fact in batch.signals}


def rewrite(data: bytes, change, *, drop_column: str | None = None, newline="\r\n") -> bytes:
    """The CSV re-written row by row: ``change(row)`` edits a row dict; a column can be dropped."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    header = [name for name in rows[0] if name != drop_column]
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, lineterminator=newline, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        change(row)
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32000000000.0", Decimal("32000000000.0")),
        ("1.26e+24", Decimal("1.26e+24")),
        ("2E+11", Decimal("2E+11")),
        ("8.44323E+18", Decimal("8.44323E+18")),
        ("1,500", Decimal("1500")),
        ("", None),
    ],
)
def test_numbers_are_read_exactly_in_every_spelling_epoch_uses(text, expected):
    assert number(text) == expected


def test_inf_is_a_number_but_not_a_measure():
    assert number("inf").is_infinite()
    with pytest.raises(ValueError, match="not a finite number"):
        measure("inf")
    with pytest.raises(ValueError, match="negative"):
        measure("-3")
    with pytest.raises(ValueError, match="not a number"):
        measure("about 100k")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9/2/2024", (date(2024, 9, 2), "day")),
        ("2024-09-02", (date(2024, 9, 2), "day")),
        ("2025-12-05 21:21:23+00:00", (date(2025, 12, 5), "day")),
        ("2024-09", (date(2024, 9, 1), "month")),
        ("2030", (date(2030, 1, 1), "year")),
        ("", None),
    ],
)
def test_dates_are_iso_or_month_first(text, expected):
    assert day(text) == expected


@pytest.mark.parametrize("text", ["13/45/2024", "2 Sept 2024", "2024-02-30"])
def test_a_date_that_is_not_one_says_so(text):
    with pytest.raises(ValueError, match="date"):
        day(text)


# ---------------------------------------------------------------- GPU clusters


def test_gpu_clusters_from_a_crlf_file_give_colossus_at_100k_h100s():
    data = body("gpu_clusters.sample.csv")
    assert b"\r\n" in data
    batch = parse(epoch_gpu_clusters, data)
    signals = by_key(batch)
    size = signals["xAI Colossus Memphis Phase 1|H100 equivalents"]
    assert (size.date, size.value, size.category, size.entity) == (
        date(2024, 9, 2),
        100000.0,
        "cluster",
        "xAI",
    )
    assert size.confidence == "high"  # Epoch: Confirmed
    assert "Epoch cites https://archive.ph/Bh9Tq" in size.notes
    chips = signals["xAI Colossus Memphis Phase 1|chips"]
    assert (chips.value, chips.unit) == (100000.0, "NVIDIA H100 SXM5 80GB")
    power = signals["xAI Colossus Memphis Phase 1|power capacity"]
    assert (power.value, power.unit, power.category) == (150.0, "MW", "power")
    cost = signals["xAI Colossus Memphis Phase 1|hardware cost"]
    assert (cost.value, cost.unit, cost.category) == (3802927639.0, "USD", "capex")
    phase2 = signals["xAI Colossus Memphis Phase 2|H100 equivalents"]
    assert (phase2.date, phase2.value, phase2.confidence) == (date(2025, 2, 18), 200000.0, "medium")


def test_planned_clusters_without_a_date_are_counted_not_stored():
    batch = parse(epoch_gpu_clusters, body("gpu_clusters.sample.csv"))
    assert batch.skipped == []
    assert batch.notes == ["23 planned clusters have no operational date: not stored"]
    assert {fact.item for fact in batch.signals} == {
        "xAI Colossus Memphis Phase 3",
        "xAI Colossus Memphis Phase 2",
        "xAI Colossus Memphis Phase 1",
        "Meta 100k",
        "OpenAI/Microsoft Goodyear Arizona",
        "Oracle OCI Supercluster H200s",
        "CoreWeave H200s",
    }


def test_a_dated_plan_keeps_its_measures_under_planned_metrics():
    def date_the_plan(row):
        if row["Name"] == "Meta $200B Campus Rumor":
            row["First Operational Date"] = "2028"

    batch = parse(epoch_gpu_clusters, rewrite(body("gpu_clusters.sample.csv"), date_the_plan))
    signals = by_key(batch)
    plan = signals["Meta $200B Campus Rumor|H100 equivalents (planned)"]
    assert (plan.date, plan.date_precision, plan.value) == (date(2028, 1, 1), "year", 20262758.97)
    assert signals["Meta $200B Campus Rumor|hardware cost (planned)"].value == 2e11  # "2E+11"
    assert plan.confidence == "low"  # Epoch: Unlikely


def test_one_bad_cell_skips_that_measure_and_a_bad_date_skips_the_row():
    def spoil(row):
        if row["Name"] == "Meta 100k":
            row["H100 equivalents"] = "inf"
        if row["Name"] == "CoreWeave H200s":
            row["First Operational Date"] = "13/45/2024"

    batch = parse(epoch_gpu_clusters, rewrite(body("gpu_clusters.sample.csv"), spoil))
    reasons = dict(batch.skipped)
    assert "H100 equivalents: 'inf' is not a finite number" in reasons["Meta 100k"]
    assert "'13/45/2024' is not a calendar date" in reasons["CoreWeave H200s"]
    assert reasons["CoreWeave H200s"].startswith("line ")
    signals = by_key(batch)
    assert "Meta 100k|H100 equivalents" not in signals
    assert signals["Meta 100k|chips"].value == 100000.0  # the rest of the row is kept
    assert not [key for key in signals if key.startswith("CoreWeave H200s")]
    assert signals["xAI Colossus Memphis Phase 1|H100 equivalents"].value == 100000.0


def test_a_removed_column_is_an_error_naming_it():
    data = rewrite(body("gpu_clusters.sample.csv"), lambda row: None, drop_column="H100 equivalents")
    with pytest.raises(SourceFormatError, match="column 'H100 equivalents' missing from the header"):
        parse(epoch_gpu_clusters, data)


def test_reordered_and_renamed_case_columns_are_still_found():
    text = body("gpu_clusters.sample.csv").decode()
    header, rest = text.split("\r\n", 1)
    data = (header.replace("First Operational Date", "first operational  date") + "\r\n" + rest).encode()
    assert by_key(parse(epoch_gpu_clusters, data))["Meta 100k|H100 equivalents"].date == date(2024, 10, 30)


def test_a_cut_file_keeps_every_whole_row_and_skips_the_cut_one():
    data = body("gpu_clusters.sample.csv")
    cut = data[: data.index(b"CoreWeave H200s") + 40]
    batch = parse(epoch_gpu_clusters, cut)
    assert [name for name, _ in batch.skipped] == ["CoreWeave H200s"]
    assert "cells where the header has 55" in batch.skipped[0][1]
    assert "Oracle OCI Supercluster H200s|H100 equivalents" in by_key(batch)


def test_a_name_listed_twice_with_other_values_keeps_the_first():
    text = body("gpu_clusters.sample.csv").decode()
    line = next(line for line in text.split("\r\n") if line.startswith("Meta 100k,"))
    doubled = text.rstrip("\r\n") + "\r\n" + line.replace("142.688", "150") + "\r\n"
    batch = parse(epoch_gpu_clusters, doubled.encode())
    assert by_key(batch)["Meta 100k|power capacity"].value == 142.688
    assert any("listed again with other values; kept line" in reason for _, reason in batch.skipped)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><body>Rate limited</body></html>", "not CSV"),
        (b"", "empty body"),
        (b'{"error": "gone"}', "looks like JSON"),
        (b"Name,Status\r\n\xff\xfe,x\r\n", "not UTF-8"),
    ],
)
def test_a_body_that_is_not_the_csv_fails_the_whole_source(data, message):
    with pytest.raises(SourceFormatError, match=message):
        parse(epoch_gpu_clusters, data)


# ---------------------------------------------------------------- data-centre timelines


def test_data_centre_timelines_give_each_site_a_dated_series():
    batch = parse(epoch_data_centers, body("data_center_timelines.csv"))
    assert batch.skipped == []
    power = sorted(
        (fact.date, fact.value)
        for fact in batch.signals
        if fact.item == "xAI Colossus 1 Memphis Tennessee" and fact.metric == "power capacity"
    )
    assert len(power) == 10
    assert all(fact.unit == "MW" for fact in batch.signals if fact.metric == "power capacity")
    alibaba = by_key(batch)
    first = alibaba["Alibaba Zhangbei Zhangjiakou Hebei|2018-01-28|power capacity"]
    assert (first.value, first.category) == (76.0, "power")
    assert alibaba["Alibaba Zhangbei Zhangjiakou Hebei|2018-01-28|H100 equivalents"].value == 4266.414458
    capex = alibaba["Alibaba Zhangbei Zhangjiakou Hebei|2018-01-28|total capital cost"]
    assert (capex.value, capex.unit, capex.category) == (2.424848505, "billion USD (2025 dollars)", "capex")
    assert first.notes.startswith("Epoch: Building 1-3 operational")
    # the day land clearing began is where a site's series starts, at 0 MW
    assert alibaba["Alibaba Zhangbei Zhangjiakou Hebei|2016-09-20|power capacity"].value == 0.0


def test_the_capital_cost_column_carries_its_dollar_year():
    text = body("data_center_timelines.csv").decode()
    renamed = text.replace(
        "Total capital cost (2025 USD billions)", "Total capital cost (2026 USD billions)", 1
    )
    batch = parse(epoch_data_centers, renamed.encode())
    units = {fact.unit for fact in batch.signals if fact.metric == "total capital cost"}
    assert units == {"billion USD (2026 dollars)"}


# ---------------------------------------------------------------- hardware


def test_hardware_reads_quoted_newlines_and_ignores_the_inf_price_performance():
    data = body("ml_hardware.sample.csv")
    assert b"\r\n" not in data and b'"Source for TDP: https://newsletter' in data
    batch = parse(epoch_hardware, data)
    assert batch.skipped == []
    assert batch.notes == ["1 chips have no release date yet: not stored"]  # NVIDIA Rubin CPX
    signals = by_key(batch)
    trainium = signals["Amazon Trainium3|BF16 tensor performance"]
    assert (trainium.date, trainium.value, trainium.unit) == (date(2025, 12, 2), 6.71e14, "FLOP/s")
    assert (trainium.entity, trainium.category) == ("Amazon AWS", "chip_launch")
    assert signals["NVIDIA Tesla K80|release price"].value == 5000.0
    assert signals["NVIDIA A100 SXM4 80 GB|memory per board"].value == 8e10
    assert len({fact.item for fact in batch.signals}) == 25


# ---------------------------------------------------------------- notable models


def releases(batch):
    return {fact.model: fact for fact in batch.releases}


def test_notable_models_in_the_2025_layout_of_42_columns():
    data = body("notable_ai_models_2025-04.sample.csv")
    assert len(next(csv.reader(io.StringIO(data.decode())))) == 42
    batch = parse(epoch_models, data)
    assert batch.skipped == [] and len(batch.releases) == 29
    found = releases(batch)
    r1 = found["DeepSeek-R1"]
    assert (r1.date, r1.lab, r1.total_params_b, r1.training_compute_flop) == (
        date(2025, 1, 20),
        "DeepSeek",
        671.0,
        5.17e24,
    )
    assert r1.open_weights == "yes" and r1.key == "DeepSeek-R1"
    assert r1.paper_or_report == "https://api-docs.deepseek.com/news/news250120"
    assert found["GPT-4.5"].open_weights == "no" and found["GPT-4.5"].total_params_b is None
    assert found["Llama 3.1-405B"].open_weights == "yes"  # "Open weights (restricted use)"
    assert found["Gemini 2.0 Pro"].lab == "Google DeepMind, Google"
    assert found["o3"].open_weights == "no"  # Unreleased
    assert found["GPT-4o"].paper_or_report == "https://openai.com/index/hello-gpt-4o/"  # first of two links
    assert "Epoch confidence in its estimates: Speculative" in found["GPT-4o"].notes
    assert found["Eurus-2-7B-PRIME"].open_weights is None  # accessibility not given


def test_notable_models_in_the_2026_layout_of_47_columns():
    data = body("notable_ai_models_2026-05.sample.csv")
    assert len(next(csv.reader(io.StringIO(data.decode())))) == 47
    batch = parse(epoch_models, data)
    assert batch.skipped == [] and len(batch.releases) == 12
    found = releases(batch)
    kimi = found["Kimi K2.6"]
    assert (kimi.date, kimi.lab, kimi.total_params_b, kimi.open_weights) == (
        date(2026, 4, 20),
        "Moonshot AI",
        1040.0,
        "yes",
    )
    assert found["DeepSeek-V4-Pro"].training_compute_flop == 9.702e24
    assert found["Claude Opus 4.7"].open_weights == "no"
    assert found["GLM-5.1"].open_weights is None  # neither column says


def test_the_open_weights_flag_is_used_when_accessibility_is_empty():
    def flag_only(row):
        if row["Model"] == "Qwen3.5-122B-A10B":
            row["Model accessibility"] = ""

    batch = parse(
        epoch_models, rewrite(body("notable_ai_models_2026-05.sample.csv"), flag_only, newline="\n")
    )
    assert releases(batch)["Qwen3.5-122B-A10B"].open_weights == "yes"


def test_mixed_date_formats_give_the_same_releases():
    iso = parse(epoch_models, body("notable_ai_models_2025-04.sample.csv"))

    def month_first(row):
        if row["Model"] in ("DeepSeek-R1", "GPT-4", "Grok-3"):
            published = date.fromisoformat(row["Publication date"])
            row["Publication date"] = f"{published.month}/{published.day}/{published.year}"

    mixed_body = rewrite(body("notable_ai_models_2025-04.sample.csv"), month_first, newline="\n")
    assert b"1/20/2025" in mixed_body and b"2025-03-16" in mixed_body
    mixed = parse(epoch_models, mixed_body)
    assert mixed.releases == iso.releases
    assert releases(mixed)["GPT-4"].date == date(2023, 3, 15)


def test_a_removed_publication_date_column_is_an_error_naming_it():
    data = rewrite(
        body("notable_ai_models_2026-05.sample.csv"), lambda row: None, drop_column="Publication date"
    )
    with pytest.raises(SourceFormatError, match="column 'Publication date' missing from the header"):
        parse(epoch_models, data)


def test_a_model_without_a_date_is_skipped_with_a_reason():
    def undate(row):
        if row["Model"] == "o1":
            row["Publication date"] = ""

    batch = parse(epoch_models, rewrite(body("notable_ai_models_2025-04.sample.csv"), undate, newline="\n"))
    assert dict(batch.skipped)["o1"].endswith("no publication date")
    assert len(batch.releases) == 28
