"""What the README promises a developer: the Quick start, CI running it verbatim, the tools it names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_the_quick_start_has_exactly_two_commands_and_ci_runs_the_second_verbatim():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].endswith(".venv/bin/frontier-watch")
    assert "pip install -e '.[test]'" in commands[1]  # editable: the tests run src/ as it is
    assert commands[1] in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_the_data_converter_without_the_shared_fact_base_says_so_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "data/convert_from_shared.py"), str(tmp_path / "no-shared")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "is not the shared fact base" in result.stderr and "Traceback" not in result.stderr


def test_ruff_is_installed_with_the_test_extra_and_the_tree_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "bench", "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
