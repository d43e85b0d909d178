"""doctor and source health: staleness against each source's own schedule, with the clock injected."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from frontier_watch.cli import main
from frontier_watch.settings.cron import cron_trigger, schedule_period
from frontier_watch.sources.spec import SourceSpec
from frontier_watch.store.run_history import RunRecord
from frontier_watch.use_cases.health import (
    DISABLED,
    NOT_FETCHED,
    OK,
    UNHEALTHY,
    WARNING,
    Check,
    diagnose,
    source_health,
)

NOW = datetime(2026, 11, 22, 12, 0)


def spec(source_id="openrouter", schedule="0 * * * *", **changes):
    fields = dict(
        id=source_id,
        kind="openrouter",
        url="https://example.test/models",
        schedule=schedule,
        attribution="a",
        licence="l",
        evidence="official-announcement",
    )
    return SourceSpec(**{**fields, **changes})


def runs(last_success=None, latest=("ok",), error=None, error_at=None, source_id="openrouter"):
    return {source_id: RunRecord(source_id, last_success, error, error_at, tuple(latest))}


def health(specs, records, now=NOW, created=NOW - timedelta(days=30)):
    return {entry.source_id: entry for entry in source_health(specs, records, now, created)}


@pytest.mark.parametrize(
    ("cron", "period"),
    [
        ("0 * * * *", timedelta(hours=1)),
        ("17 */6 * * *", timedelta(hours=6)),
        ("0 9 * * 1-5", timedelta(days=3)),  # the weekend is the longest gap
        ("30 4 1 * *", timedelta(days=31)),
    ],
)
def test_a_schedules_period_is_its_longest_gap(cron, period):
    assert schedule_period(cron, NOW) == period


def test_cron_weekdays_count_from_sunday_as_cron_does():
    monday_night = cron_trigger("13 3 * * 1").get_next_fire_time(None, datetime(2026, 11, 22, tzinfo=UTC))
    assert monday_night.strftime("%A %H:%M") == "Monday 03:13"
    sunday = cron_trigger("0 12 * * 0").get_next_fire_time(None, datetime(2026, 11, 23, tzinfo=UTC))
    assert sunday.strftime("%A") == "Sunday"
    assert cron_trigger("0 12 * * 7").get_next_fire_time(None, datetime(2026, 11, 23, tzinfo=UTC)) == sunday
    every_other = cron_trigger("*/15 * * * 1-5").get_next_fire_time(None, datetime(2026, 11, 22, tzinfo=UTC))
    assert every_other.strftime("%A %H:%M") == "Monday 00:00"


def test_a_recent_success_is_ok():
    entry = health([spec()], runs(NOW - timedelta(minutes=50)))["openrouter"]
    assert entry.status == OK and entry.healthy and entry.reasons == ()
    assert entry.periods_since_success == pytest.approx(0.83, abs=0.01)


def test_late_is_a_warning_and_more_than_three_periods_is_unhealthy():
    late = health([spec()], runs(NOW - timedelta(hours=2)))["openrouter"]
    assert late.status == WARNING and late.healthy and "late" in late.reasons[0]
    just = health([spec()], runs(NOW - timedelta(hours=3)))["openrouter"]
    assert just.status == WARNING  # exactly three periods is not yet more than three
    stale = health([spec()], runs(NOW - timedelta(hours=3, minutes=1)))["openrouter"]
    assert stale.status == UNHEALTHY and not stale.healthy
    assert stale.reasons == ("last success 3.0 schedule periods ago (schedule 0 * * * *)",)


def test_three_failed_runs_in_a_row_are_unhealthy_even_after_a_recent_success():
    recent = NOW - timedelta(minutes=10)
    two = health([spec()], runs(recent, ("failed", "failed", "ok"), "HTTP 503", NOW))["openrouter"]
    assert two.status == WARNING and "its last run failed" in two.reasons
    assert two.last_error == "HTTP 503"
    three = health([spec()], runs(recent, ("failed", "suspicious", "failed"), "HTTP 503", NOW))["openrouter"]
    assert three.status == UNHEALTHY and "its last 3 runs failed" in three.reasons


def test_never_fetched_is_a_warning_on_a_young_database_and_unhealthy_on_an_old_one():
    young = health([spec()], {}, created=NOW - timedelta(hours=2))["openrouter"]
    assert young.status == WARNING and young.reasons == ("never fetched successfully yet",)
    old = health([spec()], {}, created=NOW - timedelta(hours=4))["openrouter"]
    assert old.status == UNHEALTHY and "never fetched successfully" in old.reasons[0]


def test_disabled_and_url_less_sources_are_never_stale():
    found = health(
        [spec("off", enabled=False), spec("curated", kind="curated", url="")],
        {},
        created=NOW - timedelta(days=400),
    )
    assert found["off"].status == DISABLED and found["off"].healthy
    assert found["curated"].status == NOT_FETCHED and found["curated"].healthy


def test_a_config_error_or_an_unreachable_database_is_a_failed_check(tmp_path):
    assert diagnose(None, NOW, config_error="c.toml: bad").checks == [
        Check("config", "failed", "c.toml: bad")
    ]
    from frontier_watch.settings.config import load_settings

    missing = diagnose(load_settings(db=str(tmp_path / "none.db")), NOW)
    assert not missing.healthy and missing.checks[-1].name == "database"
    assert not (tmp_path / "none.db").exists()  # doctor does not make one
    refused = diagnose(load_settings(db="postgresql://u@127.0.0.1:9/db"), NOW)
    assert refused.checks[-1].status == "failed" and "Connection refused" in refused.checks[-1].detail


def test_low_disk_is_a_failed_check(seeded_db_path):
    from frontier_watch.settings.config import load_settings

    settings = load_settings(db=str(seeded_db_path))
    diagnosis = diagnose(settings, NOW, disk_usage=lambda path: (10**12, 10**12 - 50 * 2**20, 50 * 2**20))
    [disk] = [check for check in diagnosis.checks if check.name == "disk"]
    assert disk.status == "failed" and "0.0 GB free" in disk.detail
    assert not diagnosis.healthy


def test_doctor_goes_from_0_to_1_when_the_last_success_is_old_enough(
    database_url, openrouter_served, monkeypatch, capsys
):
    """A real fetch, then doctor at now (0) and at four schedule periods later (1): clock injected."""
    from frontier_watch.domain import clock

    _, config = openrouter_served
    assert main(["--config", str(config), "--db", database_url, "fetch", "openrouter", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "--db", database_url, "doctor"]) == 0
    out = capsys.readouterr().out
    assert "openrouter" in out and out.rstrip().endswith("healthy")

    real_now = clock.utc_now
    monkeypatch.setattr(clock, "utc_now", lambda: real_now() + timedelta(hours=6 * 4))
    assert main(["--config", str(config), "--db", database_url, "doctor", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["healthy"] is False
    sources = {source["source_id"]: source for source in document["sources"]}
    assert sources["openrouter"]["status"] == "unhealthy"
    assert sources["openrouter"]["period_hours"] == 6.0
    assert sources["openrouter"]["periods_since_success"] > 3
    assert sources["openrouter"]["last_success"].endswith("Z")
    assert sources["litellm"]["status"] == "disabled"
    assert {check["name"]: check["status"] for check in document["checks"]} == {
        "config": "ok",
        "database": "ok",
        "disk": "ok",
        "data": "ok",
    }


def test_a_database_behind_this_versions_schema_fails_and_is_not_migrated(tmp_path):
    from frontier_watch.settings.config import load_settings
    from frontier_watch.store import migrations
    from frontier_watch.store.database import make_engine

    path = tmp_path / "old.db"
    engine = make_engine(str(path))
    migrations.upgrade(engine, target=migrations.HEAD - 1)
    diagnosis = diagnose(load_settings(db=str(path)), NOW)
    [database] = [check for check in diagnosis.checks if check.name == "database"]
    assert database.status == "failed" and "run frontier-watch db upgrade" in database.detail
    assert not diagnosis.healthy
    assert migrations.current_version(engine) == migrations.HEAD - 1  # doctor only looks
    engine.dispose()
