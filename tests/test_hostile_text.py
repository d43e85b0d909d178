"""Text from sources is safe to ``cat`` wherever it is written: exports, Markdown, ``--json``.

Names carrying terminal controls (ESC sequences, OSC 52 clipboard writes, NUL, C1 controls)
and bidi controls (U+202E and the other embeddings, overrides, isolates and marks) arrive
through a real fetch on the loopback server and through ``import``. Every file and every
output then holds none of them raw, nor in the decoded JSON value, and the text around them
is still there to read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from fixture_server import fixture_server

from frontier_watch.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

HOSTILE = {
    "esc": "\x1b[2J\x1b[31m",
    "osc52": "\x1b]52;c;ZXZpbA==\x07",
    "nul": "\x00",
    "bel-bs-del": "\x07\x08\x7f",
    "cr": "\rREWRITTEN",
    "c1": "\x80\x85\x9b31m\x9d0;title\x9c\x9f",
    "rlo": "\u202e",
    "bidi-marks": "\u200e\u200f\u061c",
    "bidi-embed": "\u202a\u202b\u202c\u202d",
    "bidi-isolate": "\u2066\u2067\u2068\u2069",
    "separators": "\u2028\u2029",
}
# A NUL is refused where text comes in (plausible.text_problem: a fetched item is skipped, an
# imported row refused), so it never reaches the store; the others are stored as sent.
STORED = [label for label in HOSTILE if label != "nul"]
# What must never be written raw: C0 controls but tab and newline, DEL, C1, bidi and separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def hostile(label: str, where: str) -> str:
    return f"Hostile {where} {label} <{HOSTILE[label]}> end"


def assert_inert(text: str, what: str) -> None:
    found = UNSAFE.search(text)
    if found is not None:
        around = text[max(0, found.start() - 40) : found.start() + 20]
        pytest.fail(f"{what}: raw {found.group()!r} at {found.start()}: {around!r}")


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def assert_json_inert(text: str, what: str) -> object:
    assert_inert(text, what)
    document = json.loads(text)
    for string in strings_in(document):
        assert_inert(string, f"{what} (decoded)")
    return document


def assert_recognisable(text: str, where: str) -> None:
    """Every hostile name is still there to read: its words before and after the controls."""
    for label in STORED:
        assert f"Hostile {where} {label} <" in text, (where, label)
    assert "> end" in text


def openrouter_sheet() -> bytes:
    document = json.loads((FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes())
    for model, label in zip(document["data"], STORED, strict=False):
        model["name"] = hostile(label, "fetched")
    return json.dumps(document).encode()


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([[row.get(column, "") for column in header] for row in rows])
    return path


@pytest.fixture
def hostile_db(tmp_path, capsys):
    """A database holding hostile names from a fetch and from imported prices and signals."""
    from frontier_watch.settings.catalogue import load_catalogue
    from frontier_watch.settings.paths import data_dir
    from frontier_watch.sources.curated import PRICE_COLUMNS

    db = str(tmp_path / "fw.db")
    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - {"openrouter"})
    )
    with fixture_server() as server:
        url = server.serve("/api/v1/models", openrouter_sheet())
        config = tmp_path / "config.toml"
        config.write_text(
            f'[fetch]\nbackoff_seconds = 0.01\n\n[sources.openrouter]\nurl = "{url}"\n'
            f"options = {{ shrink_floor = 10 }}\n{others}",
            encoding="utf-8",
        )
        assert main(["--config", str(config), "--db", db, "fetch", "openrouter"]) == 0, capsys.readouterr()
    today = datetime.now().date().isoformat()
    prices = [
        {
            "source": "mine",
            "provider": "Acme",
            "offering_id": f"acme/hostile-{label}",
            "name": hostile(label, "imported"),
            "lab": "Acme",
            "tier": "default",
            "input_usd_per_mtok": "1",
            "output_usd_per_mtok": "2",
            "effective_from": today,
            "basis": "curated",
            "source_url": "https://example.com/prices",
            "evidence": "official-announcement",
            "notes": hostile(label, "noted"),
        }
        for label in STORED
    ]
    path = write_rows(tmp_path / "prices.csv", list(PRICE_COLUMNS), prices)
    assert main(["--db", db, "import", str(path)]) == 0, capsys.readouterr()
    signal_header = next(csv.reader((data_dir() / "signals.csv").open(encoding="utf-8")))
    signals = [
        {
            "date": today,
            "date_precision": "day",
            "category": "cluster",
            "entity": f"Acme {label}",
            "item": hostile(label, "signal"),
            "metric": "GPUs",
            "value": "1000",
            "unit": "GPUs",
            "source_url": "https://example.com/cluster",
            "evidence": "press-report",
        }
        for label in STORED
    ]
    path = write_rows(tmp_path / "signals.csv", signal_header, signals)
    assert main(["--db", db, "import", str(path)]) == 0, capsys.readouterr()
    capsys.readouterr()
    return db


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_exported_file_is_inert_and_still_readable(hostile_db, tmp_path, capsys, fmt):
    out = tmp_path / f"export-{fmt}"
    assert main(["--db", hostile_db, "export", "--format", fmt, "--out", str(out)]) == 0
    assert_inert(capsys.readouterr().out, "export's summary")
    files = sorted(out.iterdir())
    assert {path.name for path in files} >= {
        f"{table}.{fmt}" for table in ("prices", "history", "signals", "trends")
    }
    texts = {}
    for path in files:
        text = path.read_bytes().decode("utf-8")
        if path.suffix == ".json":
            assert_json_inert(text, path.name)
        else:
            assert_inert(text, path.name)
            for row in csv.reader(io.StringIO(text, newline="")):
                for cell in row:
                    assert_inert(cell, path.name)
        texts[path.name] = text
    for table in ("prices", "history"):
        for where in ("fetched", "imported"):
            assert_recognisable(texts[f"{table}.{fmt}"], where)
    assert_recognisable(texts[f"signals.{fmt}"], "signal")


def test_json_output_of_commands_is_inert_in_its_bytes_and_its_values(hostile_db, capsys):
    for command in (
        ["prices", "--kind", "all", "--json"],  # every kind: the fetched sheet has an image model
        ["history", "acme/hostile-rlo", "--json"],
        ["signals", "--json"],
        ["changes", "--since", "30d", "--json"],
        ["sources", "--json"],
        ["db", "check", "--json"],
        ["db", "info", "--json"],
    ):
        code = main(["--db", hostile_db, *command])
        captured = capsys.readouterr()
        assert code in (0, 1), (command, captured.err)
        assert_inert(captured.err, f"{command} stderr")
        assert_json_inert(captured.out, " ".join(command))
        if command[0] == "prices":
            for where in ("fetched", "imported"):
                assert_recognisable(captured.out, where)
        if command[0] in ("changes", "signals"):
            assert_recognisable(captured.out, "imported" if command[0] == "changes" else "signal")


@pytest.mark.parametrize("markdown", [True, False])
def test_the_changes_digest_is_inert_as_markdown_and_as_text(hostile_db, capsys, markdown):
    assert (
        main(["--db", hostile_db, "changes", "--since", "30d", *(["--format", "md"] if markdown else [])])
        == 0
    )
    out = capsys.readouterr().out
    assert_inert(out, "changes")
    assert_recognisable(out, "imported")  # fetched offerings show their crosswalk model's name


def test_the_dashboard_export_writes_inert_cells(tmp_path):
    """The `e` key writes the view through view_export.export_csv."""
    from frontier_watch.tui.view_export import export_csv

    rows = [{"name": hostile(label, "shown"), "formula": f"=1+1{HOSTILE[label]}"} for label in HOSTILE]
    path = export_csv(rows, tmp_path, "prices", datetime(2026, 1, 1))
    text = path.read_bytes().decode("utf-8")
    assert_inert(text, path.name)
    assert_recognisable(text, "shown")
    cells = list(csv.DictReader(io.StringIO(text, newline="")))
    assert all(row["formula"].startswith("'=1+1") for row in cells)  # formulas still neutralised


def test_a_cell_keeps_tabs_and_newlines_and_loses_a_carriage_return():
    from frontier_watch.render.output import json_text
    from frontier_watch.use_cases.export import csv_cell

    assert csv_cell("line one\r\nline\ttwo\rthree") == "line one\nline\ttwo\ufffdthree"
    assert csv_cell("\x1b=cmd") == "\ufffd=cmd"  # no longer a formula, and no escape either
    assert csv_cell("=\x1bcmd") == "'=\ufffdcmd"
    assert json.loads(json_text({"a\u202eb": "x\\u001b\x1by\r\nz\tw"})) == {
        "a\ufffdb": "x\\u001b\ufffdy\nz\tw"
    }


def test_a_chart_drawn_or_saved_shows_hostile_names_as_text(tmp_path):
    from datetime import date

    from frontier_watch.render.charts import Chart, Series, render, save

    chart = Chart(
        hostile("esc", "chart"),
        [
            Series(hostile(label, "series"), [date(2025, 1, 1), date(2025, 6, 1)], [2.0, 1.0])
            for label in ("osc52", "rlo")
        ],
    )
    assert_inert(render(chart, colour=False), "chart")
    save(chart, tmp_path / "chart.txt")
    text = (tmp_path / "chart.txt").read_text(encoding="utf-8")
    assert_inert(text, "saved chart")
    assert "Hostile chart esc <" in text
