"""What the hostile-input tests share: one source served from 127.0.0.1, the CLI run on it,
and the checks that the database came through intact.

The tests themselves are tests/test_hostile_dates.py, test_hostile_numbers.py and
test_hostile_items.py.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from frontier_watch.cli import main
from frontier_watch.settings.catalogue import load_catalogue
from frontier_watch.store.seed import open_seeded_database

# The read commands a poisoned value used to break, each as its arguments.
READ_COMMANDS = (
    ("prices",),
    ("history", "gpt-4"),
    ("doctor",),
    ("db", "check"),
    ("export", "--format", "csv"),
    ("releases",),
    ("trends", "releases"),
    ("trends", "compute"),
    ("signals",),
)


@dataclass
class Run:
    """What one CLI call did."""

    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(capsys, *argv: str) -> Run:
    """The CLI in this process; an exception escaping main() fails the test with it."""
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def assert_one_line_error(run: Run, *wanted: str) -> None:
    """A clear refusal: exit 2, one line on stderr that says each of ``wanted``, no traceback."""
    assert run.code == 2, (run.code, run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    for text in wanted:
        assert text in lines[0], (text, lines[0])


@functools.cache
def seeded_template() -> Path:
    """A database seeded from data/, made once per test process (seeding takes a second or
    two, and every hostile fetch lands on a database a first launch would have made)."""
    folder = Path(tempfile.mkdtemp(prefix="fw-seeded-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "seeded.db"
    open_seeded_database(str(path)).engine.dispose()
    return path


def served_config(tmp_path: Path, source_id: str, url: str, **options: object) -> Path:
    """A config whose database is tmp_path/fw.db (a copy of the seeded template unless the
    test made one) and whose only fetchable source is ``source_id`` at ``url`` (with
    ``options`` beside the catalogue's)."""
    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - {source_id})
    )
    option_text = ", ".join(f"{key} = {json.dumps(value)}" for key, value in options.items())
    database = tmp_path / "fw.db"
    if not database.exists():
        shutil.copyfile(seeded_template(), database)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{tmp_path / "fw.db"}"\n\n[fetch]\nbackoff_seconds = 0.01\nattempts = 1\n\n'
        f'[sources.{source_id}]\nurl = "{url}"\n'
        + (f"options = {{ {option_text} }}\n" if options else "")
        + others,
        encoding="utf-8",
    )
    return config


def fetch_one(capsys, config: Path, source_id: str) -> dict:
    """``fetch SOURCE --json`` and its one summary."""
    run = run_cli(capsys, "--config", str(config), "fetch", source_id, "--json")
    assert "Traceback" not in run.err
    [summary] = run.json()
    return summary


def table_counts(db: Path) -> dict[str, int]:
    """Rows per table (the fetch_run log aside: a fetch always adds its run)."""
    with sqlite3.connect(db) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in ("fetch_run", "sqlite_sequence")
        ]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}


def integrity_ok(db: Path) -> bool:
    with sqlite3.connect(db) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def run_note(db: Path) -> str:
    """The note (or error) of the last fetch run."""
    with sqlite3.connect(db) as connection:
        row = connection.execute("SELECT error FROM fetch_run ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] or ""


def assert_reads_work(capsys, db: Path) -> None:
    """Every read command still answers on the database (exit 0, no traceback)."""
    for argv in READ_COMMANDS:
        extra = ("--out", str(db.parent / "export")) if argv[0] == "export" else ()
        run = run_cli(capsys, "--db", str(db), *argv, *extra)
        assert run.code == 0, (argv, run.code, run.err)
        assert "Traceback" not in run.err


# ---------------------------------------------------------------- bodies with one hostile item

FIXTURES = Path(__file__).parent / "fixtures"
# Price sources: the seeded history makes a two-item list look shrunk, so the guard is set low.
PRICE_OPTIONS = {"shrink_floor": 1}


def openrouter_model(model_id: object = "good/model", **fields: object) -> dict:
    """One OpenRouter catalogue entry with a plain price; ``fields`` replace or add keys."""
    entry = {
        "id": model_id,
        "name": "Some model",
        "pricing": {"prompt": "0.000001", "completion": "0.000002"},
    }
    entry.update(fields)
    return entry


def openrouter_sheet(*entries: object) -> bytes:
    return json.dumps({"data": list(entries)}).encode()


def litellm_entry(**fields: object) -> dict:
    entry = {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 2e-06,
    }
    entry.update(fields)
    return entry


def genai_model(model_id: object = "good-model", prices: object = None, **fields: object) -> dict:
    entry = {"id": model_id, "name": "Some model", "prices": prices or {"input_mtok": 1, "output_mtok": 2}}
    entry.update(fields)
    return entry


def genai_data(*models: object, provider: str = "openai") -> bytes:
    return json.dumps([{"id": provider, "name": "OpenAI", "models": list(models)}]).encode()


def llm_prices_model(model_id: object = "good-model", **segment: object) -> dict:
    history = {"input": 1, "output": 2, "from_date": None, "to_date": None, **segment}
    return {"id": model_id, "name": "Some model", "price_history": [history]}


def llm_prices_file(*models: object, vendor: str = "openai") -> bytes:
    return json.dumps({"vendor": vendor, "models": list(models)}).encode()


HF_PAGE = "/api/models?author=deepseek-ai&sort=createdAt&direction=-1&limit=6&full=true"


def hf_page(index: int | None = None, **fields: object) -> bytes:
    """The recorded first page of deepseek-ai's repositories, item ``index`` with ``fields`` changed."""
    items = json.loads((FIXTURES / "huggingface/models_deepseek-ai_page1.json").read_bytes())
    if index is not None:
        items[index].update(fields)
    return json.dumps(items).encode()


def hf_repo_ids() -> list[str]:
    return [
        item["id"]
        for item in json.loads((FIXTURES / "huggingface/models_deepseek-ai_page1.json").read_bytes())
    ]


EPOCH_FILES = {
    "epoch-gpu-clusters": "gpu_clusters.sample.csv",
    "epoch-data-centers": "data_center_timelines.csv",
    "epoch-hardware": "ml_hardware.sample.csv",
    "epoch-models": "notable_ai_models_2026-05.sample.csv",
}


def epoch_csv(source_id: str, row: int | None = None, **cells: str) -> bytes:
    """A recorded Epoch file, data row ``row`` with the named columns set to ``cells``."""
    import csv
    import io

    text = (FIXTURES / "epoch" / EPOCH_FILES[source_id]).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    if row is not None:
        for column, value in cells.items():
            rows[row + 1][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def epoch_cell(source_id: str, row: int, column: str) -> str:
    import csv
    import io

    text = (FIXTURES / "epoch" / EPOCH_FILES[source_id]).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[row + 1][rows[0].index(column)]


def feed_body(*entries: tuple[str, str]) -> bytes:
    """An Atom feed of (title, published) entries, each with its own id."""
    body = "".join(
        f"<entry><title>{title}</title><id>https://example.com/{number}</id>"
        f'<link href="https://example.com/{number}"/><published>{published}</published></entry>'
        for number, (title, published) in enumerate(entries)
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{body}</feed>'.encode()


def stored_dates_out_of_range(db: Path) -> list[tuple[str, str, object]]:
    """(table, column, value) of every stored date or time that does not read back as one
    between 1990 and 2100: what used to poison every read command."""
    from datetime import date, datetime

    found = []
    with sqlite3.connect(db) as connection:
        columns = connection.execute(
            "SELECT m.name, p.name, upper(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND upper(p.type) IN ('DATE', 'DATETIME')"
        ).fetchall()
        for table, column, kind in columns:
            for (value,) in connection.execute(
                f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
            ):
                try:
                    parsed = date.fromisoformat(value) if kind == "DATE" else datetime.fromisoformat(value)
                except (TypeError, ValueError):
                    found.append((table, column, value))
                    continue
                if not 1990 <= parsed.year <= 2100:
                    found.append((table, column, value))
    return found
