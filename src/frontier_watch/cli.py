"""The command line. ``frontier-watch`` alone opens the dashboard.

Imports here are kept light (argparse only) so ``--help`` is instant; each command
imports what it needs when it runs, and none of the non-UI commands loads Textual.

Exit codes: 0 ok; 1 some sources failed (the rest stored); 2 usage or config error;
3 another fetch holds the lock.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

PROG = "frontier-watch"


class UsageError(Exception):
    """A bad argument or setting: printed as one line, exit code 2."""


# ---------------------------------------------------------------- helpers


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _settings(args: argparse.Namespace):
    from frontier_watch.catalogue import CatalogueError
    from frontier_watch.config import ConfigError, load_settings

    try:
        settings = load_settings(args.config, args.db)
    except (ConfigError, CatalogueError) as exc:
        raise UsageError(str(exc)) from None
    for warning in settings.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    return settings


def _database(args: argparse.Namespace, *, migrate: bool = True, seed: bool = True):
    from frontier_watch.curated import CuratedDataError
    from frontier_watch.db import DatabaseError, open_database

    settings = _settings(args)
    try:
        return settings, open_database(settings.database_url, migrate=migrate, seed=seed)
    except (DatabaseError, CuratedDataError) as exc:
        raise UsageError(str(exc)) from None


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------- price commands

PRICE_COLUMNS = [
    ("model_name", "model"),
    ("offering_id", "offering"),
    ("provider", "provider"),
    ("source", "source"),
    ("tier", "tier"),
    ("input_usd_per_mtok", "input $/M"),
    ("output_usd_per_mtok", "output $/M"),
    ("cache_read_usd_per_mtok", "cache rd $/M"),
    ("effective_from", "from"),
    ("effective_to", "to"),
    ("basis", "basis"),
]
PRICE_NUMERIC = ("input_usd_per_mtok", "output_usd_per_mtok", "cache_read_usd_per_mtok")


# public key in prices/history JSON -> key of a queries row
PRICE_RECORD_FIELDS = {
    "model_id": "model_id",
    "model_name": "model_name",
    "lab": "lab",
    "provider": "provider",
    "source": "source",
    "offering_id": "offering_id",
    "offering_name": "offering_name",
    "tier": "tier",
    "input_usd_per_mtok": "input",
    "output_usd_per_mtok": "output",
    "cache_read_usd_per_mtok": "cache_read",
    "cache_write_usd_per_mtok": "cache_write",
    "reasoning_usd_per_mtok": "reasoning",
    "request_usd": "request",
    "effective_from": "effective_from",
    "effective_to": "effective_to",
    "first_seen_at": "first_seen_at",
    "last_seen_at": "last_seen_at",
    "basis": "basis",
    "source_url": "source_url",
    "evidence": "evidence",
    "confidence": "confidence",
}
PRICE_JSON_KEYS = tuple(PRICE_RECORD_FIELDS)


def price_record(row: dict[str, Any]) -> dict[str, Any]:
    """A query row in the public shape of ``prices --json`` / ``history --json``."""
    record = {public: row[key] for public, key in PRICE_RECORD_FIELDS.items()}
    if row.get("superseded_at") is not None:
        record["superseded_at"] = row["superseded_at"]
    return record


def cmd_prices(args: argparse.Namespace) -> int:
    from frontier_watch import output, queries

    _, database = _database(args)
    with database.engine.connect() as connection:
        if args.unmatched:
            output.emit(
                queries.unmatched_offerings(connection),
                as_json=args.json,
                columns=[
                    ("source", "source"),
                    ("provider", "provider"),
                    ("offering_id", "offering"),
                    ("offering_name", "name"),
                    ("model_id", "model id (by rule)"),
                ],
                empty_message="every offering matched a known model",
            )
            return EXIT_OK
        as_of = queries.end_of_day(args.as_of) if args.as_of else _now()
        rows = queries.prices_as_of(connection, as_of, model=args.model, source=args.source, tier=args.tier)
    output.emit(
        [price_record(row) for row in rows],
        as_json=args.json,
        columns=PRICE_COLUMNS,
        numeric=PRICE_NUMERIC,
        empty_message=_no_prices_message(args),
    )
    return EXIT_OK


def _no_prices_message(args: argparse.Namespace) -> str:
    parts = ["no prices"]
    if args.model:
        parts.append(f"for models matching {args.model!r}")
    if args.as_of:
        parts.append(f"in force on {args.as_of.isoformat()}")
    return " ".join(parts)


def cmd_history(args: argparse.Namespace) -> int:
    from frontier_watch import output, queries

    _, database = _database(args)
    with database.engine.connect() as connection:
        rows = queries.price_history(connection, args.model)
    records = [price_record(row) for row in rows]
    if args.json:
        output.write_json(records)
        return EXIT_OK
    for record in records:
        if record.get("superseded_at") is not None:
            record["basis"] = f"{record['basis']} (restated)"
    output.write_table(
        records,
        [
            ("model_name", "model"),
            ("provider", "provider"),
            ("source", "source"),
            ("offering_id", "offering"),
            ("tier", "tier"),
            ("input_usd_per_mtok", "input $/M"),
            ("output_usd_per_mtok", "output $/M"),
            ("cache_read_usd_per_mtok", "cache rd $/M"),
            ("effective_from", "from"),
            ("effective_to", "to"),
            ("basis", "basis"),
            ("evidence", "evidence"),
            ("source_url", "source url"),
        ],
        numeric=PRICE_NUMERIC,
        empty_message=f"no price history for models matching {args.model!r}",
    )
    return EXIT_OK


# ---------------------------------------------------------------- facts


def cmd_signals(args: argparse.Namespace) -> int:
    from frontier_watch import output, queries

    _, database = _database(args)
    with database.engine.connect() as connection:
        rows = queries.signals(connection, category=args.category, entity=args.entity, since=args.since)
    output.emit(
        rows,
        as_json=args.json,
        columns=[
            ("date", "date"),
            ("category", "category"),
            ("entity", "entity"),
            ("item", "item"),
            ("value", "value"),
            ("unit", "unit"),
            ("evidence", "evidence"),
            ("source_url", "source"),
        ],
        numeric=("value",),
        empty_message="no signals match",
    )
    return EXIT_OK


def cmd_releases(args: argparse.Namespace) -> int:
    from frontier_watch import output, queries

    _, database = _database(args)
    with database.engine.connect() as connection:
        rows = queries.releases(
            connection, lab=args.lab, since=args.since, open_weights=True if args.open_weights else None
        )
    output.emit(
        rows,
        as_json=args.json,
        columns=[
            ("date", "date"),
            ("lab", "lab"),
            ("model", "model"),
            ("open_weights", "open weights"),
            ("license", "licence"),
            ("total_params_b", "params (B)"),
            ("evidence", "evidence"),
            ("source_url", "source"),
        ],
        numeric=("total_params_b",),
        empty_message="no releases match",
    )
    return EXIT_OK


# ---------------------------------------------------------------- fetching


SUMMARY_COLUMNS = [
    ("source_id", "source"),
    ("status", "status"),
    ("records", "records"),
    ("new", "new"),
    ("changed", "changed"),
    ("withdrawn", "withdrawn"),
    ("skipped", "skipped"),
    ("seconds", "seconds"),
    ("error", "note"),
]


def _summary_line(summary) -> str:
    from frontier_watch.output import safe_text

    line = (
        f"{_now().isoformat(timespec='seconds')}Z {summary.source_id} {summary.status} "
        f"records={summary.records} new={summary.new} changed={summary.changed} "
        f"withdrawn={summary.withdrawn} skipped={summary.skipped} seconds={summary.seconds:.1f}"
    )
    if summary.error:
        line += f" note={safe_text(summary.error)}"
    return line


def cmd_fetch(args: argparse.Namespace) -> int:
    import threading

    from frontier_watch import output
    from frontier_watch.curated import load_identity
    from frontier_watch.fetch_lock import LockHeld, fetch_lock, lock_path_for
    from frontier_watch.http import RetryPolicy
    from frontier_watch.runner import FetchOptions, fetch_sources, mark_interrupted_runs

    settings, database = _database(args)
    unknown = [name for name in args.sources if name not in settings.sources]
    if unknown:
        known = ", ".join(sorted(settings.sources))
        raise UsageError(f"unknown source {', '.join(map(repr, unknown))} (known: {known})")
    specs = [settings.sources[name] for name in args.sources] or settings.enabled_sources()
    if not specs:
        raise UsageError("no sources enabled; enable one in the config or name it")
    options = FetchOptions(
        timeout_seconds=settings.fetch_timeout_seconds,
        retry=RetryPolicy(
            settings.fetch_attempts, settings.fetch_backoff_seconds, settings.fetch_max_retry_wait_seconds
        ),
    )
    interactive = sys.stderr.isatty() and not args.quiet and not args.json
    try:
        with fetch_lock(lock_path_for(database)) as notes:
            for note in notes:
                print(f"{PROG}: {note}", file=sys.stderr)
            mark_interrupted_runs(database.engine)
            identity = load_identity()
            if interactive:
                summaries = _fetch_with_progress(database, specs, identity, options)
            else:
                printing = threading.Lock()  # sources finish on their own threads

                def report(summary) -> None:
                    if args.json:
                        return
                    if not args.quiet or summary.status != "ok":
                        stream = sys.stdout if summary.status == "ok" else sys.stderr
                        with printing:
                            print(_summary_line(summary), file=stream, flush=True)

                summaries = fetch_sources(database.engine, specs, identity, options, on_done=report)
    except LockHeld as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    if args.json:
        output.write_json([summary.as_dict() for summary in summaries])
    elif interactive:
        output.write_table(
            [summary.as_dict() for summary in summaries],
            SUMMARY_COLUMNS,
            numeric=("records", "new", "changed", "withdrawn", "skipped", "seconds"),
        )
    failed = [summary for summary in summaries if summary.status != "ok"]
    return EXIT_PARTIAL if failed else EXIT_OK


def _fetch_with_progress(database, specs, identity, options):
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from frontier_watch.output import safe_text
    from frontier_watch.runner import fetch_sources

    def shown(text: object) -> str:  # source text is data, never rich markup
        return escape(safe_text(text))

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks = {spec.id: progress.add_task(f"{spec.id}: waiting", total=1) for spec in specs}

        def started(spec) -> None:
            progress.update(tasks[spec.id], description=f"{shown(spec.id)}: fetching {shown(spec.url)}")

        def done(summary) -> None:
            mark = "ok" if summary.status == "ok" else summary.status.upper()
            detail = (
                f"{summary.records} records, {summary.new} new, {summary.changed} changed, "
                f"{summary.withdrawn} withdrawn"
            )
            if summary.status != "ok":
                detail = shown(summary.error or "")
            progress.update(
                tasks[summary.source_id], completed=1, description=f"{summary.source_id}: {mark} - {detail}"
            )

        return fetch_sources(database.engine, specs, identity, options, on_start=started, on_done=done)


def cmd_sources(args: argparse.Namespace) -> int:
    from frontier_watch import output, queries

    settings, database = _database(args)
    with database.engine.connect() as connection:
        status = queries.source_status(connection)
    rows = []
    for spec in settings.sources.values():
        facts = status.get(spec.id, {})
        rows.append(
            {
                "id": spec.id,
                "kind": spec.kind,
                "enabled": spec.enabled,
                "url": spec.url,
                "schedule": spec.schedule,
                "evidence": spec.evidence,
                "attribution": spec.attribution,
                "licence": spec.licence,
                "last_success": facts.get("last_success"),
                "last_error": facts.get("last_error"),
                "last_error_at": facts.get("last_error_at"),
                "offerings": facts.get("offerings", 0),
                "price_rows": facts.get("price_rows", 0),
            }
        )
    output.emit(
        rows,
        as_json=args.json,
        columns=[
            ("id", "source"),
            ("kind", "kind"),
            ("enabled", "on"),
            ("schedule", "schedule"),
            ("last_success", "last success"),
            ("price_rows", "rows"),
            ("last_error", "last error"),
            ("url", "url"),
        ],
        numeric=("price_rows",),
    )
    return EXIT_OK


# ---------------------------------------------------------------- database


def cmd_db(args: argparse.Namespace) -> int:
    from sqlalchemy import func, inspect, select

    from frontier_watch import migrations
    from frontier_watch.models import SQLModel

    if args.db_command == "upgrade":
        from frontier_watch.curated import CuratedDataError, seed_curated

        settings, database = _database(args, migrate=False, seed=False)
        before = migrations.current_version(database.engine)
        try:
            applied = migrations.upgrade(database.engine)
            seeded = seed_curated(database.engine)
        except (migrations.SchemaError, CuratedDataError) as exc:
            raise UsageError(f"{database.describe()}: {exc}") from None
        for migration in applied:
            print(f"applied migration {migration.version}: {migration.name}")
        if not applied:
            print(f"schema is up to date (version {before})")
        if seeded:
            print(f"seeded curated data: {sum(seeded.values())} rows from {len(seeded)} files")
        return EXIT_OK

    settings, database = _database(args)
    tables = [name for name in SQLModel.metadata.tables if name != "schema_migration"]
    existing = set(inspect(database.engine).get_table_names())
    with database.engine.connect() as connection:
        counts = {
            name: connection.execute(
                select(func.count()).select_from(SQLModel.metadata.tables[name])
            ).scalar_one()
            for name in tables
            if name in existing
        }
    version = migrations.current_version(database.engine)
    info = {
        "location": database.describe(),
        "config": str(settings.path) if settings.path else None,
        "schema_version": version,
        "schema_head": migrations.HEAD,
        "row_counts": counts,
    }
    if args.json:
        import json

        print(json.dumps(info, indent=2))
        return EXIT_OK
    print(f"location        {info['location']}")
    print(f"config          {info['config'] or '(built-in defaults)'}")
    print(f"schema version  {version} (this frontier-watch knows {migrations.HEAD})")
    print("rows")
    for name, count in counts.items():
        print(f"  {name:<18}{count:>10,}")
    return EXIT_OK


# ---------------------------------------------------------------- dashboard


def cmd_dashboard(args: argparse.Namespace) -> int:
    settings, database = _database(args)
    from frontier_watch.tui.app import FrontierWatchApp

    FrontierWatchApp(database=database, settings=settings).run()
    return EXIT_OK


def _not_built(issue_text: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        raise UsageError(f"'{args.command}' is not available in this version yet ({issue_text})")

    return handler


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Track AI model prices, releases and compute signals over time, "
        "with the source and evidence behind every number. Run without a command to "
        "open the dashboard.",
        epilog="Exit codes: 0 ok, 1 some sources failed, 2 usage or config error, "
        "3 another fetch holds the lock.",
    )
    from frontier_watch import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: $FRONTIER_WATCH_CONFIG, ./config.toml, then the user config dir)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL "
        "(default: $FRONTIER_WATCH_DB, [database] url, then the user data dir)",
    )
    parser.set_defaults(handler=cmd_dashboard, command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str, *, json_flag: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler, command=name)
        if json_flag:
            sub.add_argument("--json", action="store_true", help="print JSON instead of a table")
        return sub

    prices = command("prices", cmd_prices, "prices in force now or on a given day")
    prices.add_argument("--model", metavar="TEXT", help="only models whose id or name contains TEXT")
    prices.add_argument("--as-of", metavar="DATE", type=_parse_day, help="the day to ask about (YYYY-MM-DD)")
    prices.add_argument("--source", metavar="ID", help="only this source (e.g. openrouter, curated)")
    prices.add_argument("--tier", metavar="TIER", help="only this tier (default, batch, off-peak, ...)")
    prices.add_argument(
        "--unmatched", action="store_true", help="list offerings no crosswalk entry or other source matched"
    )

    history = command("history", cmd_history, "every price interval of a model, with basis and source")
    history.add_argument("model", metavar="MODEL", help="model id or name (substring match)")

    signals = command("signals", cmd_signals, "infrastructure signals: clusters, power, capex, export rules")
    signals.add_argument("--category", help="cluster, power, capex, export_control, chip_launch, ...")
    signals.add_argument("--entity", help="only entities containing this text (e.g. xAI)")
    signals.add_argument("--since", type=_parse_day, metavar="DATE", help="only on or after this day")

    releases = command("releases", cmd_releases, "model releases with licence and openness")
    releases.add_argument("--lab", help="only labs containing this text")
    releases.add_argument("--since", type=_parse_day, metavar="DATE", help="only on or after this day")
    releases.add_argument("--open-weights", action="store_true", help="only open-weight releases")

    fetch = command("fetch", cmd_fetch, "fetch sources now and store only what changed")
    fetch.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all enabled)")
    fetch.add_argument("--quiet", action="store_true", help="print only failures (for cron)")

    command("sources", cmd_sources, "the catalogue of sources with their last runs")

    db = command("db", cmd_db, "database location, schema version and migrations", json_flag=False)
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations and seed curated data")
    info = db_commands.add_parser("info", help="location, schema version and row counts")
    info.add_argument("--json", action="store_true", help="print JSON")

    for name, help_text, issue in (
        ("changes", "recent price changes", "a later issue"),
        ("trends", "price-of-capability trends next to published figures", "a later issue"),
        ("compare", "compare two models' prices", "a later issue"),
        ("export", "write CSV snapshots", "a later issue"),
        ("schedule", "run fetches on their cron schedules", "a later issue"),
        ("doctor", "check config, database and sources", "a later issue"),
    ):
        sub = command(name, _not_built(issue), f"{help_text} (not available yet)")
        sub.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
