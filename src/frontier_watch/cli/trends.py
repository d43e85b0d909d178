"""``trends`` (capability, model, releases, compute), ``compare`` and ``changes``: the answers over time."""

# Each report's text is written once, next to the report (reports/) or in render/ (the
# changes digest); its chart in render/charts.py. Here: the arguments, the report, the output.

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta

from frontier_watch.cli.common import EXIT_OK, UsageError, print_json, reader_from, show_chart, today


def cmd_trends_capability(args: argparse.Namespace) -> int:
    from frontier_watch.analytics.capability import CapabilityQuery
    from frontier_watch.render.charts import capability_chart
    from frontier_watch.reports.capability import capability_report, capability_text

    settings, reader = reader_from(args)
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
        max_price_lag_days=args.max_price_lag,
    )
    with reader:
        report = capability_report(reader, query, today(args))
    if args.json:
        print_json(report.as_json())
        return EXIT_OK
    print(capability_text(report))
    if report.fit is not None:
        show_chart(
            args, capability_chart(query.benchmark, query.threshold, query.method, report.points, report.fit)
        )
    return EXIT_OK


def cmd_trends_model(args: argparse.Namespace) -> int:
    from frontier_watch.render.charts import model_price_chart
    from frontier_watch.reports.model_trend import model_trend_report, model_trend_text

    settings, reader = reader_from(args)
    blend = args.blend or (settings.blend_input_weight, settings.blend_output_weight)
    with reader:
        report = model_trend_report(reader, args.model, today(args), blend)
    if args.json:
        print_json(report.as_json())
        return EXIT_OK
    print(model_trend_text(report))
    if report.changes.height > 1:
        show_chart(args, model_price_chart(report.model_id, report.changes))
    return EXIT_OK


def cmd_trends_releases(args: argparse.Namespace) -> int:
    from frontier_watch.render.charts import release_chart
    from frontier_watch.reports.releases import release_trends_report, release_trends_text

    _, reader = reader_from(args)
    with reader:
        report = release_trends_report(reader, args.since)
    if args.json:
        print_json(report.as_json())
        return EXIT_OK
    print(release_trends_text(report))
    if report.open_share.height:
        show_chart(args, release_chart(report.open_share))
    return EXIT_OK


def cmd_trends_compute(args: argparse.Namespace) -> int:
    from frontier_watch.render.charts import largest_known_chart
    from frontier_watch.reports.compute import compute_trends_report, compute_trends_text

    _, reader = reader_from(args)
    with reader:
        report = compute_trends_report(reader, all_evidence=args.all_evidence)
    if args.json:
        print_json(report.as_json())
        return EXIT_OK
    text = compute_trends_text(report)
    if text:
        print(text)
    if any(not item.records.is_empty() for item in report.series):
        show_chart(args, largest_known_chart([(item.name, item.records) for item in report.series]))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from frontier_watch.reports.compare import compare_report, comparison_text

    settings, reader = reader_from(args)
    blend = args.blend or (settings.blend_input_weight, settings.blend_output_weight)
    day = args.as_of or today(args)
    with reader:
        comparison = compare_report(reader, args.a, args.b, day, blend)
    if args.json:
        print_json(comparison.as_json())
        return EXIT_OK
    print(comparison_text(comparison))
    return EXIT_OK


def cmd_changes(args: argparse.Namespace) -> int:
    from frontier_watch.domain.clock import utc_now
    from frontier_watch.render.changes_text import render_changes
    from frontier_watch.reports.changes import changes_report

    _, reader = reader_from(args)
    now = utc_now().replace(tzinfo=None)
    since = parse_since(args.since, now)
    with reader:
        digest = changes_report(reader, since, now)
    if args.json:
        print_json(digest.as_json())
        return EXIT_OK
    sys.stdout.write(render_changes(digest.as_json(), markdown=args.format == "md"))
    return EXIT_OK


def parse_since(text: str, now: datetime) -> datetime:
    """``changes --since``: ``7d``, ``2w``, ``3m`` (30-day months) or a date, as the start of the window."""
    from frontier_watch.domain.clock import parse_day

    text = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    if text[:-1].isdigit() and text[-1:] in units:
        try:
            return now - timedelta(days=int(text[:-1]) * units[text[-1]])
        except OverflowError:
            raise UsageError(f"--since {text!r}: reaches back before the first day of the calendar") from None
    try:
        day = parse_day(text)
    except ValueError:
        raise UsageError(
            f"--since {text!r}: give a number of days, weeks or months (7d, 2w, 3m) or a date"
        ) from None
    return datetime(day.year, day.month, day.day)
