"""The core never loads the UI, and --help stays light (DESIGN.md)."""

import json
import subprocess
import sys

import pytest

CORE_MODULES = [
    "frontier_watch.cli",
    "frontier_watch.config",
    "frontier_watch.db",
    "frontier_watch.migrations",
    "frontier_watch.price_history",
    "frontier_watch.curated",
    "frontier_watch.queries",
    "frontier_watch.output",
    "frontier_watch.money",
    "frontier_watch.identity",
]


def loaded_after(code: str, cwd) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_neither_textual_nor_polars(tmp_path):
    modules = loaded_after("import frontier_watch.cli", tmp_path)
    assert "textual" not in modules
    assert "polars" not in modules
    assert "sqlalchemy" not in modules  # --help needs no database code


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_modules_do_not_import_textual(module, tmp_path):
    assert "textual" not in loaded_after(f"import {module}", tmp_path)


def test_price_and_db_commands_do_not_load_the_ui(tmp_path):
    code = (
        "import contextlib, io\n"
        "from frontier_watch.cli import main\n"
        f"db = {str(tmp_path / 'x.db')!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--db', db, 'prices', '--json']) == 0\n"
        "    assert main(['--db', db, 'db', 'info']) == 0\n"
        "    assert main(['--db', db, 'signals']) == 0\n"
    )
    modules = loaded_after(code, tmp_path)
    assert "textual" not in modules
    assert "polars" not in modules
