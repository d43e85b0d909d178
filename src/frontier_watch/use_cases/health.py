"""Is frontier-watch still collecting? Each source's health against its schedule, and the doctor's checks.

Quiet failure is how trackers die, so a source is judged by its own cron schedule: its
*period* is the longest gap between two runs of that schedule (a weekday-only schedule's
period is the weekend, three days). A source is **unhealthy** when its last success is more
than three periods old, or when its last three runs all failed; it is a **warning** when it
is late (more than one and a half periods), when its last run failed, or when it has never
succeeded on a database younger than three periods (a new install that has not fetched
yet). A source that never succeeded is judged from the database's creation, as if it had
succeeded then. A source with no URL (curated, using the shipped copy) is not fetched, so
it is never stale.

:func:`source_health` is a pure function of plain data; :func:`read_source_health` reads the
runs and calls it (the dashboard's Sources screen and ``doctor`` both use it);
:func:`diagnose` is the whole of ``doctor``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from frontier_watch.domain.errors import DatabaseError, first_line

if TYPE_CHECKING:
    from frontier_watch.settings.config import Settings
    from frontier_watch.sources.spec import SourceSpec
    from frontier_watch.store.database import Database
    from frontier_watch.store.reading import Reader
    from frontier_watch.store.run_history import RunRecord

STALE_PERIODS = 3  # more periods than this since the last success: unhealthy
LATE_PERIODS = 1.5  # more than this: a warning
FAILED_IN_A_ROW = 3  # this many failed runs in a row: unhealthy
MIN_FREE_BYTES = 100 * 1024 * 1024  # less free disk than this beside the database: a failed check
LOW_FREE_BYTES = 1024 * 1024 * 1024  # less than this: a warning

OK, WARNING, UNHEALTHY, DISABLED, NOT_FETCHED = "ok", "warning", "unhealthy", "disabled", "not fetched"


@dataclass(frozen=True)
class SourceHealth:
    """One source's health, as ``doctor`` and the dashboard's Sources screen show it."""

    source_id: str
    enabled: bool
    schedule: str
    period: timedelta  # the longest gap between two runs of the schedule
    status: str  # ok | warning | unhealthy | disabled | not fetched
    reasons: tuple[str, ...]  # why it is not ok, in words (empty when ok)
    last_success: datetime | None  # naive UTC, as stored
    last_error: str | None  # the latest failure's error, when newer than the last success
    last_error_at: datetime | None
    latest_runs: tuple[str, ...]  # the latest finished runs' statuses, newest first
    periods_since_success: float | None  # age of the last success in periods (None: never)

    @property
    def healthy(self) -> bool:
        return self.status != UNHEALTHY


def source_health(
    specs: Iterable[SourceSpec],
    runs: Mapping[str, RunRecord],
    now: datetime,
    database_created_at: datetime | None = None,
) -> list[SourceHealth]:
    """Each source's health at ``now`` (naive UTC) from its runs; pure, in the order of ``specs``."""
    return [_one(spec, runs.get(spec.id), now, database_created_at) for spec in specs]


def _one(spec: SourceSpec, record: RunRecord | None, now: datetime, created: datetime | None) -> SourceHealth:
    from frontier_watch.settings.cron import schedule_period

    period = schedule_period(spec.schedule, now)
    last_success = record.last_success if record else None
    latest = record.latest if record else ()
    reasons: list[str] = []
    status = OK
    age = (now - last_success) / period if last_success else None
    if not spec.enabled:
        status = DISABLED
    elif not spec.url:
        status = NOT_FETCHED
    else:
        if len(latest) >= FAILED_IN_A_ROW and all(run != "ok" for run in latest[:FAILED_IN_A_ROW]):
            status = UNHEALTHY
            reasons.append(f"its last {FAILED_IN_A_ROW} runs failed")
        if last_success is None:
            since = (now - created) / period if created else 0.0
            if since > STALE_PERIODS:
                status = UNHEALTHY
                reasons.append(
                    f"never fetched successfully, and the database is {_periods(since)} old "
                    f"(schedule {spec.schedule})"
                )
            else:
                status = WARNING if status == OK else status
                reasons.append("never fetched successfully yet")
        elif age is not None and age > STALE_PERIODS:
            status = UNHEALTHY
            reasons.append(f"last success {_periods(age)} ago (schedule {spec.schedule})")
        elif age is not None and age > LATE_PERIODS:
            status = WARNING if status == OK else status
            reasons.append(f"late: last success {_periods(age)} ago")
        if latest and latest[0] != "ok" and status == OK:
            status = WARNING
        if latest and latest[0] != "ok":
            reasons.append("its last run failed")
    return SourceHealth(
        source_id=spec.id,
        enabled=spec.enabled,
        schedule=spec.schedule,
        period=period,
        status=status,
        reasons=tuple(reasons),
        last_success=last_success,
        last_error=record.last_error if record else None,
        last_error_at=record.last_error_at if record else None,
        latest_runs=latest,
        periods_since_success=round(age, 2) if age is not None else None,
    )


def _periods(count: float) -> str:
    return f"{count:.1f} schedule periods"


def read_source_health(reader: Reader, specs: Iterable[SourceSpec], now: datetime) -> list[SourceHealth]:
    """Every source's health from the database behind ``reader`` (the dashboard calls this)."""
    from frontier_watch.store.run_history import database_created_at, run_records

    return source_health(specs, run_records(reader, FAILED_IN_A_ROW), now, database_created_at(reader))


# ---------------------------------------------------------------- doctor


@dataclass(frozen=True)
class Check:
    """One of the doctor's checks: ok, warning or failed, with what it found."""

    name: str
    status: str  # ok | warning | failed
    detail: str


@dataclass
class Diagnosis:
    checks: list[Check] = field(default_factory=list)
    sources: list[SourceHealth] = field(default_factory=list)
    damaged: bool = False  # the database file is damaged: doctor exits 2, as every command does

    @property
    def healthy(self) -> bool:
        return all(check.status != "failed" for check in self.checks) and all(
            source.healthy for source in self.sources
        )


def diagnose(
    settings: Settings | None,
    now: datetime,
    *,
    config_error: str | None = None,
    disk_usage: Callable[[str], tuple[int, int, int]] = shutil.disk_usage,
) -> Diagnosis:
    """Config, database, disk, the data rules and every source's health. Talks to the database only."""
    from frontier_watch.domain.errors import ConfigurationError

    diagnosis = Diagnosis()
    checks = diagnosis.checks
    if settings is None or config_error:
        checks.append(Check("config", "failed", config_error or "no settings"))
        return diagnosis
    try:
        specs = list(settings.sources.values())
    except ConfigurationError as exc:
        checks.append(Check("config", "failed", str(exc)))
        return diagnosis
    where = str(settings.path) if settings.path else "built-in defaults"
    enabled = sum(spec.enabled for spec in specs)
    checks.append(Check("config", "ok", f"{where}; {len(specs)} sources, {enabled} enabled"))
    for warning in settings.warnings:
        checks.append(Check("config", "warning", warning))
    from frontier_watch.sources import plugin_problems

    for problem in plugin_problems():  # a broken plugin is left out; the other kinds still work
        checks.append(Check("plugins", "warning", problem))

    from frontier_watch.domain.errors import DamagedDatabase

    try:
        _check_database(settings, specs, now, disk_usage, diagnosis)
    except DamagedDatabase as damage:
        # Whatever was found before the damage was met is not to be trusted: say only this.
        checks[:] = [check for check in checks if check.name == "config"]
        checks.append(Check("database", "failed", str(damage)))
        diagnosis.sources = []
        diagnosis.damaged = True
    return diagnosis


def _check_database(
    settings: Settings,
    specs: list[SourceSpec],
    now: datetime,
    disk_usage: Callable[[str], tuple[int, int, int]],
    diagnosis: Diagnosis,
) -> None:
    """The database, disk and data checks and each source's health; DamagedDatabase goes to the caller."""
    from frontier_watch.store.database import open_database
    from frontier_watch.store.sqlite import sqlite_file

    checks = diagnosis.checks
    try:
        path = sqlite_file(settings.database_url)
    except DatabaseError as exc:  # a path that cannot be resolved (a symlink loop)
        checks.append(Check("database", "failed", str(exc)))
        return
    if path is not None and not path.exists():
        checks.append(
            Check("database", "failed", f"no database at {path} yet: frontier-watch db upgrade makes it")
        )
        return
    try:
        database = open_database(settings.database_url, migrate=False, create_folder=False)
    except Exception as exc:  # noqa: BLE001 - any failure to reach it is the finding (DatabaseError, driver)
        checks.append(
            Check("database", "failed", f"cannot reach {database_shown(settings)}: {first_line(exc)}")
        )
        return
    try:
        _check_open_database(database, path, specs, now, disk_usage, diagnosis)
    finally:
        database.engine.dispose()


def _check_open_database(
    database: Database,
    path: Path | None,
    specs: list[SourceSpec],
    now: datetime,
    disk_usage: Callable[[str], tuple[int, int, int]],
    diagnosis: Diagnosis,
) -> None:
    from frontier_watch.domain.errors import DamagedDatabase
    from frontier_watch.store import migrations
    from frontier_watch.store.checks import check_database
    from frontier_watch.store.readiness import schema_advice
    from frontier_watch.store.reading import reader_for, schema_version
    from frontier_watch.store.sqlite import writable

    checks = diagnosis.checks
    try:
        reader = reader_for(database)  # a read-only file is read as it is, as every read command does
        version = schema_version(reader)
    except DamagedDatabase:
        raise
    except Exception as exc:  # noqa: BLE001 - as above
        checks.append(Check("database", "failed", f"cannot reach {database.describe()}: {first_line(exc)}"))
        return
    with reader:
        if version != migrations.HEAD:
            advice = schema_advice(version, writable=path is None or writable(path))
            checks.append(Check("database", "failed", f"{database.describe()}: {advice}"))
            return
        checks.append(Check("database", "ok", f"{database.describe()}: reachable, schema version {version}"))
        checks.append(_disk_check(database.sqlite_path, disk_usage))
        report = check_database(reader, now)
        hard = [violation for violation in report.violations if violation.hard]
        notes = len(report.violations) - len(hard)
        if hard:
            rules = sorted({violation.rule for violation in hard})
            example = f"{hard[0].subject}: {hard[0].detail}"
            checks.append(
                Check(
                    "data",
                    "failed",
                    f"{len(hard)} hard rule violations ({', '.join(rules)}; first: {example}): db check",
                )
            )
        else:
            checks.append(Check("data", "ok", f"no hard rule is broken ({notes} notes: db check)"))
        diagnosis.sources = read_source_health(reader, specs, now)


def database_shown(settings: Settings) -> str:
    """The database's location as it may be shown: a URL's password hidden."""
    from frontier_watch.net.urls import without_secrets

    return without_secrets(settings.database_url)


def _disk_check(path: Path | None, disk_usage: Callable[[str], tuple[int, int, int]]) -> Check:
    if path is None:
        return Check("disk", "ok", "a server database: its disk is the server's to watch")
    free = disk_usage(str(path.parent))[2]
    shown = f"{free / 1024**3:.1f} GB free beside {path}"
    if free < MIN_FREE_BYTES:
        return Check("disk", "failed", f"only {shown}: fetches will fail to write")
    if free < LOW_FREE_BYTES:
        return Check("disk", "warning", f"only {shown}")
    return Check("disk", "ok", shown)
