"""The rooms of the house and which way their imports point (README "How it is built").

Every module of the package is discovered with pkgutil, so a new module is checked the
day it is added. Imports inside functions count too: a lazy import is still an import.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in {"sources", "store", "analytics", "tui"}:
        return parts[1]
    if module in {"frontier_watch.cli", "frontier_watch.__main__"}:
        return "cli"
    return "core"


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


MODULES = all_modules()


def test_discovery_finds_every_room():
    rooms = {room(module) for module in MODULES}
    assert rooms == {"core", "sources", "store", "analytics", "tui", "cli"}
    assert "frontier_watch.store.price_intervals" in MODULES
    assert "frontier_watch.analytics.prices" in MODULES


@pytest.mark.parametrize("module", [m for m in MODULES if room(m) not in {"tui", "cli"}])
def test_the_core_never_imports_textual_or_the_ui(module):
    bad = {name for name in imports_of(module) if under(name, "textual") or under(name, "frontier_watch.tui")}
    bad |= {name for name in imports_of(module) if under(name, "frontier_watch.cli")}
    assert not bad, f"{module} imports {sorted(bad)}"


@pytest.mark.parametrize("module", [m for m in MODULES if room(m) == "analytics"])
def test_analytics_imports_neither_the_store_nor_textual_nor_io(module):
    forbidden = (
        "frontier_watch.store",
        "textual",
        "sqlalchemy",
        "sqlite3",
        "httpx",
        "frontier_watch.fetching",
    )
    bad = {name for name in imports_of(module) if any(under(name, prefix) for prefix in forbidden)}
    assert not bad, f"{module} imports {sorted(bad)}"


@pytest.mark.parametrize("module", [m for m in MODULES if room(m) == "sources"])
def test_sources_do_not_import_the_store(module):
    forbidden = ("frontier_watch.store", "frontier_watch.fetching", "sqlalchemy", "sqlmodel")
    bad = {name for name in imports_of(module) if any(under(name, prefix) for prefix in forbidden)}
    assert not bad, f"{module} imports {sorted(bad)}"


@pytest.mark.parametrize("module", [m for m in MODULES if room(m) == "store"])
def test_the_store_does_not_reach_up_to_fetching_or_analytics(module):
    forbidden = ("frontier_watch.fetching", "frontier_watch.analytics", "frontier_watch.http", "httpx")
    bad = {name for name in imports_of(module) if any(under(name, prefix) for prefix in forbidden)}
    assert not bad, f"{module} imports {sorted(bad)}"


def loaded_after(code: str, cwd) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_every_non_ui_module_does_not_load_textual(tmp_path):
    core = [module for module in MODULES if room(module) not in {"tui", "cli"}]
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
    from frontier_watch.catalogue import load_catalogue

    config = tmp_path / "config.toml"
    config.write_text("".join(f"[sources.{name}]\nenabled = false\n" for name in load_catalogue()))
    code = (
        "import contextlib, io\n"
        "import frontier_watch.scheduler\n"
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
