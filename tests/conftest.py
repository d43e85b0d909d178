"""Shared fixtures: every test gets its own home, config and database locations."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hostile_input import seeded_template

from frontier_watch.store import migrations
from frontier_watch.store.database import Database, make_engine
from frontier_watch.store.seed import open_seeded_database

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers per core. Much of the suite waits (on a fetch process, a
    loopback server, a terminal in tmux, a scheduler's signal), so a second worker per core
    fills that time: on the 2-core machine the suite takes about 3 minutes rather than 4."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first (each keeps its order): with the suite spread over workers, a
    long test collected last (mypy, the wheel) would leave one worker running it alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
def _seeded_template() -> Path:
    """The worker's one seeded database (hostile_input.seeded_template: the hostile fetches copy it too)."""
    return seeded_template()


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


# ---------------------------------------------------------------- PostgreSQL as well as SQLite


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for this test process (see postgres_server.py)."""
    import os

    import postgres_server as pg

    try:
        server = pg.start()
    except pg.Unavailable as exc:
        if os.environ.get(pg.REQUIRE) == "1":
            pytest.fail(f"PostgreSQL is required here ({pg.REQUIRE}=1) but: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty PostgreSQL database of this test's own."""
    with postgres_server.database() as url:
        yield url


@pytest.fixture
def postgres_migrated_url(postgres_server):
    """The URL of a new PostgreSQL database of this test's own, migrated and empty."""
    with postgres_server.database(migrated=True) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each storage test runs twice: on an SQLite file and on a real PostgreSQL database (new, empty)."""
    if request.param == "sqlite":
        yield str(tmp_path / "fw.db")
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_engine(request, tmp_path):
    """A migrated database with no curated data, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        engine = make_engine(str(tmp_path / "empty.db"))
        migrations.upgrade(engine)
    else:
        engine = make_engine(request.getfixturevalue("postgres_migrated_url"))
    yield engine
    engine.dispose()


@pytest.fixture
def openrouter_served(tmp_path):
    """A real HTTP server on 127.0.0.1 with OpenRouter's recorded sheet, and a config that
    points openrouter at it and turns every other fetchable source off: (server, config path)."""
    from fixture_server import fixture_server

    from frontier_watch.settings.catalogue import load_catalogue

    others = "".join(
        f"\n[sources.{name}]\nenabled = false\n" for name in sorted(set(load_catalogue()) - {"openrouter"})
    )
    with fixture_server() as server:
        url = server.serve(
            "/api/v1/models", (FIXTURES / "openrouter/models_2026-02-27.sample.json").read_bytes()
        )
        config = tmp_path / "config.toml"
        config.write_text(
            f'[fetch]\nbackoff_seconds = 0.01\n\n[sources.openrouter]\nurl = "{url}"\n'
            f"options = {{ shrink_floor = 10 }}\n{others}",
            encoding="utf-8",
        )
        yield server, config
