"""``fetch``, ``schedule``, ``sources``, ``db``, ``doctor`` and the dashboard: keeping the tracker running."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from frontier_watch.cli.common import (
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    UsageError,
    database_from,
    emit,
    print_json,
    reader_from,
    settings_from,
    sigterm_stops_like_ctrl_c,
    summary_line,
    warn,
)


def cmd_fetch(args: argparse.Namespace) -> int:
    import threading

    from frontier_watch.render import output, public_rows
    from frontier_watch.store.fetch_lock import LockHeld
    from frontier_watch.use_cases.fetching import FetchOptions, UnknownSourceError, run_fetch

    settings, database = database_from(args)
    interactive = sys.stderr.isatty() and not args.quiet and not args.json
    printing = threading.Lock()  # sources finish on their own threads

    def report(summary) -> None:
        if args.json or (args.quiet and summary.status == "ok"):
            return
        stream = sys.stdout if summary.status == "ok" else sys.stderr
        with printing:
            print(summary_line(summary), file=stream, flush=True)

    options = FetchOptions.from_settings(settings, accept_shrink=frozenset(args.accept_shrink or ()))
    try:
        if interactive:
            from frontier_watch.render.progress import fetch_progress

            with fetch_progress() as (on_start, on_done), sigterm_stops_like_ctrl_c():
                result = run_fetch(
                    settings, database, args.sources, options=options, on_start=on_start, on_done=on_done
                )
        else:
            with sigterm_stops_like_ctrl_c():
                result = run_fetch(settings, database, args.sources, options=options, on_done=report)
    except UnknownSourceError as exc:
        raise UsageError(str(exc)) from None
    except LockHeld as exc:
        warn(str(exc))
        return EXIT_LOCKED
    for note in result.notes:
        warn(note)
    rows = [summary.as_dict() for summary in result.summaries]
    if args.json:
        output.write_json(rows)
    elif interactive:
        output.write_table(rows, public_rows.FETCH_SUMMARY)
    return EXIT_PARTIAL if result.failed else EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    """Fetch every enabled source on its cron schedule until SIGINT or SIGTERM; one line per run."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.output import safe_text
    from frontier_watch.use_cases.fetching import UnknownSourceError
    from frontier_watch.use_cases.scheduler import ScheduleOptions, run_schedule

    settings, database = database_from(args)

    def log(line: str) -> None:
        print(f"{utc_now().isoformat(timespec='seconds')}Z schedule {safe_text(line)}", flush=True)

    def on_run(summary) -> None:
        stream = sys.stdout if summary.status == "ok" else sys.stderr
        print(summary_line(summary), file=stream, flush=True)

    options = ScheduleOptions(catch_up=not args.no_catch_up, clock=utc_now)
    try:
        run_schedule(settings, database, options=options, on_run=on_run, log=log)
    except UnknownSourceError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from frontier_watch.render import public_rows
    from frontier_watch.sources import plugin_problems
    from frontier_watch.store import run_history

    settings, reader = reader_from(args)
    with reader:
        status = run_history.source_status(reader)
    rows = []
    for spec in settings.sources.values():
        facts = status.get(spec.id, {})
        rows.append(
            {
                **public_rows.source_record(spec),
                "last_success": facts.get("last_success"),
                "last_error": facts.get("last_error"),
                "last_error_at": facts.get("last_error_at"),
                "offerings": facts.get("offerings", 0),
                "price_rows": facts.get("price_rows", 0),
                "signals": facts.get("signals", 0),
                "releases": facts.get("releases", 0),
                "feed_items": facts.get("feed_items", 0),
            }
        )
        rows[-1]["rows"] = sum(rows[-1][key] for key in ("price_rows", "signals", "releases", "feed_items"))
    for problem in plugin_problems():
        warn(f"warning: {problem}")
    emit(args, rows, public_rows.SOURCES)
    return EXIT_OK


def cmd_db_check(args: argparse.Namespace) -> int:
    """Every rule the stored data must keep; exit 1 when a hard one is broken."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.output import safe_text
    from frontier_watch.store.checks import check_database

    _, reader = reader_from(args)
    with reader:
        report = check_database(reader, utc_now())
    if args.json:
        document = {
            "ok": report.ok,
            "counts": report.counts(),
            "violations": [violation._asdict() for violation in report.violations],
        }
        print_json(document)
        return EXIT_OK if report.ok else EXIT_PARTIAL
    hard = [violation for violation in report.violations if violation.hard]
    for violation in hard:
        print(f"FAIL {violation.rule:<18} {safe_text(violation.subject)}: {safe_text(violation.detail)}")
    notes = Counter(violation.rule for violation in report.violations if not violation.hard)
    for rule, count in sorted(notes.items()):
        example = next(v for v in report.violations if v.rule == rule and not v.hard)
        print(f"note {rule:<18} {count:>5}  e.g. {safe_text(example.subject)}: {safe_text(example.detail)}")
    if report.ok:
        print("ok: no hard rule is broken" + (" (notes above: see --json for every one)" if notes else ""))
        return EXIT_OK
    print(f"{len(hard)} hard rule violations", file=sys.stderr)
    return EXIT_PARTIAL


def cmd_db(args: argparse.Namespace) -> int:
    from frontier_watch.store import migrations

    if args.db_command == "upgrade":
        from frontier_watch.store.seed import upgrade_database

        result = upgrade_database(settings_from(args).database_url)
        applied, before, seeded = result.applied, result.before, result.seeded
        for migration in applied:
            print(f"applied migration {migration.version}: {migration.name}")
        if not applied:
            print(f"schema is up to date (version {before})")
        if seeded:
            print(f"seeded curated data: {sum(seeded.values())} rows from {len(seeded)} files")
        return EXIT_OK

    from frontier_watch.store import catalog
    from frontier_watch.store.reading import schema_version

    settings, reader = reader_from(args)
    with reader:
        counts = catalog.row_counts(reader)
        version = schema_version(reader)
    info = {
        "location": reader.where,
        "config": str(settings.path) if settings.path else None,
        "schema_version": version,
        "schema_head": migrations.HEAD,
        "row_counts": counts,
    }
    if args.json:
        print_json(info)
        return EXIT_OK
    print(f"location        {info['location']}")
    print(f"config          {info['config'] or '(built-in defaults)'}")
    print(f"schema version  {version} (this frontier-watch knows {migrations.HEAD})")
    print("rows")
    for name, count in counts.items():
        print(f"  {name:<18}{count:>10,}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    """Config, database, disk, data rules and every source's health; exit 1 when anything is unhealthy."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.domain.errors import ConfigurationError
    from frontier_watch.use_cases.health import diagnose

    settings, config_error = None, None
    try:
        settings = settings_from(args)
    except ConfigurationError as exc:
        config_error = str(exc)
    diagnosis = diagnose(settings, utc_now(), config_error=config_error)
    if args.json:
        from frontier_watch.render.output import json_value

        document = {
            "healthy": diagnosis.healthy,
            "checks": [vars(check) for check in diagnosis.checks],
            "sources": [
                {
                    **{key: json_value(value) for key, value in vars(source).items() if key != "period"},
                    "period_hours": round(source.period.total_seconds() / 3600, 2),
                    "reasons": list(source.reasons),
                    "latest_runs": list(source.latest_runs),
                }
                for source in diagnosis.sources
            ],
        }
        print_json(document)
    else:
        _print_diagnosis(diagnosis)
    if diagnosis.damaged:
        return EXIT_USAGE  # a damaged database file is exit code 2 for every command
    return EXIT_OK if diagnosis.healthy else EXIT_PARTIAL


def _print_diagnosis(diagnosis) -> None:
    from frontier_watch.render.output import safe_text

    for check in diagnosis.checks:
        print(f"{check.status:<9} {check.name:<9} {safe_text(check.detail)}")
    if diagnosis.sources:
        print()
        print(f"{'source':<20} {'status':<12} {'last success':<17} {'periods':>7}  why / last error")
    for source in diagnosis.sources:
        periods = "-" if source.periods_since_success is None else f"{source.periods_since_success:.1f}"
        why = "; ".join(source.reasons)
        if source.last_error:
            why += ("; " if why else "") + f"last error: {source.last_error}"
        print(
            f"{safe_text(source.source_id):<20} {source.status:<12} {safe_text(source.last_success):<17} "
            f"{periods:>7}  {safe_text(why) if why else '-'}"
        )
    unhealthy = [source.source_id for source in diagnosis.sources if not source.healthy]
    failed = [check.name for check in diagnosis.checks if check.status == "failed"]
    if diagnosis.healthy:
        print("\nhealthy")
    else:
        parts = [f"failed checks: {', '.join(failed)}"] if failed else []
        if unhealthy:
            parts.append(f"unhealthy sources: {', '.join(unhealthy)}")
        print(f"\nunhealthy: {'; '.join(parts)}")


def cmd_dashboard(args: argparse.Namespace) -> int:
    """No command: open the dashboard, on a terminal only."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the dashboard needs a terminal; name a command (see --help)", show_usage=True)
    from frontier_watch.store.seed import open_database_to_read

    settings = settings_from(args)
    database = open_database_to_read(settings.database_url, create_folder=settings.database_is_default)
    from frontier_watch.tui.app import create_app

    create_app(database, settings).run()
    return EXIT_OK
