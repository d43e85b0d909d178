"""The command line: parse arguments, call the core, render. ``frontier-watch`` alone opens the dashboard."""

# Imports here are kept light (argparse only) so ``--help`` is instant; each command
# imports what it needs when it runs, and none of the non-UI commands loads Textual.
#
# Exit codes: 0 ok; 1 some sources failed (the rest stored); 2 usage or config error;
# 3 another fetch holds the lock; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM, during a fetch).

from __future__ import annotations

import argparse
import importlib
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended

PROG = "frontier-watch"


class UsageError(Exception):
    """A bad argument or setting: printed as one line, exit code 2."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it is stopped exactly as Ctrl-C is."""


@contextmanager
def _sigterm_stops_like_ctrl_c() -> Iterator[None]:
    """While inside, SIGTERM raises Terminated (a KeyboardInterrupt) in the main thread.

    A fetch told to stop (``kill``, systemd, a container's shutdown) then cancels its
    downloads, marks its runs interrupted and releases its lock on the way out, as on
    Ctrl-C, instead of dying with its runs marked running. The old handler comes back.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------- helpers


def _parse_day(text: str) -> date:
    from frontier_watch.domain.clock import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _warn(message: str) -> None:
    from frontier_watch.render.output import safe_text

    print(f"{PROG}: {safe_text(message)}", file=sys.stderr)


def _settings(args: argparse.Namespace):
    from frontier_watch.settings.config import load_settings

    settings = load_settings(getattr(args, "config", None), getattr(args, "db", None))
    for warning in settings.warnings:
        _warn(f"warning: {warning}")
    return settings


def _database(args: argparse.Namespace):
    """The settings and the database, migrated and seeded with new curated data (commands that write)."""
    from frontier_watch.store.seed import open_seeded_database

    settings = _settings(args)
    return settings, open_seeded_database(settings.database_url)


def _reader(args: argparse.Namespace):
    """The settings and a reader on the database (migrated and seeded first only if needed).

    A read creates no folder, except the user data dir on the first launch; a file that
    cannot be written is read as it is.
    """
    from frontier_watch.store.opening import open_reader

    settings = _settings(args)
    return settings, open_reader(settings.database_url, create_folder=settings.database_is_default)


def _emit(
    args: argparse.Namespace, rows: Sequence[dict[str, Any]], listing, empty: str | None = None
) -> None:
    from frontier_watch.render import output

    output.emit(rows, listing, as_json=args.json, wide=getattr(args, "wide", False), empty_message=empty)


def _suggest_models(reader, text: str) -> None:
    """No model matched: name the closest known ones (stderr)."""
    import difflib

    from frontier_watch.store import model_lookup

    names = model_lookup.model_names(reader)
    lowered = {name.lower(): name for name in names}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=5, cutoff=0.6)
    hint = f"; close matches: {', '.join(lowered[name] for name in close)}" if close else ""
    _warn(f"no model matches {text!r}{hint}")


def _explain_no_match(label: str, value: str, known: Sequence[str]) -> None:
    """A filter value that matches nothing known: say what the known values are (stderr)."""
    shown = ", ".join(known) if known else "none yet"
    _warn(f"nothing matches {label} {value!r}; the known values are: {shown}")


# ---------------------------------------------------------------- price commands


def cmd_prices(args: argparse.Namespace) -> int:
    from frontier_watch.domain.clock import end_of_day, utc_now
    from frontier_watch.render import public_rows
    from frontier_watch.store import price_reads

    settings, reader = _reader(args)
    with reader:
        if args.unmatched:
            _emit(args, price_reads.unmatched_offerings(reader), public_rows.UNMATCHED)
            return EXIT_OK
        as_of = end_of_day(args.as_of) if args.as_of else utc_now()
        rows = price_reads.prices_as_of(
            reader,
            as_of,
            model=args.model or args.family,
            family=bool(args.family),
            source=args.source,
            tier=args.tier,
            disagreeing=args.disagreements,
        )
        if not rows:
            _explain_empty_prices(reader, args)
    records = [public_rows.price_record(row, for_table=not args.json) for row in rows]
    listing = public_rows.DISAGREEMENTS if args.disagreements else public_rows.PRICES
    if args.blended and records:
        records = _with_blended_price(records, settings)
        listing = public_rows.with_blended(listing)
    _emit(args, records, listing, _no_prices_message(args))
    return EXIT_OK


def _with_blended_price(records: list[dict[str, Any]], settings) -> list[dict[str, Any]]:
    from frontier_watch.analytics.prices import blended_price
    from frontier_watch.store.frames import price_frame

    frame = blended_price(price_frame(records), settings.blend_input_weight, settings.blend_output_weight)
    blends = frame.get_column("blended_usd_per_mtok").to_list()
    return [
        {**record, "blended_usd_per_mtok": _round_usd(blend)}
        for record, blend in zip(records, blends, strict=True)
    ]


def _round_usd(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _explain_empty_prices(reader, args: argparse.Namespace) -> None:
    from frontier_watch.store import catalog, price_reads

    asked = args.model or args.family
    if asked and not price_reads.price_history(reader, asked, family=bool(args.family)):
        _suggest_models(reader, asked)
    if args.source and args.source not in (known := catalog.known_values(reader, "source")):
        _explain_no_match("source", args.source, known)
    if args.tier and args.tier not in (known := catalog.known_values(reader, "tier")):
        _explain_no_match("tier", args.tier, known)


def _no_prices_message(args: argparse.Namespace) -> str:
    parts = ["no disagreeing prices" if args.disagreements else "no prices"]
    if args.model:
        parts.append(f"for {args.model!r}")
    if args.family:
        parts.append(f"for the {args.family!r} family")
    if args.source:
        parts.append(f"from source {args.source!r}")
    if args.tier:
        parts.append(f"in tier {args.tier!r}")
    if args.as_of:
        parts.append(f"in force on {args.as_of.isoformat()}")
    return " ".join(parts)


def cmd_history(args: argparse.Namespace) -> int:
    from frontier_watch.render import public_rows
    from frontier_watch.store import price_reads

    _, reader = _reader(args)
    with reader:
        rows = price_reads.price_history(reader, args.model, family=args.family)
        if not rows:
            _suggest_models(reader, args.model)
    records = [public_rows.price_record(row, for_table=not args.json) for row in rows]
    if not args.json:
        for record in records:
            if record.get("superseded_at") is not None:
                record["basis"] = f"{record['basis']} (restated)"
    _emit(args, records, public_rows.HISTORY, f"no price history for {args.model!r}")
    return EXIT_OK


# ---------------------------------------------------------------- fact listings


class FactFilter(NamedTuple):
    """A list command's filter: its option, the query keyword it feeds, and what it names."""

    flag: str
    keyword: str
    label: str  # what the value names ("category"), for the known-values hint
    help: str
    column: str | None = None  # the column whose known values are listed when nothing matches
    kind: str = "text"  # text | day | flag | evidence (one of the evidence classes)
    choices: tuple[str, ...] = ()  # the only values accepted (argparse refuses the rest)
    metavar: str = "TEXT"


class FactListing(NamedTuple):
    """A table-driven list command (releases, signals): a query, its filters and its columns."""

    name: str
    help: str
    query: str  # the read function, "module.function" under frontier_watch.store
    listing: str  # the Listing in public_rows
    record: str  # the function in public_rows that gives a row its public shape
    filters: tuple[FactFilter, ...]


FACT_LISTINGS = (
    FactListing(
        "signals",
        "infrastructure signals: clusters, power, capex, export rules",
        "signal_reads.signals",
        "SIGNALS",
        "signal_record",
        (
            FactFilter(
                "--category",
                "category",
                "category",
                "cluster, power, capex, export_control, ...",
                column="signal.category",
            ),
            FactFilter(
                "--entity",
                "entity",
                "entity",
                "only entities containing this text (e.g. xAI)",
                column="signal.entity",
            ),
            FactFilter("--since", "since", "date", "only on or after this day (YYYY-MM-DD)", kind="day"),
            FactFilter(
                "--evidence",
                "evidence",
                "evidence class",
                "only this evidence class (vendor-claim, independent-estimate, ...)",
                kind="evidence",
            ),
            FactFilter(
                "--unreviewed",
                "unreviewed",
                "",
                "list feed items waiting for review (signals review ID) instead of signals",
                kind="flag",
            ),
            FactFilter(
                "--history",
                "history",
                "",
                "only signals a source changed, each with what it said before",
                kind="flag",
            ),
        ),
    ),
    FactListing(
        "releases",
        "model releases with licence, openness, lineage and downloads",
        "release_reads.releases",
        "RELEASES",
        "release_record",
        (
            FactFilter(
                "--org",
                "org",
                "organisation",
                "only this Hugging Face organisation",
                column="release.org",
                metavar="ORG",
            ),
            FactFilter("--lab", "lab", "lab", "only labs containing this text", column="release.lab"),
            FactFilter("--since", "since", "date", "only on or after this day (YYYY-MM-DD)", kind="day"),
            FactFilter(
                "--license",
                "license_class",
                "licence class",
                "only this licence class: permissive, restricted, proprietary or unknown",
                choices=("permissive", "restricted", "proprietary", "unknown"),
                metavar="CLASS",
            ),
            FactFilter("--open-weights", "open_weights", "", "only open-weight releases", kind="flag"),
            FactFilter(
                "--derived-from",
                "derived_from",
                "base repository",
                "only releases built on this repository, directly or not (e.g. deepseek-ai/DeepSeek-R1)",
                metavar="REPO",
            ),
        ),
    ),
)


def _explain_no_fact(reader, spec: FactListing, filters: dict[str, Any]) -> None:
    """Nothing listed: name each text filter whose value matches no stored value (stderr)."""
    from frontier_watch.store import catalog

    for item in spec.filters:
        value = filters.get(item.keyword)
        if item.column and isinstance(value, str):
            known = catalog.known_values(reader, item.column)
            if not any(value.lower() in candidate.lower() for candidate in known):
                _explain_no_match(item.label, value, known)


def _filters(spec: FactListing, args: argparse.Namespace) -> dict[str, Any]:
    filters = {item.keyword: getattr(args, item.keyword) for item in spec.filters}
    return {key: value for key, value in filters.items() if value not in (None, False)}


def _fact_command(spec: FactListing) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from frontier_watch.render import public_rows

        module, function = spec.query.split(".")
        _, reader = _reader(args)
        filters = _filters(spec, args)
        with reader:
            rows = getattr(importlib.import_module(f"frontier_watch.store.{module}"), function)(
                reader, **filters
            )
            if not rows:
                _explain_no_fact(reader, spec, filters)
        record = getattr(public_rows, spec.record)
        _emit(args, [record(row) for row in rows], getattr(public_rows, spec.listing))
        return EXIT_OK

    return handler


# ---------------------------------------------------------------- signals


def cmd_signals(args: argparse.Namespace) -> int:
    """``signals``: signals with their evidence and history, or feed items waiting for review."""
    from frontier_watch.render import public_rows
    from frontier_watch.store import signal_reads

    spec = next(listing for listing in FACT_LISTINGS if listing.name == "signals")
    filters = _filters(spec, args)
    unreviewed, history = filters.pop("unreviewed", False), filters.pop("history", False)
    if unreviewed:
        return _list_unreviewed(args, filters)
    _, reader = _reader(args)
    with reader:
        rows = signal_reads.signals(reader, changed=history, **filters)
        if not rows and not history:
            _explain_no_fact(reader, spec, filters)
        versions = signal_reads.signal_history(reader, [row["id"] for row in rows])
        waiting = len(signal_reads.feed_items(reader)) if sys.stdout.isatty() and not args.json else 0
    records = [public_rows.signal_record(row, versions.get(row["id"])) for row in rows]
    if history and not args.json:
        _emit(args, _version_rows(records), public_rows.SIGNAL_VERSIONS)
    elif args.json:
        _emit(args, records, public_rows.SIGNALS)
    else:
        _emit(
            args,
            [{key: value for key, value in record.items() if key != "history"} for record in records],
            public_rows.SIGNALS,
        )
    if waiting:
        _warn(f"{waiting} feed items wait for review: frontier-watch signals --unreviewed")
    return EXIT_OK


def _version_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows for ``signals --history``: each signal as it is now, then its earlier versions."""
    rows = []
    for record in records:
        rows.append({**record, "version": "now"})
        for version in reversed(record["history"]):
            rows.append(
                {"id": record["id"], **version, "version": f"until {version['replaced_at']:%Y-%m-%d}"}
            )
    return rows


def _list_unreviewed(args: argparse.Namespace, filters: dict[str, Any]) -> int:
    from frontier_watch.render import public_rows
    from frontier_watch.store import signal_reads

    for flag, given in (
        ("--category", args.category),
        ("--evidence", args.evidence),
        ("--history", args.history),
    ):
        if given:
            raise UsageError(
                f"{flag} does not apply to --unreviewed: a feed item has no category, evidence class "
                "or history until it is reviewed"
            )
    _, reader = _reader(args)
    with reader:
        rows = signal_reads.feed_items(reader, since=filters.get("since"), text=filters.get("entity"))
    records = [public_rows.feed_item_record(row) for row in rows]
    if not args.json:
        records = [{**record, "matched": ", ".join(record["matched"])} for record in records]
    _emit(args, records, public_rows.FEED_ITEMS)
    return EXIT_OK


def _signal_entry(args: argparse.Namespace, **defaults: Any):
    from frontier_watch.use_cases.signal_entry import SignalEntry

    given = {
        name: getattr(args, name)
        for name in (
            "date",
            "entity",
            "category",
            "item",
            "metric",
            "value",
            "value_high",
            "unit",
            "source_url",
            "evidence",
            "confidence",
            "notes",
        )
    }
    given = {name: value for name, value in given.items() if value is not None}
    return SignalEntry(**{**defaults, **given, "date_precision": args.date_precision})


def _report_signal(args: argparse.Namespace, database, signal_id: int, counts, verb: str) -> None:
    from frontier_watch.render import public_rows
    from frontier_watch.render.output import safe_text
    from frontier_watch.store import signal_reads
    from frontier_watch.store.reading import reader_for

    with reader_for(database) as reader:
        row = signal_reads.signal(reader, signal_id)
        versions = signal_reads.signal_history(reader, [signal_id])
    assert row is not None  # just written
    record = public_rows.signal_record(row, versions.get(signal_id))
    if args.json:
        from frontier_watch.render import output

        output.write_json([record])
        return
    if counts.changed:
        verb = "updated (what it said before is kept: signals --history)"
    elif not counts.new:
        verb = "already stored with these values; nothing changed"
    print(
        f"signal {signal_id} {verb}: {safe_text(record['date'])} {safe_text(record['entity'])}: "
        f"{safe_text(record['item'])} = {safe_text(record['value'])} {safe_text(record['unit'])} "
        f"[{record['evidence']}, {safe_text(record['source_url'])}]"
    )


def cmd_signals_add(args: argparse.Namespace) -> int:
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.store.signals import add_user_signal
    from frontier_watch.use_cases.signal_entry import SignalEntryError, checked_signal

    now = utc_now()
    try:
        fact = checked_signal(_signal_entry(args), today=now.date())
    except SignalEntryError as exc:
        raise UsageError(f"signals add: {exc}") from None
    _, database = _database(args)
    signal_id, counts = add_user_signal(database.engine, fact, now=now)
    _report_signal(args, database, signal_id, counts, "added")
    return EXIT_OK


def cmd_signals_review(args: argparse.Namespace) -> int:
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.store.feed_items import NotReviewable, review_feed_item
    from frontier_watch.use_cases.signal_entry import SignalEntryError, checked_signal

    now = utc_now()
    given = [
        flag
        for flag in ("category", "evidence", "entity", "metric", "value", "unit")
        if getattr(args, flag) is not None
    ]
    if args.dismiss and given:
        raise UsageError(f"signals review: --dismiss takes no signal options (got --{', --'.join(given)})")
    if not args.dismiss and (args.evidence is None or args.category is None):
        raise UsageError(
            "signals review: give --evidence and --category to promote the item into a signal, "
            "or --dismiss to mark it reviewed without one"
        )
    settings, database = _database(args)

    def make_signal(item: dict[str, Any]):
        spec = settings.sources.get(item["source_id"])
        published = item["published_at"]
        entry = _signal_entry(
            args,
            date=published.date() if published else None,
            entity=spec.options.get("entity") if spec else None,
            item=item["title"],
            source_url=item["link"],
        )
        return checked_signal(entry, today=now.date(), key=item["entry_key"], measured=False)

    try:
        review = review_feed_item(
            database.engine, args.item_id, None if args.dismiss else make_signal, now=now
        )
    except (NotReviewable, SignalEntryError) as exc:
        raise UsageError(f"signals review: {exc}") from None
    if review.signal_id is None:
        if not args.json:
            print(f"feed item {args.item_id} dismissed (reviewed, no signal)")
        else:
            from frontier_watch.render import output

            output.write_json([])
        return EXIT_OK
    _report_signal(args, database, review.signal_id, review.counts, f"made from feed item {args.item_id}")
    return EXIT_OK


# ---------------------------------------------------------------- fetching


def _summary_line(summary) -> str:
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.output import safe_text

    line = (
        f"{utc_now().isoformat(timespec='seconds')}Z {summary.source_id} {summary.status} "
        f"records={summary.records} new={summary.new} changed={summary.changed} "
        f"withdrawn={summary.withdrawn} skipped={summary.skipped} seconds={summary.seconds:.1f}"
    )
    if summary.error:
        line += f" note={safe_text(summary.error)}"
    return line


def cmd_fetch(args: argparse.Namespace) -> int:
    import threading

    from frontier_watch.render import output, public_rows
    from frontier_watch.store.fetch_lock import LockHeld
    from frontier_watch.use_cases.fetching import FetchOptions, UnknownSourceError, run_fetch

    settings, database = _database(args)
    interactive = sys.stderr.isatty() and not args.quiet and not args.json
    printing = threading.Lock()  # sources finish on their own threads

    def report(summary) -> None:
        if args.json or (args.quiet and summary.status == "ok"):
            return
        stream = sys.stdout if summary.status == "ok" else sys.stderr
        with printing:
            print(_summary_line(summary), file=stream, flush=True)

    options = FetchOptions.from_settings(settings, accept_shrink=frozenset(args.accept_shrink or ()))
    try:
        if interactive:
            from frontier_watch.render.progress import fetch_progress

            with fetch_progress() as (on_start, on_done), _sigterm_stops_like_ctrl_c():
                result = run_fetch(
                    settings, database, args.sources, options=options, on_start=on_start, on_done=on_done
                )
        else:
            with _sigterm_stops_like_ctrl_c():
                result = run_fetch(settings, database, args.sources, options=options, on_done=report)
    except UnknownSourceError as exc:
        raise UsageError(str(exc)) from None
    except LockHeld as exc:
        _warn(str(exc))
        return EXIT_LOCKED
    for note in result.notes:
        _warn(note)
    rows = [summary.as_dict() for summary in result.summaries]
    if args.json:
        output.write_json(rows)
    elif interactive:
        output.write_table(rows, public_rows.FETCH_SUMMARY)
    return EXIT_PARTIAL if result.failed else EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from frontier_watch.render import public_rows
    from frontier_watch.sources import plugin_problems
    from frontier_watch.store import run_history

    settings, reader = _reader(args)
    with reader:
        status = run_history.source_status(reader)
    rows = []
    for spec in settings.sources.values():
        facts = status.get(spec.id, {})
        rows.append(
            {
                "id": spec.id,
                "kind": spec.kind,
                "enabled": spec.enabled,
                "url": public_rows.shown_url(spec.url) or None,  # None: the shipped copy (curated)
                "schedule": spec.schedule,
                "evidence": spec.evidence,
                "attribution": spec.attribution,
                "licence": spec.licence,
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
        _warn(f"warning: {problem}")
    _emit(args, rows, public_rows.SOURCES)
    return EXIT_OK


# ---------------------------------------------------------------- database


def cmd_db_check(args: argparse.Namespace) -> int:
    """Every rule the stored data must keep; exit 1 when a hard one is broken."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.output import safe_text
    from frontier_watch.store.checks import check_database

    _, reader = _reader(args)
    with reader:
        report = check_database(reader, utc_now())
    if args.json:
        document = {
            "ok": report.ok,
            "counts": report.counts(),
            "violations": [violation._asdict() for violation in report.violations],
        }
        _print_json(document)
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

        result = upgrade_database(_settings(args).database_url)
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

    settings, reader = _reader(args)
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
        _print_json(info)
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
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        build_parser().print_usage(sys.stderr)
        _warn("error: the dashboard needs a terminal; name a command (see --help)")
        return EXIT_USAGE
    from frontier_watch.store.seed import open_database_to_read

    settings = _settings(args)
    database = open_database_to_read(settings.database_url, create_folder=settings.database_is_default)
    from frontier_watch.tui.app import create_app

    create_app(database, settings).run()
    return EXIT_OK


# ---------------------------------------------------------------- trends, compare, changes, import


def _today(args: argparse.Namespace) -> date:
    from frontier_watch.domain.clock import utc_now

    return utc_now().date()


def _blend(text: str) -> tuple[float, float]:
    import math

    parts = text.split(":")
    try:
        weights = tuple(float(part) for part in parts)
    except ValueError:
        weights = ()
    if len(weights) != 2 or not all(math.isfinite(w) and w >= 0 for w in weights) or sum(weights) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give input:output weights such as 3:1 or 1:1")
    return weights[0], weights[1]


def _threshold(text: str) -> float:
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r}: give a score such as 83 or 35.7")
    return value


def _show_chart(args: argparse.Namespace, chart) -> None:
    """--chart draws it here (colour only on a terminal); --save-chart writes it to a file."""
    import shutil

    from frontier_watch.render import charts

    if getattr(args, "save_chart", None):
        charts.save(chart, args.save_chart)
        _warn(f"chart written to {args.save_chart}")
    if getattr(args, "chart", False):
        size = shutil.get_terminal_size((100, 30))
        text = charts.render(
            chart, min(size.columns, 140), max(min(size.lines - 4, 30), 12), colour=sys.stdout.isatty()
        )
        sys.stdout.write(text + "\n")


def _print_json(value: Any) -> None:
    """A document as JSON on stdout (indented at a terminal), its text made inert (output.json_text)."""
    from frontier_watch.render.output import json_text

    print(json_text(value, indent=2 if sys.stdout.isatty() else None))


def _fmt_factor(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}x"


def _fmt_usd(value: float | None) -> str:
    return "-" if value is None else f"${value:.4g}"


def cmd_trends_capability(args: argparse.Namespace) -> int:
    from frontier_watch import reports
    from frontier_watch.analytics.capability import CapabilityQuery
    from frontier_watch.render.output import safe_text

    settings, reader = _reader(args)
    blend = args.blend or (settings.blend_input_weight, settings.blend_output_weight)
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    query = CapabilityQuery(
        benchmark=args.benchmark.lower(),
        threshold=args.threshold,
        method=args.method,
        input_weight=blend[0],
        output_weight=blend[1],
        exclude_reasoning=args.exclude_reasoning,
        include_flagged=args.include_flagged,
        include_free=args.include_free,
        since=args.since,
        until=args.until,
    )
    with reader:
        report = reports.capability_report(reader, query, _today(args))
    if args.json:
        _print_json(report.as_json())
        return EXIT_OK
    data = report.as_json()
    print(
        f"Price of {query.benchmark} >= {query.threshold:g} "
        f"({query.method} method, blend {query.blend_text()})"
    )
    if report.message:
        print(f"  {safe_text(report.message)}")
    else:
        fit = report.fit
        assert fit is not None
        interval = (
            f" (90% interval {_fmt_factor(fit.ci_low)} - {_fmt_factor(fit.ci_high)})"
            if fit.ci_low
            else " (two points: no interval)"
        )
        print(f"  ours: {fit.factor_per_year:.3g}x cheaper a year{interval}")
        print(f"  {fit.start} .. {fit.end}: {fit.total_factor:.3g}x in all, {fit.points} points fitted")
        for point in data["points"]:
            print(
                f"    {point['date']}  {safe_text(point['model_id']):<32} "
                f"{_fmt_usd(point['blended_usd_per_mtok']):>10}  score {point['score']:g}  "
                f"{safe_text(point['price_basis'])} ({safe_text(point['source'])})"
            )
    for claim in data["published"]:
        high = f"-{claim['value_high']:g}" if claim["value_high"] else ""
        print(
            f"  published: {safe_text(claim['source'])} {claim['value']:g}{high} {safe_text(claim['unit'])}"
            f" [{safe_text(claim['applies'])}] {safe_text(claim['source_url'])}"
        )
        print(f"    how ours differs: {safe_text(claim['how_ours_differs'])}")
    print(f"  method: {safe_text(report.method_note)}")
    if report.fit is not None:
        _show_chart(args, reports.capability_chart(report))
    return EXIT_OK


def cmd_trends_model(args: argparse.Namespace) -> int:
    from frontier_watch import reports
    from frontier_watch.render.output import safe_text

    settings, reader = _reader(args)
    blend = args.blend or (settings.blend_input_weight, settings.blend_output_weight)
    with reader:
        report = reports.model_trend_report(reader, args.model, _today(args), blend)
    data = report.as_json()
    if args.json:
        _print_json(data)
        return EXIT_OK
    first, latest = data["first"], data["latest"]
    print(
        f"{safe_text(report.model_id)}: blended price "
        f"({blend[0]:g}:{blend[1]:g} input:output), USD per M tokens"
    )
    if first and latest:
        print(f"  first  {first['date']}  {_fmt_usd(first['blended_usd_per_mtok'])}")
        print(f"  latest {latest['date']}  {_fmt_usd(latest['blended_usd_per_mtok'])}")
        print(
            f"  total: {_fmt_factor(data['total_factor'])} cheaper; "
            f"per year: {_fmt_factor(data['factor_per_year'])}"
        )
    if report.message:
        print(f"  {safe_text(report.message)}")
    for change in data["changes"]:
        print(
            f"    {change['date']}  in {_fmt_usd(change['input_usd_per_mtok'])}  "
            f"out {_fmt_usd(change['output_usd_per_mtok'])}"
            f"  blended {_fmt_usd(change['blended_usd_per_mtok'])}  {safe_text(change['price_basis'])}"
            f" ({safe_text(change['source'])})"
        )
    if report.changes.height > 1:
        _show_chart(args, reports.model_trend_chart(report))
    return EXIT_OK


def cmd_trends_releases(args: argparse.Namespace) -> int:
    from frontier_watch import reports
    from frontier_watch.render.output import safe_text

    _, reader = _reader(args)
    with reader:
        report = reports.release_trends_report(reader, args.since)
    data = report.as_json()
    if args.json:
        _print_json(data)
        return EXIT_OK
    print(f"{report.releases} releases (a model listed by several sources counts once)")
    print("  quarter     releases  open weights  share")
    for row in data["open_weight_share"]:
        print(
            f"  {row['quarter']}  {row['releases']:>8}  {row['open_weights']:>12}  {row['open_share']:>5.0%}"
        )
    print("  busiest labs per quarter:")
    shown: dict[str, int] = {}
    for row in data["per_lab_quarter"]:
        if shown.get(row["quarter"], 0) < 3:
            shown[row["quarter"]] = shown.get(row["quarter"], 0) + 1
            print(f"    {row['quarter']}  {safe_text(row['lab']):<24} {row['releases']}")
    print(
        "  licence mix per year: "
        + "; ".join(
            f"{row['year']} {safe_text(row['license_class'])} {row['releases']}"
            for row in data["licence_mix"]
        )
    )
    if report.open_share.height:
        _show_chart(args, reports.release_chart(report))
    return EXIT_OK


def cmd_trends_compute(args: argparse.Namespace) -> int:
    from frontier_watch import reports
    from frontier_watch.render.output import safe_text

    _, reader = _reader(args)
    with reader:
        report = reports.compute_trends_report(reader)
    data = report.as_json()
    if args.json:
        _print_json(data)
        return EXIT_OK
    for item in data["largest"]:
        print(f"Largest known: {item['measure']}")
        if item["message"]:
            print(f"  {safe_text(item['message'])}")
        else:
            halving = item.get("doubling_years")
            doubling = f", doubling every {halving * 12:.1f} months" if halving else ""
            print(
                f"  grows {_fmt_factor(item['factor_per_year'])} a year{doubling} "
                f"({item['start']} .. {item['end']})"
            )
        for record in item["records"]:
            print(
                f"    {record['date']}  {record['value']:>12,.0f}  {safe_text(record.get('item'))[:60]}"
                f"  [{safe_text(record.get('evidence'))}]"
            )
    if data["capex_per_company_year"]:
        print("Capex per company and year (latest figure given, billion USD):")
        for row in data["capex_per_company_year"]:
            print(
                f"    {row['year']}  {safe_text(row['entity']):<28} "
                f"{safe_text(row['metric']):<28} {row['value']:>8g}"
            )
    for claim in data["published"]:
        high = f"-{claim['value_high']:g}" if claim.get("value_high") else ""
        print(
            f"  published: {safe_text(claim['source_org'])} {safe_text(claim['metric'])} "
            f"{claim['value']:g}{high} {safe_text(claim['unit'])} {safe_text(claim['source_url'])}"
        )
    if any(not item.records.is_empty() for item in report.series):
        _show_chart(args, reports.compute_chart(report))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from frontier_watch import reports
    from frontier_watch.render.output import safe_text

    settings, reader = _reader(args)
    blend = args.blend or (settings.blend_input_weight, settings.blend_output_weight)
    day = args.as_of or _today(args)
    with reader:
        comparison = reports.compare_report(reader, args.a, args.b, day, blend)
    data = comparison.as_json()
    if args.json:
        _print_json(data)
        return EXIT_OK
    print(f"Prices in force on {day.isoformat()}, USD per million tokens")
    for key in ("a", "b"):
        side = data[key]
        print(
            f"  {key.upper()} {safe_text(side['model_id']):<28} in {_fmt_usd(side['input_usd_per_mtok']):>9}"
            f"  out {_fmt_usd(side['output_usd_per_mtok']):>9}  "
            f"blended {_fmt_usd(side['blended_usd_per_mtok']):>9}"
            f"  {safe_text(side['price_basis'])} ({safe_text(side['source'])})"
        )
    ratios = data["ratio_b_over_a"]
    print(
        f"  B / A: input {_fmt_factor(ratios['input'])}, output {_fmt_factor(ratios['output'])},"
        f" blended {_fmt_factor(ratios['blended'])} ({data['blend']})"
    )
    return EXIT_OK


def cmd_changes(args: argparse.Namespace) -> int:
    from frontier_watch import reports
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.changes_text import render_changes

    _, reader = _reader(args)
    now = utc_now().replace(tzinfo=None)
    since = reports.parse_since(args.since, now)
    with reader:
        digest = reports.changes_report(reader, since, now)
    if args.json:
        _print_json(digest.as_json())
        return EXIT_OK
    sys.stdout.write(render_changes(digest.as_json(), markdown=args.format == "md"))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from frontier_watch.render.output import safe_text
    from frontier_watch.use_cases.importing import import_file

    _, database = _database(args)
    result = import_file(database.engine, Path(args.file))
    print(
        f"imported {result.rows} {result.kind} row{'s' if result.rows != 1 else ''} "
        f"from {safe_text(result.path)} (source user)"
    )
    return EXIT_OK


# ---------------------------------------------------------------- running for years


def cmd_doctor(args: argparse.Namespace) -> int:
    """Config, database, disk, data rules and every source's health; exit 1 when anything is unhealthy."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.domain.errors import ConfigurationError
    from frontier_watch.use_cases.health import diagnose

    settings, config_error = None, None
    try:
        settings = _settings(args)
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
        _print_json(document)
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


def cmd_export(args: argparse.Namespace) -> int:
    """One file per table plus manifest.json, reproducible and safe to open in a spreadsheet."""
    from pathlib import Path

    from frontier_watch import __version__
    from frontier_watch.domain.clock import parse_day, utc_now
    from frontier_watch.use_cases.export import ExportError, selected_tables, write_export

    try:
        tables = selected_tables(args.tables)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    now = utc_now()
    as_of = None
    if args.as_of is not None:
        try:
            as_of = parse_day(args.as_of)
        except ValueError as exc:
            raise UsageError(f"export --as-of: {exc}") from None
        if as_of > now.date():
            raise UsageError(f"export --as-of: {as_of.isoformat()} is in the future")
    settings, reader = _reader(args)
    folder = Path(args.out).expanduser() if args.out else settings.export_folder
    try:
        with reader:
            files, manifest = write_export(
                reader,
                tables,
                folder,
                fmt=args.format,
                as_of=as_of,
                now=now,
                specs=settings.sources,
                version=__version__,
            )
    except ExportError as exc:
        raise UsageError(f"export: {exc}") from None
    from frontier_watch.render.output import safe_text

    for item in files:
        print(f"{safe_text(str(folder / item.name))}  {item.rows} rows  sha256 {item.sha256[:16]}")
    print(f"{safe_text(str(manifest))}  attribution, licences and hashes")
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    """Fetch every enabled source on its cron schedule until SIGINT or SIGTERM; one line per run."""
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.output import safe_text
    from frontier_watch.use_cases.fetching import UnknownSourceError
    from frontier_watch.use_cases.scheduler import ScheduleOptions, run_schedule

    settings, database = _database(args)

    def log(line: str) -> None:
        print(f"{utc_now().isoformat(timespec='seconds')}Z schedule {safe_text(line)}", flush=True)

    def on_run(summary) -> None:
        stream = sys.stdout if summary.status == "ok" else sys.stderr
        print(_summary_line(summary), file=stream, flush=True)

    options = ScheduleOptions(catch_up=not args.no_catch_up, clock=utc_now)
    try:
        run_schedule(settings, database, options=options, on_run=on_run, log=log)
    except UnknownSourceError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


# ---------------------------------------------------------------- parser


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--config and --db, accepted before and after the command (the later one wins)."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="config file (default: $FRONTIER_WATCH_CONFIG, ./config.toml, then the user config dir)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=default,
        help="database file or SQLAlchemy URL "
        "(default: $FRONTIER_WATCH_DB, [database] url, then the user data dir)",
    )


def _evidence_classes() -> list[str]:
    from frontier_watch.domain.vocabulary import EVIDENCE_CLASSES

    return sorted(EVIDENCE_CLASSES)


def _number(text: str) -> float:
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _signal_options(parser: argparse.ArgumentParser, *, review: bool) -> None:
    """The options that describe a signal, shared by ``signals add`` and ``signals review``."""
    from frontier_watch.domain.vocabulary import CONFIDENCES, DATE_PRECISIONS, SIGNAL_CATEGORIES

    from_item = " (default: the item's)" if review else ""
    parser.add_argument("--date", type=_parse_day, metavar="DATE", help=f"when it was announced{from_item}")
    parser.add_argument(
        "--date-precision",
        choices=DATE_PRECISIONS,
        default="day",
        help="how exact the date is (default: day)",
    )
    parser.add_argument(
        "--entity",
        metavar="TEXT",
        help="who it is about (e.g. xAI)" + (" (default: the feed's publisher)" if review else ""),
    )
    parser.add_argument(
        "--category", metavar="CATEGORY", help=f"one of {', '.join(sorted(SIGNAL_CATEGORIES))}"
    )
    parser.add_argument(
        "--item",
        metavar="TEXT",
        help="what it is (default: " + ("the item's title)" if review else "the metric)"),
    )
    parser.add_argument("--metric", metavar="TEXT", help="what was measured (e.g. GPUs, power capacity)")
    parser.add_argument("--value", type=_number, metavar="NUMBER", help="the number")
    parser.add_argument("--value-high", type=_number, metavar="NUMBER", help="the top of a range")
    parser.add_argument("--unit", metavar="TEXT", help="the unit (e.g. GW, NVIDIA H100 GPUs, billion USD)")
    parser.add_argument("--source-url", metavar="URL", help=f"where it comes from{from_item}")
    parser.add_argument("--evidence", metavar="CLASS", help=f"one of {', '.join(_evidence_classes())}")
    parser.add_argument("--confidence", choices=CONFIDENCES, help="how sure the number is")
    parser.add_argument("--notes", metavar="TEXT", help="caveats, the quote, what was not confirmed")


def _signal_actions(signals: argparse.ArgumentParser) -> None:
    actions = signals.add_subparsers(dest="signals_action", metavar="ACTION", title="actions")
    add = actions.add_parser(
        "add",
        help="log a signal by hand (origin user)",
        description="Log an announcement by hand. Required: --date, --entity, --category, --metric, "
        "--value, --unit, --source-url and --evidence.",
    )
    add.set_defaults(handler=cmd_signals_add)
    _global_options(add, top=False)
    add.add_argument("--json", action="store_true", help="print the stored signal as JSON")
    _signal_options(add, review=False)
    review = actions.add_parser(
        "review",
        help="promote a feed item into a signal (or --dismiss it)",
        description="Promote a feed item (signals --unreviewed) into a signal with an evidence class "
        "and category, or mark it reviewed without one (--dismiss). Metric, value and unit are optional "
        "together.",
    )
    review.set_defaults(handler=cmd_signals_review)
    _global_options(review, top=False)
    review.add_argument("item_id", type=int, metavar="ID", help="the feed item's id")
    review.add_argument("--dismiss", action="store_true", help="mark it reviewed without making a signal")
    review.add_argument("--json", action="store_true", help="print the stored signal as JSON")
    _signal_options(review, review=True)


def _chart_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--chart", action="store_true", help="draw the series in the terminal (plain text in a pipe)"
    )
    sub.add_argument(
        "--save-chart",
        metavar="FILE",
        type=_path,
        help="write the chart to FILE (.txt plain, .ansi colour, .html page)",
    )


def _path(text: str):
    from pathlib import Path

    return Path(text)


def _analysis_commands(command) -> None:
    """trends (capability, model, releases, compute), compare, changes and import."""
    trends = command(
        "trends", lambda args: EXIT_USAGE, "rates over time, next to the published figures", tabular=False
    )
    kinds = trends.add_subparsers(dest="trend", metavar="TREND", required=True)

    def trend(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = kinds.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler, command="trends")
        _global_options(sub, top=False)
        sub.add_argument("--json", action="store_true", help="print JSON")
        return sub

    capability = trend(
        "capability",
        cmd_trends_capability,
        "the price of a fixed capability: the cheapest model at or above a benchmark score, over time",
    )
    capability.add_argument(
        "--benchmark", required=True, metavar="NAME", help="mmlu, gpqa_diamond, math or mmlu_pro"
    )
    capability.add_argument(
        "--threshold", required=True, type=_threshold, metavar="SCORE", help="the score (percent)"
    )
    capability.add_argument("--since", type=_parse_day, metavar="DATE", help="first day (YYYY-MM-DD)")
    capability.add_argument("--until", type=_parse_day, metavar="DATE", help="last day (default: today)")
    capability.add_argument(
        "--blend",
        type=_blend,
        metavar="IN:OUT",
        help="input:output weights (default: [analytics] in the config, 3:1)",
    )
    capability.add_argument(
        "--method",
        choices=("epoch", "a16z"),
        default="epoch",
        help="epoch: models at release, the frontier of new lows (default); "
        "a16z: the cheapest in force each day, 1:1",
    )
    capability.add_argument("--exclude-reasoning", action="store_true", help="leave reasoning models out")
    capability.add_argument("--include-flagged", action="store_true", help="keep prices flagged as suspect")
    capability.add_argument("--include-free", action="store_true", help="keep free tiers")
    _chart_options(capability)

    model = trend(
        "model", cmd_trends_model, "one model's price over its life: every change, the rate per year"
    )
    model.add_argument("model", metavar="MODEL", help="a model id, name or alias")
    model.add_argument("--blend", type=_blend, metavar="IN:OUT", help="input:output weights (default 3:1)")
    _chart_options(model)

    releases = trend(
        "releases", cmd_trends_releases, "releases per lab per quarter, open-weight share, licence mix"
    )
    releases.add_argument("--since", type=_parse_day, metavar="DATE", help="only releases from this day")
    _chart_options(releases)

    compute = trend(
        "compute", cmd_trends_compute, "largest known cluster and site over time; capex per company"
    )
    _chart_options(compute)

    compare = command("compare", cmd_compare, "two models' prices on one day and their ratio", tabular=False)
    compare.add_argument("a", metavar="A", help="the first model (id, name or alias)")
    compare.add_argument("b", metavar="B", help="the second model")
    compare.add_argument("--as-of", type=_parse_day, metavar="DATE", help="the day (default: today)")
    compare.add_argument("--blend", type=_blend, metavar="IN:OUT", help="input:output weights (default 3:1)")
    compare.add_argument("--json", action="store_true", help="print JSON")

    changes = command(
        "changes", cmd_changes, "what changed: prices, offerings, releases, signals", tabular=False
    )
    changes.add_argument("--since", default="7d", metavar="7d|DATE", help="start of the window (default 7d)")
    output = changes.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument(
        "--format", choices=("text", "md"), default="text", help="md: Markdown for a newsletter"
    )

    imported = command(
        "import",
        cmd_import,
        "load your own prices, signals or benchmark scores (curated CSV format)",
        tabular=False,
    )
    imported.add_argument(
        "file",
        metavar="FILE.csv",
        help="a CSV in the format of data/prices/*.csv, signals.csv or benchmarks.csv",
    )


def build_parser() -> argparse.ArgumentParser:
    from frontier_watch import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Track AI model prices, releases and compute signals over time, "
        "with the source and evidence behind every number. Run without a command to "
        "open the dashboard.",
        epilog="Exit codes: 0 ok, 1 some sources failed, 2 usage or config error, "
        "3 another fetch holds the lock.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser, top=True)
    parser.set_defaults(handler=cmd_dashboard, command=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str, *, tabular: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler, command=name)
        _global_options(sub, top=False)
        if tabular:
            sub.add_argument("--json", action="store_true", help="print JSON (every field, whole values)")
            sub.add_argument(
                "--wide", action="store_true", help="show whole values instead of fitting the terminal"
            )
        return sub

    prices = command("prices", cmd_prices, "prices in force now or on a given day")
    asked = prices.add_mutually_exclusive_group()
    asked.add_argument(
        "--model",
        metavar="MODEL",
        help="one model: its id or name, an alias (deepseek-chat), else a whole word of its name; "
        "a trailing * asks for a family",
    )
    asked.add_argument("--family", metavar="PREFIX", help="every model whose id starts with PREFIX (gpt-4)")
    prices.add_argument("--as-of", metavar="DATE", type=_parse_day, help="the day to ask about (YYYY-MM-DD)")
    prices.add_argument("--source", metavar="ID", help="only this source (e.g. openrouter, curated)")
    prices.add_argument("--tier", metavar="TIER", help="only this tier (default, batch, off-peak, ...)")
    prices.add_argument(
        "--unmatched", action="store_true", help="list offerings that match no canonical model"
    )
    prices.add_argument(
        "--disagreements",
        action="store_true",
        help="only prices where sources disagree for the same model, tier and seller, each with its verdict",
    )
    prices.add_argument(
        "--blended",
        action="store_true",
        help="add the blended price (input:output weighted as [analytics] in the config, 3:1 by default)",
    )

    history = command("history", cmd_history, "every price interval of a model, with basis and source")
    history.add_argument(
        "model",
        metavar="MODEL",
        help="model id or name, an alias (deepseek-chat shows the model of each span), else a whole "
        "word of its name; a trailing * (or --family) asks for every model whose id starts with it",
    )
    history.add_argument(
        "--family", action="store_true", help="MODEL is a prefix: every model whose id starts with it"
    )

    for spec in FACT_LISTINGS:
        sub = command(spec.name, cmd_signals if spec.name == "signals" else _fact_command(spec), spec.help)
        for item in spec.filters:
            if item.kind == "flag":
                sub.add_argument(item.flag, dest=item.keyword, action="store_true", help=item.help)
            elif item.kind == "day":
                sub.add_argument(
                    item.flag, dest=item.keyword, type=_parse_day, metavar="DATE", help=item.help
                )
            elif item.choices:
                sub.add_argument(
                    item.flag,
                    dest=item.keyword,
                    metavar=item.metavar,
                    type=str.lower,
                    choices=item.choices,
                    help=item.help,
                )
            elif item.kind == "evidence":
                sub.add_argument(
                    item.flag, dest=item.keyword, choices=_evidence_classes(), metavar="CLASS", help=item.help
                )
            else:
                sub.add_argument(item.flag, dest=item.keyword, metavar=item.metavar, help=item.help)
        if spec.name == "signals":
            _signal_actions(sub)

    fetch = command("fetch", cmd_fetch, "fetch sources now and store only what changed")
    fetch.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all enabled)")
    fetch.add_argument("--quiet", action="store_true", help="print only failures (for cron)")
    fetch.add_argument(
        "--accept-shrink",
        action="append",
        metavar="SOURCE",
        help="accept a much smaller list from SOURCE this once (the shrink guard would refuse it)",
    )

    command("sources", cmd_sources, "the catalogue of sources with their last runs")

    export = command(
        "export",
        cmd_export,
        "write CSV (or JSON) snapshots of the tables with a manifest of sources, licences and hashes",
        tabular=False,
    )
    export.add_argument(
        "tables",
        nargs="*",
        metavar="TABLE",
        help="prices, history, releases, signals, trends or all (default: all)",
    )
    export.add_argument(
        "--as-of", metavar="DATE", help="what the database says was in force on that day (YYYY-MM-DD)"
    )
    export.add_argument(
        "--out", metavar="DIR", help="the folder to write (default: [export] folder in the config)"
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="file format (default: csv)")

    schedule = command(
        "schedule",
        cmd_schedule,
        "run each enabled source's fetch on its cron schedule, until stopped",
        tabular=False,
    )
    schedule.add_argument(
        "--no-catch-up",
        action="store_true",
        help="on start, do not fetch the sources whose last success is older than their schedule",
    )

    doctor = command(
        "doctor",
        cmd_doctor,
        "check config, database, disk, data rules and each source's staleness; exit 1 when unhealthy",
        tabular=False,
    )
    doctor.add_argument("--json", action="store_true", help="print JSON: healthy, checks and sources")

    db = command(
        "db", lambda args: EXIT_USAGE, "database location, schema version and migrations", tabular=False
    )
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply pending migrations and seed curated data")
    upgrade.set_defaults(handler=cmd_db)
    _global_options(upgrade, top=False)
    info = db_commands.add_parser("info", help="location, schema version and row counts")
    info.set_defaults(handler=cmd_db)
    _global_options(info, top=False)
    info.add_argument("--json", action="store_true", help="print JSON")
    check = db_commands.add_parser(
        "check",
        help="list every violation of the data rules (overlaps, dates, model lives, flags, "
        "unmatched share, provenance); exit 1 when a hard rule is broken",
    )
    check.set_defaults(handler=cmd_db_check)
    _global_options(check, top=False)
    check.add_argument("--json", action="store_true", help="print JSON: ok, counts and every violation")

    _analysis_commands(command)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from frontier_watch.domain.errors import ConfigurationError, DatabaseError, DataError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ConfigurationError, DatabaseError, DataError) as exc:
        # A bad argument, setting, spec, database or curated row: one line, exit code 2.
        from frontier_watch.render.output import safe_text

        print(f"{PROG}: error: {safe_text(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated:
        print(f"{PROG}: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        # A driver error that store/driver_errors.py has no words for (a full disk, a lost
        # server): still one line, never a traceback.
        if not _is_driver_error(exc):
            raise
        from frontier_watch.domain.errors import first_line
        from frontier_watch.render.output import safe_text

        print(f"{PROG}: error: database error: {safe_text(first_line(exc))}", file=sys.stderr)
        return EXIT_USAGE


def _is_driver_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")  # loaded only if the command used it
    return sqlalchemy_errors is not None and isinstance(exc, sqlalchemy_errors.SQLAlchemyError)


if __name__ == "__main__":
    raise SystemExit(main())
