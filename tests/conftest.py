"""Shared fixtures: every test gets its own home, config and database locations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from frontier_watch.store import migrations
from frontier_watch.store.database import Database, make_engine
from frontier_watch.store.seed import open_seeded_database

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No test reads the developer's config or database, or the checkout's config.toml."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FRONTIER_WATCH_HOME", str(home))
    monkeypatch.delenv("FRONTIER_WATCH_CONFIG", raising=False)
    monkeypatch.delenv("FRONTIER_WATCH_DB", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)  # tables in a pipe are whole unless a test sets it
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


@pytest.fixture
def empty_engine(tmp_path):
    """A migrated database with no curated data."""
    engine = make_engine(str(tmp_path / "empty.db"))
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    database = open_seeded_database(str(path))
    database.engine.dispose()
    return path


@pytest.fixture
def seeded_db_path(_seeded_template, tmp_path) -> Path:
    """A private copy of a database seeded from data/ (seeding once per session)."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(_seeded_template, path)
    return path


@pytest.fixture
def seeded_database(seeded_db_path) -> Database:
    database = open_seeded_database(str(seeded_db_path))
    yield database
    database.engine.dispose()
