"""``releases``, ``signals`` (with ``signals add`` and ``signals review``): the facts with their evidence."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from frontier_watch.cli.common import (
    EXIT_OK,
    UsageError,
    database_from,
    emit,
    explain_no_match,
    reader_from,
    warn,
)


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
    query: str  # "module.function" in store/ (signal_reads.signals)
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
                explain_no_match(item.label, value, known)


def _filters(spec: FactListing, args: argparse.Namespace) -> dict[str, Any]:
    filters = {item.keyword: getattr(args, item.keyword) for item in spec.filters}
    return {key: value for key, value in filters.items() if value not in (None, False)}


def fact_command(spec: FactListing) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        from frontier_watch.render import public_rows

        module, function = spec.query.split(".")
        _, reader = reader_from(args)
        filters = _filters(spec, args)
        with reader:
            rows = getattr(importlib.import_module(f"frontier_watch.store.{module}"), function)(
                reader, **filters
            )
            if not rows:
                _explain_no_fact(reader, spec, filters)
        record = getattr(public_rows, spec.record)
        emit(args, [record(row) for row in rows], getattr(public_rows, spec.listing))
        return EXIT_OK

    return handler


def cmd_signals(args: argparse.Namespace) -> int:
    """``signals``: signals with their evidence and history, or feed items waiting for review."""
    from frontier_watch.render import public_rows
    from frontier_watch.store import signal_reads

    spec = next(listing for listing in FACT_LISTINGS if listing.name == "signals")
    filters = _filters(spec, args)
    unreviewed, history = filters.pop("unreviewed", False), filters.pop("history", False)
    if unreviewed:
        return _list_unreviewed(args, filters)
    _, reader = reader_from(args)
    with reader:
        rows = signal_reads.signals(reader, changed=history, **filters)
        if not rows and not history:
            _explain_no_fact(reader, spec, filters)
        versions = signal_reads.signal_history(reader, [row["id"] for row in rows])
        waiting = len(signal_reads.feed_items(reader)) if sys.stdout.isatty() and not args.json else 0
    records = [public_rows.signal_record(row, versions.get(row["id"])) for row in rows]
    if history and not args.json:
        emit(args, _version_rows(records), public_rows.SIGNAL_VERSIONS)
    elif args.json:
        emit(args, records, public_rows.SIGNALS)
    else:
        emit(
            args,
            [{key: value for key, value in record.items() if key != "history"} for record in records],
            public_rows.SIGNALS,
        )
    if waiting:
        warn(f"{waiting} feed items wait for review: frontier-watch signals --unreviewed")
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
    _, reader = reader_from(args)
    with reader:
        rows = signal_reads.feed_items(reader, since=filters.get("since"), text=filters.get("entity"))
    records = [public_rows.feed_item_record(row) for row in rows]
    if not args.json:
        records = [{**record, "matched": ", ".join(record["matched"])} for record in records]
    emit(args, records, public_rows.FEED_ITEMS)
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
    _, database = database_from(args)
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
    settings, database = database_from(args)

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
