"""The command line's grammar: every command, option and argument type (``build_parser``)."""

# Only argparse and the command modules (which import their work lazily) load here, so
# ``--help`` stays instant.

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from frontier_watch.analytics.headline import DEFAULT_MAX_PRICE_LAG_DAYS
from frontier_watch.cli.common import EXIT_USAGE, PROG
from frontier_watch.cli.export_import import cmd_export, cmd_import
from frontier_watch.cli.facts import (
    FACT_LISTINGS,
    cmd_signals,
    cmd_signals_add,
    cmd_signals_review,
    fact_command,
)
from frontier_watch.cli.ops import (
    cmd_dashboard,
    cmd_db,
    cmd_db_check,
    cmd_doctor,
    cmd_fetch,
    cmd_schedule,
    cmd_sources,
)
from frontier_watch.cli.prices import cmd_history, cmd_prices
from frontier_watch.cli.trends import (
    cmd_changes,
    cmd_compare,
    cmd_trends_capability,
    cmd_trends_compute,
    cmd_trends_model,
    cmd_trends_releases,
)


def _parse_day(text: str) -> date:
    from frontier_watch.domain.clock import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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


def _lag_days(text: str) -> int | None:
    if text.strip().lower() in ("any", "none"):
        return None
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of days such as 90, or 'any'")
    return int(text)


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


def evidence_classes() -> list[str]:
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
    parser.add_argument("--evidence", metavar="CLASS", help=f"one of {', '.join(evidence_classes())}")
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
    capability.add_argument(
        "--max-price-lag",
        type=_lag_days,
        default=DEFAULT_MAX_PRICE_LAG_DAYS,
        metavar="DAYS",
        help="epoch method: a model counts only if a price of it is known within DAYS of its release "
        f"(default {DEFAULT_MAX_PRICE_LAG_DAYS}; 'any' for no limit)",
    )
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
    compute.add_argument(
        "--all-evidence",
        action="store_true",
        help="fit the growth rates on every figure, vendor claims, letters of intent and rumours "
        "included (default: only independent-enough evidence)",
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

    prices = command(
        "prices", cmd_prices, "the reference price of each model, seller and tier now or on a given day"
    )
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
        "--kind",
        metavar="KIND",
        action="append",
        help="the kinds of model to show (repeat, or a comma list): language (the default), embedding, "
        "reranker, image, audio, video, ocr, moderation, search, time-series, other; or all",
    )
    prices.add_argument(
        "--unmatched", action="store_true", help="list offerings that match no canonical model"
    )
    prices.add_argument(
        "--offerings",
        action="store_true",
        help="every offering's price from every source, each with its verdict in its model's answer",
    )
    prices.add_argument(
        "--disagreements",
        action="store_true",
        help="only the answers where sources disagree for the same model, seller and tier (whatever "
        "their offering ids), every row with its verdict",
    )
    prices.add_argument(
        "--blended",
        action="store_true",
        help="add the blended price (input:output weighted as [analytics] in the config, 3:1 by default)",
    )

    history = command(
        "history", cmd_history, "a model's reference price over time per seller and tier, with its sources"
    )
    history.add_argument(
        "model",
        metavar="MODEL",
        help="model id or name, an alias (deepseek-chat shows the model of each span), else a whole "
        "word of its name; a trailing * (or --family) asks for every model whose id starts with it",
    )
    history.add_argument(
        "--family", action="store_true", help="MODEL is a prefix: every model whose id starts with it"
    )
    history.add_argument(
        "--offerings",
        action="store_true",
        help="every raw price interval of the model's offerings (source, offering, basis, dates) "
        "instead of the reference price's timeline",
    )

    for spec in FACT_LISTINGS:
        sub = command(spec.name, cmd_signals if spec.name == "signals" else fact_command(spec), spec.help)
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
                    item.flag, dest=item.keyword, choices=evidence_classes(), metavar="CLASS", help=item.help
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
