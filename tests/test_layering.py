"""The rooms of the house and which way their imports point (README "How it is built").

Every module of the package is discovered with pkgutil, so a new module is checked the
day it is added. Imports inside functions count too: a lazy import is still an import.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import frontier_watch

PACKAGE_DIR = Path(frontier_watch.__file__).parent


def all_modules() -> list[str]:
    names = ["frontier_watch"]
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="frontier_watch."):
        names.append(info.name)
    return sorted(names)


def imports_of(module: str) -> set[str]:
    spec = importlib.util.find_spec(module)
    assert spec and spec.origin
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    found: set[str] = set()
    package = module if spec.submodule_search_locations else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


ROOT = Path(__file__).resolve().parents[1]


def room(module: str) -> str:
    """The room a module lives in: the package under frontier_watch, or "root"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE_DIR / parts[1]).is_dir()) else "root"


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


MODULES = all_modules()
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
    "contracts"
]
[LAYERS] = [contract["layers"] for contract in CONTRACTS if contract["type"] == "layers"]


def test_the_import_contracts_hold():
    """lint-imports, on the contracts in pyproject.toml: the layers, Textual only in the
    dashboard, pure analytics, sources that neither download nor store, no cycles."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"],  # pyproject.toml, found in cwd
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_a_handful_of_modules_at_the_root_and_every_room_says_what_it_holds():
    loose = sorted(module for module in MODULES if room(module) == "root" and module != "frontier_watch")
    assert len(loose) <= 6, loose
    rooms = {room(module) for module in MODULES} - {"root"}
    layered = {name.strip() for layer in LAYERS for name in layer.split("|")}
    assert rooms <= layered, f"rooms outside the layers contract: {sorted(rooms - layered)}"
    for name in rooms:
        doc = importlib.import_module(f"frontier_watch.{name}").__doc__ or ""
        assert doc.strip(), f"{name}/__init__.py needs a docstring whose first line says what belongs there"


def test_the_readme_lists_the_layers_the_contract_checks():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- layers:", 1)[1].split("<!-- /layers -->", 1)[0]
    listed = [line.split("  ")[0].strip() for line in block.splitlines()[2:] if line and line != "```"]
    assert listed == LAYERS


def test_no_module_is_over_600_lines_but_the_frozen_ddl():
    long = {
        module: lines
        for module in MODULES
        if module != "frontier_watch.store.migrations"
        and (
            lines := len(
                Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8").splitlines()
            )
        )
        > 600
    }
    assert not long, long


def loaded_after(code: str, cwd) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_every_non_ui_module_does_not_load_textual(tmp_path):
    core = [module for module in MODULES if room(module) not in {"tui", "cli", "root"}]
    modules = loaded_after("\n".join(f"import {module}" for module in core), tmp_path)
    assert "textual" not in modules


def test_importing_the_cli_loads_neither_textual_nor_polars_nor_sqlalchemy(tmp_path):
    modules = loaded_after("import frontier_watch.cli", tmp_path)
    assert "textual" not in modules
    assert "polars" not in modules
    assert "sqlalchemy" not in modules  # --help needs no database code


def test_price_db_and_fetch_commands_do_not_load_the_ui(tmp_path):
    code = (
        "import contextlib, io\n"
        "from frontier_watch.cli import main\n"
        f"db = {str(tmp_path / 'x.db')!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    assert main(['--db', db, 'prices', '--json']) == 0\n"
        "    assert main(['--db', db, 'db', 'info']) == 0\n"
        "    assert main(['--db', db, 'signals']) == 0\n"
        "    main(['--db', db, 'fetch', 'openrouter', '--quiet'])\n"
    )
    config = tmp_path / "config.toml"
    config.write_text('[sources.openrouter]\nurl = "http://127.0.0.1:9/none"\n[fetch]\nattempts = 1\n')
    modules = loaded_after(code, tmp_path)
    assert "textual" not in modules
    assert "polars" not in modules


def test_read_commands_on_a_ready_database_load_neither_the_orm_nor_sqlalchemy(tmp_path, seeded_db_path):
    """prices, history, releases and signals read through the sqlite3 driver alone."""
    code = (
        "import contextlib, io\n"
        "from frontier_watch.cli import main\n"
        f"db = {str(seeded_db_path)!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for argv in (['prices', '--json'], ['prices'], ['history', 'deepseek-r1'],\n"
        "                 ['releases'], ['signals']):\n"
        "        assert main(['--db', db, *argv]) == 0, argv\n"
    )
    modules = loaded_after(code, tmp_path)
    assert not {"sqlalchemy", "sqlmodel", "pydantic", "textual", "polars"} & modules


def test_export_schedule_and_doctor_do_not_load_the_ui(tmp_path, seeded_db_path):
    from frontier_watch.settings.catalogue import load_catalogue

    config = tmp_path / "config.toml"
    config.write_text("".join(f"[sources.{name}]\nenabled = false\n" for name in load_catalogue()))
    code = (
        "import contextlib, io\n"
        "import frontier_watch.use_cases.scheduler\n"
        "from frontier_watch.cli import main\n"
        f"db, out, config = {str(seeded_db_path)!r}, {str(tmp_path / 'out')!r}, {str(config)!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    assert main(['--db', db, 'export', '--out', out]) == 0\n"
        "    assert main(['--db', db, 'doctor']) in (0, 1)\n"
        "    assert main(['--config', config, '--db', db, 'schedule']) == 2  # no source enabled\n"
    )
    modules = loaded_after(code, tmp_path)
    assert "apscheduler.schedulers.blocking" in modules  # the scheduler was built, up to its sources
    assert "textual" not in modules
    assert not [name for name in modules if name.startswith("frontier_watch.tui")]
