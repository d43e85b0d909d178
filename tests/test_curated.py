"""Seeding a fresh database from data/: once, idempotently, and refusing bad rows by file:line."""

import shutil

import pytest
from sqlalchemy import delete, func, select
from sqlmodel import SQLModel

from frontier_watch.settings.paths import data_dir
from frontier_watch.sources.curated import CuratedDataError
from frontier_watch.store.database import make_engine
from frontier_watch.store.migrations import upgrade
from frontier_watch.store.seed import seed_curated
from frontier_watch.store.tables import CuratedLoad


def counts(engine):
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in SQLModel.metadata.tables.items()
            if name not in {"schema_migration", "curated_load"}
        }


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(str(tmp_path / "seed.db"))
    upgrade(engine)
    yield engine
    engine.dispose()


def test_seeding_twice_adds_nothing(engine):
    loaded = seed_curated(engine)
    assert loaded["signals.csv"] == 95 and loaded["releases.csv"] == 52
    first = counts(engine)
    assert first["price_interval"] > 500 and first["model"] > 100
    assert seed_curated(engine) == {}  # unchanged files are not read again
    with engine.begin() as connection:  # forget the hashes and the stamp: every file is applied again
        connection.execute(delete(CuratedLoad))
        connection.exec_driver_sql("DELETE FROM meta WHERE key = 'curated_stamp'")
    assert seed_curated(engine) != {}
    assert counts(engine) == first


def test_a_changed_file_is_applied_again_as_an_upsert(engine, data_copy):
    seed_curated(engine, data_copy)
    before = counts(engine)
    path = data_copy / "signals.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Colossus build time", "Colossus build duration"),
        encoding="utf-8",
    )
    loaded = seed_curated(engine, data_copy)
    assert list(loaded) == ["signals.csv"]
    after = counts(engine)
    assert after["signal"] == before["signal"] + 1  # the renamed item is a new natural key


@pytest.mark.parametrize(
    ("file", "find", "replace", "reason"),
    [
        (
            "prices/curated.csv",
            ",GPT-4 (8K),OpenAI,default,30,60,",
            ",GPT-4 (8K),OpenAI,default,-30,60,",
            "negative input price",
        ),
        (
            "prices/curated.csv",
            ",GPT-4 (8K),OpenAI,default,30,60,",
            ",GPT-4 (8K),OpenAI,default,thirty,60,",
            "not a number",
        ),
        (
            "prices/curated.csv",
            ",GPT-4 (8K),OpenAI,default,30,60,",
            ",GPT-4 (8K),OpenAI,default,1e308,60,",
            "absurd input price",
        ),
        ("prices/curated.csv", "2023-03-14,,day,curated", "2023-03-44,,day,curated", "2023-03-44"),
        ("signals.csv", ",vendor-claim,", ",gossip,", "evidence 'gossip' is not one of"),
        ("releases.csv", "2023-07-18,day,Meta", "18/07/2023,day,Meta", "date"),
        # a source_url is one URL; remarks about it belong in the notes
        (
            "prices/curated.csv",
            ",https://openai.com/api/pricing/,",
            ",openai.com/api/pricing (URL inferred),",
            "is not an http(s) URL (put remarks in the notes)",
        ),
        (
            "releases.csv",
            ",https://github.com/deepseek-ai/DeepSeek-V3,",
            ",https://github.com/deepseek-ai/DeepSeek-V3 (exact URL not in stored material),",
            "is not an http(s) URL",
        ),
        ("model_dates.csv", ",released,", ",launched,", "event 'launched' is not one of released, retired"),
    ],
)
def test_bad_row_fails_with_file_line_and_reason_and_changes_nothing(
    engine, data_copy, file, find, replace, reason
):
    seed_curated(engine, data_copy)
    before = counts(engine)
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert find in text
    line = text[: text.index(find)].count("\n") + 1
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")
    with pytest.raises(CuratedDataError) as caught:
        seed_curated(engine, data_copy)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: ")
    assert reason in message
    assert "\n" not in message
    assert counts(engine) == before


def test_a_bad_file_on_a_fresh_database_writes_none_of_its_rows(engine, data_copy):
    path = data_copy / "signals.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    date, rest = lines[-1].split(",", 1)
    path.write_text("".join(lines[:-1]) + f"{date}x,{rest}", encoding="utf-8")
    with pytest.raises(CuratedDataError, match=f"{path}:{len(lines)}: "):
        seed_curated(engine, data_copy)
    assert counts(engine)["signal"] == 0


def test_every_curated_row_keeps_source_and_evidence(engine):
    seed_curated(engine)
    with engine.connect() as connection:
        for table in ("price_interval", "signal", "release", "benchmark_score", "trend_claim"):
            missing = connection.exec_driver_sql(
                f"select count(*) from {table} "
                "where source_url is null or source_url = '' or evidence is null"
            ).scalar()
            assert missing == 0, table


def test_overlapping_spans_of_one_offering_are_refused(engine, data_copy):
    path = data_copy / "prices/curated.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    [gpt4] = [line for line in lines if ",gpt-4,GPT-4 (8K)," in line]
    clash = gpt4.replace("2023-03-14", "2023-06-01").replace(",30,60,", ",20,40,")
    path.write_text("".join(lines) + clash, encoding="utf-8")
    with pytest.raises(
        CuratedDataError, match=rf"{path}:{len(lines) + 1}: overlaps line {lines.index(gpt4) + 1} "
    ):
        seed_curated(engine, data_copy)
