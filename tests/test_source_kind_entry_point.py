"""A kind shipped as a package: found through the ``frontier_watch.source_kinds`` entry points.

The package here is a real (if hand-made) installed distribution: a module defining the
kind and a ``.dist-info`` folder whose ``entry_points.txt`` names it, put on the path of
the real CLI, run in a subprocess. It fetches from a server on 127.0.0.1 and its rows are
read back. A broken plugin is one warning line; the built-in kinds keep working.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_server import fixture_server

pytestmark = pytest.mark.slow

PLUGIN_MODULE = '''
"""A third party's source kind: GPU clusters from a JSON list."""

from datetime import date

from frontier_watch.domain.batch import Batch, SignalFact
from frontier_watch.sources.errors import SourceFormatError, load_json
from frontier_watch.sources.kind import SourceKind


def parse(response, spec):
    items = load_json(response.body, "cluster list")
    if not isinstance(items, list):
        raise SourceFormatError("cluster list: expected an array")
    batch = Batch()
    for item in items:
        batch.signals.append(
            SignalFact(
                key=item["id"],
                date=date.fromisoformat(item["date"]),
                category="cluster",
                entity=item["entity"],
                item=item["what"],
                metric="GPUs",
                value=float(item["gpus"]),
                unit="GPUs",
            )
        )
    return batch


KIND = SourceKind("cluster-list", parse, frozenset({"signals"}))
NOT_A_KIND = "cluster-list, but a string"
CLASHING = SourceKind("openrouter", parse, frozenset({"signals"}))
'''

GOOD = "cluster-list = fw_cluster_kind:KIND\n"
BROKEN = (
    "missing = fw_no_such_module:KIND\n"
    "not-a-kind = fw_cluster_kind:NOT_A_KIND\n"
    "clash = fw_cluster_kind:CLASHING\n"
)

CLUSTERS = [
    {"id": "c1", "date": "2024-09-02", "entity": "xAI", "what": "Colossus", "gpus": 100000},
    {"id": "c2", "date": "2025-01-10", "entity": "Meta", "what": "Cluster two", "gpus": 24000},
]


def install_plugin(folder: Path, entry_points: str) -> Path:
    """The plugin as pip leaves it in a --target folder: the module and its dist-info."""
    folder.mkdir()
    (folder / "fw_cluster_kind.py").write_text(PLUGIN_MODULE)
    info = folder / "fw_cluster_kind-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fw-cluster-kind\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[frontier_watch.source_kinds]\n{entry_points}")
    return folder


def write_spec(home: Path, url: str) -> None:
    folder = home / "fetchers"
    folder.mkdir(exist_ok=True)
    (folder / "clusters.toml").write_text(
        "\n".join(
            [
                'id = "clusters"',
                'kind = "cluster-list"',
                f'url = "{url}"',
                'schedule = "0 6 * * *"',
                'attribution = "A test list of clusters"',
                'licence = "CC0"',
                'evidence = "press-report"',
            ]
        )
        + "\n"
    )


def cli(plugin: Path, home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FRONTIER_WATCH_HOME": str(home), "PYTHONPATH": str(plugin)}
    env.pop("FRONTIER_WATCH_CONFIG", None)
    env.pop("FRONTIER_WATCH_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "frontier_watch", *argv],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def fetch_and_read_back(plugin: Path, home: Path, db: str) -> list[str]:
    """Fetch the plugin's source from a local server; the stored rows; the commands' stderr."""
    with fixture_server() as server:
        server.serve("/clusters", json.dumps(CLUSTERS).encode())
        write_spec(home, server.url("/clusters"))
        fetched = cli(plugin, home, "--db", db, "fetch", "clusters", "--json")
        assert fetched.returncode == 0, fetched.stderr
        [summary] = json.loads(fetched.stdout)
        assert summary["status"] == "ok" and summary["records"] == 2 and summary["new"] == 2
        assert [path for path, _ in server.requests] == ["/clusters"]
    signals = cli(plugin, home, "--db", db, "signals", "--entity", "xAI", "--json")
    assert signals.returncode == 0, signals.stderr
    [colossus] = [row for row in json.loads(signals.stdout) if row["source"] == "clusters"]
    assert colossus["value"] == 100000 and colossus["item"] == "Colossus"
    assert colossus["evidence"] == "press-report" and colossus["source_url"] == server.url("/clusters")
    return [fetched.stderr, signals.stderr]


def test_a_kind_installed_as_a_package_fetches_end_to_end(tmp_path):
    plugin = install_plugin(tmp_path / "site", GOOD)
    home = tmp_path / "home-cli"
    home.mkdir()
    stderr = fetch_and_read_back(plugin, home, str(tmp_path / "fw.db"))
    assert stderr == ["", ""]

    listed = cli(plugin, home, "--db", str(tmp_path / "fw.db"), "sources", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows["clusters"]["kind"] == "cluster-list" and rows["clusters"]["last_success"]


def test_a_broken_plugin_is_one_warning_line_and_every_other_kind_works(tmp_path):
    plugin = install_plugin(tmp_path / "site", GOOD + BROKEN)
    home = tmp_path / "home-cli"
    home.mkdir()
    db = str(tmp_path / "fw.db")
    fetch_and_read_back(plugin, home, db)  # the good kind beside the broken ones

    listed = cli(plugin, home, "--db", db, "sources", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows["openrouter"]["kind"] == "openrouter" and rows["clusters"]["kind"] == "cluster-list"
    warnings = listed.stderr.splitlines()
    assert len(warnings) == 3 and "Traceback" not in listed.stderr
    clash, missing, not_a_kind = sorted(warnings)  # by entry-point name, after the common prefix
    assert "'clash'" in clash and "'openrouter' is already known" in clash
    assert "'missing'" in missing and "cannot be loaded: ModuleNotFoundError" in missing
    assert "'not-a-kind'" in not_a_kind and "names a str, not a SourceKind" in not_a_kind
    assert all(line.startswith("frontier-watch: warning: source kind plugin ") for line in warnings)

    doctor = cli(plugin, home, "--db", db, "doctor", "--json")
    assert "Traceback" not in doctor.stderr
    checks = json.loads(doctor.stdout)["checks"]
    assert sorted(check["detail"] for check in checks if check["name"] == "plugins") == [
        line.removeprefix("frontier-watch: warning: ") for line in sorted(warnings)
    ]
    assert {check["status"] for check in checks if check["name"] == "plugins"} == {"warning"}
