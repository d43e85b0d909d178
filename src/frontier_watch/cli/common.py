"""What every command shares: exit codes, the one-line errors, settings, the database, output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended

PROG = "frontier-watch"


class UsageError(Exception):
    """A bad argument or setting: printed as one line (after the usage, if asked), exit code 2."""

    def __init__(self, message: str, *, show_usage: bool = False) -> None:
        super().__init__(message)
        self.show_usage = show_usage


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it is stopped exactly as Ctrl-C is."""


@contextmanager
def sigterm_stops_like_ctrl_c() -> Iterator[None]:
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


def warn(message: str) -> None:
    """A line on stderr, after the program's name, its text made inert."""
    from frontier_watch.render.output import safe_text

    print(f"{PROG}: {safe_text(message)}", file=sys.stderr)


def settings_from(args: argparse.Namespace):
    """The settings --config and --db name (each warning said on stderr)."""
    from frontier_watch.settings.config import load_settings

    settings = load_settings(getattr(args, "config", None), getattr(args, "db", None))
    for warning in settings.warnings:
        warn(f"warning: {warning}")
    return settings


def database_from(args: argparse.Namespace):
    """The settings and the database, migrated and seeded with new curated data (commands that write)."""
    from frontier_watch.store.seed import open_seeded_database

    settings = settings_from(args)
    return settings, open_seeded_database(settings.database_url)


def reader_from(args: argparse.Namespace):
    """The settings and a reader on the database (migrated and seeded first only if needed).

    A read creates no folder, except the user data dir on the first launch; a file that
    cannot be written is read as it is.
    """
    from frontier_watch.store.opening import open_reader

    settings = settings_from(args)
    return settings, open_reader(settings.database_url, create_folder=settings.database_is_default)


def emit(args: argparse.Namespace, rows: Sequence[dict[str, Any]], listing, empty: str | None = None) -> None:
    """Rows as a table fitted to the terminal, or as JSON with --json (``output.emit``)."""
    from frontier_watch.render import output

    output.emit(rows, listing, as_json=args.json, wide=getattr(args, "wide", False), empty_message=empty)


def suggest_models(reader, text: str) -> None:
    """No model matched: name the closest known ones (stderr)."""
    import difflib

    from frontier_watch.store import model_lookup

    names = model_lookup.model_names(reader)
    lowered = {name.lower(): name for name in names}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=5, cutoff=0.6)
    hint = f"; close matches: {', '.join(lowered[name] for name in close)}" if close else ""
    warn(f"no model matches {text!r}{hint}")


def explain_no_match(label: str, value: str, known: Sequence[str]) -> None:
    """A filter value that matches nothing known: say what the known values are (stderr)."""
    shown = ", ".join(known) if known else "none yet"
    warn(f"nothing matches {label} {value!r}; the known values are: {shown}")


def today(args: argparse.Namespace) -> date:
    """Today in UTC: the last day a trend reaches."""
    from frontier_watch.domain.clock import utc_now

    return utc_now().date()


def show_chart(args: argparse.Namespace, chart) -> None:
    """--chart draws it here (colour only on a terminal); --save-chart writes it to a file."""
    import shutil

    from frontier_watch.render import charts

    if getattr(args, "save_chart", None):
        charts.save(chart, args.save_chart)
        warn(f"chart written to {args.save_chart}")
    if getattr(args, "chart", False):
        size = shutil.get_terminal_size((100, 30))
        text = charts.render(
            chart, min(size.columns, 140), max(min(size.lines - 4, 30), 12), colour=sys.stdout.isatty()
        )
        sys.stdout.write(text + "\n")


def print_json(value: Any) -> None:
    """A document as JSON on stdout (indented at a terminal), its text made inert (output.json_text)."""
    from frontier_watch.render.output import json_text

    print(json_text(value, indent=2 if sys.stdout.isatty() else None))


def summary_line(summary) -> str:
    """One fetch run as the one line ``fetch`` and ``schedule`` print for it."""
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
