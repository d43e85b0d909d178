"""The wheel carries the catalogue and the curated data, and works from any directory."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# One worker builds the wheel once for every test here (a module fixture), not one per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("frontier_watch-*.whl")
    return built


def test_wheel_contains_fetchers_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "frontier_watch/_fetchers/openrouter.toml" in names
    assert "frontier_watch/_data/prices/curated.csv" in names
    assert "frontier_watch/_data/model_crosswalk.csv" in names
    assert "frontier_watch/tui/app.tcss" in names


def test_wheel_ships_every_data_file_but_not_the_converter(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {name.removeprefix("frontier_watch/_data/") for name in names if "/_data/" in name}
    data = REPO / "data"
    in_repo = {path.relative_to(data).as_posix() for path in data.rglob("*") if path.is_file()}
    converter = {name for name in in_repo if name.endswith(".py")}
    assert {"convert_from_shared.py", "model_tables.py"} <= converter
    assert not any(name.endswith(".py") for name in shipped)
    assert shipped == in_repo - converter - {name for name in in_repo if "__pycache__" in name}


def test_installed_wheel_works_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "FRONTIER_WATCH_HOME": str(tmp_path / "home")}
    env.pop("FRONTIER_WATCH_CONFIG", None)
    env.pop("FRONTIER_WATCH_DB", None)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "from frontier_watch.settings.paths import data_dir, fetchers_dir; "
            "print(data_dir()); print(fetchers_dir())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    ).stdout.split()
    assert all(path.startswith(str(target)) for path in where), where
    result = subprocess.run(
        [sys.executable, "-m", "frontier_watch", "prices", "--as-of", "2021-12-01", "--json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert any(
        row["offering_id"] == "davinci" and row["input_usd_per_mtok"] == 60
        for row in json.loads(result.stdout)
    )
