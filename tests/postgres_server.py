"""A throwaway PostgreSQL server for the storage tests: real binaries, a temporary data folder.

The server is started once per test process (initdb, then pg_ctl on a free port of
127.0.0.1, fsync off) and each test gets a database of its own, dropped afterwards. The
binaries are found on PATH or in Debian's /usr/lib/postgresql/<version>/bin. PostgreSQL
refuses to run as root, so under root (CI) the server runs as the ``postgres`` user that
Debian's package creates (or ``nobody``).

With no binaries (or no psycopg) the PostgreSQL tests are skipped with the reason, unless
``FRONTIER_WATCH_REQUIRE_POSTGRES=1`` (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REQUIRE = "FRONTIER_WATCH_REQUIRE_POSTGRES"
MIGRATED = "fw_migrated_template"


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_user() -> tuple[list[str], str | None]:
    """The command prefix that runs the server as a user PostgreSQL accepts, and that user."""
    if os.geteuid() != 0:
        return [], None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], name
    raise Unavailable("running as root, and there is no postgres or nobody user to run the server as")


class PostgresServer:
    def __init__(self, folder: Path, port: int, prefix: list[str], bin_dir: Path) -> None:
        self.folder, self.port, self.prefix, self.bin_dir = folder, port, prefix, bin_dir

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres") as connection:
            connection.autocommit = True
            connection.execute(sql)

    def make_template(self) -> None:
        """A migrated, empty database that migrated test databases are copied from (a fast file copy)."""
        from frontier_watch.store import migrations
        from frontier_watch.store.database import make_engine

        self._admin(f"CREATE DATABASE {MIGRATED}")
        engine = make_engine(self.url(MIGRATED))
        migrations.upgrade(engine)
        engine.dispose()

    @contextmanager
    def database(self, *, migrated: bool = False) -> Iterator[str]:
        """A new database for one test (empty, or migrated); its URL. Dropped afterwards."""
        name = "fw_" + uuid.uuid4().hex[:12]
        self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {MIGRATED}" if migrated else ""))
        try:
            yield self.url(name)
        finally:
            self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        subprocess.run(
            [
                *self.prefix,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PostgresServer:
    """Start a throwaway server, or raise Unavailable with the reason."""
    bin_dir = binaries()
    if bin_dir is None:
        raise Unavailable(
            "no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: "
            "install them (apt-get install postgresql) to run the PostgreSQL tests"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("psycopg is not installed (pip install -e '.[test]')") from None
    prefix, user = _as_user()
    folder = Path(tempfile.mkdtemp(prefix="fw-pg-"))
    if user is not None:
        shutil.chown(folder, user=user)
    data = folder / "data"
    initdb = subprocess.run(
        [
            *prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        ],
        capture_output=True,
        text=True,
    )
    if initdb.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"initdb failed: {initdb.stderr.strip().splitlines()[-1:]}")
    # A free port is free when probed; another process (a second test worker, another
    # program) may take it before the server binds it: then try another.
    for attempt in range(1, 4):
        port = _free_port()
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        started = subprocess.run(
            [
                *prefix,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "-t",
                "120",
                "start",
            ],
            capture_output=True,
            text=True,
        )
        if started.returncode == 0:
            break
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        if "could not bind" in log and attempt < 3:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"pg_ctl start failed: {started.stderr.strip()} {log.strip()[-300:]}")
    server = PostgresServer(folder, port, prefix, bin_dir)
    server.make_template()
    return server
